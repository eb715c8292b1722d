#!/usr/bin/env bash
# scripts/bench-web.sh — loopback load benchmark of the web app (figures in BENCHMARKS.md,
# section "Web app under load").
#
# Usage:  scripts/bench-web.sh [N]      N declarations (default 10000)
#
# What it does:
#   1. builds the release CLI and the generator (crates/form/examples/gen_forms.rs);
#   2. writes N synthetic declarations, imports them into a fresh SQLite file (and PostgreSQL
#      unless NO_PG=1), adds a 财政 (finance) user, who sees every declaration;
#   3. starts `jixiao serve`, signs in through POST /api/session and, with wrk (Debian's
#      package, installed when missing), loads for DURATION seconds over CONNECTIONS
#      connections: the dashboard `/`, one declaration's page `/projects/{id}`, and the JSON
#      list `/api/projects`; prints requests per second, the latency percentiles (p50, p99),
#      the answers that were not 2xx/3xx and the requests wrk gave up on (after TIMEOUT),
#      and the statuses of the non-2xx answers as the server logged them.
#
# Environment: CARGO_TARGET_DIR, OUT (scratch, default /tmp/jixiao-bench-web), DURATION (15),
#              CONNECTIONS (32), THREADS (2), TIMEOUT (10s: latencies are measured, not cut
#              off at wrk's default of 2 s), NO_PG=1, JIXIAO_BENCH_PG.
# Not used by any test.
set -euo pipefail

N=${1:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-/tmp/jixiao-bench-web}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
PG=${JIXIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
SCHEMA=jixiao_bench_web
PASSWORD=bench-password-1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
fi

mkdir -p "$OUT"
echo "building (release) in $TARGET ..." >&2
(cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-cli \
  && CARGO_TARGET_DIR=$TARGET cargo build --release -q -p jixiao-form --example gen_forms)
J=$TARGET/release/jixiao
FORM=$OUT/forms-$N.txt
[ -f "$FORM" ] || "$TARGET/release/examples/gen_forms" "$N" "$FORM" >/dev/null

SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

# run_against LABEL DB — import, serve, sign in, load.
run_against() {
  local label=$1 db=$2 port=18089 cookie csrf id
  echo "== $label: importing $N declarations" >&2
  /usr/bin/time -f '   import: %e s, %M KB peak' "$J" --db "$db" import "$FORM" >/dev/null
  JIXIAO_PASSWORD=$PASSWORD "$J" --db "$db" user add bench --role finance >/dev/null
  "$J" --db "$db" serve --bind 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
  cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$port/api/session" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(jixiao_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "sign-in failed" >&2; cat "$OUT/serve.log" >&2; exit 1; }
  id=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/projects?per_page=1&page=5000" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print((d.get("items") or d.get("projects") or d)[0]["id"])')
  for path in "/" "/projects/$id" "/api/projects"; do
    echo "-- $label GET $path" >&2
    curl -s -o /dev/null -w "   status %{http_code}, %{size_download} bytes, first request %{time_total} s\n" \
      -H "Cookie: $cookie" "http://127.0.0.1:$port$path" >&2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$TIMEOUT" --latency -H "Cookie: $cookie" \
      "http://127.0.0.1:$port$path" | tee "$OUT/wrk.txt" >&2
    local rps p50 p99 n non2xx timeouts
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
    n=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
    non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$OUT/wrk.txt")
    timeouts=$(awk '/Socket errors/ {print $NF}' "$OUT/wrk.txt")
    echo "| $label | \`GET $path\` | $rps | $p50 | $p99 | $n | ${non2xx:-0} | ${timeouts:-0} |" >>"$OUT/results.md"
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  # What the failures were, as the server logged them (internal errors carry their cause).
  if grep -q "error" "$OUT/serve.log"; then
    echo "   $label server errors:" >&2
    sed -n 's/^jixiao-server: [a-z ]*error #[0-9]*: //p' "$OUT/serve.log" | sort | uniq -c | sort -rn | head -5 >&2
  fi
}

{
  echo "## jixiao web app, $N declarations, $(date -u +%Y-%m-%d), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $TIMEOUT"
  echo
  echo "| backend | request | requests/s | p50 | p99 | requests | non-2xx | timeouts |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$OUT/results.md"

rm -f "$OUT/web.db" "$OUT/web.db-wal" "$OUT/web.db-shm"
run_against SQLite "$OUT/web.db"
if [ "${NO_PG:-0}" != 1 ] && command -v psql >/dev/null; then
  psql -q "$PG" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA" >/dev/null
  run_against PostgreSQL "$PG?options=-c%20search_path%3D$SCHEMA"
  psql -q "$PG" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null
fi
cat "$OUT/results.md"
