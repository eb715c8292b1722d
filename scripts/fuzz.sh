#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 600), one after another.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Seeds each target's corpus (fuzz/corpus/<target>, not committed) from tests/data. A crash
# stops that target and leaves its input under fuzz/artifacts/<target>/: make it a regression
# test (crates/form/tests/fuzz_regressions.rs) before fixing it.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); cargo-fuzz uses nightly features, so the
# stable toolchain runs with RUSTC_BOOTSTRAP=1. Sanitizer builds rebuild everything: they go
# to their own target directory (CARGO_TARGET_DIR, default /var/tmp/jixiao-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(text csv json target xlsx pdf docx html)
fi
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/jixiao-fuzz}"
# The shared build directory of the workspace is not for sanitizer builds.
unset CARGO_BUILD_BUILD_DIR

seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    text) find tests/data -name '*.txt' -size -200k ;;
    csv) find tests/data -name '*.csv' -size -200k ;;
    json) find tests/data -name '*.json' -size -200k ;;
    xlsx) find tests/data -name '*.xlsx' -size -500k ;;
    pdf) find tests/data -name '*.pdf' -size -500k ;;
    docx) find tests/data -name '*.docx' -size -500k ;;
    html) find tests/data -name '*.html' -size -500k ;;
    target) ;;
  esac | while read -r f; do cp -n "$f" "$dir/" 2>/dev/null || true; done
  if [ "$target" = target ]; then
    printf '%s' '≥15000公里' >"$dir/a"
    printf '%s' '≤5%' >"$dir/b"
    printf '%s' '2024年12月31日前' >"$dir/c"
    printf '%s' '≥90%；≤3个工作日' >"$dir/d"
    printf '%s' '=100万元' >"$dir/e"
    printf '%s' '优' >"$dir/f"
  fi
}

status=0
for t in "${targets[@]}"; do
  seed "$t"
  case "$t" in
    xlsx | pdf) max_len=1048576 ;;
    *) max_len=262144 ;;
  esac
  echo "== fuzz $t for ${seconds}s (commit $(git rev-parse --short HEAD))"
  if ! cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=60 -rss_limit_mb=2048 \
      -print_final_stats=1; then
    echo "!! $t found a crash: see fuzz/artifacts/$t/"
    status=1
  fi
done
exit $status
