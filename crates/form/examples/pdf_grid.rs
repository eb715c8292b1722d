//! Prints the grid a PDF's declaration pages become, one row a line, cells tab-separated, each
//! row prefixed with its page and row (`p3:r12`): what the recognizer reads.
//!
//! `cargo run -p jixiao-form --example pdf_grid -- FILE.pdf`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pdf_grid FILE.pdf");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    match jixiao_form::pdf::read_pdf(&bytes) {
        Ok(read) => {
            for row in &read.grid.rows {
                let at = read
                    .locate(row.line)
                    .map_or(String::new(), |o| format!("p{}:r{}", o.page, o.row));
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| c.text.replace('\n', "⏎"))
                    .collect();
                println!("{at}\t{}", cells.join("\t"));
            }
            eprintln!("{}", read.pages_note().render(&path));
        }
        Err(d) => {
            eprintln!("{}", d.render(&path));
            std::process::exit(2);
        }
    }
}
