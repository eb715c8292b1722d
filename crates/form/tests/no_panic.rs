//! No input makes a reader panic: the seed cut at every character, and thousands of random
//! edits of the seed, the CSV and the JSON (a deterministic generator, so a failure reproduces).
//! Each read either succeeds or fails with positioned errors.

use std::path::Path;

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data")
            .join(rel),
    )
    .unwrap()
}

/// xorshift64*: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn read_is_total(name: &str, bytes: &[u8]) {
    match jixiao_form::read_form(name, bytes) {
        Ok(p) => {
            // A read form always writes canonical JSON that reads back to itself.
            let json = jixiao_form::json::to_string(&p.form);
            assert_eq!(
                jixiao_form::json::from_str(&json).unwrap(),
                p.form,
                "{name}"
            );
        }
        Err(e) => assert!(
            e.errors()
                .all(|d| d.line >= 1 && !d.zh.is_empty() && !d.en.is_empty()),
            "{name}: {e:?}"
        ),
    }
}

#[test]
fn the_seed_cut_at_every_character() {
    let seed = String::from_utf8(data("seed_2024_shanghai.txt")).unwrap();
    for (i, _) in seed.char_indices().step_by(3) {
        read_is_total("cut.txt", &seed.as_bytes()[..i]);
    }
}

#[test]
fn random_edits_of_every_format() {
    let pieces: &[&[u8]] = &[
        "\t".as_bytes(),
        b"\n",
        b"\"",
        b",",
        "；".as_bytes(),
        "≥".as_bytes(),
        "年".as_bytes(),
        b"(",
        b")",
        "指标".as_bytes(),
        "数量指标".as_bytes(),
        "项目名称".as_bytes(),
        "万元".as_bytes(),
        "得分".as_bytes(),
        "%".as_bytes(),
        b"0",
        b"-",
        "—".as_bytes(),
        b"{",
        b"}",
        b"\xff",
        b"\x00",
    ];
    let inputs = [
        ("seed.txt", data("seed_2024_shanghai.txt")),
        ("sheet.csv", data("forms/ok/0002_excel_sheet.csv")),
        ("variants.txt", data("forms/ok/0001_variants.txt")),
        ("seed.json", data("seed_2024_shanghai.json")),
        ("hunan.csv", data("forms/ok/0009_hunan.csv")),
        ("guangdong.txt", data("forms/ok/0010_guangdong.txt")),
        ("page.html", data("forms/ok/0014_seed_html_table.html")),
        ("old.xls", data("forms/ok/0015_official_form_excel97.xls")),
        ("self_eval.csv", data("self_eval/national_2023.csv")),
        ("self_eval.txt", data("self_eval/shanghai_2023.txt")),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (name, original) in &inputs {
        for _ in 0..600 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => {
                        let end = (at + 1 + rng.below(40)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    1 => {
                        let piece = pieces[rng.below(pieces.len())];
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    2 => {
                        let last = bytes.len().saturating_sub(1);
                        bytes[at.min(last)] ^= 1 << rng.below(8);
                    }
                    _ => {
                        // Duplicate a line-sized run elsewhere.
                        let end = (at + rng.below(120)).min(bytes.len());
                        let run: Vec<u8> = bytes[at..end].to_vec();
                        let to = rng.below(bytes.len());
                        bytes.splice(to..to, run);
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            read_is_total(name, &bytes);
        }
    }
}
