"""Reading value cells: indicator targets (指标值) and budget amounts (年度部门预算).

Why the rules are what they are (see shared/FORM.md, "Values in cells"):

* Queries compare values across departments and years, so one quantity must have
  one spelling: money is always in 万元 (元 ÷ 10000, 千元 ÷ 10, 亿元 × 10000),
  rates are in percent points (‰ ÷ 10), the multipliers 万 and 亿 are applied
  and dropped from the unit ("40 万人" is 400000 人), and every number is an
  exact ``Decimal`` (money must never pass through float).
* Text layers and OCR print the same cell many ways: full-width digits and
  signs (NFKC folds them), spaces inside numbers ("85. 34%" from line
  wrapping), thousands separators, Chinese numerals ("三个工作日"). Parsing works
  on ``fold(text)``: NFKC with all whitespace removed.
* A cell is a number only when the number is the cell's main content: an
  optional direction word (提高), an optional comparator word (不低于, ≤,
  控制在…以内), the number, a short unit, an optional trailing comparator
  (以上, 左右). Anything else ("2025年底达到…", "3%-10%", "7*24小时") is kept as
  text: a cell wrongly kept as text loses nothing (``raw`` is always kept),
  a cell wrongly read as a number corrupts every query that touches it.

Decisions on ambiguous cells:

* ``raw`` is the cell as printed with whitespace runs collapsed to one space,
  *not* NFKC-folded: it is the evidence ("≦ 5%", "９５％" stay as printed), and
  exported text is compared after NFKC folding anyway.
* A lone dash or slash ("—", "-", "/", "一" as an OCR'd dash, "…") is ``empty``:
  forms use it for "not applicable", the same as a blank cell. "无" in an
  indicator cell is ``text``: it can be the target itself (重大事故: 无). In a
  budget cell "无" is read as blank (``None``), since an amount has no text form.
* Ranges ("3%-10%", "3-5天", "95%~100%") are ``text``: there is no single value,
  and inventing one (the midpoint, a bound) would mislead.
* A number with a direction word ("提高5%", "较上年下降3个百分点") is a number
  carrying ``direction``; a direction word alone ("提高", "有所下降") is kind
  ``direction``.
* "控制在X" without 以内/左右 is ``<=`` (controlling a quantity caps it);
  "以上" is ``>=`` and "以下"/"以内"/"内" are ``<=`` because Chinese usage
  includes the bound.
* A 4-digit year followed by 年 ("2025年", "2025年底") is text, a date, not a
  quantity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from normalize.model import Comparator, Direction, Value
from normalize.numerals import COUNTING_CHARS, NUMERAL_CHARS, read_chinese_number

__all__ = [
    "NUMBER",
    "ValueParseError",
    "collapse_whitespace",
    "cut_between",
    "fold",
    "money_factor",
    "parse_amount",
    "parse_value",
    "read_chinese_number",
    "squash",
]


class ValueParseError(ValueError):
    """A cell that must hold a number does not; ``text`` is the cell as given."""

    def __init__(self, text: str, reason: str = "not a number") -> None:
        super().__init__(f"{reason}: {text!r}")
        self.text = text


# ---------------------------------------------------------------- text folding

# Zero-width characters are not whitespace to Python's \s but are just as
# invisible, and PDF text layers do contain them.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, then no whitespace at all: the form texts are compared and matched in."""
    text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE_RE.sub("", _INVISIBLE_RE.sub("", text))


def squash(text: str) -> str:
    """NFKC, whitespace runs collapsed to one space, stripped: readable folded text."""
    return collapse_whitespace(unicodedata.normalize("NFKC", text))


def collapse_whitespace(text: str) -> str:
    """Whitespace runs to one space, stripped, characters otherwise as printed."""
    return _WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip()


# ---------------------------------------------------------------- vocabulary

# Factor to 元 of each money unit a cell or a form header may name.
_MONEY_FACTORS: dict[str, int] = {
    "元": 1,
    "千元": 10**3,
    "万元": 10**4,
    "百万元": 10**6,
    "千万元": 10**7,
    "亿元": 10**8,
    "万亿元": 10**12,
}
_WAN_YUAN = 10**4

# Multipliers before a non-money unit ("40万人", "1.5亿次"). A bare 千 is not
# one: "3千米" is 3 kilometres, a unit of its own.
_MULTIPLIERS: tuple[tuple[str, int], ...] = (
    ("万亿", 10**12),
    ("千万", 10**7),
    ("百万", 10**6),
    ("亿", 10**8),
    ("万", 10**4),
)

# Leading comparator words. "Weak" ones (=, 达到, 控制在) yield to a trailing
# word: "控制在100%左右" is about 100%, not at most 100%.
_PREFIX_COMPARATORS: dict[str, tuple[Comparator, bool]] = {
    "≥": (">=", True), "≧": (">=", True), ">=": (">=", True), "=>": (">=", True),
    "大于或等于": (">=", True), "大于等于": (">=", True), "不低于": (">=", True),
    "不少于": (">=", True), "不小于": (">=", True), "至少": (">=", True),
    "≤": ("<=", True), "≦": ("<=", True), "<=": ("<=", True), "=<": ("<=", True),
    "小于或等于": ("<=", True), "小于等于": ("<=", True), "不超过": ("<=", True),
    "不高于": ("<=", True), "不大于": ("<=", True), "不多于": ("<=", True),
    "<": ("<", True), "低于": ("<", True), "小于": ("<", True), "少于": ("<", True),
    "不足": ("<", True),
    ">": (">", True), "高于": (">", True), "大于": (">", True), "超过": (">", True),
    "多于": (">", True),
    "约为": ("~", True), "大约": ("~", True), "约": ("~", True),
    "控制在": ("<=", False),
    "=": ("=", False), "等于": ("=", False), "达到": ("=", False), "达": ("=", False),
    "为": ("=", False),
}  # fmt: skip
_TRAILING_COMPARATORS: dict[str, Comparator] = {
    "及以上": ">=", "以上": ">=",
    "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
    "左右": "~", "上下": "~",
}  # fmt: skip


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    # "大于等于" must be tried before "大于", "以内" before "内".
    return tuple(sorted(words, key=len, reverse=True))


_PREFIX_WORDS = _longest_first(_PREFIX_COMPARATORS)
_TRAILING_WORDS = _longest_first(_TRAILING_COMPARATORS)

_INCREASE_WORDS = ("提高", "提升", "增加", "增长", "上升", "增强", "扩大", "递增")
_DECREASE_WORDS = ("下降", "降低", "减少", "减低", "缩短", "压缩", "递减")
_DIRECTION_CONTEXT = "较上年度|较上一年|比上一年|较上年|比上年|较去年|比去年|同比|环比"
_DIRECTION_ADVERBS = "有所|逐步|持续|不断|稳步|进一步|明显|显著|大幅|逐年|稳定|力争"
_DIRECTION_CORE = (
    rf"(?:{_DIRECTION_CONTEXT})?(?:{_DIRECTION_ADVERBS})*"
    rf"(?P<word>{'|'.join(_INCREASE_WORDS + _DECREASE_WORDS)})"
)
# A cell that is only a direction word: "提高", "有所下降", "呈上升趋势".
_DIRECTION_CELL_RE = re.compile(rf"呈?{_DIRECTION_CORE}(?:了|趋势)?")
# A direction word in front of a number: "提高5%", "较上年下降到3%".
_DIRECTION_PREFIX_RE = re.compile(rf"{_DIRECTION_CORE}(?:了|到|至)?")

# Strict thousands grouping: "2730,16" is an OCR'd decimal point, not 273016.
_ARABIC_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_CHINESE_RE = re.compile(f"[{NUMERAL_CHARS}]+")
# A number as a cell prints it, Arabic or Chinese (where a unit printed apart belongs)
NUMBER = re.compile(rf"[+-]?(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+)(?:\.\d+)?|[{NUMERAL_CHARS}]+")
_PER_RE = re.compile("(?P<per>百分之|千分之)")

# Placeholders for "nothing here": dashes, slashes, and 一 (a dash as OCR reads it).
_DASH_RE = re.compile(r"[-\u2010-\u2015\u2212\u2500\ufe58\ufe63_~/\\一]+")
_TRAILING_PUNCT = ".。;,、:"

# A unit is a short word: CJK characters, Latin letters (with a folded ² or ³:
# "m2"), per-slashes ("次/年"). Digits after CJK mean a date or prose ("月31日").
_UNIT_RE = re.compile(r"(?:[\u3400-\u9fff]|[A-Za-z]+[23]?|/)+")
_MAX_UNIT_LEN = 6
# Function words never found in a unit, always found in prose.
_PROSE_CHARS = frozenset("的和并或及是在将已被对把从与达")
# 月底, 年初, 月份…: a calendar position, not a count of months or years.
_DATE_UNIT_RE = re.compile(r"[年月日号](?:底|初|末|前|中|份|上旬|中旬|下旬)")
# Measure words a Chinese numeral may be followed by. Chinese numerals also
# start ordinary words (一流, 一般, 三级等保), so without 个 or one of these the
# cell stays text.
_MEASURE_WORDS = frozenset(
    "项 次 人 人次 家 天 日 工作日 年 月 周 件 所 名 户 场 批 篇 期 轮 类 套 台 座 条 "
    "处 份 本 小时 分钟 级 倍 种 部 张 间 栋 辆 个 个月 百分点".split()
)


# ---------------------------------------------------------------- indicator cells


@dataclass(frozen=True)
class _Quantity:
    value: Decimal
    unit: str | None
    comparator: Comparator
    direction: Direction | None


# digits standing apart, not as thousands groups of three ("6 4 6" but not "1 000"): how
# a scan reads a full-width figure ("７８％" as "7 8 %"), whose point, in an em of its own
# between the digits' wide side bearings, a scan may lose ("６４．６" as "6 4 6")
DIGITS_APART = re.compile(r"\d\s+\d(?!\d\d(?!\d))")


# the characters of the words a value's grammar knows (comparators, directions): what a
# word misread in a scanned value was likeliest one character away from
_WORD_CHARS = "".join(sorted(set("".join((*_PREFIX_COMPARATORS, *_TRAILING_COMPARATORS,
                                          *_INCREASE_WORDS, *_DECREASE_WORDS)))
                             - set("<>=≤≥≦≧")))


_NUMERAL_CHARS = "零〇一二三四五六七八九十百千两"
NEAR_FIGURE = 3  # a misread word of a value is this many characters from its figure at most


def near_number(text: str) -> str | None:
    """A spelling of a value one character off ``text`` (a word's character replaced by
    one of the grammar's, or dropped) that reads as a number, when ``text`` itself reads
    as text and quotes a figure (digits or numerals): 空制在3%以内 is 控制在3%以内 misread,
    达到二十十六所 达到二十六所 with a character doubled; the character is by the figure
    (2026年年底完成 is no misread 以内). None when there is
    none (a value in words of its own, a range)."""
    if not re.search(rf"[\d{_NUMERAL_CHARS}]", text) or parse_value(text).kind != "text":
        return None
    figure = [k for k, ch in enumerate(text) if ch.isdigit() or ch in _NUMERAL_CHARS]
    for k, ch in enumerate(text):
        if not "\u4e00" <= ch <= "\u9fff" or min(abs(k - f) for f in figure) > NEAR_FIGURE:
            continue  # a comparator's or a numeral's word stands by its figure
        for other in ("", *_WORD_CHARS):
            if other != ch and parse_value(spelled := text[:k] + other + text[k + 1:]).kind == "number":
                return spelled
    return None


def parse_value(text: str) -> Value:
    """One indicator value cell as a ``Value`` (provenance and confidence unset)."""
    raw = collapse_whitespace(text)
    cell = fold(text).rstrip(_TRAILING_PUNCT)
    if is_placeholder(cell):
        return Value(raw=raw, kind="empty")
    direction = _direction_only(cell)
    if direction is not None:
        return Value(raw=raw, kind="direction", direction=direction)
    quantity = _read_quantity(cell)
    if quantity is None:
        return Value(raw=raw, kind="text")
    return Value(
        raw=raw,
        kind="number",
        value=quantity.value,
        unit=quantity.unit,
        comparator=quantity.comparator,
        direction=quantity.direction,
    )


_SHORT_GROUP_RE = re.compile(r"\d,\d{1,2}$")  # thousands groups have three digits


def cut_between(above: str, below: str) -> bool:
    """Do two parts of a value cell read as one value cut in two: ``above`` ends where no
    value ends (a leading comparator, a decimal point, a separator, a multiplier), or
    ``below`` starts where no value starts (a decimal point, a percent or per-mille sign,
    a trailing comparator, a multiplier), or a number above goes on in words below, or
    in digits that complete its last thousands group?"""
    up, down = fold(above), fold(below)
    if not up or not down:
        return False
    if up.endswith((".", ",", "万", "亿")) or any(up.endswith(w) for w in _PREFIX_WORDS):
        return True
    if _SHORT_GROUP_RE.search(up) and down[0].isdigit():
        return True  # a grouped number cut inside its last group (19,21 | 8)
    if up[-1].isdigit() and "\u4e00" <= down[0] <= "\u9fff" and not _starts_value(down):
        return True  # a number above, its unit or the rest of a date below (11 | 个百分点)
    return down.startswith((".", ",", "%", "‰", "万", "亿")) or any(
        down.startswith(w) and len(down) > len(w) or down == w for w in _TRAILING_WORDS) \
        or down.startswith("及")


def _starts_value(text: str) -> bool:
    """Does the text begin as a value does (a comparator or a direction word, a number)?"""
    return (_startswith_any(text, _PREFIX_WORDS) is not None or _DIRECTION_PREFIX_RE.match(text)
            is not None or _read_quantity(text) is not None)


def is_placeholder(cell: str) -> bool:
    return cell == "" or _DASH_RE.fullmatch(cell) is not None


def _direction_of(word: str) -> Direction:
    return "increase" if word in _INCREASE_WORDS else "decrease"


def _direction_only(cell: str) -> Direction | None:
    m = _DIRECTION_CELL_RE.fullmatch(cell)
    return _direction_of(m["word"]) if m else None


def _read_quantity(cell: str) -> _Quantity | None:
    """The cell as [direction][comparator] number [unit] [comparator], or None."""
    rest = cell
    direction: Direction | None = None
    m = _DIRECTION_PREFIX_RE.match(rest)
    if m:
        direction = _direction_of(m["word"])
        rest = rest[m.end() :]

    leading: tuple[Comparator, bool] | None = None
    word = _startswith_any(rest, _PREFIX_WORDS)
    if word:
        leading = _PREFIX_COMPARATORS[word]
        rest = rest[len(word) :]

    trailing: Comparator | None = None
    word = _endswith_any(rest, _TRAILING_WORDS)
    if word:
        trailing = _TRAILING_COMPARATORS[word]
        rest = rest[: -len(word)]

    # a bound makes a count of what could be a date (2159年以上: years, not a year)
    number = _read_number_and_unit(rest, dated=trailing is None)
    if number is None:
        return None
    value, unit = number
    return _Quantity(value, unit, _settle_comparator(leading, trailing), direction)


def _settle_comparator(
    leading: tuple[Comparator, bool] | None, trailing: Comparator | None
) -> Comparator:
    # A strong leading word (不低于, ≤) is explicit; a trailing word (以内,
    # 左右) refines a weak one (控制在, 达到, =); with neither, "=".
    if leading and leading[1]:
        return leading[0]
    if trailing:
        return trailing
    return leading[0] if leading else "="


def _startswith_any(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if text.startswith(w)), None)


def _endswith_any(text: str, words: tuple[str, ...]) -> str | None:
    # Never strip the whole text: "内" alone is not a number with a comparator.
    return next((w for w in words if text.endswith(w) and len(text) > len(w)), None)


def _read_number_and_unit(text: str, dated: bool = True) -> tuple[Decimal, str | None] | None:
    per = _PER_RE.match(text)
    if per:
        return _read_per_form(text[per.end() :], per["per"])
    m = _ARABIC_RE.match(text)
    if m:
        number = _decimal(m.group())
        tail = text[m.end() :]
        if dated and _is_year(m.group(), tail):
            return None
        return _apply_unit(number, tail)
    m = _CHINESE_RE.match(text)
    if m:
        return _read_chinese_quantity(m.group(), text[m.end() :])
    return None


def _read_per_form(text: str, per: str) -> tuple[Decimal, str | None] | None:
    # 百分之九十五 / 千分之一: the unit comes first and nothing may follow.
    m = _ARABIC_RE.fullmatch(text)
    if m:
        number = _decimal(m.group())
    else:
        n = read_chinese_number(text)
        if n is None:
            return None
        number = Decimal(n)
    return (number if per == "百分之" else number / 10), "%"


def _read_chinese_quantity(numeral: str, tail: str) -> tuple[Decimal, str | None] | None:
    n = read_chinese_number(numeral)
    if n is None:
        return None
    parsed = _apply_unit(Decimal(n), tail)
    if parsed is None:
        return None
    # Only a count of something: "三个工作日", "十二项", "两千元", not "一流".
    unit = parsed[1]
    if tail.startswith("个") or unit is None or unit in ("万元", "%") or unit in _MEASURE_WORDS:
        return parsed
    return None


def _is_year(digits: str, tail: str) -> bool:
    # "2025年", "2025年底达到…": a date. Years are 4-digit, no separators.
    return tail.startswith("年") and re.fullmatch(r"(19|20|21)\d\d", digits) is not None


def _apply_unit(number: Decimal, tail: str) -> tuple[Decimal, str | None] | None:
    """Scale ``number`` by what follows it and name the unit left, or None if
    what follows is not a unit."""
    unit = _unwrap_parentheses(tail)
    if unit == "":
        return number, None
    if unit == "%":
        return number, "%"
    if unit == "‰":
        return number / 10, "%"
    if unit in _MONEY_FACTORS:
        return _to_wan(number, _MONEY_FACTORS[unit]), "万元"
    for word, factor in _MULTIPLIERS:
        if unit.startswith(word):
            number *= factor
            unit = unit[len(word) :]
            break
    if unit == "":
        return number, None
    if "元" in unit and not re.search("元(/|$)", unit):
        return None  # money units are read above; money with a word after it is not a unit
    word = _unit_word(unit)
    return None if word is None else (number, word)


def _unwrap_parentheses(tail: str) -> str:
    # "=100.00(%)": some systems print the unit in brackets after the number.
    if len(tail) > 2 and tail[0] == "(" and tail[-1] == ")":
        return tail[1:-1]
    return tail


def _unit_word(unit: str) -> str | None:
    """The unit a tail names, or None when the tail is not a unit but prose."""
    if unit.startswith("个") and len(unit) > 1:
        unit = unit[1:]  # 个 is a measure word before the unit: "3个工作日"
    if (
        len(unit) > _MAX_UNIT_LEN
        or not _UNIT_RE.fullmatch(unit)
        or (len(unit) > 1 and any(c in _PROSE_CHARS for c in unit))  # one character after a
        # number is its measure word (3300对), whatever else that character can be
        or _DATE_UNIT_RE.match(unit)
        or (len(unit) > 1 and any(c in COUNTING_CHARS for c in unit))  # 米三十名: a second
        # number, not a unit
        or (len(unit) >= 3 and says_something(unit))
    ):
        return None
    return unit


def says_something(text: str) -> bool:
    """Does the text hold a verb or an adjective (全覆盖, 有效率提高)? A unit is a measure
    word or a noun (人次, 平方公里, 台件); a word that does or describes something after a
    number is prose. Asked of longer tails that are more than one word only: loading the
    tagger takes two seconds, and a unit is one word (平方公里)."""
    from normalize.words import tagged, words

    if len(words(text)) < 2:
        return False
    return any(len(word) >= 2 and flag[:1] in ("v", "a") for word, flag in tagged(text))

def _decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def _to_wan(number: Decimal, factor: int) -> Decimal:
    # Multiply or divide by an exact power of ten, so the Decimal stays exact
    # ("771325800.00" 元 → 77132.58) and keeps its printed precision.
    if factor >= _WAN_YUAN:
        return number * (factor // _WAN_YUAN)
    return number / (_WAN_YUAN // factor)


# ---------------------------------------------------------------- budget cells

_AMOUNT_RE = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?)"
    rf"(?P<unit>{'|'.join(_longest_first(_MONEY_FACTORS))})?"
)
# Words a budget cell may hold instead of an amount, meaning "nothing".
_NOTHING_WORDS = frozenset({"无"})


_GROUPED = re.compile(r"(\d{1,3}(?:[.,]\d{3})+)[.,](\d{2})(?=\D*$)")


def regrouped(cell: str) -> str:
    """An amount printed in groups of three with cents, whatever its separators were
    read as: a grouping with two-digit cents says which mark is which, where OCR and
    line wraps do not ("540,813." / "700.00" read as one cell is 540,813,700.00)."""
    m = _GROUPED.match(cell)
    if m is None:
        return cell  # a plain number, or one separator only ("1.234" says nothing)
    groups = re.split(r"[.,]", m.group(1))
    return ",".join(groups) + "." + m.group(2) + cell[m.end():]


def parse_amount(text: str, money_unit: str) -> Decimal | None:
    """One budget cell, printed in the form's ``money_unit``, in 万元.

    ``None`` for a blank or dash cell. A unit printed in the cell itself
    ("420万元") overrides the form's. Raises ``ValueParseError`` naming the
    cell when it holds anything else, so the caller can report it.
    """
    factor = money_factor(money_unit)
    cell = fold(text).rstrip("。;,、:")
    if is_placeholder(cell) or cell in _NOTHING_WORDS:
        return None
    m = _AMOUNT_RE.fullmatch(regrouped(cell))
    if m is None:
        raise ValueParseError(text)
    if m["unit"]:
        factor = _MONEY_FACTORS[m["unit"]]
    return _to_wan(_decimal(m["number"]), factor)


def money_factor(money_unit: str) -> int:
    """元 per one ``money_unit`` as a form header declares it ("万元", "单位:元",
    "（元）"); ``ValueParseError`` if it is not a money unit."""
    unit = re.sub(r"^单位:?|[()]", "", fold(money_unit))
    if unit not in _MONEY_FACTORS:
        raise ValueParseError(money_unit, "not a money unit")
    return _MONEY_FACTORS[unit]
