//! Writes a form (any input `jixiao_form::read_form` reads) as the PDF of its declarations
//! (`jixiao_pdf::declarations_pdf`: A4, one declaration after another).
//! `scripts/make-pdf-fixtures.sh` makes `tests/data/pdf/seed_typst.pdf` with it, which the PDF
//! reader's golden test reads back to the seed.
//!
//! `cargo run -p jixiao-pdf --example form_to_pdf -- IN OUT.pdf`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: form_to_pdf IN OUT.pdf");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).unwrap_or_else(|e| fail(&format!("{input}: {e}")));
    let parsed = jixiao_form::read_form(input, &bytes).unwrap_or_else(|e| fail(&e));
    let fonts = jixiao_pdf::Fonts::system().unwrap_or_else(|e| fail(&e));
    let pdf = jixiao_pdf::declarations_pdf(&parsed.form, &fonts).unwrap_or_else(|e| fail(&e));
    std::fs::write(output, pdf).unwrap_or_else(|e| fail(&format!("{output}: {e}")));
}

fn fail(e: &dyn std::fmt::Display) -> ! {
    eprintln!("{e}");
    std::process::exit(2);
}
