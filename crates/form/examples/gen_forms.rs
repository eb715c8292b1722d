//! Synthetic forms at scale, for benchmarks (see `BENCHMARKS.md` and `scripts/bench.sh`).
//!
//! Writes `N` projects as a tab-separated text export by replicating the seed form's two real
//! declarations (`tests/data/seed_2024_shanghai.txt`: 交通工具购置及更新, 6 indicators, and
//! 减污降碳工作专项经费, 87 indicators). Project `k` (from 0) is declaration `k % 2` with
//! 实施单位 `第{k/2}单位` and the project name suffixed `（{k/2}）`, so every project key is
//! distinct. Deterministic: the same arguments give the same bytes.
//!
//! ```sh
//! # one file
//! cargo run --release -p jixiao-form --example gen_forms -- 1000 /tmp/unit.txt
//! # national scale, split into files of 10,000 projects: /tmp/national-00.txt … -09.txt
//! cargo run --release -p jixiao-form --example gen_forms -- 100000 /tmp/national.txt 10000
//! ```
//!
//! 1,000 projects are 46,500 indicators and about 8 MB; 100,000 projects are 4.65 million
//! indicators and about 800 MB.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const SEED: &str = include_str!("../../../tests/data/seed_2024_shanghai.txt");
const MARK: &str = "财政项目支出绩效目标申报表";

fn usage() -> ! {
    eprintln!("usage: gen_forms <projects> <out.txt> [<projects per file>]");
    std::process::exit(2);
}

/// The seed's title lines and its two declarations (each starting with [`MARK`]).
fn split_seed() -> (&'static str, [&'static str; 2]) {
    let starts: Vec<usize> = SEED.match_indices(MARK).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 2, "the seed has two declarations");
    (
        &SEED[..starts[0]],
        [&SEED[starts[0]..starts[1]], &SEED[starts[1]..]],
    )
}

/// One declaration with its 项目名称 suffixed and its 实施单位 replaced.
fn write_project(out: &mut impl Write, decl: &str, unit_no: usize) -> std::io::Result<()> {
    for line in decl.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let mut cells: Vec<String> = body.split('\t').map(str::to_string).collect();
        for i in 0..cells.len().saturating_sub(1) {
            match cells[i].as_str() {
                "项目名称" => cells[i + 1] = format!("{}（{unit_no}）", cells[i + 1]),
                "实施单位" => cells[i + 1] = format!("第{unit_no}单位"),
                _ => {}
            }
        }
        out.write_all(cells.join("\t").as_bytes())?;
        out.write_all(end.as_bytes())?;
    }
    if !decl.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `/tmp/national.txt`, 3 → `/tmp/national-03.txt`.
fn part_path(out: &Path, part: usize, width: usize) -> PathBuf {
    let stem = out
        .file_stem()
        .map_or_else(|| "forms".to_string(), |s| s.to_string_lossy().into_owned());
    let ext = out
        .extension()
        .map_or_else(|| "txt".to_string(), |e| e.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-{part:0width$}.{ext}"))
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 3 {
        usage();
    }
    let n: usize = args[0].parse().unwrap_or_else(|_| usage());
    let out = PathBuf::from(&args[1]);
    let per_file: usize = match args.get(2) {
        Some(s) => s.parse().ok().filter(|&p| p > 0).unwrap_or_else(|| usage()),
        None => n.max(1),
    };
    let (title, decls) = split_seed();
    let parts = n.div_ceil(per_file).max(1);
    let width = (parts - 1).to_string().len().max(2);
    for part in 0..parts {
        let path = if parts == 1 {
            out.clone()
        } else {
            part_path(&out, part, width)
        };
        let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        w.write_all(title.as_bytes())?;
        let first = part * per_file;
        for k in first..n.min(first + per_file) {
            write_project(&mut w, decls[k % 2], k / 2)?;
        }
        w.flush()?;
        println!("{}", path.display());
    }
    Ok(())
}
