"""Producer-independent layout of a Form: ruled tables of cells with merges.

``tables(form)`` returns a list of :class:`Tbl`; every renderer (reportlab, docx, xlsx)
draws the same model, so the forms differ only by their layout options.

style "grid":   one table; a left label column whose merged cells span each section.
style "tables": one table per section, no label column; prior/tasks/budget/indicators
                are headed by their section name (a merged first row, or a line above).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from forms import Form, is_total

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
    size: float | None = None   # font size if not the form's ("\n" in text = a line break)
    indent: int = 0      # levels of left indentation (budget sub-items shown by indentation)


@dataclass
class Tbl:
    fractions: list[float]
    rows: list[list[Cell | None]] = field(default_factory=list)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)   # r0, c0, r1, c1
    repeat: int = 0          # header rows to repeat on each page
    heading: str | None = None   # a line printed above the table
    long_rows: set = field(default_factory=set)   # rows that hold long prose
    page_break: bool = False     # start on a new page (a manually cut table's continuation)

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

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """A rectangular merge replacing any span that starts at (r0, c0)."""
        self.spans = [x for x in self.spans if x[:2] != (r0, c0)]
        if (r1, c1) != (r0, c0):
            self.spans.append((r0, c0, r1, c1))


# The indicator section's title is worded apart from the prior-year column 绩效目标 it
# shares its canonical text with (a form titling it 绩效指标 keeps that column's header).
INDICATORS_TITLE = "绩效目标(指标)"


def lab(form: Form, text: str) -> str:
    """The label as this form prints it (synonyms, spaced or wrapped labels, typos)."""
    if text == INDICATORS_TITLE:
        return form.layout.labels.get(text, lab(form, "绩效目标"))
    return form.layout.labels.get(text, text)


def ind_keys(form: Form) -> list[tuple[str, str]]:
    """The indicator table's columns in order: (key, printed header)."""
    lay = form.layout
    out = [("l1", "一级指标"), ("l2", "二级指标"), ("l3", "三级指标")]
    if lay.type_column:
        out.append(("type", lay.type_column))
    out.append(("target", lay.target_header))
    if lay.unit_column:
        out.append(("unit", lay.unit_column))
    if lay.periods:
        out += list(zip(("annual", "h1", "q3"), lay.period_headers, strict=True))
    out.append(("basis", lay.basis_header))
    return [(k, lab(form, h)) for k, h in out]


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
    """Income and expenditure lines side by side, 合计 (总计) on the same last row."""
    inc = [x for x in form.income if not is_total(x)]
    exp = [x for x in form.expenditure if not is_total(x)]
    rows = max(len(inc), len(exp))
    inc += [None] * (rows - len(inc))
    exp += [None] * (rows - len(exp))
    tot_i = next(x for x in form.income if is_total(x))
    tot_e = next(x for x in form.expenditure if is_total(x))
    return list(zip(inc, exp, strict=True)) + [(tot_i, tot_e)]


def _budget_cells(line, width: int) -> list[Cell]:
    if line is None:
        return [C("")] * (1 + width)
    if is_total(line):
        return [C("合  计" if line.printed == "合计" else line.printed)] + [C(a) for a in line.amounts]
    return [Cell(line.printed, "L", indent=line.indent)] + [C(a) for a in line.amounts]


def _ind_cells(form: Form, i) -> list[Cell]:
    cells = {"l1": C(i.level1), "l2": C(i.level2), "l3": C(i.level3), "type": C(i.vtype),
             "target": C(i.target.raw), "unit": C(i.unit), "basis": L(i.basis)}
    if form.layout.periods:
        cells.update(annual=C(i.annual.raw), h1=C(i.h1.raw), q3=C(i.q3.raw))
    return [cells[k] for k, _ in ind_keys(form)]


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
        ind = [(k, k) for k in range(len(ind_keys(form)))]
        # in the grid the indicator table takes the label column as 一级 and joins the last two
        if label:
            n, ncols = len(ind), len(form.layout.grid_fractions or GRID_FRACTIONS[p])
            assert n <= ncols, "more indicator columns than grid columns"
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
    t.add([((0, 0), C(lab(f, "部门名称"))), (a, C(f.department)), (b, C(lab(f, "下属单位数量"))),
           (c, C(str(f.subordinate_units)))])
    t.add([((0, 0), C(lab(f, "人员编制情况"))), (a, C(str(f.staffing_quota))), (b, C(lab(f, "财政供养人员情况"))),
           (c, C(str(f.funded_staff)))])


def _texts(t: Tbl, f: Form, cols: Cols) -> None:
    for attr, label in TEXT_LABELS:
        if getattr(f, attr) is None:
            continue  # a form without this section
        if cols.label:
            r = t.add([((0, 0), C(lab(f, label))), (cols.text[0], L(getattr(f, attr)))])
        else:
            r = t.add([((0, 0), C(lab(f, label))), ((1, 1), L(getattr(f, attr)))])
        t.long_rows.add(r)


def _sectioned(t: Tbl, cols: Cols, label: str, header: list[Cell], rows: list[list[Cell]], groups) -> None:
    left = [((0, 0), C(label))] if cols.label else []
    r0 = t.add(left + list(zip(groups, header, strict=True)))
    r1 = r0
    for cells in rows:
        r1 = t.add(list(zip(groups, cells, strict=True)))
        t.long_rows.add(r1)
    if cols.label:
        t.vspan(0, r0, r1)


def _prior(t: Tbl, f: Form, cols: Cols) -> None:
    _sectioned(t, cols, lab(f, "上年度绩效目标完成情况"), [C(lab(f, "绩效目标")), C(lab(f, "绩效目标完成情况"))],
               [[L(g), L(r)] for g, r in f.prior_year_results], cols.prior)


def _tasks(t: Tbl, f: Form, cols: Cols) -> None:
    heads = {"name": "工作任务名称", "content": "工作主要内容和要求(简述)",
             "functions": "对应部门职能", "projects": "对应项目名称"}
    keys = ("name", "content", "functions", "projects")
    rows = [[C(x[0]), L(x[1]), L(x[2]), L(x[3])] for x in f.work_tasks]
    _sectioned(t, cols, lab(f, "年度工作任务"), [C(lab(f, heads[k])) for k in keys], rows, cols.tasks)


def _budget(t: Tbl, f: Form, cols: Cols) -> None:
    left = [((0, 0), C(lab(f, "年度部门预算")))] if cols.label else []
    w = len(f.period_labels)
    if f.layout.two_row_headers:
        # 项目 | 预算收入 over the periods | 项目 | 预算支出 over the periods; 项目 spans both rows
        bg = cols.budget
        r0 = t.add(left + [(bg[0], C(lab(f, "项目"))), ((bg[1][0], bg[w][1]), C(lab(f, "预算收入"))),
                           (bg[w + 1], C(lab(f, "项目"))), ((bg[w + 2][0], bg[2 * w + 1][1]), C(lab(f, "预算支出")))])
        per = [C(lab(f, x)) for x in f.period_labels]
        t.add(list(zip(bg[1:w + 1] + bg[w + 2:], per + per, strict=True)))
        for g in (bg[0], bg[w + 1]):
            t.merge(r0, g[0], r0 + 1, g[1])
    else:
        r0 = t.add(left + [(cols.side[0], C(lab(f, "预算收入"))), (cols.side[1], C(lab(f, "预算支出")))])
        item = "" if cols.label else lab(f, "项目")
        heads = [C(item)] + [C(lab(f, x)) for x in f.period_labels]
        t.add(list(zip(cols.budget, heads + heads, strict=True)))
    first = len(t.rows)
    for inc, exp in budget_pairs(f):
        r1 = t.add(list(zip(cols.budget, _budget_cells(inc, w) + _budget_cells(exp, w), strict=True)))
    if f.layout.item_spans_header and not f.layout.two_row_headers:
        # the seed form: the first income item's name cell reaches up into the period header row,
        # its first line beside 全年数 and its amounts on the row below
        col = cols.budget[0][0]
        t.rows[first - 1][col] = t.rows[first][col]
        t.rows[first][col] = None
        t.merge(first - 1, col, first, col)
    if cols.label:
        t.vspan(0, r0, r1)


def _indicators(t: Tbl, f: Form, cols: Cols) -> None:
    lay = f.layout
    if cols.label:
        t.add([((0, len(t.fractions) - 1), C(lab(f, INDICATORS_TITLE)))])
    keys = ind_keys(f)
    if lay.two_row_headers and lay.periods:
        # the three period columns under one merged 年度目标值分解; every other header spans two rows
        ks = [k for k, _ in keys]
        a, z = ks.index("annual"), ks.index("q3")
        row1 = [(g, C(h)) for g, (k, h) in zip(cols.ind, keys, strict=True) if k not in ("annual", "h1", "q3")]
        row1.insert(a, ((cols.ind[a][0], cols.ind[z][1]), C(lab(f, "年度目标值分解"))))
        r0 = t.add(row1)
        t.add([(cols.ind[j], C(keys[j][1])) for j in range(a, z + 1)])
        for j, g in enumerate(cols.ind):
            if not a <= j <= z:
                t.merge(r0, g[0], r0 + 1, g[1])
    else:
        t.add(list(zip(cols.ind, [C(h) for _, h in keys], strict=True)))
    first = len(t.rows)
    inds = f.indicators
    for i in inds:
        t.add(list(zip(cols.ind, _ind_cells(f, i), strict=True)))
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
                  "indicators": INDICATORS_TITLE}

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


def _profile_section(f: Form, t: Tbl | None = None) -> Tbl:
    t = t or Tbl(list(SECTION_FRACTIONS["profile"]))
    t.add([((0, 0), C(lab(f, "部门名称"))), ((1, 1), C(f.department)), ((2, 2), C(lab(f, "下属单位数量"))),
           ((3, 3), C(str(f.subordinate_units)))])
    t.add([((0, 0), C(lab(f, "人员编制情况"))), ((1, 1), C(str(f.staffing_quota))),
           ((2, 2), C(lab(f, "财政供养人员情况"))), ((3, 3), C(str(f.funded_staff)))])
    return t


def _title_rows(t: Tbl, f: Form) -> None:
    """Spreadsheet-style: the title (and the year on a second line) in one merged cell, then a merged
    cell with 填报部门 and 单位."""
    last = len(t.fractions) - 1
    t.add([((0, last), Cell(f"{f.title}\n（{f.year}年度）", "C", size=16))])
    t.add([((0, last), Cell(f"填报部门（盖章）：{f.filler}" + "\u3000" * 12 + f"单位：{f.money_unit}", "L",
                            size=10.5))])


def split_tbl(t: Tbl, cut: int, heading: str | None) -> tuple[Tbl, Tbl]:
    """Cut a table before row `cut` the way a Word user does: the continuation starts on a new page
    under `heading` (e.g. 续表) with the header rows repeated; a merged cell crossing the cut is
    split and its text printed again on the continuation."""
    h = t.repeat
    a = Tbl(t.fractions, [list(r) for r in t.rows[:cut]], heading=t.heading, repeat=h)
    b = Tbl(t.fractions, [list(r) for r in t.rows[:h] + t.rows[cut:]], heading=heading, repeat=h,
            page_break=True)
    shift = h - cut
    for r0, c0, r1, c1 in t.spans:
        if r1 < h:
            a.spans.append((r0, c0, r1, c1))
            b.spans.append((r0, c0, r1, c1))
        elif r1 < cut:
            a.spans.append((r0, c0, r1, c1))
        elif r0 >= cut:
            b.spans.append((r0 + shift, c0, r1 + shift, c1))
        else:
            a.spans.append((r0, c0, cut - 1, c1))
            b.spans.append((h, c0, r1 + shift, c1))
            b.rows[h][c0] = replace(t.rows[r0][c0])
    a.long_rows = {r for r in t.long_rows if r < cut}
    b.long_rows = {r + shift for r in t.long_rows if r >= cut}
    return a, b


def _absent(form: Form, sec: str) -> bool:
    """A section this form does not print at all."""
    return ((sec == "prior" and not form.prior_year_results) or (sec == "tasks" and not form.work_tasks)
            or (sec == "indicators" and not form.indicators)
            or (sec == "texts" and all(getattr(form, a) is None for a, _ in TEXT_LABELS)))


def tables(form: Form) -> list[Tbl]:
    lay = form.layout
    if lay.style == "grid":
        t = Tbl(list(lay.grid_fractions or GRID_FRACTIONS[lay.periods]))
        if lay.title_in_grid:
            _title_rows(t, form)
        cols = Cols(form, label=True)
        for sec in lay.order:
            if not _absent(form, sec):
                SECTIONS[sec](t, form, cols)
        return [t]
    out = []
    cols = Cols(form, label=False)
    for sec in lay.order:
        if _absent(form, sec):
            continue
        if sec == "profile":
            t = Tbl(list(lay.fractions.get("profile", SECTION_FRACTIONS["profile"])))
            if lay.title_in_grid and not out:
                _title_rows(t, form)
            out.append(_profile_section(form, t))
            continue
        key = sec if sec in SECTION_FRACTIONS else (sec, lay.periods)
        fr = lay.ind_fractions if sec == "indicators" and lay.ind_fractions else SECTION_FRACTIONS[key]
        fr = lay.fractions.get(sec, fr)
        assert sec != "indicators" or len(fr) == len(ind_keys(form)), "indicator column widths"
        t = Tbl(list(fr))
        assert not (lay.title_in_grid and not out), "title_in_grid: the first section must be the profile"
        title = lab(form, SECTION_TITLES[sec]) if sec in SECTION_TITLES else None
        if title and lay.section_heading == "row":
            t.add([((0, len(t.fractions) - 1), C(title))])
        elif title:
            t.heading = title
        SECTIONS[sec](t, form, cols)
        header = {"texts": 0, "prior": 1, "tasks": 1, "budget": 2, "indicators": 1}[sec]
        if sec == "indicators" and lay.two_row_headers and lay.periods:
            header = 2
        t.repeat = header + (1 if title and lay.section_heading == "row" else 0)
        if sec in lay.splits:
            out.extend(split_tbl(t, t.repeat + lay.splits[sec], lay.continued))
        else:
            out.append(t)
    return out
