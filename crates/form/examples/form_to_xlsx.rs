//! Writes a form (any input `read_form` reads) as an XLSX workbook in the official layout
//! (`docs/xlsx-layout.md`). `scripts/make-pdf-fixtures.sh` prints the seed to PDF from it.
//!
//! `cargo run -p jixiao-form --example form_to_xlsx -- IN OUT.xlsx`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: form_to_xlsx IN OUT.xlsx");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).unwrap_or_else(|e| {
        eprintln!("{input}: {e}");
        std::process::exit(2);
    });
    let parsed = jixiao_form::read_form(input, &bytes).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let xlsx = jixiao_form::form_to_xlsx(&parsed.form).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    std::fs::write(output, xlsx).unwrap_or_else(|e| {
        eprintln!("{output}: {e}");
        std::process::exit(2);
    });
}
