#!/usr/bin/env python3
"""Writes tests/data/forms/ok/0014_seed_html_table.html: the seed (tests/data/seed_2024_shanghai.txt,
all its projects) as a web page, as a finance bureau publishes its forms: the title lines
<p>s, the rest one <table> (a line of one cell spans its row, a blank line is a blank row). In the first two columns a filled
cell with blank cells under it spans them (rowspan, as 一级/二级指标 are merged on the official
form); a filled cell whose row is blank after it spans the rest of the row (colspan). Text is
escaped with entities (&ge; for ≥, &amp;, numeric references for the rest), a line break in a
cell is <br>, and the page is GBK-encoded with <meta charset="gb2312"> as older government
sites serve them. Constructed for the HTML reader's test; not a form found in the wild.
Run from the repository root."""
import html

lines = open('tests/data/seed_2024_shanghai.txt', encoding='utf-8').read().split('\n')


def esc(text):
    return '<br>'.join(html.escape(p, quote=False).replace('≥', '&ge;').replace('≤', '&le;')
                       for p in text.split('\n'))


def table(rows):
    width = max(len(r) for r in rows)
    rows = [r + [''] * (width - len(r)) for r in rows]
    blank = [not any(c.strip() for c in r) for r in rows]
    covered = set()
    out = ['<table border="1" cellspacing="0">']
    for i, r in enumerate(rows):
        if blank[i]:
            out.append(f'  <tr><td colspan="{width}">&nbsp;</td></tr>')
            continue
        cells, j = [], 0
        while j < width:
            if (i, j) in covered:
                j += 1
                continue
            text, attrs, span = r[j], '', 1
            if j == 0 and not any(c.strip() for c in r[1:]):
                attrs, span = f' colspan="{width}"', width
            elif j < 2 and text.strip():
                k = i + 1
                while k < len(rows) and not rows[k][j].strip() and any(c.strip() for c in rows[k][j + 1:]):
                    k += 1
                if k - i > 1:
                    attrs = f' rowspan="{k - i}"'
                    covered.update((m, j) for m in range(i + 1, k))
            elif j >= 2 and text.strip() and not any(c.strip() for c in r[j + 1:]):
                span = width - j
                if span > 1:
                    attrs = f' colspan="{span}"'
            cells.append(f'<td{attrs}>{esc(text)}</td>')
            j += span
        out.append('  <tr>' + ''.join(cells) + '</tr>')
    out.append('</table>')
    return '\n'.join(out)


# The title lines before the first table row are paragraphs; from there on the seed is one
# table, a line of one cell spanning the row and a blank line a row of one blank cell (the
# seed's goal paragraphs and page breaks are blank lines).
first = next(i for i, l in enumerate(lines) if '\t' in l)
body = [f'<p align="center">{esc(l.strip())}</p>' for l in lines[:first] if l.strip()]
body.append(table([l.split('\t') for l in lines[first:]]))

page = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">\n<html><head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
        '<title>2024年项目支出绩效目标申报表</title>\n<style>td { border: 1px solid #000 }</style>\n'
        '</head><body>\n' + '\n'.join(body) + '\n</body></html>\n')
open('tests/data/forms/ok/0014_seed_html_table.html', 'wb').write(page.encode('gb18030'))
