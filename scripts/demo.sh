#!/usr/bin/env bash
# The main job on the embedded default: the web app on SQLite with the demo data.
# Builds jixiao with the dev profile (dependencies at opt-level 1: a fresh machine compiles typst
# and the rest once — 18 minutes for `cargo build -p jixiao-cli` from nothing on the 2-core VM
# with other builds beside it — with less optimisation work than the release profile, and fast
# enough to serve a demo), then
# runs `jixiao serve --demo` on ./jixiao-web.db and prints:
#   - the users, one per role, with their passwords (shown once, when the database is new);
#   - the address to open: http://127.0.0.1:8080/ (sign in there with a user above).
# Environment: JIXIAO_DB (default ./jixiao-web.db; delete it to start over with new passwords),
# JIXIAO_BIND (default 127.0.0.1:8080), JIXIAO_ADMIN_PASSWORD (the administrator's password on
# a new database; else one is generated), CARGO_TARGET_DIR (reused when set).
# The command-line tour of the same cycle is scripts/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${JIXIAO_DB:-$PWD/jixiao-web.db}"
bind="${JIXIAO_BIND:-127.0.0.1:8080}"
echo "== 构建 / building jixiao (cargo build -p jixiao-cli; the first build takes a while)"
cargo build -q -p jixiao-cli
bin="${CARGO_TARGET_DIR:-target}/debug/jixiao"
if [ -e "$db" ]; then
  echo "== 沿用已有数据库 / reusing $db: the passwords were printed when it was created"
  echo "   (删除该文件可重新开始 / delete it to start over: rm $db*)"
else
  echo "== 新数据库 / new database $db: demo users and the seed form"
fi
exec "$bin" --db "$db" serve --demo --bind "$bind"
