#!/usr/bin/env python3
"""Edits a 自评表 workbook written by `jixiao report self-eval --format xlsx` the way a person
does in Excel or WPS, for the round-trip test of crates/cli/tests/self_eval.rs (needs openpyxl).

    openpyxl_self_eval.py edit IN OUT CELL VALUE
        on the first sheet: splits every merged range (the value stays in the top-left cell),
        types every number of the indicator table as text ("16.67"), writes the 执行率 as a
        plain percentage (0.9861 under "0%"), turns the 接送准点率 value (96 under 0.00"%")
        into a percentage cell (0.96 under "0.00%"), sets CELL to VALUE (a number when it reads
        as one), then inserts a blank row above the indicator table's header, saves OUT
    openpyxl_self_eval.py set IN OUT CELL TEXT
        sets CELL of the first sheet to TEXT (a string), saves OUT
"""
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (python3 -m pip install openpyxl)", file=sys.stderr)
    sys.exit(3)


def number(text):
    try:
        return float(text)
    except ValueError:
        return text


def edit(src, out, cell, value):
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    for rng in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(rng))
    header = None
    for row in ws.iter_rows():
        for c in row:
            if c.value == "一级指标":
                header = c.row
            if c.value == "执行率" and header is None:
                below = ws.cell(row=c.row + 1, column=c.column)
                below.number_format = "0%"
    ws[cell].value = number(value)
    for row in ws.iter_rows(min_row=header + 1):
        for c in row:
            if c.column_letter in ("F", "G") and isinstance(c.value, (int, float)):
                c.value = ("%.2f" % c.value)
                c.number_format = "@"
            if c.number_format == '0.00"%"' and isinstance(c.value, (int, float)):
                c.value = c.value / 100
                c.number_format = "0.00%"
    ws.insert_rows(header)
    wb.save(out)


def set_text(src, out, cell, text):
    wb = openpyxl.load_workbook(src)
    wb.worksheets[0][cell].value = text
    wb.save(out)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "edit":
        edit(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "set":
        set_text(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
