"""Reading Chinese numerals (三, 十二, 两千, 一百零五, 二〇二五) as integers.

Indicator cells write small counts in words ("三个工作日", "十二项"), so the value
parser needs the integer behind them. The reader is strict on purpose: a run of
numeral characters that is not a well-formed number ("十百", "万", "二三十")
gives ``None`` rather than a guess, because the caller then keeps the cell as
text, and text loses nothing, while a wrong number silently corrupts queries.
"""

from __future__ import annotations

# Everyday and financial (大写) forms; 两 is the counting form of 二, 〇 the
# positional zero used in years ("二〇二五").
_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "贰": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN = frozenset("万萬")
_YI = frozenset("亿億")

NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_WAN) + "".join(_YI)
"""Every character ``read_chinese_number`` understands (for building regexes)."""
COUNTING_CHARS = "".join(_DIGITS) + "十拾"
"""The numerals that only count (百, 千, 万 and 亿 also name units: 百分点, 千米, 万元)."""


def read_chinese_number(text: str) -> int | None:
    """The integer a Chinese numeral spells, or ``None`` if ``text`` is not one.

    Handles grouped forms (一百二十, 三千, 一亿二千万), 零 gaps (一百零五),
    a leading bare 十 (十二), colloquial trailing digits (两万五 = 25000,
    一百五 = 150) and digit-by-digit years (二〇二五 = 2025).
    """
    s = text.strip()
    if not s or any(c not in NUMERAL_CHARS for c in s):
        return None
    if len(s) > 1 and all(c in _DIGITS for c in s):
        return _read_positional(s)
    return _read_grouped(s)


def _read_positional(s: str) -> int:
    # "二〇二五" reads digit by digit, like Arabic numerals.
    return int("".join(str(_DIGITS[c]) for c in s))


def _read_grouped(s: str) -> int | None:
    above_yi = 0  # everything already closed by 亿
    wan_group = 0  # the group already closed by 万 (below 亿)
    section = 0  # below 万: sum of digit×十/百/千 so far
    pending: int | None = None  # a digit not yet bound to a unit
    last_unit = 10**4  # units inside a section must decrease: 千 > 百 > 十
    prev_unit = 0  # unit just read, for colloquial 两万五; 0 after 零 or a digit
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
            if pending:  # two non-zero digits in a row, e.g. "二三十"
                return None
            if digit == 0:
                prev_unit = 0
            pending = digit
        elif c in _SMALL_UNITS:
            unit = _SMALL_UNITS[c]
            if unit >= last_unit:
                return None
            if pending is None and not (unit == 10 and section == 0):
                return None  # only 十 may stand without a digit ("十二")
            section += (pending or 1) * unit
            pending, last_unit, prev_unit = None, unit, unit
        elif c in _WAN:
            group = section + (pending or 0)
            if group == 0 or wan_group:
                return None
            wan_group = group * 10**4
            section, pending, last_unit, prev_unit = 0, None, 10**4, 10**4
        else:  # 亿
            group = above_yi + wan_group + section + (pending or 0)
            if group == 0:
                return None
            above_yi = group * 10**8
            wan_group, section, pending, last_unit, prev_unit = 0, 0, None, 10**4, 10**8
    tail = pending or 0
    if pending and prev_unit >= 100:
        # "两万五" means 25000, "一百五" 150: a digit right after a unit (no 零)
        # counts in the next unit down.
        tail = pending * prev_unit // 10
    return above_yi + wan_group + section + tail
