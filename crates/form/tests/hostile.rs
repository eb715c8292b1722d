//! Hostile files, built here (nothing big is committed): nesting, fan-out, inflation, huge page
//! and row counts, reference cycles, for every reader. Each is refused with an error naming
//! the limit it reached, or read; never a panic or an abort, on a thread with a 2 MB stack as
//! a server worker has.
//!
//! **Memory ceiling**: one read of any of these files grows the reading process's peak
//! resident memory (VmHWM, reset before the read) by less than [`CEILING_MB`] MB. Each is
//! measured in a child process (this test binary run again for one case), under a 4 GB address
//! space limit so that a regression fails the test rather than the machine.
//!
//! The first five are the findings of issue 16 (items 3–5): on the commit before the limits
//! the first aborted the process ("stack overflow"), the others grew to gigabytes.

use std::io::Write;

use jixiao_form::{read_form, Limits};

/// Peak memory growth allowed for one read, in MB (ARCHITECTURE.md says the same).
const CEILING_MB: u64 = 512;

// ---------------------------------------------------------------------------------------------
// Building PDFs by hand: object 1 is the catalog, 2 the page tree.

struct Pdf {
    objects: Vec<Vec<u8>>,
    pages: Vec<usize>,
}

impl Pdf {
    fn new() -> Pdf {
        Pdf {
            objects: vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), Vec::new()],
            pages: Vec::new(),
        }
    }

    fn add(&mut self, object: Vec<u8>) -> usize {
        self.objects.push(object);
        self.objects.len()
    }

    /// A page drawing the content stream `content` (an object id) with `resources`.
    fn page(&mut self, content: usize, resources: &str) -> usize {
        let id = self.add(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R \
                 /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> {resources} >> >>"
            )
            .into_bytes(),
        );
        self.pages.push(id);
        id
    }

    fn finish(mut self) -> Vec<u8> {
        let kids: String = self.pages.iter().map(|p| format!("{p} 0 R ")).collect();
        self.objects[1] = format!(
            "<< /Type /Pages /Kids [{kids}] /Count {} >>",
            self.pages.len()
        )
        .into_bytes();
        raw_pdf(&self.objects)
    }
}

/// Objects numbered from 1, with a correct cross-reference table.
fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stream object; `flate` compresses it (FlateDecode).
fn stream(dict: &str, data: &[u8], flate: bool) -> Vec<u8> {
    let (data, filter) = if flate {
        let mut s = lopdf::Stream::new(lopdf::Dictionary::new(), data.to_vec());
        s.compress().unwrap();
        (s.content, "/Filter /FlateDecode")
    } else {
        (data.to_vec(), "")
    };
    let mut out = format!("<< {dict} {filter} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

const TEXT: &[u8] = b"BT /F1 12 Tf 72 700 Td (hello) Tj ET\n";

/// Issue 16, finding 3: a content stream nesting 20,000 arrays (40 KB).
fn pdf_nested_arrays() -> Vec<u8> {
    let n = 20_000;
    let mut content = TEXT.to_vec();
    content.extend(b"[".repeat(n));
    content.extend(b"]".repeat(n));
    content.extend(b" TJ\n");
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &content, false));
    pdf.page(c, "");
    pdf.finish()
}

/// The nesting in a stream whose filter lopdf does not decode (ASCIIHexDecode): scanned as
/// its raw bytes, as pdfplumber's text path falls back to them.
fn pdf_nested_undecodable() -> Vec<u8> {
    let n = 20_000;
    let content = [
        TEXT.to_vec(),
        b"[".repeat(n),
        b"]".repeat(n),
        b" TJ".to_vec(),
    ]
    .concat();
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("/Filter /ASCIIHexDecode", &content, false));
    pdf.page(c, "");
    pdf.finish()
}

/// Nested dictionaries (inline image and marked-content operands), 20,000 deep.
fn pdf_nested_dicts() -> Vec<u8> {
    let n = 20_000;
    let mut content = TEXT.to_vec();
    content.extend(b"/Span ");
    content.extend(b"<</A ".repeat(n));
    content.extend(b">>".repeat(n));
    content.extend(b" BDC EMC\n");
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &content, false));
    pdf.page(c, "");
    pdf.finish()
}

/// Issue 16, finding 4: ten Form XObjects each drawing the next ten times (4 KB).
fn pdf_xobject_fan_out() -> Vec<u8> {
    let mut pdf = Pdf::new();
    // Forms X1..X10 are objects 3..=12; X10 draws a line.
    let first = 3;
    for i in 1..=10 {
        let (content, resources) = if i == 10 {
            (b"72 72 m 500 72 l S".to_vec(), String::new())
        } else {
            (
                b"/X Do ".repeat(10),
                format!("/Resources << /XObject << /X {} 0 R >> >>", first + i),
            )
        };
        let id = pdf.add(stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] {resources}"),
            &content,
            false,
        ));
        assert_eq!(id, first + i - 1);
    }
    let c = pdf.add(stream("", &b"/X Do ".repeat(10), false));
    pdf.page(c, &format!("/XObject << /X {first} 0 R >>"));
    pdf.finish()
}

/// A Form XObject that draws itself, and two that draw each other.
fn pdf_xobject_cycle(two: bool) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (a, b) = (3, 4);
    let form = |other: usize| {
        stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X {other} 0 R >> >>"
            ),
            b"/X Do",
            false,
        )
    };
    pdf.add(form(if two { b } else { a }));
    pdf.add(form(a));
    let c = pdf.add(stream("", &[TEXT, b"/X Do"].concat(), false));
    pdf.page(c, &format!("/XObject << /X {a} 0 R >>"));
    pdf.finish()
}

/// Issue 16, finding 5: 40 pages whose content streams inflate to 90 MB (7 MB compressed in
/// the finding; here the streams repeat, so the file is smaller).
fn pdf_big_content() -> Vec<u8> {
    let line =
        b"BT /F1 9 Tf 1 0 0 1 72 700 Tm (0123456789 abcdefghij) Tj ET 0.5 w 72 72 m 500 72 l S\n";
    let per_page = 90 * 1024 * 1024 / 40 / line.len();
    let content = line.repeat(per_page);
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &content, true));
    drop(content);
    for _ in 0..40 {
        pdf.page(c, "");
    }
    pdf.finish()
}

/// A font file that inflates to 200 MB (a 200 KB stream of zeros, FlateDecode), used by the
/// page's one font: the PDF library inflates fonts to read their glyphs, outside the content
/// streams' budget.
fn pdf_font_bomb() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", b"BT /F2 12 Tf 72 700 Td (hello) Tj ET\n", false));
    let font_file = pdf.add(stream(
        "/Length1 209715200",
        &vec![0u8; 200 * 1024 * 1024],
        true,
    ));
    let descriptor = pdf.add(
        format!(
            "<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] \
             /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 {font_file} 0 R >>"
        )
        .into_bytes(),
    );
    pdf.page(
        c,
        &format!(
            "/Font << /F2 << /Type /Font /Subtype /TrueType /BaseFont /Bomb /FontDescriptor {descriptor} 0 R >> >>"
        ),
    );
    pdf.finish()
}

/// One uncompressed content stream of 9 million operators (18 MB).
fn pdf_many_operators() -> Vec<u8> {
    let mut content = TEXT.to_vec();
    content.extend(b"n ".repeat(9_000_000));
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &content, false));
    pdf.page(c, "");
    pdf.finish()
}

/// `pages` pages of `per_page` drawings of two characters each.
fn pdf_many_glyphs(pages: usize, per_page: usize) -> Vec<u8> {
    let mut content = b"BT /F1 4 Tf 10 10 Td ".to_vec();
    content.extend(b"(ab) Tj ".repeat(per_page));
    content.extend(b"ET\n");
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &content, true));
    for _ in 0..pages {
        pdf.page(c, "");
    }
    pdf.finish()
}

/// 3,000 pages sharing one content stream.
fn pdf_many_pages() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", TEXT, false));
    for _ in 0..3_000 {
        pdf.page(c, "");
    }
    pdf.finish()
}

/// A page tree whose node lists itself among its kids.
fn pdf_page_tree_cycle() -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("", TEXT, false),
    ];
    raw_pdf(&objects)
}

/// Objects referring to themselves: a reference that is its own value, resources that are
/// their own parent.
fn pdf_self_references() -> Vec<u8> {
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", &[TEXT, b"/X Do"].concat(), false));
    let me = pdf.objects.len() + 1;
    pdf.add(format!("{me} 0 R").into_bytes());
    pdf.page(c, &format!("/XObject {me} 0 R /Parent {me} 0 R"));
    pdf.finish()
}

/// An object (the page's media box) nesting 20,000 arrays.
fn pdf_deep_object() -> Vec<u8> {
    let n = 20_000;
    let deep = [b"[".repeat(n), b"]".repeat(n)].concat();
    let mut pdf = Pdf::new();
    let c = pdf.add(stream("", TEXT, false));
    let mut page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ".to_vec();
    page.extend(format!("{c} 0 R /Extra ").as_bytes());
    page.extend(&deep);
    page.extend(b" >>");
    let id = pdf.add(page);
    pdf.pages.push(id);
    pdf.finish()
}

// ---------------------------------------------------------------------------------------------
// XLSX by hand, one shared string (or one sheet) of a chosen size, streamed into the ZIP.

fn xlsx(shared_string: impl FnOnce(&mut dyn Write), sheet: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let part = |zip: &mut zip::ZipWriter<_>, name: &str, body: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    part(
        &mut zip,
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        &mut zip,
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        &mut zip,
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="申报表" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        &mut zip,
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    zip.start_file("xl/sharedStrings.xml", opts).unwrap();
    shared_string(&mut zip);
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut zip);
    zip.finish().unwrap().into_inner()
}

const SST_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
const SST_TAIL: &str = "</t></si></sst>";
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

fn one_cell_sheet(w: &mut dyn Write) {
    write!(
        w,
        r#"{SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>{SHEET_TAIL}"#
    )
    .unwrap();
}

/// Issue 16, finding 5: one shared string that inflates to `mb` MB (1.2 GB in the finding).
fn xlsx_inflated_string(mb: usize) -> Vec<u8> {
    xlsx(
        |w| {
            w.write_all(SST_HEAD.as_bytes()).unwrap();
            let chunk = "项目".repeat(1024 * 1024 / 6);
            for _ in 0..mb {
                w.write_all(chunk.as_bytes()).unwrap();
            }
            w.write_all(SST_TAIL.as_bytes()).unwrap();
        },
        one_cell_sheet,
    )
}

/// A sheet of 300,000 rows of one number each (the ZIP is small; the cells are many).
fn xlsx_many_rows() -> Vec<u8> {
    xlsx(
        |w| write!(w, "{SST_HEAD}项目名称{SST_TAIL}").unwrap(),
        |w| {
            w.write_all(SHEET_HEAD.as_bytes()).unwrap();
            for r in 1..=300_000 {
                write!(w, r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#).unwrap();
            }
            w.write_all(SHEET_TAIL.as_bytes()).unwrap();
        },
    )
}

/// XML elements nested 100,000 deep inside a cell.
fn xlsx_deep_xml() -> Vec<u8> {
    xlsx(
        |w| write!(w, "{SST_HEAD}项目名称{SST_TAIL}").unwrap(),
        |w| {
            write!(w, r#"{SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is>"#).unwrap();
            w.write_all("<r>".repeat(100_000).as_bytes()).unwrap();
            w.write_all("</r>".repeat(100_000).as_bytes()).unwrap();
            write!(w, r#"</is></c></row>{SHEET_TAIL}"#).unwrap();
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Text, CSV, JSON.

fn seed() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/seed_2024_shanghai.txt"
    ))
    .unwrap()
}

/// Issue 16, finding 5: the seed padded with newlines to 19 MB.
fn text_padded_seed() -> Vec<u8> {
    let mut s = seed();
    s.resize(19 * 1024 * 1024, b'\n');
    s
}

fn csv_many_rows() -> Vec<u8> {
    "项目名称,x\n".repeat(300_000).into_bytes()
}

fn csv_wide_row() -> Vec<u8> {
    let mut s = "项目名称".to_string();
    s.push_str(&",".repeat(5_000_000));
    s.into_bytes()
}

fn json_nested() -> Vec<u8> {
    let n = 20_000;
    format!(
        r#"{{"format": "jixiao-form/1", "projects": {}{}}}"#,
        "[".repeat(n),
        "]".repeat(n)
    )
    .into_bytes()
}

fn too_big() -> Vec<u8> {
    let mut s = seed();
    s.resize(21 * 1024 * 1024, b' ');
    s
}

// ---------------------------------------------------------------------------------------------

/// Each case: name, builder, what the English error says (None: the file may be read).
type Case = (&'static str, fn() -> Vec<u8>, Option<&'static str>);

fn cases() -> Vec<Case> {
    vec![
        (
            "nested_arrays.pdf",
            pdf_nested_arrays,
            Some("nesting of arrays and dictionaries"),
        ),
        (
            "nested_undecodable.pdf",
            pdf_nested_undecodable,
            Some("nesting of arrays"),
        ),
        (
            "nested_dicts.pdf",
            pdf_nested_dicts,
            Some("nesting of arrays and dictionaries"),
        ),
        (
            "xobject_fan_out.pdf",
            pdf_xobject_fan_out,
            Some("operators the PDF draws"),
        ),
        (
            "xobject_self.pdf",
            || pdf_xobject_cycle(false),
            Some("reference cycle"),
        ),
        (
            "xobject_pair.pdf",
            || pdf_xobject_cycle(true),
            Some("reference cycle"),
        ),
        (
            "big_content.pdf",
            pdf_big_content,
            Some("exceeds a reading limit"),
        ),
        (
            "many_operators.pdf",
            pdf_many_operators,
            Some("operators the PDF draws"),
        ),
        ("many_pages.pdf", pdf_many_pages, Some("page count")),
        (
            "font_bomb.pdf",
            pdf_font_bomb,
            Some("the inflated size of the PDF's streams"),
        ),
        // Within the operator budget, over the text of a page (3.8 million characters).
        (
            "page_text.pdf",
            || pdf_many_glyphs(10, 190_000),
            Some("the text page 1 shows"),
        ),
        // Within the page's text, over the document's characters.
        (
            "many_glyphs.pdf",
            || pdf_many_glyphs(9, 60_000),
            Some("characters the PDF draws"),
        ),
        // Within every budget: 960,000 characters.
        ("within_limits.pdf", || pdf_many_glyphs(8, 60_000), None),
        ("page_tree_cycle.pdf", pdf_page_tree_cycle, None),
        ("self_references.pdf", pdf_self_references, None),
        ("deep_object.pdf", pdf_deep_object, None),
        (
            "inflated_string.xlsx",
            || xlsx_inflated_string(300),
            Some("inflated size"),
        ),
        ("within_inflation.xlsx", || xlsx_inflated_string(60), None),
        ("many_rows.xlsx", xlsx_many_rows, Some("too large")),
        ("deep_xml.xlsx", xlsx_deep_xml, None),
        ("padded_seed.txt", text_padded_seed, Some("number of lines")),
        ("many_rows.csv", csv_many_rows, Some("number of lines")),
        ("wide_row.csv", csv_wide_row, Some("number of cells")),
        ("nested.json", json_nested, Some("cannot read the JSON")),
        ("too_big.txt", too_big, Some("the file size")),
    ]
}

/// Reads on a thread with a 2 MB stack (as a server worker), so that a recursion too deep
/// shows here as it would there.
fn read_on_worker(name: &'static str, bytes: Vec<u8>) -> Result<(), String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || match read_form(name, &bytes) {
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        })
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{name}: the reader panicked"))
}

#[test]
fn every_hostile_file_is_refused_or_read_never_a_crash() {
    for (name, build, expected) in cases() {
        let outcome = read_on_worker(name, build());
        match (expected, outcome) {
            (Some(what), Err(e)) => {
                assert!(e.contains(what), "{name}: expected {what:?} in\n{e}");
                assert!(e.contains(name), "{name}: the error names the file:\n{e}");
                assert!(e.contains("错误"), "{name}: in Chinese too:\n{e}");
            }
            (Some(what), Ok(())) => panic!("{name}: read, but should be refused ({what})"),
            // Read or refused as damaged: either is fine, as long as nothing crashed.
            (None, _) => {}
        }
    }
}

#[test]
fn limits_can_be_tightened_and_each_names_itself() {
    let seed = seed();
    let tight = |f: fn(&mut Limits)| {
        let mut l = Limits::default();
        f(&mut l);
        l
    };
    let refused = |limits: &Limits, bytes: &[u8]| {
        jixiao_form::read_form_with("seed.txt", bytes, limits)
            .unwrap_err()
            .to_string()
    };
    assert!(jixiao_form::read_form_with("seed.txt", &seed, &Limits::default()).is_ok());
    let e = refused(&tight(|l| l.lines = 10), &seed);
    assert!(
        e.contains("行数超过 10") && e.contains("number of lines over 10"),
        "{e}"
    );
    let e = refused(&tight(|l| l.cells = 10), &seed);
    assert!(e.contains("number of cells over 10"), "{e}");
    let e = refused(&tight(|l| l.input_bytes = 1024), &seed);
    assert!(e.contains("the file size over 1024 B"), "{e}");
    // PDF: the real seed PDF, within its limits and not.
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/pdf/seed_typst.pdf"
    ))
    .unwrap();
    assert!(jixiao_form::read_form_with("seed.pdf", &pdf, &Limits::default()).is_ok());
    let e = refused(&tight(|l| l.operators = 100), &pdf);
    assert!(e.contains("operators the PDF draws"), "{e}");
    let e = refused(&tight(|l| l.pages = 1), &pdf);
    assert!(e.contains("page count over 1 pages"), "{e}");
    let e = refused(&tight(|l| l.decompressed_bytes = 1000), &pdf);
    assert!(e.contains("inflated size"), "{e}");
    let e = refused(&tight(|l| l.time = std::time::Duration::ZERO), &pdf);
    assert!(e.contains("reading time"), "{e}");
    // XLSX: a workbook the writer makes, within its limits and not.
    let form = read_form("seed.txt", &seed).unwrap().form;
    let book = jixiao_form::form_to_xlsx(&form).unwrap();
    assert!(jixiao_form::read_form_with("seed.xlsx", &book, &Limits::default()).is_ok());
    let e = refused(&tight(|l| l.decompressed_bytes = 1000), &book);
    assert!(e.contains("inflated size over 1000 B"), "{e}");
    let e = refused(&tight(|l| l.zip_entries = 2), &book);
    assert!(e.contains("number of entries"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Memory, one case per child process.

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The child: builds one case (named by `JIXIAO_HOSTILE_CASE`), resets the peak, reads it,
/// prints the growth. Ignored unless run by the parent (and a no-op without the variable).
#[test]
#[ignore = "run by each_hostile_file_stays_under_the_memory_ceiling in a child process"]
fn memory_child() {
    let Ok(case) = std::env::var("JIXIAO_HOSTILE_CASE") else {
        return;
    };
    let (name, build, _) = cases().into_iter().find(|c| c.0 == case).unwrap();
    let bytes = build();
    // Writing 5 resets VmHWM to the current resident size (Linux 4.0+).
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kb("VmRSS:");
    let outcome = read_on_worker(name, bytes);
    let peak = status_kb("VmHWM:");
    println!(
        "GROWTH_KB={} OUTCOME={}",
        peak.saturating_sub(before),
        if outcome.is_ok() { "read" } else { "refused" }
    );
}

#[test]
fn each_hostile_file_stays_under_the_memory_ceiling() {
    let exe = std::env::current_exe().unwrap();
    let mut report = Vec::new();
    for (name, _, _) in cases() {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 4194304; exec \"$0\" \"$@\"")
            .arg(&exe)
            .args(["--exact", "memory_child", "--ignored", "--nocapture"])
            .env("JIXIAO_HOSTILE_CASE", name)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: the child failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let growth: u64 = stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix("GROWTH_KB="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no measurement in\n{stdout}"));
        report.push(format!("{name}: {} MB", growth / 1024));
        assert!(
            growth < CEILING_MB * 1024,
            "{name}: peak memory grew by {} MB, over the {CEILING_MB} MB ceiling",
            growth / 1024
        );
    }
    println!("peak growth per read:\n{}", report.join("\n"));
}
