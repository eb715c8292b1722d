#!/usr/bin/env bash
# The main job on the embedded default: build jixiao, load the seed form into SQLite, and walk
# the cycle — list, show, review, record year-end actuals, monitor, self-evaluate.
# Database: $JIXIAO_DB, default ./jixiao-demo.db (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
export JIXIAO_DB="${JIXIAO_DB:-$PWD/jixiao-demo.db}"
cargo build -q -p jixiao-cli
jixiao() { "${CARGO_TARGET_DIR:-target}/debug/jixiao" "$@"; }

echo "== 导入申报表 / import the seed form ($JIXIAO_DB)"
jixiao import tests/data/seed_2024_shanghai.txt
echo; echo "== 项目清单 / list"
jixiao list
echo; echo "== 指标体系 / show"
jixiao show 交通工具购置及更新
echo; echo "== 绩效目标审核 / check (Shanghai policy)"
jixiao check --all --policy shanghai | head -n 40 || true
echo "…"
echo; echo "== 实际完成值与支出 / actuals and spending"
jixiao actuals import tests/data/actuals/transport_2024.csv
jixiao spending import tests/data/actuals/transport_2024_spending.csv
echo; echo "== 绩效运行监控 / monitoring as of 2024-07-31"
jixiao monitor --as-of 2024-07-31 --project 交通工具购置及更新
echo; echo "== 绩效自评 / self-evaluation"
jixiao evaluate --year 2024 --project 交通工具购置及更新
echo; echo "== 重复导入不重复计数 / the same files again change nothing"
jixiao actuals import tests/data/actuals/transport_2024.csv
jixiao spending import tests/data/actuals/transport_2024_spending.csv
echo; echo "== 修订后的申报表：在最前面插入一个指标 / a revised form with an indicator inserted above"
jixiao import tests/data/scenarios/indicator_inserted.txt
jixiao actuals list 交通工具购置及更新
echo; echo "== 版本 / versions"
jixiao show 交通工具购置及更新 --versions | sed -n '/^版本/,$p'
echo; echo "== 操作记录（最近）/ audit trail (latest)"
jixiao audit 交通工具购置及更新 | tail -n 6
