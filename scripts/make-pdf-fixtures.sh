#!/usr/bin/env bash
# Regenerates the PDF fixtures under tests/data/pdf/ from the seed, with two writers:
#
#   seed_libreoffice.pdf  the seed as the official-layout XLSX (form_to_xlsx), printed by
#                         LibreOffice Calc (each declaration on its own page, the second one's
#                         indicator table broken over pages);
#   seed_chromium.pdf     the same sheet as HTML (LibreOffice's HTML export), printed by
#                         Chromium (A4 portrait: the tables break over several pages);
#   seed_typst.pdf        the seed as jixiao itself prints it (jixiao-pdf, typst: `jixiao report
#                         declaration --format pdf`), so the reader is held to read jixiao's own PDF;
#   disclosure.pdf        a budget disclosure (部门预算公开) printed by Chromium: prose pages and a
#                         收支总表 before the declarations, a page of prose after them;
#   err/encrypted.pdf     seed_libreoffice.pdf with an open password (LibreOffice);
#   err/scanned.pdf       its first page as a picture only, as a scanner makes it;
#   err/no_declaration.pdf  the disclosure's prose and 收支总表 without the declarations;
#   text/seed_libreoffice.layout.txt  seed_libreoffice.pdf as `pdftotext -layout` writes it;
#   text/seed_libreoffice.cells.txt   the same cell per line in row order, as the table
#                         extractor pdfplumber gives its cells (text/cells.py; a scratch venv,
#                         pip install pdfplumber==0.11.10); both read to the seed;
#   ../forms/err/0031_pdfminer_cells.txt    the same as pdfminer.six's pdf2txt.py writes it
#                         (blocks column by column: refused).
#
# Needs soffice (libreoffice-calc), chromium and python3. The PDFs carry their writers' dates,
# so a rerun changes bytes, not content: the golden JSON beside them must not change.
#
#   bash scripts/make-pdf-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/data/pdf
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo run -q -p jixiao-form --example form_to_xlsx -- tests/data/seed_2024_shanghai.txt "$tmp/seed.xlsx"
cargo run -q -p jixiao-pdf --example form_to_pdf -- tests/data/seed_2024_shanghai.txt "$out/seed_typst.pdf"

lo() {
  soffice --headless --norestore "-env:UserInstallation=file://$tmp/lo-profile" "$@" >/dev/null
}
lo --convert-to pdf --outdir "$tmp" "$tmp/seed.xlsx"
cp "$tmp/seed.pdf" "$out/seed_libreoffice.pdf"

lo --convert-to html --outdir "$tmp" "$tmp/seed.xlsx"

print_pdf() { # HTML → PDF with Chromium, without its header and footer lines
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$2" "file://$1" 2>/dev/null
}

# The sheet alone; rows are not split over pages (a row is kept whole, as spreadsheets print).
python3 - "$tmp/seed.html" "$tmp/chromium.html" "$tmp/disclosure.html" <<'PY'
import re, sys
src, one, long = sys.argv[1:]
html = open(src, encoding="utf-8").read()
body = re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1)
# LibreOffice names the sheet in a heading and links; keep the table only.
tables = re.findall(r"<table.*?</table>", body, re.S)
table = tables[0]
style = """<style>
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 8.5pt; }
table { border-collapse: collapse; }
tr { break-inside: avoid; }
.page { break-before: page; }
.other td, .other th { border: 1px solid #000; padding: 2px 6px; }
p { line-height: 1.6; }
</style>"""
head = '<!DOCTYPE html><html><head><meta charset="utf-8">' + style + "</head><body>"
open(one, "w", encoding="utf-8").write(head + table + "</body></html>")
prose = """
<h1>上海市生态环境局2024年部门预算</h1>
<p>目录</p>
<p>第一部分 上海市生态环境局主要职能</p>
<p>第二部分 2024年部门预算表</p>
<p>第三部分 2024年部门预算情况说明</p>
<p>第四部分 项目绩效目标</p>
<h2 class="page">第一部分 上海市生态环境局主要职能</h2>
<p>上海市生态环境局是市政府组成部门，负责建立健全生态环境基本制度，统筹协调重大生态环境问题，
负责监督管理国家减排目标的落实，负责环境污染防治的监督管理。</p>
<p>本部门2024年度收入预算、支出预算均按照收支平衡的原则编制，项目支出实行绩效目标管理，
项目绩效目标随同部门预算一并公开。</p>
"""
other = """
<h2 class="page">第二部分 2024年部门预算表</h2>
<p>部门财务收支预算总表</p>
<table class="other">
<tr><th>收入项目</th><th>预算数</th><th>支出项目</th><th>预算数</th></tr>
<tr><td>一、一般公共预算资金</td><td>128,450,000.00</td><td>一、一般公共服务支出</td><td>3,120,000.00</td></tr>
<tr><td>二、政府性基金</td><td>0.00</td><td>二、节能环保支出</td><td>118,930,000.00</td></tr>
<tr><td>三、事业收入</td><td>2,100,000.00</td><td>三、社会保障和就业支出</td><td>8,500,000.00</td></tr>
<tr><td>收入总计</td><td>130,550,000.00</td><td>支出总计</td><td>130,550,000.00</td></tr>
</table>
<h2 class="page">第三部分 2024年部门预算情况说明</h2>
<p>2024年，上海市生态环境局收入预算13,055.00万元，其中：一般公共预算资金12,845.00万元，
比2023年减少312.00万元，主要原因是项目经费压减。</p>
"""
# The part's cover page, then the 汇总表 on pages of its own.
decl = ('<h2 class="page">第四部分 项目绩效目标</h2><p>（见下页）</p>'
        '<div class="page"></div>' + table)
after = """
<h2 class="page">名词解释</h2>
<p>1. 财政拨款收入：指本年度从本级财政部门取得的财政拨款。</p>
<p>2. 项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。</p>
"""
open(long, "w", encoding="utf-8").write(head + prose + other + decl + after + "</body></html>")
PY
print_pdf "$tmp/chromium.html" "$out/seed_chromium.pdf"
print_pdf "$tmp/disclosure.html" "$out/disclosure.pdf"

mkdir -p "$out/err"
lo --convert-to 'pdf:calc_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"jixiao"}}' \
  --outdir "$tmp/enc" "$tmp/seed.xlsx"
cp "$tmp/enc/seed.pdf" "$out/err/encrypted.pdf"
pdftoppm -f 1 -l 1 -r 60 -gray -png "$out/seed_libreoffice.pdf" "$tmp/scan"
mv "$tmp"/scan*.png "$tmp/scanned.png"
printf '<!DOCTYPE html><html><body style="margin:0"><img src="scanned.png" style="width:100%%"></body></html>' >"$tmp/scanned.html"
print_pdf "$tmp/scanned.html" "$out/err/scanned.pdf"
python3 - "$tmp/disclosure.html" "$tmp/prose.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
# Everything but the declarations (the part from 第四部分 to 名词解释).
html = re.sub(r'<h2 class="page">第四部分.*?(?=<h2 class="page">名词解释)', "", html, flags=re.S)
open(sys.argv[2], "w", encoding="utf-8").write(html)
PY
print_pdf "$tmp/prose.html" "$out/err/no_declaration.pdf"
mkdir -p "$out/text"
pdftotext -layout "$out/seed_libreoffice.pdf" "$out/text/seed_libreoffice.layout.txt"
python3 -m venv "$tmp/venv"
# pdfplumber 0.11.10 brings pdfminer.six (20260107 when the fixtures were made).
"$tmp/venv/bin/pip" install -q pdfplumber==0.11.10
"$tmp/venv/bin/python" "$out/text/cells.py" "$out/seed_libreoffice.pdf" >"$out/text/seed_libreoffice.cells.txt"
"$tmp/venv/bin/pdf2txt.py" "$out/seed_libreoffice.pdf" >tests/data/forms/err/0031_pdfminer_cells.txt
ls -l "$out"/*.pdf "$out"/err/*.pdf
