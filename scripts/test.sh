#!/usr/bin/env bash
# The test command of README.md, and what CI (.ci/run) calls. It installs what it needs:
#   - PostgreSQL (Debian package) when no server answers on 127.0.0.1:5432, and the `test` database;
#   - cargo-nextest when it is missing (falls back to `cargo test` if it cannot be installed);
#   - Python's openpyxl (an independent XLSX reader for the form tests) when it is missing;
#   - Debian's chromium and, from npm, playwright-core (e2e/package-lock.json) for the end-to-end
#     tests of the web app in a real headless browser (crates/cli/tests/e2e.rs runs e2e/).
#   - poppler-utils (pdftotext, pdfinfo: the independent PDF reader of the PDF tests) and
#     fonts-noto-cjk (the Chinese fonts the PDFs are set in) when missing (Debian packages).
# Then: rustfmt check, clippy with -D warnings, every test of the workspace (SQLite and PostgreSQL).
# Environment: JIXIAO_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test),
#              CARGO_TARGET_DIR (reused when set).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export JIXIAO_TEST_POSTGRES="${JIXIAO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"

say "PostgreSQL"
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  conf=/etc/postgresql/$version/main/pg_hba.conf
  # Trust local TCP connections, as on the development machines.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust' "$conf"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
psql "${JIXIAO_TEST_POSTGRES%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
  || psql "${JIXIAO_TEST_POSTGRES%/*}/postgres" -c 'CREATE DATABASE test'

say "Python openpyxl (the independent XLSX reader of the form tests)"
if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
  python3 -m pip install --quiet openpyxl \
    || python3 -m pip install --quiet --break-system-packages openpyxl
fi
python3 -c 'import openpyxl; print("openpyxl", openpyxl.__version__)'

say "Debian packages: chromium (end-to-end tests), poppler-utils and fonts-noto-cjk (PDF tests)"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 \
   && ! fc-list 2>/dev/null | grep -q 'Noto Sans CJK SC'; then
  missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
chromium --version
pdftotext -v 2>&1 | sed -n 1p  # sed reads to the end: `head` could close the pipe early (SIGPIPE, exit 141 under pipefail)

say "playwright-core from npm (drives chromium in the end-to-end tests)"
if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

say "rustfmt"
cargo fmt --all -- --check

say "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "tests"
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked || true
fi
if cargo nextest --version >/dev/null 2>&1; then
  # No doc tests exist (examples live in tests/); nextest's summary is the closing line.
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked --no-fail-fast
fi
