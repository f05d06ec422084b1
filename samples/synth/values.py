"""Indicator values whose meaning is known: a truth (kind, number, unit, comparator,
direction) and one of the many ways a form prints it (FORM.md, "Values in cells").

The truth comes first and the spelling is drawn for it, so the expected parse is never
derived from the printed text: a spelling the reader does not know shows up as an
error, not as a matching mistake on both sides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal

from forms import V

from synth import vocab

PREFIX = {
    ">=": ("≥", "≧", ">=", "不低于", "不少于", "大于等于", "至少", "≥ "),
    "<=": ("≤", "≦", "<=", "不超过", "不高于", "小于等于", "≦ ", "≤ "),
    ">": (">", "高于", "超过", "大于"),
    "<": ("<", "低于", "少于", "小于"),
    "~": ("约", "约为", "大约"),
}
SUFFIX = {">=": ("以上", "及以上"), "<=": ("以内", "以下", "之内", "及以下"), "~": ("左右",)}
SYMBOL = {">=": "≥", "<=": "≤", "=": "="}


@dataclass(frozen=True)
class Spelled:
    """One value cell: what is printed and what it means.

    ``unit_cell``/``type_cell`` are what a 计量单位 / 指标值类型 column prints beside it
    (None: the form has no such column, or it prints nothing)."""

    text: str
    truth: V
    category: str
    unit_cell: str | None = None
    type_cell: str | None = None


def num(d: Decimal) -> float | int:
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


def _digits(rng: random.Random, lo: int, hi: int, decimals: float = 0.3) -> tuple[Decimal, str]:
    """A number and how it is printed (decimals sometimes, a separator sometimes)."""
    whole = rng.randint(lo, hi)
    if rng.random() < decimals:
        places = rng.choice((1, 2))
        frac = rng.randint(1, 10 ** places - 1)
        text = f"{whole}.{frac:0{places}d}"
    else:
        text = str(whole)
    value = Decimal(text)
    if whole >= 10000 and rng.random() < 0.5:
        head, _, tail = text.partition(".")
        text = f"{int(head):,}" + (f".{tail}" if tail else "")
    return value, text


def _fullwidth(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789%.,"})


def _compare(rng: random.Random, body: str, allow: tuple[str, ...] = (">=", "<=", "=", "~", ">", "<"),
             weights: tuple[float, ...] | None = None) -> tuple[str, str]:
    """(comparator, the body with that comparator spelled around it)."""
    comp = rng.choices(allow, weights=weights)[0]
    if comp == "=":
        return comp, rng.choice(("", "", "", "", "=", "达到", "达")) + body
    style = rng.random()
    if comp == "<=" and style < 0.2:
        return comp, "控制在" + body + rng.choice(("以内", "", "之内"))
    if comp == "~" and style < 0.2:
        return comp, "控制在" + body + "左右"
    if comp in SUFFIX and style < 0.55:
        return comp, body + rng.choice(SUFFIX[comp])
    return comp, rng.choice(PREFIX[comp]) + body


def _number_cell(rng: random.Random, category: str, value: Decimal, unit: str | None, body: str,
                 unit_text: str, comparators=(">=", "<=", "=", "~"), weights=(3, 2, 4, 1)) -> Spelled:
    """A quantity cell: ``body`` is the printed number, ``unit_text`` what follows it."""
    comp, text = _compare(rng, body + unit_text, comparators, weights)
    return Spelled(text, V(text, "number", num(value), unit, comp, None), category)


def percent(rng: random.Random) -> Spelled:
    value, body = _digits(rng, 0, 100, 0.25)
    if rng.random() < 0.06:
        body = body.replace(".", ". ") if "." in body else body  # a space a wrap left in "85. 34%"
    sign = rng.choice(("%", "%", "%", "％", " %"))
    cell = _number_cell(rng, "percent", value, "%", body, sign)
    if rng.random() < 0.05:
        text = _fullwidth(cell.text)
        cell = replace(cell, text=text, truth=replace(cell.truth, raw=text))
    return cell


def permille(rng: random.Random) -> Spelled:
    body = rng.choice(("1", "2", "3", "5", "0.5", "0.15", "0.3", "1.5", "8"))
    return _number_cell(rng, "permille", Decimal(body) / 10, "%", body, "‰",
                        (">=", "<=", "=", "~"), (1, 4, 3, 1))


def money(rng: random.Random) -> Spelled:
    unit = rng.choice(("万元", "万元", "亿元", "元", "元", "千元"))
    if unit == "万元":
        value, body = _digits(rng, 1, 5000, 0.3)
        wan = value
    elif unit == "亿元":
        value, body = _digits(rng, 1, 300, 0.4)
        wan = value * 10000
    elif unit == "千元":
        value, body = _digits(rng, 10, 9000, 0.1)
        wan = value / 10
    else:
        value, body = _digits(rng, 50, 2000000, 0.1)
        wan = value / 10000
    return _number_cell(rng, "money", wan, "万元", body, rng.choice(("", "", " ")) + unit)


def _cn(n: int) -> str:
    """A Chinese numeral for 1..99."""
    tens, ones = divmod(n, 10)
    out = ("" if tens == 1 else vocab.CN_DIGITS[tens]) + "十" if tens else ""
    return out + (vocab.CN_DIGITS[ones] if ones else "")


def count(rng: random.Random) -> Spelled:
    word = rng.choice(vocab.MEASURES)
    unit = word[1:] if word.startswith("个") and len(word) > 1 else word
    roll = rng.random()
    if roll < 0.12:  # a Chinese numeral: 三个工作日, 十二项
        n = rng.randint(1, 30)
        word = rng.choice(vocab.CN_MEASURES)
        unit = word[1:] if word.startswith("个") and len(word) > 1 else word
        return _number_cell(rng, "count-cn", Decimal(n), unit, _cn(n), word, (">=", "<=", "="), (1, 1, 3))
    if roll < 0.3:  # 万/亿 applied and dropped: 1.2万人 is 12000 人
        value, body = _digits(rng, 1, 900, 0.4)
        mult, factor = ("万", 10000) if rng.random() < 0.85 else ("亿", 100000000)
        return _number_cell(rng, "multiplier", value * factor, unit, body,
                            rng.choice(("", " ")) + mult + word)
    value, body = _digits(rng, 0, 20000, 0.15)
    return _number_cell(rng, "count", value, unit, body, rng.choice(("", "", "", " ")) + word)


def plain(rng: random.Random) -> Spelled:
    value, body = _digits(rng, 0, 100000, 0.2)
    return _number_cell(rng, "plain", value, None, body, "")


def direction(rng: random.Random) -> Spelled:
    if rng.random() < 0.35:  # a number with its direction: 提高5%, 较上年下降3个百分点
        up = rng.random() < 0.5
        word = rng.choice(("提高", "提升", "增长", "较上年提高") if up else ("下降", "降低", "减少", "较上年下降"))
        value, body = _digits(rng, 1, 30, 0.2)
        unit, tail = rng.choice((("%", "%"), ("百分点", "个百分点")))
        text = word + body + tail
        return Spelled(text, V(text, "number", num(value), unit, "=",
                               "increase" if up else "decrease"), "direction-number")
    up = rng.random() < 0.5
    text = rng.choice(vocab.INCREASE if up else vocab.DECREASE)
    return Spelled(text, V(text, "direction", None, None, None, "increase" if up else "decrease"),
                   "direction")


def text(rng: random.Random) -> Spelled:
    roll = rng.random()
    if roll < 0.15:  # a range has no single value: text
        a = rng.randint(1, 50)
        t = rng.choice((f"{a}%-{a + rng.randint(1, 20)}%", f"{a}-{a + rng.randint(1, 9)}天",
                        f"{a}%~{a + 5}%"))
    elif roll < 0.25:  # a date is not a quantity
        t = f"{rng.randint(2020, 2027)}年{rng.choice(('底前完成', '6月底前', '年底完成'))}"
    else:
        t = rng.choice(vocab.TEXT_VALUES)
    return Spelled(t, V(t, "text"), "text")


def empty(rng: random.Random) -> Spelled:
    t = rng.choice(("", "", "—", "/", "-", "——"))
    return Spelled(t, V(t, "empty"), "empty")


MAKERS = {"percent": percent, "permille": permille, "money": money, "count": count, "plain": plain,
          "direction": direction, "text": text, "empty": empty}


def for_name(rng: random.Random, suits: str) -> Spelled:
    """A value for an indicator whose name suits a category (most of the time)."""
    if rng.random() < 0.75:
        category = suits
    else:
        category = rng.choice(("percent", "percent", "count", "money", "permille", "plain",
                               "direction", "text", "empty"))
    return MAKERS[category](rng)


def period_value(rng: random.Random, target: Spelled) -> Spelled:
    """A 上半年/前三季度 value beside ``target``: the same spelling, or the same kind of
    quantity with a smaller number, or blank."""
    roll = rng.random()
    if roll < 0.55 or target.truth.kind != "number":
        return target
    if roll < 0.62:
        return empty(rng)
    fresh = MAKERS[target.category if target.category in MAKERS else "count"](rng) \
        if target.category not in ("count-cn", "multiplier", "direction-number") else target
    return fresh


# ---------------------------------------------------------------- 计量单位 / 指标值类型 columns

def unit_split(cell: Spelled) -> Spelled:
    """The same value on a form with a 计量单位 column: the unit printed in that column and
    the number (with its comparator words) in the value cell."""
    t = cell.truth
    if t.kind != "number" or cell.category in ("count-cn", "direction-number", "plain"):
        return replace(cell, unit_cell="")
    text = cell.text
    for unit in ("‰", "%", "％", " %", "亿元", "千元", "万元", "元"):
        if unit in text:
            head, _, tail = text.partition(unit)
            return _moved(cell, head + tail, unit.strip())
    if cell.category == "multiplier":
        for mult in ("万", "亿"):
            if mult in text:
                head, _, tail = text.partition(mult)
                word = next(w for w in sorted(vocab.MEASURES, key=len, reverse=True) if tail.startswith(w))
                return _moved(cell, head.rstrip() + tail[len(word):], mult + word)
    word = next((w for w in sorted(vocab.MEASURES, key=len, reverse=True) if w in text), None)
    if word is None:
        return replace(cell, unit_cell="")
    head, _, tail = text.partition(word)
    return _moved(cell, head.rstrip() + tail, word)


def _moved(cell: Spelled, value_text: str, unit_text: str) -> Spelled:
    return replace(cell, text=value_text, truth=replace(cell.truth, raw=value_text), unit_cell=unit_text)


def type_split(rng: random.Random, cell: Spelled) -> Spelled:
    """The same value on a form with a 指标值类型 column: a leading symbol comparator moved
    there, else 定量/定性 (which change nothing)."""
    t = cell.truth
    if t.kind != "number":
        return replace(cell, type_cell=rng.choice(("定性", "定性", "")))
    symbol = SYMBOL.get(t.comparator or "")
    stripped = cell.text
    for prefix in ("≥ ", "≤ ", "≥", "≤", "≧", "≦", ">=", "<=", "="):
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix):]
            break
    bare = stripped != cell.text or (t.comparator == "=" and not any(
        w in cell.text for w in ("达到", "达", "控制在")))
    if symbol and bare and rng.random() < 0.7 and not stripped.startswith(("不", "大于", "小于", "至少")):
        return replace(cell, text=stripped, truth=replace(t, raw=stripped), type_cell=symbol)
    return replace(cell, type_cell="定量")
