#!/usr/bin/env python3
"""Independent reader for the report XLSX tests of jixiao-report (run by the Rust tests
`tests::openpyxl_*` of crates/report; needs openpyxl: `python3 -m pip install openpyxl`).

    openpyxl_report.py dump IN   JSON on stdout: for every sheet its name, merged ranges, column
                                 widths, rows repeated on printed pages, orientation, and every
                                 non-empty cell as {"v": value, "t": type, "fmt": number format,
                                 "fill": RGB of a solid fill or null}
"""
import datetime
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (python3 -m pip install openpyxl)", file=sys.stderr)
    sys.exit(3)


def fill_of(c):
    f = c.fill
    if f is None or f.fill_type != "solid":
        return None
    rgb = f.fgColor.rgb if f.fgColor is not None else None
    if not isinstance(rgb, str):
        return None
    return rgb[-6:].upper()


def dump(path):
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
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
                cells[c.coordinate] = {"v": v, "t": t, "fmt": c.number_format, "fill": fill_of(c)}
        sheets.append({
            "name": ws.title,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "print_title_rows": ws.print_title_rows,
            "orientation": ws.page_setup.orientation,
            "cells": cells,
        })
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
