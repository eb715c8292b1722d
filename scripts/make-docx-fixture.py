#!/usr/bin/env python3
"""Writes tests/data/forms/ok/0013_seed_word_table.docx: the seed's first project
(tests/data/seed_2024_shanghai.txt, lines 1-24) as one Word table, as a unit keeps its form in
Word: in the first two columns a blank cell under a filled one continues a vertical merge
(w:vMerge), and a filled cell whose row is blank after it spans the rest of the row
(w:gridSpan). Constructed for the DOCX reader's test; not a form found in the wild.
Run from the repository root."""
import zipfile
from xml.sax.saxutils import escape

lines = open('tests/data/seed_2024_shanghai.txt', encoding='utf-8').read().split('\n')[:24]
title, rows = lines[0], [l.split('\t') for l in lines[1:]]
width = max(len(r) for r in rows)
rows = [r + [''] * (width - len(r)) for r in rows]


def tc(text, props):
    runs = ''.join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>'
                   for p in text.split('\n')) if text else '<w:p/>'
    return f'<w:tc><w:tcPr>{props}</w:tcPr>{runs}</w:tc>'


merging = [False, False]
body = [f'<w:p><w:r><w:t>{escape(title.strip())}</w:t></w:r></w:p>',
        '<w:tbl><w:tblGrid>' + '<w:gridCol/>' * width + '</w:tblGrid>']
for i, r in enumerate(rows):
    cells, j = [], 0
    while j < width:
        text, props, span = r[j], '', 1
        if j < 2:
            below = rows[i + 1][j] if i + 1 < len(rows) else 'x'
            if not text.strip() and merging[j]:
                props = '<w:vMerge/>'
            elif text.strip() and not below.strip():
                props = '<w:vMerge w:val="restart"/>'
                merging[j] = True
            else:
                merging[j] = False
            if text.strip() and below.strip():
                merging[j] = False
        elif text.strip() and not any(c.strip() for c in r[j + 1:]):
            span = width - j
            if span > 1:
                props = f'<w:gridSpan w:val="{span}"/>'
        cells.append(tc(text, props))
        j += span
    body.append('<w:tr>' + ''.join(cells) + '</w:tr>')
body.append('</w:tbl>')

W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}"><w:body>{"".join(body)}</w:body></w:document>')
types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
         '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')
with zipfile.ZipFile('tests/data/forms/ok/0013_seed_word_table.docx', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in [('[Content_Types].xml', types), ('_rels/.rels', rels), ('word/document.xml', document)]:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
