#!/usr/bin/env python3
"""Make the shipped sample returns: input/2023/returns/2023H1/ and 2023H2/.

A maintainer's tool. It made the return files that are committed under
input/2023/returns/ and the manifest tests/sample/manifest.csv; `make` never runs it.
Re-run it (from the top of the work tree: `python3 tests/sample/make-returns.py`) only to
change the sample on purpose, and commit what it writes together with the change.

The returns are INVENTED: no unit of 嘉祥县 wrote them. They are what host units would send
for the 2023 document (嘉政发〔2023〕1号): one file per host unit of the catalog (every unit
of kind other than collective named among some task's hosts), one row per hosted task, per
indicator for a few units. Narratives come from tests/sample/narratives.txt. The output is
deterministic: the random choices are seeded, and the deliberate irregularities (errors,
late files, missing units, odd layouts and encodings) are chosen by hand below, in
IRREGULAR, and written to the manifest with the file and line where each one is.
"""

import csv
import datetime
import os
import random
import sys

SEED = 2023
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CATALOG = os.path.join(ROOT, "input", "2023", "catalog")
RETURNS = os.path.join(ROOT, "input", "2023", "returns")
NARRATIVES = os.path.join(ROOT, "tests", "sample", "narratives.txt")
MANIFEST = os.path.join(ROOT, "tests", "sample", "manifest.csv")

CYCLES = ("2023H1", "2023H2")
LABEL = {"2023H1": "上半年", "2023H2": "下半年"}

HEADER = ["任务编号", "承办单位", "责任人", "联系电话", "完成进度", "状态", "完成值", "指标",
          "进展情况", "存在问题", "下步措施", "填报日期"]
FIELDS = ["task_id", "unit", "owner", "phone", "progress", "status", "value", "metric",
          "narrative", "problems", "next_steps", "reported_on"]
LABEL_OF = dict(zip(FIELDS, HEADER))

# ---------------------------------------------------------------------------------------
# The catalog


def read_csv(name):
    with open(os.path.join(CATALOG, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


TASKS = read_csv("tasks.csv")
TASK = {t["id"]: t for t in TASKS}
UNITS = {u["name"]: u for u in read_csv("units.csv")}
INDICATORS = {}
for ind in read_csv("indicators.csv"):
    INDICATORS.setdefault(ind["task_id"], []).append(ind)


def host_units():
    """Host units in catalog task order, each with the tasks it hosts."""
    hosted = {}
    for t in TASKS:
        for h in filter(None, t["hosts"].split("|")):
            if UNITS[h]["kind"] != "collective":
                hosted.setdefault(h, []).append(t["id"])
    return hosted


HOSTED = host_units()

# ---------------------------------------------------------------------------------------
# Narratives


def read_narratives():
    recs = {}
    cur = None
    with open(NARRATIVES, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                cur = None if not line else cur
                continue
            if line[:2] in ("1:", "2:", "P:", "N:"):
                cur[line[0]] = line[2:].strip().replace("\\n", "\n")
                continue
            if line[:3] in ("V1:", "V2:"):
                cur[line[:2]] = dict((m.strip(), float(v)) for m, v in
                                     (kv.split("=") for kv in line[3:].split(";")))
                continue
            task, unit, cls = line.split()
            parts = cls.split(":")
            cur = {"class": parts[0],
                   "p1": int(parts[1]) if len(parts) > 1 else None,
                   "p2": int(parts[2]) if len(parts) > 2 else None}
            recs[(task, unit)] = cur
    return recs


NARR = read_narratives()

# ---------------------------------------------------------------------------------------
# The deliberate irregularities, chosen by hand

MISSING = {
    "2023H1": ["县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室", "县法院",
               "济宁银保监分局嘉祥监管组", "县供电公司", "县曾子研究院", "县人才事业发展中心"],
    "2023H2": ["县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室", "县法院",
               "人民银行嘉祥支行", "县文物旅游服务中心", "县体育事业发展中心",
               "中国农业银行嘉祥支行"],
}
MISSING_WHY = {
    "县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室":
        "the 2023 epidemic office wound down; a realistic non-reporter",
}

LATE = {  # unit -> the date on its whole return
    "2023H1": {"县民政局": datetime.date(2023, 7, 3), "县港航事业服务中心": datetime.date(2023, 7, 10)},
    "2023H2": {"县残联": datetime.date(2024, 1, 3), "县邮政管理局": datetime.date(2024, 1, 5),
               "纸坊镇": datetime.date(2024, 1, 8)},
}

# Row-level irregularities: (cycle, unit, task) -> what to do to that row.
ROW = {
    ("2023H1", "县政德教育中心", "45"): {"kind": "progress_over_100", "progress": "120",
                                   "note": "progress 120 (training count above plan)"},
    ("2023H1", "县园林环卫事务中心", "42"): {"kind": "progress_not_number", "progress": "过半",
                                     "note": "progress written as the word 过半"},
    ("2023H1", "县统计局", "31"): {"kind": "date_before_start", "date": "2022-12-20",
                              "note": "reported_on 2022-12-20, before the cycle starts (2023-01-01); last year's form reused"},
    ("2023H1", "县消防救援大队", "29"): {"kind": "date_too_late", "date": "2023-09-15",
                                 "note": "reported_on 2023-09-15, more than 60 days after the 2023-06-30 deadline"},
    ("2023H1", "县城建集团", "23"): {"kind": "ragged_row",
                               "note": "unquoted ASCII comma in 进展情况: 13 cells under a 12-column header"},
    ("2023H1", "县科学技术局", "25"): {"kind": "status_contradicts", "status": "已完成", "progress": "60",
                                "note": "status 已完成 at progress 60"},
    ("2023H1", "县司法局", "M9"): {"kind": "status_empty", "status": "",
                              "note": "status left empty (derive from progress, flag)"},
    ("2023H1", "县妇联", "56"): {"kind": "status_empty", "status": "",
                             "note": "status left empty (derive from progress, flag)"},
    ("2023H2", "县住房和城乡建设局", "62"): {"kind": "status_unknown", "status": "基本完成", "progress": "95",
                                    "note": "status 基本完成 is not in the status table"},
    ("2023H2", "县信访局", "74"): {"kind": "date_malformed", "date": "2023-13-01",
                              "note": "reported_on 2023-13-01: month 13 does not exist"},
    ("2023H2", "县市场监督管理局", "35"): {"kind": "duplicate_row",
                                   "note": "the row for task 35 appears twice, identical (the second line is the duplicate)"},
    ("2023H2", "县公安局", "77"): {"kind": "ragged_row",
                              "note": "unquoted ASCII comma in 进展情况 (GBK file): 13 cells under a 12-column header"},
    ("2023H2", "县行政审批服务局", "4"): {"kind": "value_with_unit", "value": "1.36万家",
                                  "note": "完成值 1.36万家 for indicator 新增各类市场主体: a unit of measure after the number"},
    ("2023H2", "县规划发展服务中心", "37"): {"kind": "status_contradicts", "status": "已办结", "progress": "88",
                                    "note": "status 已办结 (done) at progress 88"},
    ("2023H2", "县社会治理服务中心", "74"): {"kind": "status_empty", "status": "",
                                    "note": "status left empty (derive from progress, flag)"},
    ("2023H2", "县医疗保障局", "64"): {"kind": "status_empty", "status": "",
                                "note": "status left empty (derive from progress, flag)"},
}

# Rows a unit adds for a task it does not host.
EXTRA = {
    "2023H1": {
        "县发展和改革局": [{"task": "99", "id_text": "第99项", "kind": "task_unknown",
                      "note": "task id 第99项 does not exist (the document has 1-81 and M1-M10)",
                      "narrative": "全县列入省市重点项目23个，上半年完成投资58.6亿元，占年度计划的56%。",
                      "progress": 56}],
        "县财政局": [{"task": "7", "kind": "cohost_report",
                   "note": "县财政局 is a co-unit of task 7 (host 县金融工作服务中心): valid, role cohost, a note on the task",
                   "progress": 50}],
    },
    "2023H2": {
        "县教育和体育局": [{"task": "73", "kind": "task_not_hosted",
                       "note": "task 73 is hosted by 县体育事业发展中心; 县教育和体育局 is neither host nor co-unit",
                       "progress": 100}],
        "县农业农村局": [{"task": "17", "metric": "粮食播种面积", "value": "116.5万", "kind": "metric_not_indicator",
                     "note": "指标 粮食播种面积 is not an indicator of task 17 in indicators.csv",
                     "narrative": "全年粮食播种面积116.5万亩，稳定在上年水平。", "progress": 100}],
    },
}

# Whole files that are not one host unit's ordinary return.
RESUBMIT = {"2023H1": {"unit": "县水务局", "first": "县水务局.csv", "second": "县水务局（更正）.csv",
                       "first_date": datetime.date(2023, 6, 26), "second_date": datetime.date(2023, 6, 29)}}
UNKNOWN_UNIT_FILE = {"2023H1": {"unit": "县投资促进发展中心", "as": "县招商服务中心", "file": "县招商服务中心.csv"}}
COHOST_FILE = {"2023H2": {"unit": "县公路局", "tasks": ["57"], "file": "县公路局.csv"}}
REGRESSIONS = [("50", "县规划发展服务中心"), ("43", "县文化和旅游局")]

# Per-unit file styles fixed by hand; the rest are drawn from the seeded generator.
STYLE = {
    "县财政局": {"title": True, "sign": True, "date": "cn"},
    "县发展和改革局": {"alias": "县发改局", "id": "di", "pct": "pct", "file": "县发改局.csv"},
    "县商务局": {"per_ind": {"21", "34"}, "date": "slash", "file": "县商务局-2023{half}.csv"},
    "县税务局": {"enc": "utf-16le"},
    "县大数据中心": {"enc": "utf-8", "eol": "\n", "ascii": True, "date": "iso", "pct": "plain", "id": "plain"},
    "县卫生健康局": {"alias": "县卫健局", "file": "县卫健局.csv",
                "order": ["task_id", "narrative", "progress", "status", "problems", "next_steps",
                          "value", "metric", "unit", "owner", "phone", "reported_on"]},
    "县医疗保障局": {"alias": "县医保局", "extra_col": "备注"},
    "县人力资源和社会保障局": {"alias": "县人社局", "file": "县人社局.csv", "seq_col": True},
    "县自然资源和规划局": {"alias": "县自然资源局", "variant_header": True},
    "县住房和城乡建设局": {"alias": "县住建局", "per_ind": {"38", "40"}, "title": True, "sign": True,
                   "owner_per_task": True, "blank_before_sign": True},
    "县农业农村局": {"per_ind": {"17", "18"}, "task_row": {"18"}, "title": True, "wan": True},
    "县文化和旅游局": {"alias": "县文旅局", "per_ind": {"72"}},
    "县市场监督管理局": {"alias": "县市场监管局", "pct": "fw"},
    "县行政审批服务局": {"per_ind": {"4"}},
    "县经开区": {"alias": "嘉祥经济开发区管委会", "file": "嘉祥经济开发区.csv", "id": "di"},
    "嘉祥街道": {"alias": "嘉祥街道办事处", "m": "cn"},
    "纸坊镇": {"alias": "纸坊镇人民政府", "enc": "gbk", "title": True, "sign": True},
    "县公安局": {"enc": "gbk", "title": True, "sign": True, "date": "slash"},
    "县供销社": {"alias": "县供销合作社", "enc": "gbk", "m": "cn"},
    "县残联": {"enc": "gbk", "m": "cn", "pct": "pct"},
    "县农业机械化服务中心": {"enc": "gbk", "date": "serial", "m": "M"},
    "县邮政管理局": {"enc": {"2023H1": "utf-8-sig", "2023H2": "gbk"}},
    "县城建集团": {"date": "dot"},
    "县民政局": {"file": "嘉祥县民政局2023年{half}重点工作落实情况.csv", "m": "cn", "sign": True},
    "县教育和体育局": {"alias": "县教体局", "m": "M"},
    "县工业和信息化局": {"alias": "县工信局", "owner_per_task": True},
}

# ---------------------------------------------------------------------------------------
# People and numbers

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉健斌宁波凯琳晨浩宇欣晓雪梅亮峰莉新利建国庆立志文海冬慧颖倩瑞鑫"


def person(rng):
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    if rng.random() < 0.55:
        name += rng.choice(GIVEN)
    return name


def phone(rng):
    if rng.random() < 0.55:
        return "0537-68%05d" % rng.randrange(100000)
    return rng.choice(["135", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                       "182", "183", "187", "188", "198"]) + "%08d" % rng.randrange(10 ** 8)


def task_rng(*key):
    return random.Random("%d:%s" % (SEED, ":".join(key)))


def progresses(task, unit):
    """(H1, H2) progress of a (task, host) pair, from its class in narratives.txt."""
    rec = NARR[(task, unit)]
    rng = task_rng("progress", task, unit)
    cls = rec["class"]
    if cls == "n":
        p1, p2 = rng.choice([40, 45, 48, 50, 50, 52, 55, 55, 58, 60, 60, 62, 65]), 100
    elif cls == "d":
        p1, p2 = 100, 100
    elif cls == "s":
        p1, p2 = rng.choice([40, 45, 50, 50, 55, 60]), rng.choice([80, 85, 88, 90, 92, 95])
    elif cls == "l":
        p1, p2 = rng.choice([15, 20, 25, 28, 30]), rng.choice([80, 85, 90, 95])
    elif cls == "L":
        p1, p2 = rng.choice([15, 20, 25, 30]), rng.choice([45, 50, 60, 65, 70])
    elif cls == "z":
        p1, p2 = 0, rng.choice([60, 70, 80, 90])
    else:
        raise SystemExit("narratives.txt: unknown class %r for %s %s" % (cls, task, unit))
    if rec["p1"] is not None:
        p1 = rec["p1"]
    if rec["p2"] is not None:
        p2 = rec["p2"]
    if (task, unit) not in REGRESSIONS:
        p2 = max(p1, p2)
    return p1, p2


STATUS_DONE = ["已完成", "已完成", "已完成", "已办结", "完成"]
STATUS_ON = ["序时推进", "正常推进", "按序时推进", "有序推进", "推进中", "正在推进", "达序时", "进行中"]
STATUS_AHEAD = ["超序时", "超进度"]
STATUS_LATE = ["进展滞后", "滞后", "进度滞后", "滞后序时", "进度缓慢", "未达序时"]
STATUS_NONE = ["未启动", "暂未启动", "尚未启动"]


def status_for(p, cycle, rng):
    if p >= 100:
        return rng.choice(STATUS_DONE + (["提前完成"] if cycle == "2023H1" else []))
    if p == 0:
        return rng.choice(STATUS_NONE)
    if (cycle == "2023H1" and p < 35) or (cycle == "2023H2" and p < 80):
        return rng.choice(STATUS_LATE)
    if cycle == "2023H1" and p >= 60 and rng.random() < 0.4:
        return rng.choice(STATUS_AHEAD)
    return rng.choice(STATUS_ON)


PROBLEM_NONE = ["无", "无", "暂无", "无。", ""]
NEXT_H1 = ["持续跟踪调度，确保完成年度目标任务。", "对照年度目标，倒排工期、挂图作战，确保按期完成。",
           "加强督导调度，按序时推进各项工作。", "继续抓好工作落实，确保全年任务圆满完成。",
           "强化部门协作，及时解决推进中遇到的困难问题。", ""]
NEXT_H2 = ["巩固工作成效，谋划2024年工作。", "总结经验做法，建立长效机制。", "持续巩固提升。", "", ""]

FW = str.maketrans("0123456789%.", "０１２３４５６７８９％．")


def fmt_progress(p, style, rng):
    if style == "mixed":
        style = rng.choice(["plain", "pct", "fw"])
    if style == "plain":
        return str(p)
    if style == "pct":
        return "%d%%" % p
    if style == "pct2":
        return "%.2f%%" % p
    if style == "fw":
        return ("%d%%" % p).translate(FW)
    raise ValueError(style)


def fmt_date(d, style):
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return "%d/%d/%d" % (d.year, d.month, d.day)
    if style == "cn":
        return "%d年%d月%d日" % (d.year, d.month, d.day)
    if style == "dot":
        return "%d.%d.%d" % (d.year, d.month, d.day)
    if style == "serial":
        return str((d - datetime.date(1899, 12, 30)).days)
    raise ValueError(style)


def fmt_task(task, style, mstyle, rng):
    if task.startswith("M"):
        if mstyle == "cn":
            proj, _, item = task[1:].partition("-")
            return "民生实事%s（%s）" % (proj, item) if item else "民生实事%s" % proj
        return task
    if style == "di":
        return "第%s项" % task
    if style == "fw" or (style == "mixed" and rng.random() < 0.25):
        return task.translate(FW)
    return task


def fmt_value(v, unit, wan):
    if unit == "%" or isinstance(v, float) and v != int(v):
        return ("%.2f" % v).rstrip("0").rstrip(".")
    v = int(round(v))
    if wan and v >= 100000000:
        return ("%.2f" % (v / 1e8)).rstrip("0").rstrip(".") + "亿"
    if wan and v >= 10000:
        return ("%.2f" % (v / 1e4)).rstrip("0").rstrip(".") + "万"
    return str(v)


def indicator_rows(task, unit, p, cycle, wan):
    """(metric, value, progress, narrative) for each indicator of a task, from the values
    the pair's V1:/V2: lines in narratives.txt give. A count's progress is value/target; a
    rate's (a growth or a share) is the row's own in the first half, and whether the
    target was reached in the second."""
    values = NARR[(task, unit)]["V1" if cycle == "2023H1" else "V2"]
    out = []
    for ind in INDICATORS[task]:
        target = float(ind["value"])
        value = values[ind["metric"]]
        if ind["unit"] == "%":
            ip = p if cycle == "2023H1" else min(100, int(round(value / target * 100)))
        else:
            ip = min(100, int(round(value / target * 100)))
        text = fmt_value(value, ind["unit"], wan)
        narr = "%s：完成%s%s，目标%s%s。" % (ind["metric"], text, ind["unit"],
                                        fmt_value(target, ind["unit"], wan), ind["unit"])
        out.append((ind["metric"], text, ip, narr))
    return out


# ---------------------------------------------------------------------------------------
# One unit's return


class Row:
    def __init__(self, cells, kinds=(), ragged_field=None, task=None):
        self.cells = cells            # field -> text
        self.task = task              # the canonical task id the row is about
        self.kinds = list(kinds)      # (kind, note) pairs for the manifest
        self.ragged_field = ragged_field
        self.line = None


def unit_style(unit, cycle):
    rng = task_rng("style", unit)
    st = {
        "enc": "utf-8-sig",
        "eol": "\r\n" if rng.random() < 0.8 else "\n",
        "alias": unit,
        "id": rng.choice(["plain"] * 6 + ["di", "mixed"]),
        "m": rng.choice(["M", "M", "cn"]),
        "pct": rng.choice(["plain", "plain", "plain", "pct", "pct", "pct2", "mixed"]),
        "date": rng.choice(["iso", "iso", "iso", "slash", "slash", "cn", "cn", "dot", "serial"]),
        "title": rng.random() < 0.06,
        "sign": rng.random() < 0.1,
        "blank_before_sign": False,
        "per_ind": set(),
        "task_row": set(),
        "wan": False,
        "owner_per_task": False,
        "file": "%s.csv" % unit,
    }
    for k, v in STYLE.get(unit, {}).items():
        st[k] = v[cycle] if isinstance(v, dict) and cycle in v else v
    st["file"] = st["file"].format(half=LABEL[cycle])
    if st["enc"] == "gbk":
        st["eol"] = "\r\n"
    if st["enc"] == "utf-16le":
        st["eol"] = "\r\n"
        st["title"] = st["sign"] = False
    if st.get("ascii"):
        st["title"] = st["sign"] = False
    return st


def report_date(unit, cycle):
    if unit in LATE[cycle]:
        return LATE[cycle][unit]
    rng = task_rng("date", unit, cycle)
    if cycle == "2023H1":
        return datetime.date(2023, 6, rng.randrange(19, 31))
    return datetime.date(2023, 12, rng.randrange(15, 31))


def make_rows(unit, cycle, st, tasks, date, written_as=None, progress_shift=0):
    rng = task_rng("rows", unit, cycle)
    who = task_rng("person", unit)
    owner, tel = person(who), phone(who)
    if cycle == "2023H2" and rng.random() < 0.1:
        owner, tel = person(rng), phone(rng)
    name = written_as or st["alias"]
    rows = []
    date_text = fmt_date(date, st["date"])
    if st["enc"] == "utf-16le" and st["date"] == "serial":
        date_text = fmt_date(date, "iso")

    def base(task, p, status, narrative, problems, next_steps, metric="", value=""):
        o, t = owner, tel
        if st["owner_per_task"]:
            r = task_rng("person", unit, task)
            o, t = person(r), phone(r)
        return {"task_id": fmt_task(task, st["id"], st["m"], rng), "unit": name, "owner": o,
                "phone": t, "progress": fmt_progress(p, st["pct"], rng) if isinstance(p, int) else p,
                "status": status, "value": value, "metric": metric, "narrative": narrative,
                "problems": problems, "next_steps": next_steps, "reported_on": date_text}

    for task in tasks:
        rec = NARR[(task, unit)]
        p1, p2 = progresses(task, unit)
        p = p1 if cycle == "2023H1" else p2
        if progress_shift:
            p = max(0, p - progress_shift) if p < 100 else 85
        lagging = (cycle == "2023H1" and p < 35) or (cycle == "2023H2" and p < 100 and rec["class"] != "n")
        regressed = (task, unit) in REGRESSIONS and cycle == "2023H2"
        problems = rec.get("P", "") if (lagging or regressed) and "P" in rec else rng.choice(PROBLEM_NONE)
        if (lagging or regressed) and "N" in rec:
            next_steps = rec["N"]
        else:
            next_steps = rng.choice(NEXT_H1 if cycle == "2023H1" and p < 100 else NEXT_H2)
        narrative = rec["1" if cycle == "2023H1" else "2"]
        status = status_for(p, cycle, rng)
        irr = ROW.get((cycle, unit, task))
        kinds = []
        if irr:
            kinds.append((irr["kind"], irr["note"]))
            if "progress" in irr:
                p = int(irr["progress"]) if irr["progress"].isdigit() else irr["progress"]
            if "status" in irr:
                status = irr["status"]
        if task in st["per_ind"] and task in INDICATORS:
            pp = p if isinstance(p, int) else 50
            inds = indicator_rows(task, unit, pp, cycle, st["wan"])
            if len(inds) == 1 or task in st["task_row"]:
                if len(inds) == 1:
                    metric, value, ip, _ = inds[0]
                    if not (irr and "progress" in irr):
                        p, status = ip, status_for(ip, cycle, rng)
                    if irr and "value" in irr:
                        value = irr["value"]
                    rows.append(Row(base(task, p, status, narrative, problems, next_steps, metric, value), kinds))
                    continue
                rows.append(Row(base(task, p, status, narrative, problems, next_steps), kinds))
                first = False
            else:
                first = True
            for metric, value, ip, narr in inds:
                text = narrative + "\n" + narr if first else narr
                rows.append(Row(base(task, ip, status_for(ip, cycle, rng), text,
                                     problems if first else "", next_steps if first else "",
                                     metric, value), kinds if first else []))
                first = False
            continue
        row = Row(base(task, p, status, narrative, problems, next_steps), kinds)
        if irr and irr["kind"] == "ragged_row":
            row.cells["narrative"] = row.cells["narrative"].replace("，", ",", 1)
            row.ragged_field = "narrative"
        if irr and "date" in irr:
            row.cells["reported_on"] = irr["date"]
        if irr and "value" in irr:
            row.cells["value"] = irr["value"]
        row.task = task
        rows.append(row)
        if irr and irr["kind"] == "duplicate_row":
            rows.append(Row(dict(row.cells), [("duplicate_row", "exact copy of the row above")]))
            row.kinds = []
    for extra in EXTRA.get(cycle, {}).get(unit, []):
        task = extra["task"]
        rec = NARR.get((task, unit)) or NARR.get((task, extra.get("host", "")))
        narrative = extra.get("narrative") or (rec and rec["1" if cycle == "2023H1" else "2"])
        cells = base(task, extra["progress"], status_for(extra["progress"], cycle, rng), narrative,
                     rng.choice(PROBLEM_NONE), "", extra.get("metric", ""), extra.get("value", ""))
        if "id_text" in extra:
            cells["task_id"] = extra["id_text"]
        rows.append(Row(cells, [(extra["kind"], extra["note"])]))
    return rows


# ---------------------------------------------------------------------------------------
# Writing a file as Excel (or WPS, or a script) would


def quote(cell, sep, force_plain=False):
    if force_plain:
        return cell
    if any(c in cell for c in (sep, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def serialise(st, unit_name, rows, cycle, date, date_label=None):
    sep = "\t" if st["enc"] == "utf-16le" else ","
    eol = st["eol"]
    if st.get("ascii"):
        columns = FIELDS
        labels = FIELDS
    else:
        columns = st.get("order") or FIELDS
        labels = [LABEL_OF[c] for c in columns]
        if st.get("variant_header"):
            variant = {"unit": "责任单位", "owner": "具体责任人", "progress": "完成进度（%）",
                       "status": "进展状态", "narrative": "落实情况", "next_steps": "下一步措施"}
            labels = [variant.get(c, LABEL_OF[c]) for c in columns]
    extra_col = st.get("extra_col")
    seq_col = st.get("seq_col")
    width = len(columns) + bool(extra_col) + bool(seq_col)
    out = []
    line = 1

    def emit(cells, plain_index=None):
        nonlocal line
        text = sep.join(quote(c, sep, i == plain_index) for i, c in enumerate(cells)) + eol
        out.append(text)
        start = line
        line += text.count("\n")
        return start

    def pad(first, *rest):
        cells = [first] + [""] * (width - 1)
        for i, c in rest:
            cells[i] = c
        return cells

    kinds = []
    if st["title"]:
        emit(pad("附件2"))
        emit(pad("嘉祥县2023年重点工作责任目标落实情况表（%s）" % LABEL[cycle]))
        emit(pad("填报单位：%s（盖章）" % unit_name, (width - 3, "填报日期：" + (date_label or fmt_date(date, "cn")))))
        kinds.append(("title_rows", "three title rows above the header (附件2, the title, 填报单位：…（盖章）)"))
    header = ([("序号")] if seq_col else []) + labels + ([extra_col] if extra_col else [])
    emit(header)
    rng = task_rng("remarks", unit_name, cycle)
    for n, row in enumerate(rows, 1):
        cells = [row.cells[c] for c in columns]
        plain = columns.index(row.ragged_field) if row.ragged_field else None
        if seq_col:
            cells.insert(0, str(n))
            plain = plain + 1 if plain is not None else None
        if extra_col:
            cells.append(rng.choice(["", "", "已报分管县长审阅", "数据截至填报日", ""]))
        row.line = emit(cells, plain)
    if st["sign"]:
        if st["blank_before_sign"]:
            emit(pad(""))
        r = task_rng("sign", unit_name)
        emit(pad("填报人：%s" % person(r), (3, "审核人：%s" % person(r)),
                 (6, "联系电话：%s" % phone(r))))
        emit(pad("单位负责人（签字）：", (6, "报送日期：" + (date_label or fmt_date(date, "cn")))))
        kinds.append(("signature_rows", "signature rows below the data (填报人/审核人, 单位负责人（签字）)"
                      + ("; a blank row before them" if st["blank_before_sign"] else "")))
    text = "".join(out)
    if st["enc"] == "utf-8-sig":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif st["enc"] == "utf-8":
        data = text.encode("utf-8")
    elif st["enc"] == "gbk":
        data = text.encode("gbk")  # strict: a character outside GBK is a bug here
    elif st["enc"] == "utf-16le":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        raise ValueError(st["enc"])
    return data, kinds


# ---------------------------------------------------------------------------------------


README = os.path.join(ROOT, "input", "README.md")
BEGIN = "<!-- BEGIN manifest: written by tests/sample/make-returns.py; do not edit by hand -->"
END = "<!-- END manifest -->"
LAYOUT_KINDS = ("encoding_gbk", "encoding_utf16", "encoding_utf8_nobom", "title_rows", "signature_rows",
                "column_order", "ascii_header", "extra_column", "header_variant")


def write_readme_block(manifest, totals):
    """Rewrite the part of input/README.md between BEGIN and END from the manifest."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    a, b = text.index(BEGIN), text.index(END)
    out = [BEGIN, ""]
    for cycle in CYCLES:
        files, rows = totals[cycle]
        out.append("- %s: %d files, %d data rows, %d host units without a return." %
                   (cycle, files, rows, len(MISSING[cycle])))
    out += ["", "Rows and files that are wrong, or right but worth a look (`line` is the line of the "
            "file where the row starts, counting title rows and the header):", "",
            "| cycle | file | line | kind | what |", "|---|---|---|---|---|"]
    for cycle, path, line, kind, note_ in manifest:
        if kind in LAYOUT_KINDS:
            continue
        out.append("| %s | %s | %s | %s | %s |" % (cycle, os.path.basename(path) or "—", line, kind,
                                                   note_.replace("|", "\\|")))
    out += ["", "Layouts and encodings (whole files, no line):", ""]
    for kind in LAYOUT_KINDS:
        for cycle in CYCLES:
            names = sorted(os.path.basename(m[1]) for m in manifest if m[0] == cycle and m[3] == kind)
            if names:
                out.append("- %s, %s: %s" % (kind, cycle, ", ".join(names)))
    out += ["", END]
    with open(README, "w", encoding="utf-8") as f:
        f.write(text[:a] + "\n".join(out) + text[b + len(END):])


def main():
    manifest = []
    totals = {}

    def note(cycle, fname, line, kind, text):
        manifest.append((cycle, "input/2023/returns/%s/%s" % (cycle, fname), line, kind, text))

    for cycle in CYCLES:
        folder = os.path.join(RETURNS, cycle)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            os.remove(os.path.join(folder, old))
        files = []  # (fname, st, unit name written, rows, date)
        for unit, tasks in HOSTED.items():
            if unit in MISSING[cycle]:
                manifest.append((cycle, "", "", "missing_unit",
                                 "%s: no return (hosts %s)%s" % (unit, " ".join(tasks),
                                                                "; " + MISSING_WHY[unit] if unit in MISSING_WHY else "")))
                continue
            st = unit_style(unit, cycle)
            date = report_date(unit, cycle)
            rs = RESUBMIT.get(cycle)
            uk = UNKNOWN_UNIT_FILE.get(cycle)
            if rs and rs["unit"] == unit:
                st1 = dict(st, file=rs["first"])
                files.append((rs["first"], st1, st["alias"],
                              make_rows(unit, cycle, st1, tasks, rs["first_date"], progress_shift=15),
                              rs["first_date"], unit))
                st2 = dict(st, file=rs["second"])
                files.append((rs["second"], st2, st["alias"],
                              make_rows(unit, cycle, st2, tasks, rs["second_date"]), rs["second_date"], unit))
                continue
            if uk and uk["unit"] == unit:
                st = dict(st, alias=uk["as"], file=uk["file"])
            files.append((st["file"], st, st["alias"], make_rows(unit, cycle, st, tasks, date), date, unit))
        cf = COHOST_FILE.get(cycle)
        if cf:
            st = unit_style(cf["unit"], cycle)
            date = report_date(cf["unit"], cycle)
            rows = make_rows(cf["unit"], cycle, st, cf["tasks"], date)
            for r in rows:
                r.kinds.append(("cohost_report", "%s is a co-unit of task %s, not a host unit of any task: "
                                "valid, role cohost, a note on the task" % (cf["unit"], r.cells["task_id"])))
            files.append((cf["file"], st, st["alias"], rows, date, cf["unit"]))

        names = set()
        nrows = 0
        for fname, st, written, rows, date, unit in files:
            assert fname not in names, fname
            names.add(fname)
            # A unit whose one row carries a wrong date wrote that date on the whole form.
            wrong = [v["date"] for (c, u, _), v in ROW.items() if c == cycle and u == unit and "date" in v]
            data, kinds = serialise(st, written, rows, cycle, date, wrong[0] if wrong else None)
            with open(os.path.join(folder, fname), "wb") as f:
                f.write(data)
            nrows += len(rows)
            enc_kind = {"gbk": ("encoding_gbk", "GBK with CRLF, as Excel's plain CSV writes on Chinese Windows"),
                        "utf-16le": ("encoding_utf16", "UTF-16LE with BOM, tab-separated: Excel's 'Unicode text' export saved as .csv"),
                        "utf-8": ("encoding_utf8_nobom", "UTF-8 without BOM, LF line ends")}.get(st["enc"])
            if enc_kind:
                note(cycle, fname, "", *enc_kind)
            for k in kinds:
                note(cycle, fname, "", *k)
            if st.get("order"):
                note(cycle, fname, "", "column_order", "columns in another order: " + ",".join(LABEL_OF[c] for c in st["order"]))
            if st.get("ascii"):
                note(cycle, fname, "", "ascii_header", "ASCII header names (task_id,unit,…)")
            if st.get("extra_col"):
                note(cycle, fname, "", "extra_column", "an extra column %s at the end" % st["extra_col"])
            if st.get("seq_col"):
                note(cycle, fname, "", "extra_column", "an extra column 序号 in front (row numbers, not task ids)")
            if st.get("variant_header"):
                note(cycle, fname, "", "header_variant", "header names 责任单位, 具体责任人, 完成进度（%）, 进展状态, 落实情况, 下一步措施")
            if unit in LATE[cycle]:
                note(cycle, fname, rows[0].line, "late",
                     "every row dated %s, after the %s deadline: late, not wrong" %
                     (LATE[cycle][unit].isoformat(), "2023-06-30" if cycle == "2023H1" else "2023-12-30"))
            rs = RESUBMIT.get(cycle)
            if rs and fname == rs["first"]:
                note(cycle, fname, "", "superseded", "first return of %s, dated %s; replaced by %s" %
                     (unit, rs["first_date"].isoformat(), rs["second"]))
            if rs and fname == rs["second"]:
                note(cycle, fname, "", "resubmission", "second return of %s, dated %s, same tasks, higher progress: replaces %s" %
                     (unit, rs["second_date"].isoformat(), rs["first"]))
            uk = UNKNOWN_UNIT_FILE.get(cycle)
            if uk and fname == uk["file"]:
                note(cycle, fname, rows[0].line, "unit_unknown",
                     "承办单位 %s is no unit of the catalog (the old name of %s, whose return this is; it then has no valid return)"
                     % (uk["as"], uk["unit"]))
            for r in rows:
                for kind, text in r.kinds:
                    note(cycle, fname, r.line, kind, text)
        for t, u in REGRESSIONS:
            if cycle == "2023H2":
                p1, p2 = progresses(t, u)
                f = next(x for x in files if x[5] == u)
                line = next(r.line for r in f[3] if r.task == t)
                note(cycle, f[0], line, "regression", "task %s progress %d in H1, %d in H2 (re-assessed)" % (t, p1, p2))
        totals[cycle] = (len(files), nrows)

    order = {c: i for i, c in enumerate(CYCLES)}
    manifest.sort(key=lambda m: (order[m[0]], m[1], m[2] if m[2] != "" else 0, m[3]))
    with open(MANIFEST, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cycle", "file", "line", "kind", "note"])
        w.writerows(manifest)
    write_readme_block(manifest, totals)
    for cycle in CYCLES:
        print("%s: %d files, %d data rows, %d units missing" % (cycle, totals[cycle][0], totals[cycle][1],
                                                                 len(MISSING[cycle])), file=sys.stderr)


if __name__ == "__main__":
    main()
