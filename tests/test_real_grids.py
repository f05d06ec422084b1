"""Grids of real published budget PDFs (shared/real-samples), cell by cell.

Every expected cell below was read off the rendered page by a person.
"""

from functools import cache
from pathlib import Path

import pytest

from extract.model import ExtractSettings, Grid
from extract.pdf import extract_document

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-samples"


@cache
def page_grid(name: str, page: int, source: str = "pdfium") -> Grid:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real sample not present: {path}")
    doc = extract_document(path, ExtractSettings(source=source), only={page})
    grids = doc.pages[0].grids
    assert grids, f"{name} p{page}: no grid found"
    return grids[0]


# (file, page, row, col, text, rowspan, colspan)
CELLS = [
    # WPS, landscape, white cell fills, amounts in 元 with separators
    ("shpt_sfj_2026_budget.pdf", 10, 0, 0, "本年收入", 1, 2),
    ("shpt_sfj_2026_budget.pdf", 10, 2, 1, "96,282,213.44", 1, 1),
    ("shpt_sfj_2026_budget.pdf", 10, 5, 2, "四、住房保障支出", 1, 1),
    ("shpt_sfj_2026_budget.pdf", 10, 5, 3, "4,521,559.00", 1, 1),
    # Excel 2010: two-level header, merged 项目名称 over two rows
    ("江苏省政协办公厅2019年预算公开表.pdf", 1, 1, 0, "项目名称", 2, 1),
    ("江苏省政协办公厅2019年预算公开表.pdf", 1, 1, 2, "功能分类", 1, 2),
    ("江苏省政协办公厅2019年预算公开表.pdf", 1, 3, 3, "10,271.56", 1, 1),
    ("江苏省政协办公厅2019年预算公开表.pdf", 1, 5, 5, "1,886.02", 1, 1),
    # Word 2007: cells wrapped over two lines are joined without spaces
    ("2019年度部门预算公开.pdf", 14, 5, 0, "2.政府性基金预算", 1, 1),
    ("2019年度部门预算公开.pdf", 14, 5, 4, "三、单位预留机动经费", 1, 1),
    ("2019年度部门预算公开.pdf", 14, 6, 3, "16,593.12", 1, 1),
    ("2019年度部门预算公开.pdf", 14, 0, 2, "支出", 1, 4),
    # ONLYOFFICE 决算
    ("上海市普陀区财政局2024年度部门决算.pdf", 6, 2, 1, "2,940.05", 1, 1),
    ("上海市普陀区财政局2024年度部门决算.pdf", 6, 9, 1, "6.20", 1, 1),
    ("上海市普陀区财政局2024年度部门决算.pdf", 6, 10, 3, "60.99", 1, 1),
    # Acrobat Distiller, a landscape page stored as a portrait one with /Rotate 90
    ("江苏省委办公厅2019年度部门预算公开表格.pdf", 1, 1, 0, "项目名称", 2, 1),
    ("江苏省委办公厅2019年度部门预算公开表格.pdf", 1, 1, 2, "功能分类", 1, 2),
    ("江苏省委办公厅2019年度部门预算公开表格.pdf", 1, 2, 2, "功能科目名称", 1, 1),
    ("江苏省委办公厅2019年度部门预算公开表格.pdf", 1, 3, 3, "22,395.50", 1, 1),
    ("江苏省委办公厅2019年度部门预算公开表格.pdf", 1, 3, 5, "11,700.63", 1, 1),
]


@pytest.mark.parametrize("name,page,row,col,text,rowspan,colspan", CELLS)
def test_real_cell(name, page, row, col, text, rowspan, colspan):
    grid = page_grid(name, page)
    cell = grid.cell_at(row, col)
    assert cell is not None
    assert (cell.row, cell.col) == (row, col)
    assert (cell.text, cell.rowspan, cell.colspan) == (text, rowspan, colspan)


def test_wps_white_cell_fills_are_not_rulings():
    grid = page_grid("shpt_sfj_2026_budget.pdf", 10)
    assert (grid.n_rows, grid.n_cols) == (16, 4)


AGREEMENT_PAGES = [("江苏省政协办公厅2019年预算公开表.pdf", 1), ("上海市普陀区财政局2024年度部门决算.pdf", 6),
                   ("shpt_sfj_2026_budget.pdf", 10), ("2019年度部门预算公开.pdf", 14)]


@pytest.mark.parametrize("source", ["pdfplumber", "lattice"])
@pytest.mark.parametrize("name,page", AGREEMENT_PAGES)
def test_every_grid_source_agrees_with_the_default(name, page, source):
    ours, theirs = page_grid(name, page), page_grid(name, page, source=source)
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in ours.cells] == \
           [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in theirs.cells]


def test_real_budget_booklets_are_refused_as_not_this_form(tmp_path):
    """Published 部门预算/决算 booklets are other documents: each is refused
    with the titles it has, and nothing is loaded."""
    if not REAL.exists():
        pytest.skip(f"real samples not present: {REAL}")
    from jixiao import api

    db = f"sqlite:///{tmp_path / 'real.db'}"
    report = api.ingest([REAL], db=db)
    assert len(report.results) >= 12
    for result in report.results:
        assert result.status == "failed"
        assert result.reason.startswith("not a 部门整体预算绩效目标申报表 (titles found: "), result
    assert api.export(db=db, fmt="json") == []


JIANGUANWEI = REAL / "GovBudgetChecker_jianguanwei_2026_p24_申报表_pdfplumber_text.txt"


@pytest.mark.parametrize("printed,kind,value,unit,comparator,direction", [
    ("可控", "text", None, None, None, None),
    ("985米", "number", 985, "米", "=", None),
    ("=100.00(%)", "number", 100, "%", "=", None),
    ("及时", "text", None, None, None, None),
    ("减少", "direction", None, None, None, "decrease"),
    ("提升", "direction", None, None, None, "increase"),
    ("健全", "text", None, None, None, None),
    ("≥90.00(%)", "number", 90, "%", ">=", None),
])
def test_real_shanghai_indicator_values_parse(printed, kind, value, unit, comparator, direction):
    """Each value as it stands in the real 2026 Shanghai 申报表 page's text."""
    from normalize.values import parse_value

    if not JIANGUANWEI.exists():
        pytest.skip(f"real sample not present: {JIANGUANWEI}")
    lines = JIANGUANWEI.read_text(encoding="utf-8").splitlines()
    assert any(line.endswith(" " + printed) for line in lines), printed
    got = parse_value(printed)
    assert (got.kind, got.value, got.unit, got.comparator, got.direction) == \
        (kind, value, unit, comparator, direction)


def test_real_shanghai_amounts_in_yuan_parse():
    from decimal import Decimal

    from normalize.values import parse_amount

    if not JIANGUANWEI.exists():
        pytest.skip(f"real sample not present: {JIANGUANWEI}")
    text = JIANGUANWEI.read_text(encoding="utf-8")
    assert "项目资金总额 771,325,800.00 年度资金申请总额 226,145,100.00" in text
    assert parse_amount("771,325,800.00", "元") == Decimal("77132.58")
    assert parse_amount("226,145,100.00", "元") == Decimal("22614.51")
