"""Cell-per-line text of a PDF's tables, as a table extractor writes it cell by cell.

Every table cell's text on lines of its own, cells left to right and rows top to bottom; a cell
that wraps in the PDF keeps its line breaks (so long cells are broken mid-word), merged cells
appear once (pdfplumber gives their text at the first row of the merge) and blank cells not at
all. Text outside the tables (titles) comes in its place from top to bottom; a form feed starts
each page after the first, as pdftotext writes it.

    python3 -m venv venv && venv/bin/pip install pdfplumber==0.11.10
    venv/bin/python tests/data/pdf/text/cells.py tests/data/pdf/seed_libreoffice.pdf \\
        > tests/data/pdf/text/seed_libreoffice.cells.txt

(run by scripts/make-pdf-fixtures.sh).
"""
import sys

import pdfplumber

with pdfplumber.open(sys.argv[1]) as pdf:
    for number, page in enumerate(pdf.pages):
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]

        def outside(obj):
            x = (obj["x0"] + obj["x1"]) / 2
            y = (obj["top"] + obj["bottom"]) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        items = []
        for line in page.filter(outside).extract_text_lines():
            items.append((line["top"], [line["text"]]))
        for t in tables:
            cells = [c for row in t.extract() for c in row if c and c.strip()]
            items.append((t.bbox[1], cells))
        feed = "\f" if number > 0 else ""
        for _, texts in sorted(items, key=lambda i: i[0]):
            for text in texts:
                print(feed + text)
                feed = ""
