//! What a PDF costs, counted before the PDF library draws it.
//!
//! `pdfplumber` 0.4.1 tokenizes a content stream recursively (an array inside an array is a
//! call inside a call: 20,000 nested `[` overflow a thread's stack and abort the process) and
//! draws a Form XObject each time it is invoked, with a bound on the depth of Form XObjects but
//! none on how often they are drawn (ten forms each drawing the next ten times are 10¹⁰
//! drawings). Both are outside this crate (`docs/security/upstream-pdfplumber.md`), so the file
//! is walked here first, with [`lopdf`] (the library under `pdfplumber`, the same version; its
//! object parser stops at a nesting depth of 100):
//!
//! - the page count, against [`Limits::pages`];
//! - every page's content streams and every Form XObject they draw, inflated within
//!   [`Limits::decompressed_bytes`] (all of them together), and tokenized by a small iterative
//!   scanner that counts operators and the nesting of arrays and dictionaries
//!   ([`Limits::depth`]);
//! - the Form XObject graph, walked with an explicit stack: a form drawn inside itself is
//!   refused, forms nest at most [`Limits::depth`] deep, and every operator is counted as often
//!   as it is drawn, all pages together, against [`Limits::operators`];
//! - the time, between streams.
//!
//! Only a file within every budget is handed to the library.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::diag::Diagnostic;
use crate::limits::{exceeded, megabytes, Budget};

/// Why the walk refused the file, or that it could not be walked at all.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// A limit reached (the diagnostic says which).
    Limit(Diagnostic),
    /// The object structure does not parse (the library's words).
    Damaged(String),
}

impl From<Diagnostic> for Refusal {
    fn from(d: Diagnostic) -> Self {
        Refusal::Limit(d)
    }
}

/// Walks the document within the budget; `Ok` when the library may read it.
pub(crate) fn check(bytes: &[u8], budget: &Budget) -> Result<(), Refusal> {
    let limits = budget.limits;
    let doc = load(bytes, limits.decompressed_bytes)?;
    budget.check_time()?;
    if doc.is_encrypted() {
        // The library says whether it can be opened; it draws nothing it cannot decrypt.
        return Ok(());
    }
    let pages = doc.get_pages();
    if pages.len() > limits.pages {
        return Err(exceeded(
            "页数",
            "the page count",
            format!("{} 页（本文件 {} 页）", limits.pages, pages.len()),
            format!("{} pages (this file has {})", limits.pages, pages.len()),
        )
        .into());
    }
    let mut walk = Walk {
        doc: &doc,
        budget,
        inflated: 0,
        operators: 0,
        scanned: HashMap::new(),
    };
    for (&number, &page_id) in &pages {
        walk.page(number, page_id)?;
    }
    other_streams(&doc, budget)
}

/// Every other compressed stream the PDF library may inflate to read text — fonts, ToUnicode
/// and encoding CMaps, whatever a page's resources reach — inflated within
/// [`crate::Limits::decompressed_bytes`] (all of them together, a budget of their own beside the
/// content streams'), so that a font that inflates to gigabytes is refused before the library
/// sees it. Images are left out: their pixels are never decoded to read a form.
fn other_streams(doc: &Document, budget: &Budget) -> Result<(), Refusal> {
    let limit = budget.limits.decompressed_bytes;
    let mut inflated = 0usize;
    for (k, object) in doc.objects.values().enumerate() {
        if k % 256 == 0 {
            budget.check_time()?;
        }
        let Object::Stream(s) = object else {
            continue;
        };
        if s.dict.get(b"Filter").is_err()
            || matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Image")
        {
            continue;
        }
        let left = limit.saturating_sub(inflated);
        match s.get_plain_content_with_limit(left) {
            Ok(d) => inflated += d.len(),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(streams_error(limit).into()),
            // Broken or unknown filters: the library cannot inflate them either.
            Err(_) => {}
        }
        if inflated > limit {
            return Err(streams_error(limit).into());
        }
    }
    Ok(())
}

fn streams_error(limit: usize) -> Diagnostic {
    exceeded(
        "PDF 字体、字符映射等流解压后的大小",
        "the inflated size of the PDF's streams (fonts, character maps)",
        megabytes(limit),
        megabytes(limit),
    )
}

/// Loads the object structure, object streams inflated within the budget.
fn load(bytes: &[u8], max_inflated: usize) -> Result<Document, Refusal> {
    let options = || lopdf::LoadOptions {
        max_decompressed_size: Some(max_inflated),
        ..lopdf::LoadOptions::default()
    };
    let first = Document::load_mem_with_options(bytes, options());
    let err = match first {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    // Bytes before `%PDF-` (a mail header, a printer's job ticket): read from the header on.
    let start = bytes.windows(5).take(1024).position(|w| w == b"%PDF-");
    let second = match start {
        Some(s) if s > 0 => Document::load_mem_with_options(&bytes[s..], options()),
        _ => Err(err),
    };
    second.map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            Refusal::Limit(inflated_error(max_inflated))
        }
        e => Refusal::Damaged(e.to_string()),
    })
}

fn inflated_error(limit: usize) -> Diagnostic {
    exceeded(
        "PDF 内容流解压后的大小",
        "the inflated size of the PDF's content streams",
        megabytes(limit),
        megabytes(limit),
    )
}

/// What a content stream holds, as far as the budget cares.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Scan {
    /// Operators in the stream.
    pub operators: u64,
    /// Bytes of the strings in the stream (literal, and hex at two digits a byte).
    pub text: u64,
    /// The names given to `Do`, in order (one per invocation).
    pub draws: Vec<Vec<u8>>,
}

/// Arrays and dictionaries nested deeper than the limit.
#[derive(Debug, PartialEq)]
pub(crate) struct TooDeep;

fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Tokenizes a content stream without recursion: counts operators, collects `Do` names, and
/// fails when arrays and dictionaries nest deeper than `max_depth`.
pub(crate) fn scan(data: &[u8], max_depth: usize) -> Result<Scan, TooDeep> {
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut last_name: Option<&[u8]> = None;
    let mut i = 0;
    let n = data.len();
    let open = |depth: &mut usize| {
        *depth += 1;
        if *depth > max_depth {
            Err(TooDeep)
        } else {
            Ok(())
        }
    };
    while i < n {
        let b = data[i];
        match b {
            _ if is_white(b) => i += 1,
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, `\` escapes the next byte.
                let start = i;
                let mut parens = 0usize;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => parens += 1,
                        b')' => {
                            parens -= 1;
                            if parens == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                out.text += (i.min(n) - start).saturating_sub(2) as u64;
                last_name = None;
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                open(&mut depth)?;
                i += 2;
            }
            b'<' => {
                let start = i;
                while i < n && data[i] != b'>' {
                    i += 1;
                }
                out.text += (i - start) as u64 / 2;
                i += 1;
                last_name = None;
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
            }
            b'[' => {
                open(&mut depth)?;
                i += 1;
            }
            b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i += 1;
                while i < n && !is_white(data[i]) && !is_delimiter(data[i]) {
                    i += 1;
                }
                last_name = Some(&data[start..i]);
            }
            _ if is_delimiter(b) => i += 1,
            _ => {
                let start = i;
                while i < n && !is_white(data[i]) && !is_delimiter(data[i]) {
                    i += 1;
                }
                let token = &data[start..i];
                let operand = matches!(token[0], b'0'..=b'9' | b'+' | b'-' | b'.')
                    || matches!(token, b"true" | b"false" | b"null");
                if operand {
                    last_name = None;
                    continue;
                }
                out.operators += 1;
                if token == b"Do" {
                    if let Some(name) = last_name {
                        out.draws.push(name.to_vec());
                    }
                } else if token == b"ID" {
                    // Inline image data: up to `EI` between white space.
                    i += 1;
                    while i < n {
                        if data[i] == b'E'
                            && data.get(i + 1) == Some(&b'I')
                            && i > 0
                            && is_white(data[i - 1])
                            && data.get(i + 2).is_none_or(|c| is_white(*c))
                        {
                            break;
                        }
                        i += 1;
                    }
                }
                last_name = None;
            }
        }
    }
    Ok(out)
}

struct Walk<'a> {
    doc: &'a Document,
    budget: &'a Budget<'a>,
    /// Bytes inflated so far, all streams together.
    inflated: usize,
    /// Operators drawn so far, Form XObjects expanded, all pages together.
    operators: u64,
    /// Each Form XObject scanned once.
    scanned: HashMap<ObjectId, Rc<Scan>>,
}

/// One content stream being drawn: its `Do` names, the next one, the resources it looks
/// them up in.
struct Frame<'a> {
    form: Option<ObjectId>,
    scan: Rc<Scan>,
    next: usize,
    resources: Rc<Vec<&'a Dictionary>>,
}

impl<'a> Walk<'a> {
    fn page(&mut self, number: u32, page_id: ObjectId) -> Result<(), Refusal> {
        let limits = self.budget.limits;
        let mut content = Vec::new();
        for id in self.doc.get_page_contents(page_id) {
            if let Ok(Object::Stream(s)) = self.doc.get_object(id) {
                content.extend(self.inflate(s)?);
                content.push(b'\n');
            }
        }
        self.budget.check_time()?;
        let first = Rc::new(scan(&content, limits.depth).map_err(|_| self.too_deep(number))?);
        drop(content);
        self.count(first.operators)?;
        let mut text = first.text;
        let resources = Rc::new(self.page_resources(page_id));
        let mut stack = vec![Frame {
            form: None,
            scan: first,
            next: 0,
            resources,
        }];
        if text > limits.page_text {
            return Err(self.too_much_text(number));
        }
        let mut steps = 0u32;
        while let Some(top) = stack.last_mut() {
            let Some(name) = top.scan.draws.get(top.next) else {
                stack.pop();
                continue;
            };
            top.next += 1;
            let Some((id, form)) = self.form_named(&top.resources, name) else {
                continue;
            };
            let name = String::from_utf8_lossy(name).into_owned();
            if stack.iter().any(|f| f.form == Some(id)) {
                return Err(Diagnostic::error(
                    0,
                    0,
                    format!("PDF 第 {number} 页的表单对象 /{name} 绘制了它自身（循环引用），已拒绝读取"),
                    format!("page {number} of the PDF draws the form XObject /{name} inside itself (a reference cycle); it was refused"),
                )
                .into());
            }
            if stack.len() > limits.depth {
                return Err(exceeded(
                    &format!("第 {number} 页表单对象（Form XObject）的嵌套层数"),
                    &format!("the nesting of form XObjects on page {number}"),
                    format!("{} 层", limits.depth),
                    format!("{} levels", limits.depth),
                )
                .into());
            }
            let drawn = match self.scanned.get(&id) {
                Some(s) => s.clone(),
                None => {
                    let data = self.inflate(form)?;
                    let s = Rc::new(scan(&data, limits.depth).map_err(|_| self.too_deep(number))?);
                    self.scanned.insert(id, s.clone());
                    self.budget.check_time()?;
                    s
                }
            };
            // Each Do is itself counted in the stream that holds it.
            self.count(drawn.operators)?;
            text = text.saturating_add(drawn.text);
            if text > limits.page_text {
                return Err(self.too_much_text(number));
            }
            steps += 1;
            if steps.is_multiple_of(4096) {
                self.budget.check_time()?;
            }
            let resources = match self.resolve_dict(form.dict.get(b"Resources").ok()) {
                Some(d) => Rc::new(vec![d]),
                None => stack
                    .last()
                    .map(|f| f.resources.clone())
                    .unwrap_or_default(),
            };
            stack.push(Frame {
                form: Some(id),
                scan: drawn,
                next: 0,
                resources,
            });
        }
        Ok(())
    }

    fn too_deep(&self, page: u32) -> Refusal {
        let depth = self.budget.limits.depth;
        let mut d = exceeded(
            &format!("第 {page} 页内容流中数组和字典的嵌套层数"),
            &format!("the nesting of arrays and dictionaries in the content of page {page}"),
            format!("{depth} 层"),
            format!("{depth} levels"),
        );
        d.page = Some(page);
        Refusal::Limit(d)
    }

    fn too_much_text(&self, page: u32) -> Refusal {
        let limit = self.budget.limits.page_text;
        let mut d = exceeded(
            &format!("第 {page} 页显示的文字（按字符串字节计）"),
            &format!("the text page {page} shows (bytes of its strings)"),
            limit,
            limit,
        );
        d.page = Some(page);
        Refusal::Limit(d)
    }

    fn count(&mut self, operators: u64) -> Result<(), Refusal> {
        self.operators = self.operators.saturating_add(operators);
        let limit = self.budget.limits.operators;
        if self.operators > limit {
            return Err(exceeded(
                "PDF 绘制的操作数（表单对象按绘制次数计）",
                "the operators the PDF draws (form XObjects counted each time they are drawn)",
                limit,
                limit,
            )
            .into());
        }
        Ok(())
    }

    /// A stream's content, inflated within what is left of the budget.
    fn inflate(&mut self, s: &lopdf::Stream) -> Result<Vec<u8>, Refusal> {
        let limit = self.budget.limits.decompressed_bytes;
        let left = limit.saturating_sub(self.inflated);
        let data = match s.get_plain_content_with_limit(left) {
            Ok(d) => d,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(inflated_error(limit).into()),
            // A filter lopdf does not know, or broken data: the library may still read the raw
            // bytes (its text-only path does), so they are scanned as they are.
            Err(_) if s.content.len() <= left => s.content.clone(),
            Err(_) => return Err(inflated_error(limit).into()),
        };
        self.inflated += data.len();
        if self.inflated > limit {
            return Err(inflated_error(limit).into());
        }
        Ok(data)
    }

    fn resolve_dict(&self, o: Option<&'a Object>) -> Option<&'a Dictionary> {
        let (_, o) = self.doc.dereference(o?).ok()?;
        o.as_dict().ok()
    }

    /// The page's resource dictionaries, its own first, then those it inherits.
    fn page_resources(&self, page_id: ObjectId) -> Vec<&'a Dictionary> {
        let Ok((own, inherited)) = self.doc.get_page_resources(page_id) else {
            return Vec::new();
        };
        own.into_iter()
            .chain(
                inherited
                    .into_iter()
                    .filter_map(|id| self.doc.get_dictionary(id).ok()),
            )
            .collect()
    }

    /// The Form XObject a `Do` names, looked up in the resources.
    fn form_named(
        &self,
        resources: &[&'a Dictionary],
        name: &[u8],
    ) -> Option<(ObjectId, &'a lopdf::Stream)> {
        for res in resources {
            let Some(xobjects) = self.resolve_dict(res.get(b"XObject").ok()) else {
                continue;
            };
            let Ok(entry) = xobjects.get(name) else {
                continue;
            };
            let Ok((Some(id), Object::Stream(s))) = self.doc.dereference(entry) else {
                continue;
            };
            let is_form = s
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Form");
            return is_form.then_some((id, s));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanner_counts_operators_and_draws() {
        let s = scan(
            b"q 1 0 0 1 0 0 cm /F1 12 Tf (a (b) \\) [) Tj [(x) -3 (y)] TJ /X1 Do % c [[[\n\
              <00ff> Tj /Y Do BI /W 1 /H 1 ID \x00[[[ EI Q",
            2,
        )
        .unwrap();
        assert_eq!(s.draws, vec![b"X1".to_vec(), b"Y".to_vec()]);
        // q cm Tf Tj TJ Do Tj Do BI ID EI Q
        assert_eq!(s.operators, 12);
        // `a (b) \) [`, x, y, 00ff
        assert_eq!(s.text, 14);
    }

    #[test]
    fn the_scanner_refuses_deep_nesting_without_recursion() {
        let deep = [b"[".repeat(1_000_000), b"]".repeat(1_000_000)].concat();
        assert_eq!(scan(&deep, 64), Err(TooDeep));
        let ok = [b"[".repeat(64), b"]".repeat(64), b" TJ".to_vec()].concat();
        assert_eq!(scan(&ok, 64).unwrap().operators, 1);
        let dicts = b"<<".repeat(65);
        assert_eq!(scan(&dicts, 64), Err(TooDeep));
        // Nesting closed is nesting no more.
        let flat = b"[] ".repeat(10_000);
        assert!(scan(&flat, 1).is_ok());
    }
}
