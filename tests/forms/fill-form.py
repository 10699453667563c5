#!/usr/bin/python3
"""Fills in a ducha form as a unit would, from a small JSON file of answers.

    fill-form.py [--with openpyxl|libreoffice|csv] ANSWERS.json FORM OUT

FORM is a blank form made by ducha-forms (.xlsx, or .csv in UTF-8 with a BOM); OUT is where
the filled form goes, in the same format. The answers name rows by task id and metric (an
empty metric is the task's own row) and give what a unit types into them:

    {"rows": [{"task_id": "38", "metric": "", "owner": "褚红", "phone": "0537-6881234",
               "progress": 60, "status": "序时推进", "narrative": "…",
               "reported_on": "2023-12-28"},
              {"task_id": "38", "metric": "亮灯率", "value": 97}],
     "signature": {"填报人": "褚红", "联系电话": "0537-6881234", "审核人": "王强"}}

  openpyxl     (the default for .xlsx) python3-openpyxl edits the workbook's cells, as a
               script would: numbers as numbers, dates as dates, text as text.
  libreoffice  LibreOffice Calc, headless, driven through UNO (python3-uno): it opens the
               form, types into the cells as a user would (cell by cell, the text parsed as
               Calc parses typing, so 2023-12-28 becomes a date), and saves it as .xlsx
               ("Calc MS Excel 2007 XML"), as a unit that uses LibreOffice would. The sheet's
               protection is left on: a cell the form keeps locked cannot be filled.
  csv          the CSV form, with Python's csv module (UTF-8 with a BOM kept).

Only the cells a unit fills are touched. Exits 0 when filled, 1 when a row of the answers is
not in the form or a cell could not be filled, 77 when the tool asked for is not installed.
Run with Debian's /usr/bin/python3, which has python3-openpyxl and python3-uno.
"""
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The return's headers (DESIGN.md) and the answers' keys for them.
COLUMNS = {
    "owner": "责任人",
    "phone": "联系电话",
    "progress": "完成进度",
    "status": "状态",
    "value": "完成值",
    "narrative": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步措施",
    "reported_on": "填报日期",
}
SIGNATURE = ("填报人", "联系电话", "审核人")


def die(code, message):
    print("fill-form: " + message, file=sys.stderr)
    sys.exit(code)


def as_text(v):
    return v if isinstance(v, str) else ("%g" % v if isinstance(v, float) else str(v))


def locate(grid):
    """The header row's index, the columns by header, and the data rows by (task, metric)
    in GRID, a list of rows of cell texts."""
    for h, row in enumerate(grid):
        if row and as_text(row[0] or "").strip() == "任务编号":
            cols = {as_text(c).strip(): i for i, c in enumerate(row) if c not in (None, "")}
            break
    else:
        die(1, "the form has no header row (任务编号 …)")
    rows = {}
    for r in range(h + 1, len(grid)):
        row = grid[r]
        task = as_text(row[cols["任务编号"]] or "").strip() if len(row) > cols["任务编号"] else ""
        if not task:
            continue
        metric = as_text(row[cols["指标"]] or "").strip() if len(row) > cols["指标"] else ""
        rows.setdefault((task, metric), r)
    signature = None
    for r in range(h + 1, len(grid)):
        if grid[r] and as_text(grid[r][0] or "").startswith("填报人"):
            signature = r
    return h, cols, rows, signature


def plan(answers, grid):
    """What to type where: a list of (row, column, key, answer) with 0-based indexes."""
    h, cols, rows, signature = locate(grid)
    cells_to_fill = []
    for a in answers.get("rows", []):
        key = (str(a["task_id"]), a.get("metric", ""))
        if key not in rows:
            die(1, "no row for task %s, metric '%s' in the form" % key)
        for k, header in COLUMNS.items():
            if k in a:
                cells_to_fill.append((rows[key], cols[header], k, a[k]))
    sig = answers.get("signature", {})
    if sig:
        if signature is None:
            die(1, "the form has no signature row (填报人：…)")
        # Each name is typed after its label, in the label's own cell, as people do.
        for label in SIGNATURE:
            if label not in sig:
                continue
            for c, text in enumerate(grid[signature]):
                if as_text(text or "").startswith(label):
                    cells_to_fill.append((signature, c, "signature", as_text(text) + sig[label]))
                    break
            else:
                die(1, "the signature row has no %s：" % label)
    return cells_to_fill


# ---- CSV --------------------------------------------------------------------------------------

def fill_csv(answers, form, out):
    with open(form, encoding="utf-8-sig", newline="") as f:
        grid = list(csv.reader(f))
    for r, c, _, v in plan(answers, grid):
        grid[r] += [""] * (c + 1 - len(grid[r]))
        grid[r][c] = as_text(v)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(grid)


# ---- openpyxl ---------------------------------------------------------------------------------

def fill_openpyxl(answers, form, out):
    try:
        import openpyxl
    except ImportError:
        die(77, "python3-openpyxl is not installed for %s" % sys.executable)
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    for r, c, key, v in plan(answers, grid):
        cell = ws.cell(row=r + 1, column=c + 1)
        if cell.protection.locked and ws.protection.sheet:
            die(1, "%s is locked: the form does not let a unit fill it" % cell.coordinate)
        if key == "reported_on":
            v = datetime.datetime.strptime(v, "%Y-%m-%d")
        elif isinstance(v, str) and v.endswith("%") and v[:-1].replace(".", "", 1).isdigit():
            # 85% typed into Excel: the number 0.85 shown in a percent format.
            v = float(v[:-1]) / 100
            cell.number_format = "0%"
        cell.value = v
    wb.save(out)


# ---- LibreOffice through UNO ------------------------------------------------------------------

def fill_libreoffice(answers, form, out):
    try:
        import uno
        from com.sun.star.beans import PropertyValue
        from com.sun.star.connection import NoConnectException
    except ImportError:
        die(77, "python3-uno is not installed for %s" % sys.executable)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        die(77, "LibreOffice (soffice) is not installed")

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    profile = tempfile.mkdtemp(prefix="fill-form-lo.")
    pipe = "ducha_fill_%d" % os.getpid()
    proc = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "--nolockcheck", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    doc = desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except NoConnectException:
                if proc.poll() is not None:
                    die(1, "LibreOffice stopped before it could be driven")
                time.sleep(0.2)
        else:
            die(1, "LibreOffice did not answer within two minutes")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(form)), "_blank", 0,
            (prop("Hidden", True),))
        if doc is None:
            die(1, "LibreOffice could not open %s" % form)
        sheet = doc.Sheets.getByIndex(0)
        used = sheet.createCursor()
        used.gotoEndOfUsedArea(False)
        last_row, last_col = used.RangeAddress.EndRow, used.RangeAddress.EndColumn
        grid = [[sheet.getCellByPosition(c, r).String for c in range(last_col + 1)]
                for r in range(last_row + 1)]
        controller = doc.getCurrentController()
        dispatcher = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", ctx)
        for r, c, key, v in plan(answers, grid):
            cell = sheet.getCellByPosition(c, r)
            name = "%s%d" % (chr(ord("A") + c), r + 1)
            if sheet.isProtected() and cell.CellProtection.IsLocked:
                die(1, "%s is locked: the form does not let a unit fill it" % name)
            # Typed as a user types, through Calc's input line (.uno:EnterString): Calc reads
            # numbers, 85% (a percent format) and ISO dates from the text, except in a cell
            # formatted as text (联系电话), which keeps what was typed.
            controller.select(cell)
            dispatcher.executeDispatch(controller.getFrame(), ".uno:EnterString", "", 0,
                                       (prop("StringName", as_text(v)),))
            if cell.getString() == "" and as_text(v) != "":
                die(1, "%s: LibreOffice did not take what was typed" % name)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        try:
            if doc is not None:
                doc.close(True)
        except Exception:
            pass
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv):
    how = None
    if len(argv) > 2 and argv[1] == "--with":
        how, argv = argv[2], argv[:1] + argv[3:]
    if len(argv) != 4:
        die(64, "usage: fill-form.py [--with openpyxl|libreoffice|csv] ANSWERS.json FORM OUT")
    with open(argv[1], encoding="utf-8") as f:
        answers = json.load(f)
    form, out = argv[2], argv[3]
    how = how or ("csv" if form.lower().endswith(".csv") else "openpyxl")
    fill = {"csv": fill_csv, "openpyxl": fill_openpyxl, "libreoffice": fill_libreoffice}.get(how)
    if not fill:
        die(64, "unknown filler '%s' (openpyxl, libreoffice or csv)" % how)
    fill(answers, form, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
