#!/usr/bin/env bash
# scripts/bench-batch.sh — `jixiao check --keep-going` over a district's batch of files
# (figures in BENCHMARKS.md, section "Batch check of 1,000 mixed files").
#
# Usage:  scripts/bench-batch.sh [N]     N files, default 1000
#
# What it does:
#   1. builds the release CLI and the form_to_xlsx example (unless JIXIAO is given);
#   2. writes N files into $OUT/batch, a mix like a district's folder of forms, all made from
#      the fixtures under tests/data (nothing downloaded), with file names changed and the
#      实施单位 renamed in the text formats:
#        30% text exports (the seed and the other text fixtures),
#        15% CSV (Excel, WPS/GBK, Hunan …), 15% XLSX (the seed written in the official layout
#        by form_to_xlsx, Anhui's, the official form), 15% canonical JSON,
#        15% PDF (the seed printed by LibreOffice and by Chromium, and the 13-page budget
#        disclosure), 10% damaged or unreadable (PDFs and workbooks cut short, text cut
#        mid-row, broken JSON, a wrong target, binary junk, empty files);
#      one sub-folder per kind, so that each kind can also be timed alone;
#   3. times `jixiao check --keep-going $OUT/batch` (RUNS runs, GNU time: wall time and peak
#      RSS), with text and with `--format json` output, then each kind's folder alone;
#   4. prints a Markdown table (also written to $OUT/results-batch-N.md).
#
# Environment (all optional):
#   CARGO_TARGET_DIR  build directory (default: target)
#   JIXIAO            a jixiao binary to time (default: the release build)
#   XLSX_WRITER       the form_to_xlsx example binary (default: the release build)
#   OUT               scratch directory (default: /tmp/jixiao-bench-batch; deleted unless KEEP=1)
#   RUNS              runs per measurement (default 3)
#
# Needs: cargo, GNU time (/usr/bin/time). Not used by any test.
set -euo pipefail

N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-/tmp/jixiao-bench-batch}
RUNS=${RUNS:-3}
D=$ROOT/tests/data

if [ -z "${JIXIAO:-}" ] || [ -z "${XLSX_WRITER:-}" ]; then
  echo "building (release) in $TARGET ..." >&2
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-cli \
    && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-form --example form_to_xlsx)
fi
J=${JIXIAO:-$TARGET/release/jixiao}
XW=${XLSX_WRITER:-$TARGET/release/examples/form_to_xlsx}

# --- the files -----------------------------------------------------------------------------
B=$OUT/batch
rm -rf "$B" "$OUT/src"
mkdir -p "$B"/{text,csv,xlsx,json,pdf,damaged} "$OUT/src"
SEED_UNIT=上海市减污降碳管理运行技术中心

# count PCT — the number of files of a kind out of N (at least 1).
count() { local c=$((N * $1 / 100)); [ "$c" -ge 1 ] || c=1; echo "$c"; }

# Ten variants of the seed's text and JSON with another 实施单位, and their XLSX.
for v in $(seq 0 9); do
  sed "s/$SEED_UNIT/第${v}区绩效管理中心/g" "$D/seed_2024_shanghai.txt" >"$OUT/src/seed_$v.txt"
  sed "s/$SEED_UNIT/第${v}区绩效管理中心/g" "$D/seed_2024_shanghai.json" >"$OUT/src/seed_$v.json"
  "$XW" "$OUT/src/seed_$v.txt" "$OUT/src/seed_$v.xlsx"
done

# fill KIND COUNT SOURCE... — COUNT files in $B/KIND, cycling through the sources; the
# extension is kept, the name is the kind and a number (as units name their uploads).
fill() {
  local kind=$1 n=$2; shift 2
  local srcs=("$@") i
  for ((i = 0; i < n; i++)); do
    local s=${srcs[$((i % ${#srcs[@]}))]}
    cp "$s" "$B/$kind/$(printf '%s_%04d' "$kind" "$i").${s##*.}"
  done
}

fill text "$(count 30)" "$OUT"/src/seed_?.txt "$D/forms/ok/0005_two_units.txt" \
  "$D/forms/ok/0007_tasks_under_goal_row.txt" "$D/forms/ok/0001_variants.txt" \
  "$D/forms/ok/0010_guangdong.txt"
fill csv "$(count 15)" "$D"/forms/ok/*.csv
fill xlsx "$(count 15)" "$OUT"/src/seed_?.xlsx "$D/forms/ok/0004_official_form.xlsx" \
  "$D/forms/ok/0011_anhui.xlsx"
fill json "$(count 15)" "$OUT"/src/seed_?.json "$D/seed_2024_shanghai.json" \
  "$D/forms/ok/0005_two_units.json" "$D/forms/ok/0011_anhui.json"
fill pdf "$(count 15)" "$D/pdf/seed_libreoffice.pdf" "$D/pdf/seed_libreoffice.pdf" \
  "$D/pdf/seed_chromium.pdf" "$D/pdf/disclosure.pdf"

# Damaged and unreadable: cut short, broken, junk.
cut_half() { head -c $(($(stat -c %s "$1") * $2 / 100)) "$1" >"$3"; }
cut_half "$D/pdf/seed_libreoffice.pdf" 60 "$OUT/src/cut.pdf"
cut_half "$D/pdf/seed_chromium.pdf" 30 "$OUT/src/cut2.pdf"
cut_half "$OUT/src/seed_0.xlsx" 50 "$OUT/src/cut.xlsx"
cut_half "$OUT/src/seed_1.txt" 40 "$OUT/src/cut.txt"
cut_half "$D/seed_2024_shanghai.json" 50 "$OUT/src/cut.json"
head -c 4096 /dev/urandom >"$OUT/src/junk.bin"
: >"$OUT/src/empty.txt"
fill damaged "$(count 10)" "$OUT/src/cut.pdf" "$OUT/src/cut2.pdf" "$OUT/src/cut.xlsx" \
  "$OUT/src/cut.txt" "$OUT/src/cut.json" "$OUT/src/junk.bin" "$OUT/src/empty.txt" \
  "$D/forms/err/0004_bad_target.txt" "$D/forms/err/0009_unclosed_quote.csv" \
  "$D/forms/err/0006_cut_mid_row.txt"

TOTAL=$(find "$B" -type f | wc -l)
SIZE=$(du -sm "$B" | cut -f1)

# --- timing -------------------------------------------------------------------------------
RESULTS=$OUT/results-batch-$N.md
{
  echo "## check --keep-going, $TOTAL files ($SIZE MB), $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
  echo
  echo "| what | files | wall time (runs) | files/s (best) | ms/file (best) | peak RSS |"
  echo "|---|---|---|---|---|---|"
} >"$RESULTS"

# measure LABEL DIR [ARGS...] — RUNS runs; the exit status (2: some file unreadable) is expected.
measure() {
  local label=$1 dir=$2; shift 2
  local files times=() best="" rss=0 i
  files=$(find "$dir" -type f | wc -l)
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$J" check --keep-going "$dir" "$@" >"$OUT/out" 2>/dev/null || true
    read -r t m < <(tail -n 1 "$OUT/time")
    times+=("$t")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '| %s | %d | %s s | %.0f | %.2f | %d MB |\n' "$label" "$files" "$(IFS=/; echo "${times[*]}" | sed 's#/# / #g')" \
    "$(awk "BEGIN{print $files / $best}")" "$(awk "BEGIN{print 1000 * $best / $files}")" \
    $((rss / 1024)) | tee -a "$RESULTS"
}

measure "all, text output" "$B"
measure "all, --format json" "$B" --format json
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["summary"], ensure_ascii=False))' \
  "$OUT/out" >"$OUT/summary.json" 2>/dev/null || echo "(no python3)" >"$OUT/summary.json"
for k in text csv xlsx json pdf damaged; do
  measure "$k only" "$B/$k"
done
echo >>"$RESULTS"
echo "summary of the last whole run: $(cat "$OUT/summary.json")" >>"$RESULTS"
echo
cat "$RESULTS"
[ "${KEEP:-0}" = 1 ] || rm -rf "$B" "$OUT/src" "$OUT/out"
