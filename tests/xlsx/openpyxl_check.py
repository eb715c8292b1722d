#!/usr/bin/env python3
"""Independent reader/writer for the XLSX export tests of jixiao-form (run by the Rust test
`xlsx_write::tests::openpyxl_*`; needs openpyxl: `python3 -m pip install openpyxl`).

    openpyxl_check.py dump IN            JSON on stdout: sheet name, merged ranges, and every
                                         non-empty cell as {"v": value, "t": type, "fmt": format}
    openpyxl_check.py edit IN OUT CELL TEXT
                                         sets CELL (e.g. E23) of the first sheet to TEXT, saves OUT
    openpyxl_check.py unmerge IN OUT     splits every merged range (the value stays in the
                                         top-left cell, as Excel does), saves OUT
"""
import datetime
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (python3 -m pip install openpyxl)", file=sys.stderr)
    sys.exit(3)


def dump(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if isinstance(v, datetime.datetime):
                t, v = "d", v.date().isoformat()
            elif isinstance(v, datetime.date):
                t, v = "d", v.isoformat()
            elif isinstance(v, bool):
                t = "b"
            elif isinstance(v, (int, float)):
                t, v = "n", float(v)
            else:
                t, v = "s", str(v)
            cells[c.coordinate] = {"v": v, "t": t, "fmt": c.number_format}
    out = {
        "sheets": wb.sheetnames,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "cells": cells,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


def edit(src, dst, cell, text):
    wb = openpyxl.load_workbook(src)
    wb.worksheets[0][cell] = text
    wb.save(dst)


def unmerge(src, dst):
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    for r in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(r))
    wb.save(dst)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "dump" and len(sys.argv) == 3:
        dump(sys.argv[2])
    elif cmd == "edit" and len(sys.argv) == 6:
        edit(*sys.argv[2:])
    elif cmd == "unmerge" and len(sys.argv) == 4:
        unmerge(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
