"""Value cells: shared/FORM.md "Values in cells", and spellings seen in real forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from normalize.numerals import read_chinese_number
from normalize.values import (
    ValueParseError,
    collapse_whitespace,
    fold,
    money_factor,
    parse_amount,
    parse_value,
    squash,
)

D = Decimal

# (printed, kind, value, unit, comparator, direction): every row of FORM.md's table
# except the budget cell "2730. 16", which is tested with parse_amount below.
FORM_TABLE = [
    ("90 亿元", "number", D("900000"), "万元", "=", None),
    ("3.26 亿元", "number", D("32600"), "万元", "=", None),
    ("420万元", "number", D("420"), "万元", "=", None),
    ("1‰", "number", D("0.1"), "%", "=", None),
    ("0.15‰", "number", D("0.015"), "%", "=", None),
    ("85. 34%", "number", D("85.34"), "%", "=", None),
    ("≦ 5%", "number", D("5"), "%", "<=", None),
    ("100%左右", "number", D("100"), "%", "~", None),
    ("控制在1%以内", "number", D("1"), "%", "<=", None),
    ("不低于95%", "number", D("95"), "%", ">=", None),
    ("9万", "number", D("90000"), None, "=", None),
    ("40 万人", "number", D("400000"), "人", "=", None),
    ("207 项", "number", D("207"), "项", "=", None),
    ("3个工作日", "number", D("3"), "工作日", "=", None),
    ("50000", "number", D("50000"), None, "=", None),
    ("1000 万平方米", "number", D("10000000"), "平方米", "=", None),
    ("三个工作日", "number", D("3"), "工作日", "=", None),
    ("提高", "direction", None, None, None, "increase"),
    ("提升", "direction", None, None, None, "increase"),
    ("增加", "direction", None, None, None, "increase"),
    ("下降", "direction", None, None, None, "decrease"),
    ("降低", "direction", None, None, None, "decrease"),
    ("减少", "direction", None, None, None, "decrease"),
    ("实时", "text", None, None, None, None),
    ("规范", "text", None, None, None, None),
    ("按时", "text", None, None, None, None),
    ("", "empty", None, None, None, None),
]

MORE_SPELLINGS = [
    # comparators
    ("≤ 5%", "number", D("5"), "%", "<=", None),
    ("＜=5%", "number", D("5"), "%", "<=", None),
    ("<=5%", "number", D("5"), "%", "<=", None),
    ("≥ 95%", "number", D("95"), "%", ">=", None),
    ("≧95%", "number", D("95"), "%", ">=", None),
    (">=95%", "number", D("95"), "%", ">=", None),
    ("不少于10项", "number", D("10"), "项", ">=", None),
    ("大于等于90%", "number", D("90"), "%", ">=", None),
    ("95%以上", "number", D("95"), "%", ">=", None),
    ("<3%", "number", D("3"), "%", "<", None),
    ("低于3%", "number", D("3"), "%", "<", None),
    ("小于3%", "number", D("3"), "%", "<", None),
    (">80%", "number", D("80"), "%", ">", None),
    ("高于80%", "number", D("80"), "%", ">", None),
    ("超过80%", "number", D("80"), "%", ">", None),
    ("不超过5%", "number", D("5"), "%", "<=", None),
    ("不高于5%", "number", D("5"), "%", "<=", None),
    ("5%以下", "number", D("5"), "%", "<=", None),
    ("控制在5%", "number", D("5"), "%", "<=", None),
    ("控制在100%左右", "number", D("100"), "%", "~", None),
    ("约100人", "number", D("100"), "人", "~", None),
    ("大约100人", "number", D("100"), "人", "~", None),
    ("3个工作日内", "number", D("3"), "工作日", "<=", None),
    ("达到95%", "number", D("95"), "%", "=", None),
    # the Shanghai form's spellings
    ("=100.00(%)", "number", D("100"), "%", "=", None),
    ("≥90.00(%)", "number", D("90"), "%", ">=", None),
    ("985米", "number", D("985"), "米", "=", None),
    ("可控", "text", None, None, None, None),
    ("达标", "text", None, None, None, None),
    ("及时", "text", None, None, None, None),
    ("健全", "text", None, None, None, None),
    # full-width, separators, spaces inside numbers
    ("９５％", "number", D("95"), "%", "=", None),
    ("９５ ％", "number", D("95"), "%", "=", None),
    ("1,234.50", "number", D("1234.5"), None, "=", None),
    ("１，２３４", "number", D("1234"), None, "=", None),
    ("2730. 16", "number", D("2730.16"), None, "=", None),
    ("3 个工作 日", "number", D("3"), "工作日", "=", None),
    # multipliers and money
    ("49.8万次", "number", D("498000"), "次", "=", None),
    ("1.5亿人次", "number", D("150000000"), "人次", "=", None),
    ("35 亿元", "number", D("350000"), "万元", "=", None),
    ("3.26 亿 元", "number", D("32600"), "万元", "=", None),
    ("50万元", "number", D("50"), "万元", "=", None),
    ("1200元", "number", D("0.12"), "万元", "=", None),
    ("5千元", "number", D("0.5"), "万元", "=", None),
    ("100元/人", "number", D("100"), "元/人", "=", None),
    # Chinese numerals
    ("十二项", "number", D("12"), "项", "=", None),
    ("两项", "number", D("2"), "项", "=", None),
    ("一百二十人", "number", D("120"), "人", "=", None),
    ("三千户", "number", D("3000"), "户", "=", None),
    ("两千元", "number", D("0.2"), "万元", "=", None),
    ("五个", "number", D("5"), "个", "=", None),
    ("百分之九十", "number", D("90"), "%", "=", None),
    ("千分之一", "number", D("0.1"), "%", "=", None),
    ("一流", "text", None, None, None, None),
    ("一般", "text", None, None, None, None),
    ("三级等保", "text", None, None, None, None),
    ("万无一失", "text", None, None, None, None),
    # other units
    ("5个", "number", D("5"), "个", "=", None),
    ("5个百分点", "number", D("5"), "百分点", "=", None),
    ("1次/年", "number", D("1"), "次/年", "=", None),
    ("24小时", "number", D("24"), "小时", "=", None),
    ("100 m²", "number", D("100"), "m2", "=", None),
    ("0", "number", D("0"), None, "=", None),
    ("0%", "number", D("0"), "%", "=", None),
    ("96", "number", D("96"), None, "=", None),
    ("-5%", "number", D("-5"), "%", "=", None),
    ("95%。", "number", D("95"), "%", "=", None),
    # directions, alone and with a number
    ("有所提高", "direction", None, None, None, "increase"),
    ("逐步提升", "direction", None, None, None, "increase"),
    ("持续增长", "direction", None, None, None, "increase"),
    ("上升", "direction", None, None, None, "increase"),
    ("较上年下降", "direction", None, None, None, "decrease"),
    ("逐年减少", "direction", None, None, None, "decrease"),
    ("提高5%", "number", D("5"), "%", "=", "increase"),
    ("提高到95%", "number", D("95"), "%", "=", "increase"),
    ("较上年下降3个百分点", "number", D("3"), "百分点", "=", "decrease"),
    ("同比增长不低于10%", "number", D("10"), "%", ">=", "increase"),
    # placeholders
    ("   ", "empty", None, None, None, None),
    ("—", "empty", None, None, None, None),
    ("——", "empty", None, None, None, None),
    ("-", "empty", None, None, None, None),
    ("－", "empty", None, None, None, None),
    ("/", "empty", None, None, None, None),
    ("／", "empty", None, None, None, None),
    ("一", "empty", None, None, None, None),
    ("无", "text", None, None, None, None),
    # no single value, or not a quantity: text
    ("3%-10%", "text", None, None, None, None),
    ("3-5天", "text", None, None, None, None),
    ("95%~100%", "text", None, None, None, None),
    ("2025年底达到90%", "text", None, None, None, None),
    ("2025年", "text", None, None, None, None),
    ("2159年以上", "number", 2159, "年", ">=", None),   # bounded: a count of years, not a date
    ("控制在9643米三十名", "text", None, None, None, None),  # two cells run together: no unit
    ("二〇二五年底", "text", None, None, None, None),
    ("6月底前", "text", None, None, None, None),
    ("12月31日", "text", None, None, None, None),
    ("7*24小时", "text", None, None, None, None),
    ("完成3项工作并通过验收", "text", None, None, None, None),
    ("12,34", "text", None, None, None, None),
    ("100%完成", "text", None, None, None, None),
    ("增加收入", "text", None, None, None, None),
]


@pytest.mark.parametrize(
    ("printed", "kind", "value", "unit", "comparator", "direction"),
    FORM_TABLE + MORE_SPELLINGS,
)
def test_parse_value(printed, kind, value, unit, comparator, direction):
    v = parse_value(printed)
    assert (v.kind, v.value, v.unit, v.comparator, v.direction) == (
        kind,
        value,
        unit,
        comparator,
        direction,
    )
    assert v.confidence is None and v.provenance is None


@pytest.mark.parametrize("printed", [row[0] for row in FORM_TABLE + MORE_SPELLINGS])
def test_numbers_are_decimal_never_float(printed):
    v = parse_value(printed)
    if v.kind == "number":
        assert type(v.value) is Decimal
    else:
        assert v.value is None


@pytest.mark.parametrize(
    ("printed", "raw"),
    [
        ("≦ 5%", "≦ 5%"),
        ("  ９５％ ", "９５％"),
        ("3个工作\n日", "3个工作 日"),
        ("85.\u3000 34%", "85. 34%"),
        ("", ""),
        ("实时", "实时"),
    ],
)
def test_raw_is_as_printed_with_whitespace_collapsed(printed, raw):
    assert parse_value(printed).raw == raw


def test_exact_decimals():
    assert parse_value("0.15‰").value == D("0.015")
    assert str(parse_value("0.15‰").value) == "0.015"
    assert parse_value("90%").value == parse_value("90.00%").value


@pytest.mark.parametrize(
    ("text", "money_unit", "amount"),
    [
        ("2730. 16", "万元", D("2730.16")),  # FORM.md's budget row
        ("2165.0", "万元", D("2165")),
        ("15700", "万元", D("15700")),
        ("0", "万元", D("0")),
        ("１５７００", "万元", D("15700")),
        ("1,234.50", "万元", D("1234.5")),
        ("771,325,800.00", "元", D("77132.58")),
        ("1,234,500.00", "元", D("123.45")),
        ("226 145 100.00", "元", D("22614.51")),
        ("5", "千元", D("0.5")),
        ("3.26", "亿元", D("32600")),
        ("420万元", "元", D("420")),  # a unit printed in the cell wins
        ("2730.16", "单位:万元", D("2730.16")),
        ("10000", "（元）", D("1")),
        ("", "万元", None),
        ("  ", "元", None),
        ("—", "万元", None),
        ("-", "万元", None),
        ("/", "万元", None),
        ("无", "万元", None),
    ],
)
def test_parse_amount(text, money_unit, amount):
    got = parse_amount(text, money_unit)
    assert got == amount
    if amount is not None:
        assert type(got) is Decimal


@pytest.mark.parametrize("text", ["abc", "2730,16", "12.3.4", "约100", "100%", "1,23,400"])
def test_parse_amount_rejects_non_numbers_naming_the_text(text):
    with pytest.raises(ValueParseError) as err:
        parse_amount(text, "万元")
    assert err.value.text == text
    assert text in str(err.value)
    assert isinstance(err.value, ValueError)


def test_money_factor():
    assert money_factor("万元") == 10_000
    assert money_factor("元") == 1
    assert money_factor("单位：亿元") == 100_000_000
    with pytest.raises(ValueParseError):
        money_factor("美元")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("２７３０． １６", "2730.16"),
        ("部门 职能\n说明", "部门职能说明"),
        ("（元）\u3000", "(元)"),
        ("a\u200bb", "ab"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "squashed"),
    [
        ("  部门\n\n职能  说明 ", "部门 职能 说明"),
        ("９５％", "95%"),
        ("", ""),
    ],
)
def test_squash(text, squashed):
    assert squash(text) == squashed


def test_collapse_whitespace_keeps_characters():
    assert collapse_whitespace(" ９５\n\n％ ") == "９５ ％"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("零", 0),
        ("一", 1),
        ("两", 2),
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百二十", 120),
        ("一百零五", 105),
        ("一千零十", 1010),
        ("三千", 3000),
        ("两千", 2000),
        ("二十万", 200_000),
        ("三千万", 30_000_000),
        ("一万一千", 11_000),
        ("一亿二千万", 120_000_000),
        ("两万五", 25_000),
        ("一百五", 150),
        ("二〇二五", 2025),
        ("叁拾", 30),
    ],
)
def test_read_chinese_number(text, number):
    assert read_chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "万", "百", "十十", "二三十", "三个", "abc", "百十"])
def test_read_chinese_number_rejects(text):
    assert read_chinese_number(text) is None


@pytest.mark.parametrize("text,amount", [
    ("540,813.700.00", D("54081.37")),  # "540,813." / "700.00": a wrap after a separator
    ("62.770.300,00", D("6277.03")),  # each mark read as the other
    ("1.234.56", D("0.123456")),
])
def test_an_amount_in_groups_of_three_reads_whatever_its_marks_were_read_as(text, amount):
    assert parse_amount(text, "元") == amount
