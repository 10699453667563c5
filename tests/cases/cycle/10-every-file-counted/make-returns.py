#!/usr/bin/python3
"""Makes the workbook returns of this case from the shipped 2023H1 CSV returns, the way units
make them: 县财政局 keys its CSV into Excel (a 填报说明 sheet first, a merged title, 55% as a
percent cell, dates as date cells); 县公安局 keeps an Excel 97-2003 .xls (saved by
LibreOffice); 嘉祥街道 fills in the office's own XLSX form (ducha-forms) with openpyxl.

    make-returns.py TOP BIN     (TOP: the checkout; BIN: where the ducha programs are)

Run by hand when the sample changes, with Debian's /usr/bin/python3 (python3-openpyxl) and
soffice; the files it writes into returns/ are committed.
"""
import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.styles import Alignment

top, bindir = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "returns")
src = os.path.join(top, "input/2023/returns/2023H1")


def rows_of(name, encoding):
    with open(os.path.join(src, name), encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def as_date(text):
    m = re.match(r"(\d{4})[年/-](\d{1,2})[月/-](\d{1,2})", text)
    return datetime.date(int(m[1]), int(m[2]), int(m[3])) if m else text


def keyed_workbook(rows, path):
    """A unit's own workbook: the CSV's rows keyed into Excel cells of the right kinds."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填报说明"
    notes["A1"] = "请按表中各列填写，进度填百分比。"
    ws = wb.create_sheet("落实情况")
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    width = len(rows[header_at])
    for i, r in enumerate(rows):
        if i < header_at:
            text = next((c for c in r if c), "")
            ws.append([text])
            ws.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=width)
            continue
        cells = list(r) + [""] * (width - len(r))
        row = []
        for name, value in zip(rows[header_at], cells):
            if i == header_at or value == "":
                row.append(value if value != "" else None)
            elif name == "任务编号" and value.isdigit():
                row.append(int(value))
            elif name == "完成进度" and value.endswith("%"):
                row.append(float(value[:-1]) / 100)
            elif name == "完成进度" and re.fullmatch(r"\d+(\.\d+)?", value):
                row.append(float(value) if "." in value else int(value))
            elif name == "填报日期":
                row.append(as_date(value))
            else:
                row.append(value)
        ws.append(row)
        for cell in ws[ws.max_row]:
            name = rows[header_at][cell.column - 1] if cell.column <= width else ""
            if name == "完成进度" and isinstance(cell.value, float) and i > header_at and \
                    cells[cell.column - 1].endswith("%"):
                cell.number_format = "0%"
            if name == "填报日期" and isinstance(cell.value, datetime.date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
            if name in ("进展情况", "存在问题", "下步措施"):
                cell.alignment = Alignment(wrap_text=True)
    wb.save(path)


keyed_workbook(rows_of("县财政局.csv", "utf-8-sig"), os.path.join(out, "县财政局.xlsx"))

with tempfile.TemporaryDirectory() as tmp:
    xlsx = os.path.join(tmp, "县公安局.xlsx")
    keyed_workbook(rows_of("县公安局.csv", "gb18030"), xlsx)
    env = dict(os.environ, HOME=tmp)
    subprocess.run(["soffice", "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", tmp,
                    xlsx], check=True, env=env, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(tmp, "县公安局.xls"), os.path.join(out, "县公安局.xls"))

    # The office's form for 嘉祥街道, filled from what its CSV return says.
    subprocess.run([os.path.join(bindir, "ducha-forms"), "-c",
                    os.path.join(top, "input/2023/catalog"), "--cycle", "2023H1", "-o", tmp,
                    "--format", "xlsx"], check=True)
    rows = rows_of("嘉祥街道.csv", "utf-8-sig")
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    answers = {"rows": []}
    keys = {"责任人": "owner", "联系电话": "phone", "完成进度": "progress", "状态": "status",
            "进展情况": "narrative", "存在问题": "problems", "下步措施": "next_steps",
            "填报日期": "reported_on"}
    for r in rows[header_at + 1:]:
        rec = dict(zip(rows[header_at], r))
        task = rec["任务编号"]
        m = re.fullmatch(r"民生实事(\d+)（(\d+)）", task)
        if m:
            task = "M%s-%s" % (m[1], m[2])
        answer = {"task_id": task, "metric": ""}
        for name, key in keys.items():
            if rec.get(name):
                value = rec[name]
                if key == "progress":
                    value = int(value) if value.isdigit() else value
                answer[key] = value
        answers["rows"].append(answer)
    answers["signature"] = {"填报人": "陆强", "联系电话": "15096032215"}
    path = os.path.join(tmp, "answers.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(answers, f, ensure_ascii=False)
    subprocess.run(["/usr/bin/python3", os.path.join(top, "tests/forms/fill-form.py"),
                    "--with", "openpyxl", path, os.path.join(tmp, "嘉祥街道.xlsx"),
                    os.path.join(out, "嘉祥街道.xlsx")], check=True)
