"""Ground truth for the bundled sample forms: plain data, independent of layout.

Every form module defines ``FORM`` (a :class:`Form`).  Expected parses of indicator
values are written by hand with the small helpers below; nothing here parses text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

FORM_NAMES = [
    "yancheng_hpf_2021",
    "nantong_edu_2022",
    "wuxi_health_2023",
    "suqian_agri_2022",
    "changzhou_eco_2024",
    "xuzhou_transport_2023",
    "kunshan_market_2024",
    "taizhou_water_2021",
    "huaian_civil_2025",
    "lianyungang_culture_2023",
    "zhenjiang_justice_2022",
    "yangzhou_housing_2024",
]


# ---------------------------------------------------------------- indicator values
@dataclass(frozen=True)
class V:
    """One indicator cell: what is printed and its expected parse."""

    raw: str
    kind: str
    value: float | int | None = None
    unit: str | None = None
    comparator: str | None = None
    direction: str | None = None

    def expected(self) -> dict:
        return {
            "raw": " ".join(self.raw.split()),
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "direction": self.direction,
        }


def v(raw: str, kind: str = "number", value=None, unit=None, comparator="=") -> V:
    """A number cell: v("90 亿元", "number", 900000, "万元", "=")."""
    assert kind == "number"
    return V(raw, "number", value, unit, comparator, None)


def pct(raw: str, value=None, comparator: str = "=") -> V:
    """A percentage whose number is literally printed: pct("95%") -> 95 %."""
    if value is None:
        value = int(raw.rstrip("%")) if raw.rstrip("%").isdigit() else float(raw.rstrip("%"))
    return V(raw, "number", value, "%", comparator, None)


def n(raw: str, value=None, unit=None, comparator: str = "=") -> V:
    """A plain number, printed as is: n("50000") -> 50000, unit None."""
    if value is None:
        value = int(raw)
    return V(raw, "number", value, unit, comparator, None)


def up(raw: str = "提高") -> V:
    return V(raw, "direction", None, None, None, "increase")


def down(raw: str = "降低") -> V:
    return V(raw, "direction", None, None, None, "decrease")


def t(raw: str) -> V:
    """A word that is neither a number nor a direction (实时, 规范, 按时)."""
    return V(raw, "text")


EMPTY = V("", "empty")


def same(x: V) -> tuple[V, V, V, V]:
    """The same value in 指标值, 全年值, 上半年值 and 前三季度值."""
    return (x, x, x, x)


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    target: V
    annual: V | None = None
    h1: V | None = None
    q3: V | None = None
    basis: str | None = None
    unit: str | None = None       # printed in a separate 计量单位 column (Layout.unit_column)
    vtype: str | None = None      # printed in a 指标值类型 / 指标性质 column (Layout.type_column)


def ind(l1: str, l2: str, l3: str, values, basis: str | None = None, unit: str | None = None,
        vtype: str | None = None) -> Indicator:
    """values: one V (forms without period columns) or a 4-tuple (target, annual, h1, q3).

    unit / vtype: what the 计量单位 / 指标值类型 columns print (only on forms that have them);
    the V's are still written by hand with the parse those columns imply."""
    if isinstance(values, V):
        return Indicator(l1, l2, l3, values, basis=basis, unit=unit, vtype=vtype)
    a, b, c, d = values
    return Indicator(l1, l2, l3, a, b, c, d, basis, unit, vtype)


# ---------------------------------------------------------------- budget
@dataclass
class BudgetLine:
    printed: str            # item text as printed, e.g. "其中: 1. 工资福利支出"
    amounts: tuple          # printed amount strings (全年, 上半年, 前三季度) or (全年,); "" = blank
    item: str               # expected item name, e.g. "工资福利支出"
    parent: str | None = None
    indent: int = 0         # levels the item text is indented (sub-items shown by indentation only)


def b(printed: str, *amounts: str, item: str | None = None, parent: str | None = None) -> BudgetLine:
    """A budget line; item defaults to the printed text (top-level lines without numbering)."""
    return BudgetLine(printed, tuple(amounts), item if item is not None else printed, parent)


TOTAL_ITEMS = ("合计", "总计")


def is_total(line: BudgetLine) -> bool:
    """The side's total line (合计, or 总计 on some forms)."""
    return line.item in TOTAL_ITEMS


def amount_wan(printed: str, money_unit: str) -> float | int | None:
    """The obviously-right conversion of a printed budget amount to 万元."""
    s = printed.replace(" ", "").replace(",", "")
    if not s:
        return None
    try:
        d = Decimal(s)
    except ArithmeticError:  # an unreadable amount (a defect made on purpose) has no value
        return None
    if money_unit == "元":
        d = d / Decimal(10000)
    elif money_unit != "万元":
        raise ValueError(money_unit)
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------- the form
@dataclass
class Layout:
    producer: str = "reportlab"          # reportlab | docx | xlsx
    style: str = "grid"                  # grid: one big ruled table; tables: one table per section
    landscape: bool = False
    periods: bool = True                 # 全年/上半年/前三季度 columns present
    target_header: str = "指标值"
    basis_header: str = "依据或说明"
    amount_header: str = "全年数"         # budget amount header when periods is False
    order: tuple = ("profile", "texts", "prior", "tasks", "budget", "indicators")
    task_columns: tuple = ("name", "content", "functions", "projects")
    section_heading: str = "row"         # tables style: "row" = merged first row, "line" = text above
    attachment: str = ""                 # e.g. "附件 6-7" printed above the title
    grid_fractions: tuple | None = None  # column widths of the grid style, if not the default
    page_numbers: bool = True
    font_size: float = 8.5
    notes: str = ""
    # ---- variants of issue 4 (defaults leave the first seven samples unchanged)
    labels: dict = field(default_factory=dict)   # canonical label -> printed label ("\n" = line break)
    two_row_headers: bool = False        # indicator and budget headers in two rows with merged cells
    unit_column: str | None = None       # header of a separate unit column after 指标值, e.g. 计量单位
    type_column: str | None = None       # header of a column before 指标值, e.g. 指标值类型 / 指标性质
    period_headers: tuple = ("全年值", "上半年值", "前三季度值")
    budget_periods: tuple | None = None  # budget period headers if not 全年数/上半年数/前三季度数
    footer: str = "第 {n} 页"            # page footer; {n} page number, {m} page count
    continued: str | None = None         # heading printed above a table's continuation, e.g. 续表
    splits: dict = field(default_factory=dict)   # docx: section -> data row where the table is cut
    title_in_grid: bool = False          # title and 填报部门/单位 lines are merged rows of the first table
    stacked: bool = False                # xlsx: tables touch (one sheet grid), no gaps
    ind_fractions: tuple | None = None   # indicator table column widths (tables style)
    # ---- typesetting of generated forms (samples/synth); the defaults keep the bundled samples
    font: str = "zenhei"                 # typeface: a key of samples/faces.py
    page: str = "A4"                     # a key of PAGE_SIZES_MM
    margins_mm: tuple | None = None      # (top, right, bottom, left); None: the producer's default
    padding: float | None = None         # vertical padding inside cells, pt; None: the producer's default
    leading: float | None = None         # line height over font size; None: the producer's default
    fractions: dict = field(default_factory=dict)   # tables style: section -> column widths
    item_spans_header: bool = False      # budget: the first income item's cell spans the period header row


# Page sizes (portrait, mm) of the paper forms are printed on.
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "B5": (176.0, 250.0),
                 "Letter": (215.9, 279.4), "16K": (184.0, 260.0)}


def page_mm(layout: Layout) -> tuple[float, float]:
    """(width, height) of the layout's page in mm, turned for landscape."""
    w, h = PAGE_SIZES_MM[layout.page]
    return (h, w) if layout.landscape else (w, h)


@dataclass
class Form:
    name: str
    year: int
    department: str
    filler: str                          # 填报部门(盖章)
    money_unit: str
    subordinate_units: int
    staffing_quota: int
    funded_staff: int
    functions: str
    policies: str
    strategic_goals: str
    annual_goals: str
    prior_year_results: list             # [(goal, result)]
    work_tasks: list                     # [(name, content, functions, projects)]
    income: list                         # [BudgetLine]
    expenditure: list                    # [BudgetLine]
    indicators: list                     # [Indicator]
    filled_by: str
    date_printed: str                    # as printed, e.g. 20210203
    date_iso: str                        # by hand, e.g. 2021-02-03
    phone: str
    head: str
    layout: Layout = field(default_factory=Layout)
    title: str = "部门整体预算绩效目标申报表"
    totals_add_up: bool = True           # False only where the real form's figures do not add up

    @property
    def period_labels(self) -> tuple:
        if not self.layout.periods:
            return (self.layout.amount_header,)
        return self.layout.budget_periods or ("全年数", "上半年数", "前三季度数")
