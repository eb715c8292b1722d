#!/usr/bin/env python3
"""Writes the Anhui-template fixture tests/data/forms/ok/0011_anhui.xlsx with openpyxl, as a
unit's Excel file has it: merged label cells, amounts as numbers in 万元, 中期目标 beside 年度目标
and 中期指标值 beside 年度指标值. Run once; the file is committed.

    python3 tests/xlsx/make_template_fixtures.py
"""
import openpyxl
from openpyxl.styles import Alignment

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "绩效目标表"
rows = [
    ["项目支出绩效目标申报表"],
    ["（2024年度）"],
    ["项目名称", "农村公路提质改造工程"],
    ["主管部门", "安徽省交通运输厅", None, "项目单位", "安徽省公路事业发展中心"],
    ["项目实施期限", "2023.07-2025.06"],
    ["资金情况（万元）", "中期资金总额", 5000, "年度资金总额", 2000.5],
    [None, "其中：财政资金", 4500, "其中：财政拨款", 1800.5],
    [None, "其他资金", 500, "其他资金", 200],
    ["绩效目标", "中期目标", None, "年度目标"],
    [None, "到2025年6月底，完成全省农村公路提质改造1.5万公里，路况优良率达到85%以上。", None,
     "2024年完成农村公路提质改造6000公里，新改建农村桥梁300座。"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"],
    [None, "产出指标", "数量指标", "提质改造里程", "≥15000公里", "≥6000公里"],
    [None, None, None, "新改建农村桥梁", "≥800座", "≥300座"],
    [None, None, "质量指标", "交工验收合格率", "100%", "100%"],
    [None, None, "时效指标", "年度任务完成时间", "2025年6月30日前", "2024年12月31日前"],
    [None, "成本指标", "经济成本指标", "每公里改造补助标准", "≤30万元/公里", "≤30万元/公里"],
    [None, "效益指标", "社会效益指标", "农村公路路况优良率", "≥85%", "≥80%"],
    [None, "满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "≥90%"],
]
for r in rows:
    ws.append(r)
for rng in ["A1:F1", "A2:F2", "B3:F3", "B4:C4", "E4:F4", "B5:F5", "A6:A8", "A9:A10",
            "B9:C9", "D9:F9", "B10:C10", "D10:F10", "A11:A18", "B12:B15", "C12:C13"]:
    ws.merge_cells(rng)
for row in ws.iter_rows():
    for c in row:
        c.alignment = Alignment(wrap_text=True, vertical="center")
for r in (6, 7, 8):
    for col in ("C", "E"):
        ws[f"{col}{r}"].number_format = "#,##0.00"
wb.save("tests/data/forms/ok/0011_anhui.xlsx")
