"""The checks fire on forms broken on purpose and stay silent on correct ones.

Each broken form is a real sample with one thing changed in its extracted grids
(a figure, a swapped pair, a garbled amount, a dropped section), as a typo or a
bad scan would change it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.model import ExtractedDocument
from extract.pdf import extract_document
from jixiao.cli import main
from load.store import open_database, save
from normalize.document import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED = SAMPLES / "yancheng_hpf_2021.pdf"


@cache
def extracted(path: Path) -> ExtractedDocument:
    return extract_document(path)


def edit(doc: ExtractedDocument, change: dict[str, str], nth: int = 0) -> ExtractedDocument:
    """The document with the ``nth`` cell reading each key changed to its value."""
    seen: dict[str, int] = {}
    pages = []
    for page in doc.pages:
        grids = []
        for grid in page.grids:
            cells = []
            for cell in grid.cells:
                if cell.text in change:
                    seen[cell.text] = seen.get(cell.text, -1) + 1
                    if seen[cell.text] == nth:
                        cell = replace(cell, text=change[cell.text])
                cells.append(cell)
            grids.append(replace(grid, cells=tuple(cells)))
        pages.append(replace(page, grids=tuple(grids)))
    assert set(seen) == set(change), f"cells not found: {set(change) - set(seen)}"
    return replace(doc, pages=tuple(pages), sha256="f" * 64)


def codes(doc: ExtractedDocument) -> list[tuple[str, int | None]]:
    return [(i.code, i.page) for i in normalize(doc).issues]


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.pdf")), ids=lambda p: p.stem)
def test_correct_samples_have_no_issues(sample: Path):
    assert codes(extracted(sample)) == []


def test_a_changed_figure_breaks_the_total():
    doc = edit(extracted(SEED), {"2241": "2214"})  # 职能项目支出 全年数, digits transposed
    decl = normalize(doc)
    (issue,) = decl.issues
    assert (issue.code, issue.page) == ("budget_total_mismatch", 3)
    assert issue.message == "预算支出 合计 全年数 is 5218.16 万元 but its lines add up to 5191.16 万元"


def test_sub_items_larger_than_their_parent():
    doc = edit(extracted(SEED), {"2320.81": "2420.81"})  # 其中: 1. 工资福利支出
    assert codes(doc) == [("budget_subtotal_mismatch", 3)]


def test_periods_out_of_order():
    # 基本支出 上半年 ↔ 前三季度: the line is out of order, and both totals are off
    doc = edit(extracted(SEED), {"1365": "2047.5", "2047.5": "1365"})
    issues = normalize(doc).issues
    assert sorted(i.code for i in issues) == [
        "budget_subtotal_mismatch", "budget_total_mismatch", "budget_total_mismatch", "period_order"]
    (order,) = [i for i in issues if i.code == "period_order"]
    assert order.message == "基本支出: 上半年数 2047.5 exceeds 前三季度数 1365"


def test_an_unreadable_amount_is_kept_raw_and_reported():
    doc = edit(extracted(SEED), {"303.14": "3O3.14"})  # a letter O for a zero
    decl = normalize(doc)
    line = next(b for b in decl.budget if b.item == "商品和服务支出")
    assert (line.annual.raw, line.annual.value) == ("3O3.14", None)
    assert [(i.code, i.page) for i in decl.issues] == [("value_unreadable", 3)]
    assert "商品和服务支出" in decl.issues[0].message and "3O3.14" in decl.issues[0].message


def without_rows_of(doc: ExtractedDocument, label: str) -> ExtractedDocument:
    """The document with every row the merged ``label`` cell spans deleted."""
    pages = []
    for page in doc.pages:
        grids = []
        for grid in page.grids:
            spans = [(c.row, c.last_row) for c in grid.cells if c.text == label]
            cells = tuple(c for c in grid.cells
                          if not any(first <= c.row <= last for first, last in spans))
            grids.append(replace(grid, cells=cells))
        pages.append(replace(page, grids=tuple(grids)))
    return replace(doc, pages=tuple(pages))


def test_a_budget_header_without_its_side_labels_is_still_read():
    doc = extracted(SEED)
    relabelled = replace(doc, pages=tuple(
        replace(p, grids=tuple(replace(g, cells=tuple(
            c for c in g.cells if c.text not in ("预算收入", "预算支出"))) for g in p.grids))
        for p in doc.pages))
    assert normalize(relabelled).budget == normalize(doc).budget


def test_a_dropped_section_is_reported():
    decl = normalize(without_rows_of(extracted(SEED), "年度部门预算"))
    assert [(i.code, i.message) for i in decl.issues] == [
        ("section_missing", "section 年度部门预算 (budget) was not found")]


def test_check_lists_documents_with_issues_by_code(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    engine = open_database(db)
    try:
        save(engine, normalize(edit(extracted(SEED), {"2241": "2214"})))
        other = SAMPLES / "nantong_edu_2022.pdf"
        save(engine, normalize(extracted(other)))
    finally:
        engine.dispose()
    result = CliRunner().invoke(main, ["check", "--db", db])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "budget_total_mismatch (1)",
        "  盐城市住房公积金管理中心 2021 yancheng_hpf_2021.pdf p.3: "
        "预算支出 合计 全年数 is 5218.16 万元 but its lines add up to 5191.16 万元",
    ]
