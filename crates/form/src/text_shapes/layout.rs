//! Layout text (`pdftotext -layout`) rebuilt into a [`Grid`].
//!
//! pdftotext writes each page as lines of characters placed by their x position, one character
//! a column whatever its display width (checked on the fixture: the right-hand goal column
//! starts at character 39 on every line, whether the text left of it holds ASCII digits or
//! not, where display widths would differ), a form feed between pages. The cells of a visual
//! row share a line, separated by runs of spaces (a single one where two columns of text
//! touch); a cell wrapped over several lines has its fragments on the lines above and below the
//! row's other cells, which the writer centres vertically.
//!
//! The form's structure tells the rest:
//!
//! - **Header rows** (项目名称 …, amounts): the runs of one line are the row's cells.
//! - **Goals** (`项目总目标 | 年度总体目标`): the gutter between the two columns is the character
//!   column that is blank on every line of the block (between the two headings); each column's
//!   lines form one cell, a line that reaches the column's right edge continuing on the next
//!   (Chinese wraps carry no space), a short line ending its paragraph. Lines that cross the
//!   gutter (the sub-task list) are full-width cells read the same way, one cell per item.
//! - **Indicators**: per page, the 二级 labels (known categories) are lifted out of the lines,
//!   the 一级 labels dropped (the recognizer infers 一级 from 二级; a merged 一级 cell is printed
//!   where the writer chose, often on another page); the rest of a line is the 三级 name (at the
//!   page's name column) and the target (to its right). Wrapped names and targets are joined
//!   by the same right-edge rule (a name never continues into a fragment that starts with a
//!   sub-task reference such as `8.`), and every joined row is checked against the vertical
//!   centring: the name's and the target's first and last lines must have the same middle.
//!   When they do not, the nearest pairing that is centred is taken; when none is, the text is
//!   refused at that line. A 二级 label, centred in its merged cell, heads the run of rows
//!   around it whose middle is its line (rows at the top of a page before the first such run
//!   continue the block of the page before).
//!
//! Every join and every label's rows are reported as notes at their lines, so what was rebuilt
//! can be checked against the PDF.

use jixiao_model::{Level1, Level2};

use super::{first_ref, is_heading, is_title, join, norm, role, starts_task, starts_with_ref};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Grid, Row};
use crate::template::{vocabulary, Role};

/// A run of text on one line: its line (from 1), character columns `[start, end)` from 0.
#[derive(Debug, Clone)]
struct Frag {
    line: u32,
    start: usize,
    end: usize,
    text: String,
}

/// One line of the file: number, page (from 0), characters (form feeds removed).
struct Line {
    no: u32,
    page: usize,
    chars: Vec<char>,
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\t'
}

/// The runs of a line separated by two or more spaces.
fn segments(line: &Line) -> Vec<Frag> {
    let c = &line.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if is_space(c[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while i < c.len() {
            if !is_space(c[i]) {
                i += 1;
                end = i;
            } else if i + 1 < c.len() && !is_space(c[i + 1]) {
                i += 1; // a single space inside a run
            } else {
                break;
            }
        }
        out.push(Frag {
            line: line.no,
            start,
            end,
            text: c[start..end].iter().collect(),
        });
    }
    out
}

fn frag_of(line: &Line, from: usize, to: usize) -> Option<Frag> {
    let to = to.min(line.chars.len());
    if from >= to {
        return None;
    }
    let part = &line.chars[from..to];
    let first = part.iter().position(|c| !is_space(*c))?;
    let last = part.iter().rposition(|c| !is_space(*c))?;
    Some(Frag {
        line: line.no,
        start: from + first,
        end: from + last + 1,
        text: part[first..=last].iter().collect(),
    })
}

fn is_indicator_header(segs: &[Frag]) -> bool {
    segs.iter()
        .any(|s| role(&s.text) == Some(Role::Level1Header))
        && segs
            .iter()
            .any(|s| role(&s.text) == Some(Role::Level3Header))
}

fn goal_headings(segs: &[Frag]) -> Option<(Frag, Frag)> {
    let o = segs
        .iter()
        .find(|s| role(&s.text) == Some(Role::OverallGoal))?;
    let a = segs
        .iter()
        .find(|s| role(&s.text) == Some(Role::AnnualGoal))?;
    (o.start < a.start).then(|| (o.clone(), a.clone()))
}

fn cut(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn cell(text: String, column: usize) -> Cell {
    Cell {
        text,
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
    }
}

fn blank() -> Cell {
    Cell {
        text: String::new(),
        column: 1,
    }
}

/// Reads layout text into a grid the recognizer reads, with notes on what was rebuilt; any
/// error-level diagnostic means the text cannot be read.
pub fn read(text: &str) -> (Grid, Vec<Diagnostic>) {
    let mut lines = Vec::new();
    let mut page = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let starts_page = raw.starts_with('\u{c}');
        if starts_page && i > 0 {
            page += 1;
        }
        let chars: Vec<char> = raw.chars().filter(|c| *c != '\u{c}').collect();
        lines.push(Line {
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            page,
            chars,
        });
        page += raw.chars().skip(1).filter(|c| *c == '\u{c}').count();
    }
    let mut r = Reader {
        rows: Vec::new(),
        diags: Vec::new(),
    };
    r.run(&lines);
    (Grid { rows: r.rows }, r.diags)
}

struct Reader {
    rows: Vec<Row>,
    diags: Vec<Diagnostic>,
}

impl Reader {
    fn push(&mut self, line: u32, cells: Vec<Cell>) {
        self.rows.push(Row { line, cells });
    }

    fn run(&mut self, lines: &[Line]) {
        let mut i = 0;
        while i < lines.len() {
            let segs = segments(&lines[i]);
            if segs.is_empty() {
                i += 1;
                continue;
            }
            if is_indicator_header(&segs) {
                let end = self.block_end(lines, i + 1);
                self.indicators(&lines[i..end], &segs);
                i = end;
                continue;
            }
            if let Some((o, a)) = goal_headings(&segs) {
                let end = self.block_end(lines, i + 1);
                self.goals(&lines[i + 1..end], lines[i].no, o, a);
                i = end;
                continue;
            }
            // Header rows up to the next block: value fragments wrapped onto lines of their
            // own are joined to the row beside them.
            let mut end = i + 1;
            while end < lines.len() {
                let segs = segments(&lines[end]);
                if is_indicator_header(&segs) || goal_headings(&segs).is_some() {
                    break;
                }
                end += 1;
            }
            self.header(&lines[i..end]);
            i = end;
        }
    }

    /// Header rows: each line's runs are its cells; a line that holds no label at all (a
    /// value wrapped in its cell, `兰溪路-真南路下立交工` / `程`) is joined, run by run, to the
    /// cell of the nearest line with a label (within two lines; the line above on a tie) whose
    /// columns it overlaps, before it when above, after it when below, with a note; a run
    /// that overlaps no cell becomes a cell of that row at its column.
    fn header(&mut self, lines: &[Line]) {
        let is_label_seg = |s: &Frag| {
            let n = norm(&s.text);
            role(&s.text).is_some()
                || vocabulary().field(&n).is_some()
                || vocabulary().funds_block(&n).is_some()
                || is_title(&s.text)
        };
        let segs: Vec<Vec<Frag>> = lines.iter().map(segments).collect();
        let labelled: Vec<bool> = segs.iter().map(|s| s.iter().any(is_label_seg)).collect();
        // Rows that hold a header field (a value can be wrapped beside them).
        let fields: Vec<bool> = segs
            .iter()
            .map(|s| {
                s.iter().any(|f| {
                    let n = norm(&f.text);
                    vocabulary().field(&n).is_some() || vocabulary().funds_block(&n).is_some()
                })
            })
            .collect();
        let mut rows: Vec<Vec<Frag>> = segs.clone();
        let mut absorbed = vec![false; lines.len()];
        // (row index, cell start) → the fragments joined into it, in order.
        let mut joins: Vec<(usize, usize, Vec<Frag>)> = Vec::new();
        for (k, line_segs) in segs.iter().enumerate() {
            if labelled[k] || line_segs.is_empty() {
                continue;
            }
            let text = line_segs.first().map(|s| s.text.as_str()).unwrap_or("");
            if line_segs.len() == 1 && (is_title(text) || norm(text).ends_with("年度)")) {
                continue;
            }
            let near = [k.checked_sub(1), Some(k + 1), k.checked_sub(2), Some(k + 2)]
                .into_iter()
                .flatten()
                .find(|&t| t < lines.len() && fields[t] && lines[t].page == lines[k].page);
            let Some(t) = near else { continue };
            absorbed[k] = true;
            for f in line_segs {
                let target = rows[t]
                    .iter()
                    .position(|c| c.start < f.end && f.start < c.end && !is_label_seg(c));
                match target {
                    Some(c) => {
                        let cell = &mut rows[t][c];
                        let key = cell.start;
                        let mut text = f.text.clone();
                        if t > k {
                            join(&mut text, &cell.text);
                        } else {
                            text = cell.text.clone();
                            join(&mut text, &f.text);
                        }
                        let original = cell.clone();
                        cell.text = text;
                        cell.start = cell.start.min(f.start);
                        cell.end = cell.end.max(f.end);
                        match joins.iter_mut().find(|(r, s, _)| *r == t && *s == key) {
                            Some((_, s, parts)) => {
                                *s = cell.start;
                                parts.push(f.clone());
                            }
                            None => joins.push((t, cell.start, vec![original, f.clone()])),
                        }
                    }
                    None => {
                        let at = rows[t]
                            .iter()
                            .position(|c| c.start > f.start)
                            .unwrap_or(rows[t].len());
                        rows[t].insert(at, f.clone());
                        joins.push((t, f.start, vec![f.clone()]));
                    }
                }
            }
        }
        for (t, start, mut parts) in joins {
            parts.sort_by_key(|f| f.line);
            let text = rows[t]
                .iter()
                .find(|c| c.start == start)
                .map_or_else(|| parts[0].text.clone(), |c| c.text.clone());
            let zh: Vec<String> = parts
                .iter()
                .map(|f| format!("第{}行「{}」", f.line, f.text))
                .collect();
            let en: Vec<String> = parts
                .iter()
                .map(|f| format!("line {} {:?}", f.line, f.text))
                .collect();
            self.diags.push(Diagnostic::note(
                parts[0].line,
                parts[0].start as u32 + 1,
                format!("版面文本：单元格折行，{}→「{text}」", zh.join("+")),
                format!("layout text: a wrapped cell, {} → {text:?}", en.join(" + ")),
            ));
        }
        for (k, row) in rows.into_iter().enumerate() {
            if absorbed[k] || row.is_empty() {
                continue;
            }
            let cells = row.iter().map(|s| cell(s.text.clone(), s.start)).collect();
            self.push(lines[k].no, cells);
        }
    }

    /// Where a goal block or an indicator table ends: at the next indicator header, title, or
    /// header row (项目名称).
    fn block_end(&self, lines: &[Line], from: usize) -> usize {
        for (k, line) in lines.iter().enumerate().skip(from) {
            let segs = segments(line);
            if is_indicator_header(&segs)
                || segs.iter().any(|s| is_title(&s.text))
                || segs
                    .iter()
                    .any(|s| matches!(role(&s.text), Some(Role::Field(_))))
            {
                return k;
            }
        }
        lines.len()
    }

    fn goals(&mut self, lines: &[Line], header_line: u32, o: Frag, a: Frag) {
        // Heading labels printed in the merged cell at the left are dropped.
        let cleaned: Vec<Line> = lines
            .iter()
            .map(|l| {
                let mut chars = l.chars.clone();
                for s in segments(l) {
                    if s.start < o.start && is_heading(&s.text) {
                        for c in &mut chars[s.start..s.end] {
                            *c = ' ';
                        }
                    }
                }
                Line {
                    no: l.no,
                    page: l.page,
                    chars,
                }
            })
            .collect();
        // The gutter: a blank column between the headings, taken from the first line with
        // text on both sides; pdftotext may move it by a character from line to line.
        let blank_at = |l: &Line, g: usize| l.chars.get(g).is_none_or(|c| is_space(*c));
        let last_text = |l: &Line| l.chars.iter().rposition(|c| !is_space(*c));
        let gutter = cleaned.iter().find_map(|l| {
            let last = last_text(l)?;
            (o.end..a.start.min(last))
                .rev()
                .find(|g| blank_at(l, *g) && l.chars[..*g].iter().any(|c| !is_space(*c)))
        });
        let mut splits: Vec<usize> = Vec::new();
        if let Some(g) = gutter {
            for l in &cleaned {
                let Some(last) = last_text(l) else {
                    splits.push(g);
                    continue;
                };
                if last + 2 < g {
                    splits.push(g);
                    continue;
                }
                let near = [g, g + 1, g.wrapping_sub(1), g + 2, g.wrapping_sub(2)]
                    .into_iter()
                    .find(|c| *c < usize::MAX - 2 && blank_at(l, *c));
                match near {
                    Some(c) => splits.push(c),
                    None => break,
                }
            }
        }
        let mut two = splits.len();
        self.push(
            header_line,
            vec![cell(o.text.clone(), o.start), cell(a.text.clone(), a.start)],
        );
        let left: Vec<Frag> = cleaned[..two]
            .iter()
            .zip(&splits)
            .filter_map(|(l, g)| frag_of(l, 0, *g))
            .collect();
        let right: Vec<Frag> = cleaned[..two]
            .iter()
            .zip(&splits)
            .filter_map(|(l, g)| frag_of(l, g + 1, usize::MAX))
            .collect();
        if left.is_empty() && right.is_empty() {
            two = 0;
        }
        if !left.is_empty() || !right.is_empty() {
            let line = left
                .first()
                .map(|f| f.line)
                .into_iter()
                .chain(right.first().map(|f| f.line))
                .min()
                .unwrap_or(header_line);
            let l = paragraphs(&left, |_| false);
            let r = paragraphs(&right, |_| false);
            let lc = left.first().map_or(o.start, |f| f.start);
            let rc = right.first().map_or(a.start, |f| f.start);
            self.push(
                line,
                vec![
                    cell(
                        l.into_iter().map(|(t, _)| t).collect::<Vec<_>>().join("\n"),
                        lc,
                    ),
                    cell(
                        r.into_iter().map(|(t, _)| t).collect::<Vec<_>>().join("\n"),
                        rc,
                    ),
                ],
            );
        }
        // Full-width lines (the sub-task list, stacked paragraphs): one row per item.
        let rest: Vec<Frag> = cleaned[two..]
            .iter()
            .filter_map(|l| {
                let segs = segments(l);
                let first = segs.first()?;
                let last = segs.last()?;
                Some(Frag {
                    line: l.no,
                    start: first.start,
                    end: last.end,
                    text: segs
                        .iter()
                        .map(|s| s.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                })
            })
            .collect();
        for (text, f) in paragraphs(&rest, starts_task) {
            self.push(f.line, vec![cell(text, f.start)]);
        }
    }

    fn indicators(&mut self, lines: &[Line], header: &[Frag]) {
        self.push(
            lines[0].no,
            header
                .iter()
                .map(|s| cell(s.text.clone(), s.start))
                .collect(),
        );
        let mut saw_level1 = None;
        let mut first = 1;
        while first < lines.len() {
            let page = lines[first].page;
            let mut end = first;
            while end < lines.len() && lines[end].page == page {
                end += 1;
            }
            if !self.indicator_page(&lines[first..end], &mut saw_level1) {
                return;
            }
            first = end;
        }
        if let Some((line, column)) = saw_level1 {
            self.diags.push(Diagnostic::note(
                line,
                column,
                "版面文本中合并的「一级指标」单元格印在书写程序所定之处（常在别页），不据以分组：一级指标由二级指标推定",
                "merged 一级 cells are printed in layout text wherever the writer put them (often on another page), so they do not group rows: each 一级 is inferred from its 二级",
            ));
        }
    }

    /// One page of the indicator table. False when the page could not be read (an error was
    /// reported).
    fn indicator_page(&mut self, lines: &[Line], saw_level1: &mut Option<(u32, u32)>) -> bool {
        let mut labels: Vec<Frag> = Vec::new();
        let mut content: Vec<Vec<Frag>> = Vec::new();
        for l in lines {
            let mut rest = Vec::new();
            // Labels at the start of the line: 二级 kept, 一级 dropped; 满意度指标 is a 二级
            // unless a 二级 follows it.
            let mut lead: Vec<Frag> = Vec::new();
            for s in segments(l) {
                if rest.is_empty() {
                    let n = norm(&s.text);
                    if Level2::from_label(&n).is_some() || Level1::from_label(&n).is_some() {
                        lead.push(s);
                        continue;
                    }
                    if is_heading(&s.text) || role(&s.text) == Some(Role::Level1Header) {
                        continue;
                    }
                }
                rest.push(s);
            }
            let twos = lead
                .iter()
                .filter(|s| Level2::from_label(&norm(&s.text)).is_some())
                .count();
            for s in lead {
                let n = norm(&s.text);
                let is1 = Level1::from_label(&n).is_some();
                if Level2::from_label(&n).is_some() && !(is1 && twos > 1) {
                    labels.push(s);
                } else {
                    saw_level1.get_or_insert((s.line, s.start as u32 + 1));
                }
            }
            content.push(rest);
        }
        // The name column: where the first of two runs on a line starts, most often.
        let mut starts: Vec<usize> = content
            .iter()
            .filter(|c| c.len() >= 2)
            .map(|c| c[0].start)
            .collect();
        if starts.is_empty() {
            starts = content
                .iter()
                .filter_map(|c| c.first())
                .map(|f| f.start)
                .collect();
        }
        let Some(name_col) = mode(&starts) else {
            return true; // no indicator on this page
        };
        let mut names: Vec<Frag> = Vec::new();
        let mut values: Vec<Frag> = Vec::new();
        for mut c in content {
            match c.len() {
                0 => {}
                1 => {
                    let f = c.remove(0);
                    if f.start <= name_col + 3 {
                        names.push(f);
                    } else {
                        values.push(f);
                    }
                }
                _ => {
                    let name = c.remove(0);
                    let mut value = c.remove(0);
                    for more in c {
                        value.text.push(' ');
                        value.text.push_str(&more.text);
                        value.end = more.end;
                    }
                    names.push(name);
                    values.push(value);
                }
            }
        }
        if names.is_empty() && values.is_empty() {
            return true;
        }
        let name_max = names.iter().map(|f| f.end).max().unwrap_or(0);
        let value_min = values.iter().map(|f| f.start).min().unwrap_or(usize::MAX);
        let value_max = values.iter().map(|f| f.end).max().unwrap_or(0);
        // A name reaches its column's edge only when the longest name comes near the targets.
        let names_reach = name_max + 6 >= value_min;
        // When the names carry sub-task numbers, a fragment without one continues the name
        // above it; otherwise a name continues when its line reaches the column's edge.
        let numbered = names.first().is_some_and(|n| starts_with_ref(&n.text))
            && 2 * names.iter().filter(|n| starts_with_ref(&n.text)).count() > names.len();
        let name_full = |i: usize| match names.get(i + 1) {
            None => false,
            Some(next) if numbered => !starts_with_ref(&next.text),
            Some(next) => {
                names_reach && names[i].end + 2 >= name_max && !starts_with_ref(&next.text)
            }
        };
        let value_full = |i: usize| values[i].end + 2 >= value_max && i + 1 < values.len();
        let mid = |fs: &[Frag]| fs[0].line + fs[fs.len() - 1].line;
        // Pair name cells with target cells.
        let mut rows: Vec<(Vec<Frag>, Vec<Frag>)> = Vec::new();
        let (mut ni, mut vi) = (0, 0);
        while ni < names.len() || vi < values.len() {
            if ni >= names.len() || vi >= values.len() {
                let Some(f) = names.get(ni).or(values.get(vi)).cloned() else {
                    return false;
                };
                let (zh, en) = if ni >= names.len() {
                    ("指标值", "target")
                } else {
                    ("三级指标名称", "indicator name")
                };
                self.diags.push(Diagnostic::error(
                    f.line,
                    f.start as u32 + 1,
                    format!(
                        "版面文本：「{}」是多出的{zh}，找不到与之同行的另一半，无法确定它属于哪一行",
                        cut(&f.text, 30)
                    ),
                    format!(
                        "layout text: {:?} is a {en} without its other half on the row, so which row it belongs to cannot be told",
                        cut(&f.text, 30)
                    ),
                ));
                return false;
            }
            let mut k_full = 1;
            while ni + k_full < names.len() && name_full(ni + k_full - 1) {
                k_full += 1;
            }
            let mut m_full = 1;
            while vi + m_full < values.len() && value_full(vi + m_full - 1) {
                m_full += 1;
            }
            let centred = |k: usize, m: usize| mid(&names[ni..ni + k]) == mid(&values[vi..vi + m]);
            let (k, m) = if centred(k_full, m_full) {
                (k_full, m_full)
            } else {
                let mut best: Option<(usize, usize, usize)> = None;
                for k in 1..=(names.len() - ni).min(8) {
                    for m in 1..=(values.len() - vi).min(8) {
                        if !centred(k, m) {
                            continue;
                        }
                        let cost = 2 * k.abs_diff(k_full) + m.abs_diff(m_full);
                        if best.is_none_or(|(_, _, c)| cost < c) {
                            best = Some((k, m, cost));
                        }
                    }
                }
                match best {
                    Some((k, m, _)) => (k, m),
                    None => {
                        let f = &names[ni];
                        self.diags.push(Diagnostic::error(
                            f.line,
                            f.start as u32 + 1,
                            format!(
                                "版面文本：无法确定三级指标「{}」与哪一个指标值同行（折行的单元格上下不对称）",
                                cut(&f.text, 30)
                            ),
                            format!(
                                "layout text: which target belongs to the indicator {:?} cannot be told (its wrapped cells are not centred on one another)",
                                cut(&f.text, 30)
                            ),
                        ));
                        return false;
                    }
                }
            };
            rows.push((names[ni..ni + k].to_vec(), values[vi..vi + m].to_vec()));
            ni += k;
            vi += m;
        }
        // The 二级 label heads the run of rows whose middle is its line.
        let spans: Vec<(u32, u32)> = rows
            .iter()
            .map(|(n, v)| {
                let a = n[0].line.min(v[0].line);
                let b = n[n.len() - 1].line.max(v[v.len() - 1].line);
                (a, b)
            })
            .collect();
        let refs: Vec<Option<u32>> = rows.iter().map(|(n, _)| first_ref(&n[0].text)).collect();
        let starts = match tile(&spans, &labels, &descents(&refs)) {
            Some(s) => s,
            None => {
                let f = &labels[0];
                self.diags.push(Diagnostic::error(
                    f.line,
                    f.start as u32 + 1,
                    format!(
                        "版面文本：无法确定二级指标「{}」（合并单元格）包括哪几行：本页各二级指标不在其各行的正中",
                        f.text
                    ),
                    format!(
                        "layout text: which rows the 二级 label {:?} (a merged cell) spans cannot be told: the page's labels are not centred on runs of rows",
                        f.text
                    ),
                ));
                return false;
            }
        };
        if let Some(&first) = starts.first().filter(|s| **s > 0) {
            self.diags.push(Diagnostic::note(
                spans[0].0,
                1,
                format!(
                    "版面文本：页首第 {}–{} 行在本页第一个二级指标标签所居的行之前，接续上一页的二级指标",
                    spans[0].0,
                    spans[first - 1].1
                ),
                format!(
                    "layout text: lines {}–{} at the top of the page come before the rows the page's first 二级 label is centred on; they continue the 二级 of the page before",
                    spans[0].0,
                    spans[first - 1].1
                ),
            ));
        }
        for (k, label) in labels.iter().enumerate() {
            let from = starts[k];
            let to = starts.get(k + 1).copied().unwrap_or(rows.len());
            if to == from + 1 && (spans[from].0..=spans[from].1).contains(&label.line) {
                continue; // a label on its own row's line
            }
            self.diags.push(Diagnostic::note(
                label.line,
                label.start as u32 + 1,
                format!(
                    "版面文本：二级指标「{}」为合并单元格，居于第 {}–{} 行之中，读作这些行的二级指标",
                    label.text,
                    spans[from].0,
                    spans[to - 1].1
                ),
                format!(
                    "layout text: the 二级 label {:?} is a merged cell centred on lines {}–{}; it is read as the 二级 of those rows",
                    label.text,
                    spans[from].0,
                    spans[to - 1].1
                ),
            ));
        }
        for (j, (n, v)) in rows.into_iter().enumerate() {
            let label = starts.iter().position(|s| *s == j).map(|k| &labels[k]);
            let name = self.joined(&n, "三级指标", "indicator name");
            let value = self.joined(&v, "指标值", "target");
            self.push(
                spans[j].0,
                vec![
                    blank(),
                    label.map_or_else(blank, |l| cell(l.text.clone(), l.start)),
                    cell(name, n[0].start),
                    cell(value, v[0].start),
                ],
            );
        }
        true
    }

    /// The text of a cell wrapped over several lines, with a note saying what was joined.
    fn joined(&mut self, fs: &[Frag], zh: &str, en: &str) -> String {
        let mut text = fs[0].text.clone();
        for f in &fs[1..] {
            join(&mut text, &f.text);
        }
        if fs.len() > 1 {
            let parts: Vec<String> = fs
                .iter()
                .map(|f| format!("第{}行「{}」", f.line, f.text))
                .collect();
            let parts_en: Vec<String> = fs
                .iter()
                .map(|f| format!("line {} {:?}", f.line, f.text))
                .collect();
            self.diags.push(Diagnostic::note(
                fs[0].line,
                fs[0].start as u32 + 1,
                format!("版面文本：{zh}折行，{}→「{text}」", parts.join("+")),
                format!(
                    "layout text: a wrapped {en}, {} → {text:?}",
                    parts_en.join(" + ")
                ),
            ));
        }
        text
    }
}

/// The most frequent value (the smallest of equally frequent ones).
fn mode(v: &[usize]) -> Option<usize> {
    let mut counts = std::collections::BTreeMap::new();
    for x in v {
        *counts.entry(*x).or_insert(0usize) += 1;
    }
    let max = counts.values().copied().max()?;
    counts.into_iter().find(|(_, c)| *c == max).map(|(x, _)| x)
}

/// Lines of one column joined into paragraphs: a line that reaches the column's right edge
/// (within two characters of its longest line) continues on the next, unless the next starts
/// a new item (`new_item`); a shorter line ends its paragraph. Returns each paragraph with its
/// first fragment.
fn paragraphs(fs: &[Frag], new_item: impl Fn(&str) -> bool) -> Vec<(String, Frag)> {
    let max = fs.iter().map(|f| f.end).max().unwrap_or(0);
    let mut out: Vec<(String, Frag)> = Vec::new();
    let mut open = false;
    for f in fs {
        match out.last_mut() {
            Some((text, _)) if open && !new_item(&f.text) => join(text, &f.text),
            _ => out.push((f.text.clone(), f.clone())),
        }
        open = f.end + 2 >= max;
    }
    out
}

/// Where a block may start by the sub-task numbers: `Some(true)` when the row's first number
/// is lower than the row before's (the numbers of a block ascend and start again in the next),
/// `Some(false)` when it is not, `None` when either row has no number.
fn descents(names: &[Option<u32>]) -> Vec<Option<bool>> {
    (0..names.len())
        .map(
            |j| match (j.checked_sub(1).and_then(|p| names[p]), names[j]) {
                (Some(a), Some(b)) => Some(b < a),
                _ => None,
            },
        )
        .collect()
}

/// Which rows each 二级 label heads: the labels (in line order) head consecutive runs of rows,
/// each run's first and last lines centred on its label's line (within a line); rows before
/// the first run continue the block of the page before. Where several ends fit, a run ends
/// before a row whose sub-task number drops (`descent`). Of the tilings that fit, the one
/// with the fewest runs starting elsewhere than at such a drop, then the best centred (a line
/// off counts as centred: pdftotext rounds), then the fewest rows carried over. The first row
/// of each run, or `None` when no tiling of the page's rows fits.
fn tile(spans: &[(u32, u32)], labels: &[Frag], descent: &[Option<bool>]) -> Option<Vec<usize>> {
    if labels.is_empty() {
        return Some(Vec::new());
    }
    let not_at_drop = |j: usize| usize::from(descent.get(j).copied().flatten() == Some(false));
    let mut best: Option<((usize, u32, usize), Vec<usize>)> = None;
    // A page carries a few rows over at most; the bound keeps a pathological page linear.
    for prefix in 0..spans.len().min(48) {
        let mut s = prefix;
        let mut starts = Vec::new();
        let mut worst = 0u32;
        let mut misses = if prefix > 0 { not_at_drop(prefix) } else { 0 };
        let mut ok = true;
        for (k, label) in labels.iter().enumerate() {
            if s >= spans.len() {
                ok = false;
                break;
            }
            let dev = |e: usize| (spans[s].0 + spans[e].1).abs_diff(2 * label.line);
            let e = if k + 1 == labels.len() {
                spans.len() - 1
            } else {
                // The best centred end, preferring one before a drop of the numbers.
                // Rows go down the page: past twice the label's line the ends only move away.
                let reach = (s..spans.len())
                    .take_while(|e| spans[s].0 + spans[*e].1 <= 2 * label.line + 2)
                    .last()
                    .map_or(s, |e| (e + 1).min(spans.len() - 1));
                (s..reach.min(spans.len() - 1))
                    .filter(|e| dev(*e) <= 2)
                    .min_by_key(|e| (not_at_drop(e + 1), dev(*e)))
                    .or_else(|| (s..=reach).min_by_key(|e| dev(*e)))?
            };
            if k + 1 < labels.len() {
                misses += not_at_drop(e + 1);
            }
            starts.push(s);
            worst = worst.max(dev(e));
            s = e + 1;
        }
        if !ok || s != spans.len() || worst > 2 {
            continue;
        }
        let key = (misses, worst.saturating_sub(1), prefix);
        if best.as_ref().is_none_or(|(b, _)| key < *b) {
            best = Some((key, starts));
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_two_spaces() {
        let l = Line {
            no: 1,
            page: 0,
            chars: " 项目名称     交通 工具  x".chars().collect(),
        };
        let s: Vec<String> = segments(&l).into_iter().map(|f| f.text).collect();
        assert_eq!(s, ["项目名称", "交通 工具", "x"]);
    }

    #[test]
    fn a_label_heads_the_rows_centred_on_it() {
        let f = |line| Frag {
            line,
            start: 0,
            end: 1,
            text: "数量指标".into(),
        };
        // Rows on lines 10..=14; the first label centred on 10..=12, the second on 13..=14.
        let spans = [(10, 10), (11, 11), (12, 12), (13, 13), (14, 14)];
        let none = [None; 5];
        assert_eq!(tile(&spans, &[f(11), f(13)], &none), Some(vec![0, 3]));
        // Rows carried from the page before: a line off counts as centred, so one row
        // is carried without other evidence; two where the sub-task numbers start again.
        assert_eq!(tile(&spans, &[f(13)], &none), Some(vec![1]));
        let restart = descents(&[Some(7), Some(8), Some(1), Some(2), Some(3)]);
        assert_eq!(tile(&spans, &[f(13)], &restart), Some(vec![2]));
        // A line off either way: the sub-task numbers tell where the first run ends.
        let drops = descents(&[Some(1), Some(2), Some(3), Some(1), Some(2)]);
        assert_eq!(tile(&spans, &[f(11), f(14)], &drops), Some(vec![0, 3]));
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn a_value_wrapped_in_its_cell_is_joined_to_its_row() {
        let text = "财政项目支出绩效目标申报表\n          兰溪路-真南路下立交工\n 项目名称                          项目性质     其他一次性项目\n          程\n 主管部门     上海市生态环境局\n";
        let (g, d) = read(text);
        let texts: Vec<Vec<&str>> = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            [
                vec!["财政项目支出绩效目标申报表"],
                vec![
                    "项目名称",
                    "兰溪路-真南路下立交工程",
                    "项目性质",
                    "其他一次性项目"
                ],
                vec!["主管部门", "上海市生态环境局"],
            ]
        );
        assert_eq!(g.rows[1].line, 3);
        assert!(
            d.iter()
                .any(|d| d.zh.contains("第2行「兰溪路-真南路下立交工」+第4行「程」")),
            "{d:?}"
        );
    }
}
