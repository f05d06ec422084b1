"""Producer-independent layout of a Form: ruled tables of cells with merges.

``tables(form)`` returns a list of :class:`Tbl`; every renderer (reportlab, docx, xlsx)
draws the same model, so the forms differ only by their layout options.

style "grid":   one table; a left label column whose merged cells span each section.
style "tables": one table per section, no label column; prior/tasks/budget/indicators
                are headed by their section name (a merged first row, or a line above).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms import Form

TEXT_LABELS = [
    ("functions", "部门职能"),
    ("policies", "负责执行的相关政策"),
    ("strategic_goals", "部门中长期战略目标(规划)"),
    ("annual_goals", "年度绩效目标"),
]


@dataclass
class Cell:
    text: str
    align: str = "C"     # C centred, L left (prose)


@dataclass
class Tbl:
    fractions: list[float]
    rows: list[list[Cell | None]] = field(default_factory=list)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)   # r0, c0, r1, c1
    repeat: int = 0          # header rows to repeat on each page
    heading: str | None = None   # a line printed above the table
    long_rows: set = field(default_factory=set)   # rows that hold long prose

    def add(self, groups: list[tuple[tuple[int, int], Cell | None]]) -> int:
        r = len(self.rows)
        row: list[Cell | None] = [None] * len(self.fractions)
        for (a, z), cell in groups:
            row[a] = cell
            if z > a:
                self.spans.append((r, a, r, z))
        self.rows.append(row)
        return r

    def vspan(self, col: int, r0: int, r1: int) -> None:
        if r1 > r0:
            self.spans.append((r0, col, r1, col))


def L(s: str | None) -> Cell:
    return Cell(s or "", "L")


def C(s: str | None) -> Cell:
    return Cell(s or "", "C")


def _runs(keys: list[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


def budget_pairs(form: Form) -> list[tuple]:
    """Income and expenditure lines side by side, 合计 on the same last row."""
    inc = [x for x in form.income if x.item != "合计"]
    exp = [x for x in form.expenditure if x.item != "合计"]
    rows = max(len(inc), len(exp))
    inc += [None] * (rows - len(inc))
    exp += [None] * (rows - len(exp))
    tot_i = next(x for x in form.income if x.item == "合计")
    tot_e = next(x for x in form.expenditure if x.item == "合计")
    return list(zip(inc, exp, strict=True)) + [(tot_i, tot_e)]


def _budget_cells(line, width: int) -> list[Cell]:
    if line is None:
        return [C("")] * (1 + width)
    if line.item == "合计":
        return [C("合  计")] + [C(a) for a in line.amounts]
    return [L(line.printed)] + [C(a) for a in line.amounts]


def _values(form: Form, i) -> list[Cell]:
    vals = [i.target] + ([i.annual, i.h1, i.q3] if form.layout.periods else [])
    return [C(x.raw) for x in vals]


# ------------------------------------------------------------------ column maps
class Cols:
    """Where each section's cells go, for a grid with or without a label column."""

    def __init__(self, form: Form, label: bool):
        p = form.layout.periods
        self.label = label
        o = 1 if label else 0

        def sh(groups):
            return [(a + o, z + o) for a, z in groups]

        if p:
            self.profile = sh([(0, 2), (3, 4), (5, 7)]) if label else None
            self.text = sh([(0, 7)])
            self.prior = sh([(0, 2), (3, 7)])
            self.tasks = sh([(0, 0), (1, 3), (4, 5), (6, 7)])
            self.budget = sh([(k, k) for k in range(8)])
            self.side = (sh([(0, 3)])[0], sh([(4, 7)])[0])
            ind = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)]
        else:
            self.profile = sh([(0, 0), (1, 2), (3, 3)]) if label else None
            self.text = sh([(0, 3)])
            self.prior = sh([(0, 1), (2, 3)])
            self.tasks = sh([(0, 0), (1, 1), (2, 2), (3, 3)])
            self.budget = sh([(k, k) for k in range(4)])
            self.side = (sh([(0, 1)])[0], sh([(2, 3)])[0])
            ind = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]
        # in the grid the indicator table takes the label column as 一级 and joins the last two
        if label:
            n, ncols = len(ind), len(GRID_FRACTIONS[p])
            self.ind = [(k, k) for k in range(n - 1)] + [(n - 1, ncols - 1)]
            return
        # one table per section: each section has its own columns
        w = 3 if p else 1
        self.prior = [(0, 0), (1, 1)]
        self.tasks = [(k, k) for k in range(4)]
        self.budget = [(k, k) for k in range(2 * w + 2)]
        self.side = ((0, w), (w + 1, 2 * w + 1))
        self.ind = ind


GRID_FRACTIONS = {
    True: [0.10, 0.13, 0.10, 0.10, 0.10, 0.13, 0.10, 0.10, 0.14],
    False: [0.11, 0.18, 0.27, 0.18, 0.26],
}


def _profile(t: Tbl, f: Form, cols: Cols) -> None:
    a, b, c = cols.profile
    t.add([((0, 0), C("部门名称")), (a, C(f.department)), (b, C("下属单位数量")), (c, C(str(f.subordinate_units)))])
    t.add([((0, 0), C("人员编制情况")), (a, C(str(f.staffing_quota))), (b, C("财政供养人员情况")),
           (c, C(str(f.funded_staff)))])


def _texts(t: Tbl, f: Form, cols: Cols) -> None:
    for attr, label in TEXT_LABELS:
        if cols.label:
            r = t.add([((0, 0), C(label)), (cols.text[0], L(getattr(f, attr)))])
        else:
            r = t.add([((0, 0), C(label)), ((1, 1), L(getattr(f, attr)))])
        t.long_rows.add(r)


def _sectioned(t: Tbl, cols: Cols, label: str, header: list[Cell], rows: list[list[Cell]], groups) -> None:
    lab = [((0, 0), C(label))] if cols.label else []
    r0 = t.add(lab + list(zip(groups, header, strict=True)))
    r1 = r0
    for cells in rows:
        r1 = t.add(list(zip(groups, cells, strict=True)))
        t.long_rows.add(r1)
    if cols.label:
        t.vspan(0, r0, r1)


def _prior(t: Tbl, f: Form, cols: Cols) -> None:
    _sectioned(t, cols, "上年度绩效目标完成情况", [C("绩效目标"), C("绩效目标完成情况")],
               [[L(g), L(r)] for g, r in f.prior_year_results], cols.prior)


def _tasks(t: Tbl, f: Form, cols: Cols) -> None:
    heads = {"name": "工作任务名称", "content": "工作主要内容和要求(简述)",
             "functions": "对应部门职能", "projects": "对应项目名称"}
    keys = ("name", "content", "functions", "projects")
    rows = [[C(x[0]), L(x[1]), L(x[2]), L(x[3])] for x in f.work_tasks]
    _sectioned(t, cols, "年度工作任务", [C(heads[k]) for k in keys], rows, cols.tasks)


def _budget(t: Tbl, f: Form, cols: Cols) -> None:
    lab = [((0, 0), C("年度部门预算"))] if cols.label else []
    r0 = t.add(lab + [(cols.side[0], C("预算收入")), (cols.side[1], C("预算支出"))])
    item = "" if cols.label else "项目"
    heads = [C(item)] + [C(x) for x in f.period_labels]
    t.add(list(zip(cols.budget, heads + heads, strict=True)))
    w = len(f.period_labels)
    for inc, exp in budget_pairs(f):
        r1 = t.add(list(zip(cols.budget, _budget_cells(inc, w) + _budget_cells(exp, w), strict=True)))
    if cols.label:
        t.vspan(0, r0, r1)


def _indicators(t: Tbl, f: Form, cols: Cols) -> None:
    lay = f.layout
    if cols.label:
        t.add([((0, len(t.fractions) - 1), C("绩效目标"))])
    heads = ["一级指标", "二级指标", "三级指标", lay.target_header]
    heads += ["全年值", "上半年值", "前三季度值"] if lay.periods else []
    heads += [lay.basis_header]
    t.add(list(zip(cols.ind, [C(h) for h in heads], strict=True)))
    first = len(t.rows)
    inds = f.indicators
    for k, i in enumerate(inds):
        cells = [C(i.level1), C(i.level2), C(i.level3)] + _values(f, i) + [L(i.basis)]
        t.add(list(zip(cols.ind, cells, strict=True)))
        del k
    for a, z in _runs([x.level1 for x in inds]):
        t.vspan(0, first + a, first + z)
        for k in range(a + 1, z + 1):
            t.rows[first + k][0] = C("")
        for b, y in _runs([x.level2 for x in inds[a:z + 1]]):
            t.vspan(1, first + a + b, first + a + y)
            for k in range(a + b + 1, a + y + 1):
                t.rows[first + k][1] = C("")


SECTIONS = {"profile": _profile, "texts": _texts, "prior": _prior, "tasks": _tasks,
            "budget": _budget, "indicators": _indicators}

SECTION_TITLES = {"prior": "上年度绩效目标完成情况", "tasks": "年度工作任务", "budget": "年度部门预算",
                  "indicators": "绩效目标"}

SECTION_FRACTIONS = {
    "profile": [0.18, 0.42, 0.22, 0.18],
    "texts": [0.18, 0.82],
    "prior": [0.35, 0.65],
    "tasks": [0.14, 0.40, 0.26, 0.20],
    ("budget", True): [0.19, 0.1, 0.1, 0.11, 0.19, 0.1, 0.1, 0.11],
    ("budget", False): [0.3, 0.2, 0.3, 0.2],
    ("indicators", True): [0.09, 0.1, 0.15, 0.1, 0.1, 0.1, 0.1, 0.26],
    ("indicators", False): [0.11, 0.13, 0.22, 0.18, 0.36],
}


def _profile_section(f: Form) -> Tbl:
    t = Tbl(SECTION_FRACTIONS["profile"])
    t.add([((0, 0), C("部门名称")), ((1, 1), C(f.department)), ((2, 2), C("下属单位数量")),
           ((3, 3), C(str(f.subordinate_units)))])
    t.add([((0, 0), C("人员编制情况")), ((1, 1), C(str(f.staffing_quota))), ((2, 2), C("财政供养人员情况")),
           ((3, 3), C(str(f.funded_staff)))])
    return t


def tables(form: Form) -> list[Tbl]:
    lay = form.layout
    if lay.style == "grid":
        t = Tbl(list(lay.grid_fractions or GRID_FRACTIONS[lay.periods]))
        cols = Cols(form, label=True)
        for sec in lay.order:
            SECTIONS[sec](t, form, cols)
        return [t]
    out = []
    cols = Cols(form, label=False)
    for sec in lay.order:
        if sec == "profile":
            out.append(_profile_section(form))
            continue
        key = sec if sec in SECTION_FRACTIONS else (sec, lay.periods)
        t = Tbl(SECTION_FRACTIONS[key])
        title = SECTION_TITLES.get(sec)
        if title and lay.section_heading == "row":
            t.add([((0, len(t.fractions) - 1), C(title))])
        elif title:
            t.heading = title
        SECTIONS[sec](t, form, cols)
        header = {"texts": 0, "prior": 1, "tasks": 1, "budget": 2, "indicators": 1}[sec]
        t.repeat = header + (1 if title and lay.section_heading == "row" else 0)
        out.append(t)
    return out
