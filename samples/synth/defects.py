"""Break a generated form in one known way, so that each check is measured, not assumed.

``inject`` returns the broken form and the issue a reader must raise for it: its code
and the JSON Pointer of the field it concerns (indexes of the expected export: budget
lines income first, then expenditure, in printed order).
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from forms import BudgetLine, Form, is_total

from synth.budget import money_text

PERIODS = ("annual", "h1", "q3")
DEFECTS = ("wrong_total", "wrong_subitem", "swapped_periods", "missing_indicators",
           "unreadable_amount", "unbalanced")


class NotApplicable(Exception):
    """This form has nothing the defect could break (no 其中 items, no period columns)."""


def _money(form: Form) -> tuple[str, bool]:
    printed = [a for ln in form.income + form.expenditure for a in ln.amounts if a]
    return form.money_unit, any("," in a for a in printed)


def _value(text: str, unit: str) -> Decimal | None:
    if not text:
        return None
    d = Decimal(text.replace(",", ""))
    return d / 10000 if unit == "元" else d


def _index(form: Form, side: str, k: int) -> int:
    return k if side == "income" else len(form.income) + k


def _set(line: BudgetLine, period: int, text: str) -> BudgetLine:
    amounts = list(line.amounts)
    amounts[period] = text
    return replace(line, amounts=tuple(amounts))


def _side(form: Form, side: str) -> list[BudgetLine]:
    return form.income if side == "income" else form.expenditure


def _with(form: Form, side: str, lines: list[BudgetLine]) -> Form:
    return replace(form, income=lines) if side == "income" else replace(form, expenditure=lines)


def _nudge(rng: random.Random, value: Decimal) -> Decimal:
    """A typing slip: a figure off by a visible amount, never by a rounding difference."""
    delta = Decimal(rng.choice((1, 10, 100, 1000))) * rng.choice((1, -1))
    if value + delta < 0:
        delta = -delta
    return value + delta


def inject(rng: random.Random, form: Form, defect: str) -> tuple[Form, dict]:
    money = _money(form)
    width = 3 if form.layout.periods else 1
    if defect == "wrong_total":
        side = rng.choice(("income", "expenditure"))
        lines = list(_side(form, side))
        k = next(i for i, ln in enumerate(lines) if is_total(ln))
        period = rng.randrange(width)
        value = _value(lines[k].amounts[period], form.money_unit) or Decimal(0)
        lines[k] = _set(lines[k], period, money_text(money, _nudge(rng, value)))
        # the other side's 合计 follows, so that the sides still balance and only this check fires
        other = "expenditure" if side == "income" else "income"
        olines = list(_side(form, other))
        j = next(i for i, ln in enumerate(olines) if is_total(ln))
        olines[j] = _set(olines[j], period, lines[k].amounts[period])
        broken = _with(_with(form, side, lines), other, olines)
        return broken, {"code": "budget_total_mismatch",
                        "field": f"/budget/{_index(form, side, k)}/{PERIODS[period]}"}
    if defect == "wrong_subitem":
        # a group whose 其中 items are all marked (numbered): the hierarchy is printed, so the
        # sum is what is wrong (unmarked items that no longer fit would make it ambiguous)
        groups = [(side, i) for side in ("income", "expenditure") for i, ln in enumerate(_side(form, side))
                  if ln.parent is None and any(x.parent == ln.item for x in _side(form, side))
                  and all(x.printed != x.item for x in _side(form, side) if x.parent == ln.item)]
        if not groups:
            raise NotApplicable(defect)
        side, p = rng.choice(groups)
        lines = list(_side(form, side))
        kids = [i for i, ln in enumerate(lines) if ln.parent == lines[p].item and ln.amounts[0]]
        if not kids:
            raise NotApplicable(defect)
        k = rng.choice(kids)
        parent = _value(lines[p].amounts[0], form.money_unit) or Decimal(0)
        summed = sum((_value(lines[i].amounts[0], form.money_unit) or Decimal(0)) for i in kids)
        over = parent - summed + Decimal(rng.choice((5, 50, 500)))
        mine = _value(lines[k].amounts[0], form.money_unit) or Decimal(0)
        lines[k] = _set(lines[k], 0, money_text(money, mine + over))
        return _with(form, side, lines), {"code": "budget_subtotal_mismatch",
                                          "field": f"/budget/{_index(form, side, p)}/annual"}
    if defect == "swapped_periods":
        if width == 1:
            raise NotApplicable(defect)
        side = rng.choice(("income", "expenditure"))
        lines = list(_side(form, side))
        candidates = [i for i, ln in enumerate(lines) if not is_total(ln) and ln.amounts[1] and ln.amounts[2]
                      and _value(ln.amounts[1], form.money_unit) < _value(ln.amounts[2], form.money_unit)]
        if not candidates:
            raise NotApplicable(defect)
        k = rng.choice(candidates)
        a, h, q = lines[k].amounts
        lines[k] = replace(lines[k], amounts=(a, q, h))
        return _with(form, side, lines), {"code": "period_order",
                                          "field": f"/budget/{_index(form, side, k)}/h1"}
    if defect == "missing_indicators":
        return replace(form, indicators=[]), {"code": "section_missing", "field": "/indicators"}
    if defect == "unreadable_amount":
        side = rng.choice(("income", "expenditure"))
        lines = list(_side(form, side))
        candidates = [i for i, ln in enumerate(lines) if ln.amounts[0] and not is_total(ln)]
        k = rng.choice(candidates)
        text = lines[k].amounts[0]
        garbled = rng.choice((text.replace("0", "O", 1) if "0" in text else text + "元整",
                              "见附表", text[:1] + "l" + text[1:], text.replace(".", "..", 1)
                              if "." in text else text + "余"))
        lines[k] = _set(lines[k], 0, garbled)
        return _with(form, side, lines), {"code": "value_unreadable",
                                          "field": f"/budget/{_index(form, side, k)}/annual"}
    if defect == "unbalanced":
        # both sides add up, but income 合计 is not expenditure 合计: one more income line
        lines = list(form.income)
        k = next(i for i, ln in enumerate(lines) if is_total(ln))
        extra = Decimal(rng.randint(5, 900))
        added = BudgetLine("其他收入" if all(ln.item != "其他收入" for ln in lines) else "上年结转结余",
                           (money_text(money, extra),) + (("", "") if width == 3 else ()),
                           "其他收入" if all(ln.item != "其他收入" for ln in lines) else "上年结转结余")
        total = _value(lines[k].amounts[0], form.money_unit) or Decimal(0)
        lines[k] = _set(lines[k], 0, money_text(money, total + extra))
        lines.insert(k, added)
        k += 1
        spent = len(lines) + next(i for i, ln in enumerate(form.expenditure) if is_total(ln))
        return replace(form, income=lines), {"code": "income_expenditure_mismatch",
                                             "field": f"/budget/{k}/annual",
                                             "also": [f"/budget/{spent}/annual"]}
    raise ValueError(f"unknown defect {defect!r}; known: {', '.join(DEFECTS)}")
