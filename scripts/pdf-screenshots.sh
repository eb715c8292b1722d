#!/usr/bin/env bash
# Renders the PDFs of the seed (with tests/data/actuals/) and writes the page images under
# docs/screenshots/pdf-*.png (docs/pdf-layout.md). Needs poppler-utils and fonts-noto-cjk.
#
# Usage: scripts/pdf-screenshots.sh [JIXIAO_BINARY]   (default: target/debug/jixiao, built)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
J=${1:-}
if [ -z "$J" ]; then
  (cd "$ROOT" && cargo build -q -p jixiao-cli)
  J=$ROOT/target/debug/jixiao
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export JIXIAO_DB=$T/jixiao.db
"$J" import "$ROOT/tests/data/seed_2024_shanghai.txt" >/dev/null
"$J" actuals import "$ROOT/tests/data/actuals/transport_2024.csv" >/dev/null
"$J" spending import "$ROOT/tests/data/actuals/transport_2024_spending.csv" >/dev/null
# The second project's sub-tasks with values, for the progress-by-sub-task chart's bars.
"$J" actuals import "$ROOT/tests/data/actuals/jianwu_2024.csv" >/dev/null
"$J" spending import "$ROOT/tests/data/actuals/jianwu_2024_spending.csv" >/dev/null
for kind in declaration summary monitoring self-eval; do
  "$J" report "$kind" --year 2024 --as-of 2024-07-31 --format pdf -o "$T/$kind.pdf"
  pdftoppm -png -r 80 "$T/$kind.pdf" "$T/$kind"
done
out=$ROOT/docs/screenshots
# pdftoppm numbers pages with as many digits as the last page needs.
first() { ls "$T/$1"-*.png | sort | sed -n "${2}p"; }
cp "$(first declaration 1)" "$out/pdf-declarations-1.png"
cp "$(first declaration 3)" "$out/pdf-declarations-3.png"
cp "$(first summary 1)" "$out/pdf-summary-1.png"
cp "$(first monitoring 1)" "$out/pdf-monitoring-1.png"
cp "$(first self-eval 1)" "$out/pdf-self-eval-1.png"
# The page before the last of the 监控表: the second project's charts (progress by sub-task,
# with bars); the last page: the signature/stamp block the form ends with.
cp "$(ls "$T"/monitoring-*.png | sort | tail -n 2 | head -n 1)" "$out/pdf-monitoring-subtasks.png"
cp "$(ls "$T"/monitoring-*.png | sort | tail -n 1)" "$out/pdf-signature.png"
ls -l "$out"/pdf-*.png
