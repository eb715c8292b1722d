#!/usr/bin/env bash
# scripts/bench.sh — whole-command timings of the `jixiao` CLI (figures in BENCHMARKS.md,
# section "Whole commands and the store").
#
# Usage:  scripts/bench.sh [N]        N projects, default 1000 (a unit's year);
#         scripts/bench.sh 100000     national scale (4.65 million indicators, ~800 MB of text)
#
# What it does:
#   1. builds the release CLI and the generator (crates/form/examples/gen_forms.rs);
#   2. writes N synthetic projects (the seed's two declarations with distinct units and names),
#      as one file and, when N > PER_FILE, also as files of PER_FILE projects;
#   3. times `jixiao parse`, `jixiao import` (SQLite, and PostgreSQL unless NO_PG=1),
#      `jixiao export`, `jixiao check --all --policy shanghai`, `jixiao list` and
#      `jixiao report summary` as XLSX, HTML and PDF (SQLite), also on the
#      real seed form (tests/data/seed_2024_shanghai.txt) for the realistic end;
#   4. writes a table to $OUT/results-N.md and prints it.
#
# Each command is timed with hyperfine (RUNS runs, default 10 for N <= 1000, else 1) when it is
# installed, and run once more under GNU time for the peak resident memory. At N > PER_FILE the
# import is measured both as one command over all the files (one transaction) and as one
# command per file (instead of importing the one big file).
#
# Environment (all optional):
#   CARGO_TARGET_DIR  build directory (default: target)
#   OUT               scratch directory for forms and databases (default: /tmp/jixiao-bench);
#                     it is deleted at the end unless KEEP=1
#   PER_FILE          projects per file when splitting (default: 10000)
#   RUNS              hyperfine runs per command
#   JIXIAO_BENCH_PG   PostgreSQL database (default: postgres://postgres@127.0.0.1:5432/test);
#                     a fresh schema `jixiao_bench_sh` is created and dropped (needs psql)
#   NO_PG=1           skip PostgreSQL
#
# Needs: cargo, GNU time (/usr/bin/time), optionally hyperfine and psql. Not used by any test.
set -euo pipefail

N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-/tmp/jixiao-bench}
PER_FILE=${PER_FILE:-10000}
PG=${JIXIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
SCHEMA=jixiao_bench_sh
if [ -z "${RUNS:-}" ]; then
  if [ "$N" -le 1000 ]; then RUNS=10; else RUNS=1; fi
fi
HYPERFINE=$(command -v hyperfine || true)
[ "$RUNS" -gt 1 ] || HYPERFINE=
USE_PG=1
if [ "${NO_PG:-0}" = 1 ] || ! command -v psql >/dev/null; then USE_PG=0; fi

mkdir -p "$OUT"
RESULTS=$OUT/results-$N.md
echo "building (release) in $TARGET ..." >&2
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-cli \
  && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-form --example gen_forms)
J=$TARGET/release/jixiao
GEN=$TARGET/release/examples/gen_forms

# --- the forms ---------------------------------------------------------------------------
SEED=$ROOT/tests/data/seed_2024_shanghai.txt
FORM=$OUT/forms-$N.txt
"$GEN" "$N" "$FORM" >/dev/null
PARTS=()
if [ "$N" -gt "$PER_FILE" ]; then
  mapfile -t PARTS < <("$GEN" "$N" "$OUT/parts-$N.txt" "$PER_FILE")
fi
SIZE_MB=$(du -m "$FORM" | cut -f1)

pg_url() { local sep='?'; [[ $PG == *\?* ]] && sep='&'; echo "$PG${sep}options=-c%20search_path%3D$SCHEMA"; }
PG_FRESH="psql -q '$PG' -c 'DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA' >/dev/null 2>&1"
pg_drop() { psql -q "$PG" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true; }

{
  echo "## jixiao whole commands, N = $N projects ($SIZE_MB MB of text), $(date -u +%Y-%m-%d), $(nproc) cores"
  echo
  echo "| command | wall time | peak RSS |"
  echo "|---|---|---|"
} >"$RESULTS"

# measure LABEL PREPARE COMMAND — PREPARE (may be empty) runs before every timed run. The
# command's output goes to /dev/null (diagnostics included; writing them is part of the cost).
measure() {
  local label=$1 prep=$2 cmd=$3 wall='' secs kb
  echo "== $label: $cmd" >&2
  if [ -n "$HYPERFINE" ]; then
    local args=(--runs "$RUNS" -i --style none --export-csv "$OUT/hf.csv")
    [[ $cmd == *\;* ]] || args+=(-N) # no shell needed: no shell-startup correction either
    [ -n "$prep" ] && args+=(--prepare "$prep")
    "$HYPERFINE" "${args[@]}" "$cmd" >&2
    # command,mean,stddev,median,user,system,min,max
    wall=$(tail -1 "$OUT/hf.csv" | awk -F, -v r="$RUNS" \
      '{ printf "%s ± %s (min %s, %d runs)", fmt($4), fmt($3), fmt($7), r }
       function fmt(s) { return s < 1 ? sprintf("%.1f ms", s * 1000) : sprintf("%.2f s", s) }')
  fi
  [ -n "$prep" ] && bash -c "$prep"
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" bash -c "$cmd" >/dev/null 2>&1 || true
  read -r secs kb < <(tail -1 "$OUT/time.txt")
  [ -n "$wall" ] || wall="$secs s (1 run)"
  echo "| \`$label\` | $wall | $((kb / 1024)) MB |" >>"$RESULTS"
}
listed() { echo "| (after import: $("$J" --db "$1" list 2>/dev/null | grep -c '  v[0-9]*$') projects listed$2) | | |" >>"$RESULTS"; }

# --- realistic: the seed form ---------------------------------------------------------------
if [ "$N" -le 1000 ]; then
  DB=$OUT/seed.db
  measure "parse seed (2 projects)" "" "$J parse $SEED"
  measure "import seed, SQLite" "rm -f $DB $DB-wal $DB-shm" "$J --db $DB import $SEED"
  measure "check seed file" "" "$J check --policy shanghai $SEED"
  rm -f "$DB" "$DB-wal" "$DB-shm"
fi

# --- N projects ---------------------------------------------------------------------------
DB=$OUT/n-$N.db
measure "parse $N (1 file)" "" "$J parse $FORM"
if [ ${#PARTS[@]} -eq 0 ]; then
  measure "import $N, SQLite" "rm -f $DB $DB-wal $DB-shm" "$J --db $DB import $FORM"
else
  # The same projects in files of PER_FILE: all in one command (one transaction), then one
  # command (one transaction) per file.
  measure "import $N, SQLite, ${#PARTS[@]} files in 1 command" "rm -f $DB $DB-wal $DB-shm" \
    "$J --db $DB import ${PARTS[*]}"
  listed "$DB" ""
  rm -f "$DB" "$DB-wal" "$DB-shm"
  measure "import $N, SQLite, 1 command per file (${#PARTS[@]})" "rm -f $DB $DB-wal $DB-shm" \
    "for f in ${PARTS[*]}; do $J --db $DB import \$f; done"
fi
listed "$DB" "; SQLite file $(du -m "$DB" | cut -f1) MB"
measure "list $N, SQLite" "" "$J --db $DB list"
measure "export $N, SQLite" "" "$J --db $DB export"
measure "check --all $N, SQLite" "" "$J --db $DB check --all --policy shanghai"
# The year's summary of all N declarations (one department: the seed's) in each format.
for fmt in xlsx html pdf; do
  measure "report summary $N --format $fmt, SQLite" "" \
    "$J --db $DB report summary --year 2024 --department 上海市生态环境局 --format $fmt -o $OUT/summary-$N.$fmt"
done
rm -f "$DB" "$DB-wal" "$DB-shm"

if [ "$USE_PG" = 1 ]; then
  URL=$(pg_url)
  if [ ${#PARTS[@]} -gt 0 ]; then
    measure "import $N, PostgreSQL, ${#PARTS[@]} files in 1 command" "$PG_FRESH" \
      "$J --db '$URL' import ${PARTS[*]}"
  else
    measure "import $N, PostgreSQL" "$PG_FRESH" "$J --db '$URL' import $FORM"
  fi
  listed "$URL" ""
  measure "list $N, PostgreSQL" "" "$J --db '$URL' list"
  measure "export $N, PostgreSQL" "" "$J --db '$URL' export"
  measure "check --all $N, PostgreSQL" "" "$J --db '$URL' check --all --policy shanghai"
  pg_drop
fi

cat "$RESULTS"
if [ "${KEEP:-0}" != 1 ]; then
  cp "$RESULTS" "/tmp/jixiao-results-$N.md"
  rm -rf "$OUT"
  echo "(results kept in /tmp/jixiao-results-$N.md; scratch $OUT removed)" >&2
fi
