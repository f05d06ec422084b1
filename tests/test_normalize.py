"""normalize/ on hand-built page grids: labels, sections, page-break stitching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract.model import Cell, ExtractedDocument, Grid, PageGrid, TextLine
from normalize import labels
from normalize.budget_items import read_name
from normalize.document import normalize
from normalize.header import find_signoff, find_year
from normalize.model import NotADeclaration
from normalize.rows import is_noise_line, line_row


@pytest.mark.parametrize("printed,group,key", [
    ("部 门 职 能", "section", "section.functions"),
    ("（一）部门职能：", "section", "section.functions"),
    ("人员编制情\n况", "profile", "profile.staffing_quota"),
    ("上年度绩效目\n标完成情况", "section", "section.prior_year"),
    ("目标值", "indicator", "indicator.target"),
    ("年度指标值", "indicator", "indicator.target"),
    ("备注", "indicator", "indicator.basis"),
    ("指标值设定依据", "indicator", "indicator.basis"),
    ("前三\n季度值", "indicator", "indicator.q3"),
    ("财政供养人员倩况", "profile", "profile.funded_staff"),  # one character misread
    ("年度部门预算(续)", "section", "section.budget"),
])
def test_labels_match_however_printed(printed, group, key):
    assert labels.match(printed, group) == key


@pytest.mark.parametrize("prose", [
    "2021年,计划全年新建住房公积金制度9万人,归集90亿元",
    "负责审批住房公积金提取、使用",
    "上年度绩效目标完成情况良好",
])
def test_prose_never_matches_a_label(prose):
    assert labels.match(prose, "section") is None


def test_prior_year_header_is_not_the_indicator_title():
    assert labels.match("上年度绩效目标完成情况", "section") == "section.prior_year"
    assert labels.match("年度绩效目标", "section") == "section.annual_goals"


@pytest.mark.parametrize("printed,name,qizhong,style", [
    ("其中: 1. 工资福利支出", "工资福利支出", True, "arabic-dot"),
    ("其中：工资福利支出", "工资福利支出", True, None),
    ("2. 对个人和家庭的补助支出", "对个人和家庭的补助支出", False, "arabic-dot"),
    ("2、商品和服务支出", "商品和服务支出", False, "arabic-dot"),
    ("（1）工资福利支出", "工资福利支出", False, "arabic-paren"),
    ("③资本性支出", "资本性支出", False, "circled"),
    ("一、基本支出", "基本支出", False, "cn-dun"),
    ("（二）项目支出", "项目支出", False, "cn-paren"),
    ("合 计", "合计", False, None),
    ("2021年结转", "2021年结转", False, None),
])
def test_budget_item_names(printed, name, qizhong, style):
    got = read_name(printed)
    assert (got.name, got.qizhong, got.style) == (name, qizhong, style)


def lines(*texts: str):
    return [line_row(TextLine(t, (0, 10 * i, 100, 10 * i + 8), 1)) for i, t in enumerate(texts)]


def test_signoff_in_one_line_and_in_several():
    one = find_signoff(lines("填表人:周桂柳 填表日期:20210203 联系电话:88150231 填报单位负责人:张成中"))
    assert (one.filled_by, one.date, one.phone, one.head) == ("周桂柳", "2021-02-03", "88150231", "张成中")
    several = find_signoff(lines("填表人：李明", "填表日期：2022年1月5日", "联系电话：0515-1234567",
                                 "单位负责人：王强"))
    assert (several.filled_by, several.date, several.phone, several.head) == \
        ("李明", "2022-01-05", "0515-1234567", "王强")


def test_year_from_the_title_block():
    assert find_year(lines("部门整体预算绩效目标申报表", "(2023年度)")) == 2023
    assert find_year(lines("2022年度部门整体预算绩效目标申报表")) == 2022


def test_page_furniture_is_not_content():
    assert all(is_noise_line(t) for t in ("第 3 页", "- 4 -", "12", "续表", "（续）", "第2页 共5页"))
    assert not is_noise_line("单位:万元")


# --- a two-page indicator table, built by hand --------------------------------------

XS = (0, 60, 120, 220, 280, 400)  # 一级 | 二级 | 三级 | 指标值 | 依据或说明


def grid(page: int, rows: list[list[tuple[str, int] | None]], top: float = 100) -> Grid:
    """rows of (text, rowspan) per column; None where a merged cell from above covers."""
    height = 20
    cells = []
    for r, row in enumerate(rows):
        for c, spec in enumerate(row):
            if spec is None:
                continue
            text, rowspan = spec
            cells.append(Cell(row=r, col=c, rowspan=rowspan, colspan=1, text=text, page=page,
                              bbox=(XS[c], top + r * height, XS[c + 1], top + (r + rowspan) * height)))
    ys = tuple(top + r * height for r in range(len(rows) + 1))
    return Grid(page=page, bbox=(XS[0], ys[0], XS[-1], ys[-1]), col_edges=XS, row_edges=ys,
                cells=tuple(cells))


def document(*pages: PageGrid) -> ExtractedDocument:
    return ExtractedDocument(path="/x/hand.pdf", sha256="0" * 64, pages=pages, extractor_version="t")


def title_lines() -> tuple[TextLine, ...]:
    return (TextLine("部门整体预算绩效目标申报表", (100, 20, 300, 35), 1),
            TextLine("(2022年度)", (150, 40, 250, 50), 1),
            TextLine("填报部门(盖章):某市测试局 单位:万元", (0, 60, 400, 70), 1))


def test_indicators_continue_across_a_page_break():
    page1 = PageGrid(page=1, width=595, height=842, kind="text", lines=title_lines(), grids=(grid(1, [
        [("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("指标值", 1), ("依据或说明", 1)],
        [("产出指标", 3), ("数量指标", 3), ("培训人次", 1), ("不低于500人次", 1), ("年度计划", 1)],
        [None, None, ("覆盖率", 1), ("≥95%", 1), ("按照上级", 1)],
        [None, None, ("完成率", 1), ("100%", 1), ("根据《工作", 1)],
    ]),))
    # the page break cut the last row: its rest, then the merged 一级 continues blank
    page2 = PageGrid(page=2, width=595, height=842, kind="text", grids=(grid(2, [
        [("", 3), ("", 1), ("", 1), ("", 1), ("方案》要求", 1)],
        [None, ("质量指标", 2), ("合格率", 1), ("98%", 1), ("", 1)],
        [None, None, ("及时率", 1), ("提高", 1), ("", 1)],
    ], top=60),), lines=(TextLine("第 2 页", (280, 800, 320, 810), 2),))
    decl = normalize(document(page1, page2))
    assert decl.department == "某市测试局" and decl.year == 2022 and decl.money_unit == "万元"
    got = [(i.level1, i.level2, i.level3, i.target.raw, i.basis) for i in decl.indicators]
    assert got == [
        ("产出指标", "数量指标", "培训人次", "不低于500人次", "年度计划"),
        ("产出指标", "数量指标", "覆盖率", "≥95%", "按照上级"),
        ("产出指标", "数量指标", "完成率", "100%", "根据《工作方案》要求"),
        ("产出指标", "质量指标", "合格率", "98%", None),
        ("产出指标", "质量指标", "及时率", "提高", None),
    ]
    first = decl.indicators[0].target
    assert (first.kind, first.value, first.unit, first.comparator) == ("number", 500, "人次", ">=")
    assert decl.indicators[4].target.direction == "increase"
    assert decl.indicators[0].annual is None  # no period columns on this form
    assert [i.code for i in decl.issues] == ["section_missing"]  # no budget section


def test_a_document_without_the_form_title_is_refused():
    page = PageGrid(page=1, width=595, height=842, kind="text",
                    lines=(TextLine("2024年度部门决算", (0, 0, 100, 10), 1),))
    with pytest.raises(NotADeclaration, match=r"not a 部门整体预算绩效目标申报表 \(titles found: 2024年度部门决算\)"):
        normalize(document(page))


def test_spreadsheet_merged_names_printed_on_the_next_page():
    """Calc centres a merged cell's text in its whole range: a group that starts at
    the bottom of a page has blank cells there and its name on the next page,
    while the text spilled below the grid is page furniture."""
    page1 = PageGrid(page=1, width=595, height=842, kind="text", lines=title_lines() + (
        TextLine("数量 第1页", (100, 790, 300, 800), 1),), grids=(grid(1, [
            [("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("指标值", 1), ("依据或说明", 1)],
            [("过程管理", 1), ("预算执行", 1), ("预算执行率", 1), ("100%", 1), ("", 1)],
            [("", 1), ("", 1), ("治理项目", 1), ("120个", 1), ("", 1)],
        ]),))
    page2 = PageGrid(page=2, width=595, height=842, kind="text", grids=(grid(2, [
        [("部门产出", 2), ("数量", 2), ("排污口整治", 1), ("200个", 1), ("", 1)],
        [None, None, ("执法检查", 1), ("3000家次", 1), ("", 1)],
    ], top=60),))
    decl = normalize(document(page1, page2))
    assert [(i.level1, i.level2, i.level3) for i in decl.indicators] == [
        ("过程管理", "预算执行", "预算执行率"),
        ("部门产出", "数量", "治理项目"),
        ("部门产出", "数量", "排污口整治"),
        ("部门产出", "数量", "执法检查"),
    ]


@pytest.mark.parametrize("text,unit,value_type,expected", [
    ("95", "%", "", (95, "%", "=")),
    ("3", "个工作日", "", (3, "工作日", "=")),
    ("500", "万元", "", (500, "万元", "=")),
    ("9", "万人", "", (90000, "人", "=")),
    ("1", "‰", "", (Decimal("0.1"), "%", "=")),
    ("95%", "%", "", (95, "%", "=")),            # the cell already has its unit
    ("95%", "", "≥", (95, "%", ">=")),
    ("95", "%", "≥", (95, "%", ">=")),
    ("≤5%", "", "≥", (5, "%", "<=")),            # the cell's own comparator wins
    ("100", "%", "定量", (100, "%", "=")),
    ("100", "1%", "", (100, None, "=")),         # a unit cell that is a number adds nothing
    ("95", "5%", "≥", (95, None, ">=")),
    ("100", "一", "", (100, None, "=")),          # nor does a dash
    ("100", "/", "", (100, None, "=")),
])
def test_unit_and_type_columns(text, unit, value_type, expected):
    from normalize.indicators import with_columns
    from normalize.values import parse_value

    got = with_columns(parse_value(text), text, unit, value_type)
    assert (got.value, got.unit, got.comparator) == expected
    assert got.raw == text


def test_a_unit_cell_that_does_not_parse_keeps_the_comparator_and_says_so():
    """A 计量单位 cell OCR'd as junk must not silently drop the 指标值类型's ≤ too;
    an odd unit printed in a text layer is the form's own business."""
    from dataclasses import replace

    from normalize.indicators import with_columns
    from normalize.values import parse_value

    got = with_columns(parse_value("100"), "100", "·%x", "≤")
    assert (got.value, got.unit, got.comparator) == (100, None, "<=")
    table = grid(1, [
        [("二级指标", 1), ("三级指标", 1), ("计量单位", 1), ("指标值类型", 1), ("指标值", 1)],
        [("数量指标", 3), ("在职人员控制率", 1), ("·%x", 1), ("≤", 1), ("100", 1)],
        [None, ("信访按期办结率", 1), ("—", 1), ("", 1), ("100%", 1)],
        [None, ("走访户数", 1), ("户（次）", 1), ("", 1), ("300", 1)],
    ])

    def unreadable(source: str) -> list:
        cells = tuple(replace(c, source=source, confidence=0.95) for c in table.cells)
        page = PageGrid(page=1, width=595, height=842, kind="scan" if source == "ocr" else "text",
                        lines=title_lines(), grids=(replace(table, cells=cells),))
        decl = normalize(document(page))
        assert decl.indicators[0].target.comparator == "<="
        assert decl.indicators[1].target.unit == "%"
        return [i for i in decl.issues if i.code == "value_unreadable"]

    scanned = unreadable("ocr")
    assert [i.page for i in scanned] == [1, 1]  # once per row, not once per value
    assert "在职人员控制率" in scanned[0].message and "'·%x'" in scanned[0].message
    assert "走访户数" in scanned[1].message
    assert unreadable("text") == []


def test_text_values_ignore_the_unit_column():
    from normalize.indicators import with_columns
    from normalize.values import parse_value

    got = with_columns(parse_value("提高"), "提高", "%", "")
    assert (got.kind, got.direction, got.unit) == ("direction", "increase", None)


def test_signoff_wrapped_onto_a_second_line():
    wrapped = find_signoff(lines("填表人：许晓燕 填表日期：2025年1月22日 联系电话：0517-83662145 填报单位负责人：孙",
                                 "建军", "注：本表金额单位为万元，请按照财政部门要求如实填写。"))
    assert (wrapped.filled_by, wrapped.date, wrapped.phone, wrapped.head) == \
        ("许晓燕", "2025-01-22", "0517-83662145", "孙建军")


def test_a_footer_below_the_signoff_is_not_part_of_it():
    signoff = line_row(TextLine("填表人：沈佳怡 填报单位负责人：周立新", (40, 700, 550, 710), 1))
    footer = line_row(TextLine("第?页", (280, 800, 310, 810), 1))  # a page number misread by OCR
    got = find_signoff([signoff, footer])
    assert (got.filled_by, got.head) == ("沈佳怡", "周立新")


@pytest.mark.parametrize("printed,group,key", [
    ("部门年度整体绩效目标", "section", "section.annual_goals"),   # a neutral word added
    ("绩效目标年度", "section", "section.annual_goals"),           # words reordered
    ("年度工作任务情况", "section", "section.tasks"),
    ("部门中长期战略目标说明", "section", "section.strategic_goals"),
])
def test_labels_match_by_jieba_words(printed, group, key):
    assert labels.match(printed, group) == key


@pytest.mark.parametrize("printed", ["上年度绩效目标", "年度绩效目标完成率", "部门职能划分调整"])
def test_a_word_that_changes_the_meaning_is_not_ignored(printed):
    assert labels.match(printed, "section") != "section.annual_goals" or printed == ""
    assert labels.match(printed, "section") in (None, "section.prior_year")


@pytest.mark.parametrize("printed", ["项目支出", "其他收入", "收入合计", "支出合计"])
def test_budget_lines_are_not_budget_headers(printed):
    assert labels.match(printed, "budget") is None


def test_the_filing_department_read_without_its_colon():
    """A scan loses the small colon after 填报部门（盖章）; the parenthesis ends the label."""
    lines = (*title_lines()[:2], TextLine("填报部门（盖章） 某市测试局 单位：万元", (0, 60, 400, 70), 1))
    page = PageGrid(page=1, width=595, height=842, kind="text", lines=lines, grids=(grid(1, [
        [("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("指标值", 1), ("依据或说明", 1)],
        [("产出指标", 1), ("数量指标", 1), ("培训人次", 1), ("不低于500人次", 1), ("年度计划", 1)],
    ]),))
    decl = normalize(document(page))
    assert (decl.department, decl.money_unit) == ("某市测试局", "万元")
