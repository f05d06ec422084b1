"""Build a sample's expected export record from its ground-truth Form, and sanity-check it."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from forms import Form, amount_wan, is_total


def _budget(form: Form) -> list[dict]:
    out = []
    for side, lines in (("income", form.income), ("expenditure", form.expenditure)):
        for line in lines:
            amounts = list(line.amounts) + [""] * (3 - len(line.amounts))
            rec = {
                "side": side,
                "item": line.item,
                "parent": line.parent,
                "annual": amount_wan(amounts[0], form.money_unit),
                "h1": amount_wan(amounts[1], form.money_unit) if form.layout.periods else None,
                "q3": amount_wan(amounts[2], form.money_unit) if form.layout.periods else None,
            }
            out.append(rec)
    return out


def _indicators(form: Form) -> list[dict]:
    out = []
    for i in form.indicators:
        rec = {"level1": i.level1, "level2": i.level2, "level3": i.level3, "target": i.target.expected()}
        if form.layout.periods:
            rec["annual"] = i.annual.expected()
            rec["h1"] = i.h1.expected()
            rec["q3"] = i.q3.expected()
        rec["basis"] = i.basis
        out.append(rec)
    return out


def build(form: Form, pdf: Path, pages: int) -> dict:
    tasks = []
    for name, content, functions, projects in form.work_tasks:
        tasks.append({"name": name, "content": content, "functions": functions, "projects": projects})
    return {
        "schema_version": 1,
        "source": {
            "file": pdf.name,
            "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
            "pages": pages,
            "page_kinds": ["text"] * pages,
            "first_page": 1,
            "last_page": pages,
            "version": 1,
        },
        "title": form.title,
        "year": form.year,
        "department": form.department,
        "money_unit": form.money_unit,
        "subordinate_units": form.subordinate_units,
        "staffing_quota": form.staffing_quota,
        "funded_staff": form.funded_staff,
        "functions": form.functions,
        "policies": form.policies,
        "strategic_goals": form.strategic_goals,
        "annual_goals": form.annual_goals,
        "prior_year_results": [{"goal": g, "result": r} for g, r in form.prior_year_results],
        "work_tasks": tasks,
        "budget": _budget(form),
        "indicators": _indicators(form),
        "signoff": {
            "filled_by": form.filled_by,
            "date": form.date_iso,
            "phone": form.phone,
            "head": form.head,
        },
        "issues": expected_issues(form),
    }


def expected_issues(form: Form) -> list[dict]:
    """What a reader must report on this form as printed: a form whose income and
    expenditure totals differ (the real seed form does) is listed, period by period."""
    lines = form.income + form.expenditure
    at = next(i for i, ln in enumerate(lines) if ln in form.income and is_total(ln))
    income = lines[at]
    spent = next(ln for ln in form.expenditure if is_total(ln))
    out = []
    for k, period in enumerate(("annual", "h1", "q3")[:len(income.amounts)]):
        a, b = amount_wan(income.amounts[k], form.money_unit), amount_wan(spent.amounts[k], form.money_unit)
        if a is not None and b is not None and a != b:
            out.append({"code": "income_expenditure_mismatch", "field": f"/budget/{at}/{period}"})
    return out


def check(form: Form) -> list[str]:
    """Consistency problems of the printed figures (sums, period order, shapes)."""
    problems = []
    width = 3 if form.layout.periods else 1

    def dec(s: str) -> Decimal:
        s = s.replace(" ", "").replace(",", "")
        return Decimal(s) if s else Decimal(0)

    for side, lines in (("income", form.income), ("expenditure", form.expenditure)):
        for line in lines:
            if len(line.amounts) != width:
                problems.append(f"{side} {line.printed}: {len(line.amounts)} amounts, want {width}")
            if width == 3 and any(line.amounts):
                a, h, q = (dec(x) for x in line.amounts)
                if not (h <= q <= a):
                    problems.append(f"{side} {line.printed}: periods out of order {line.amounts}")
        top = [ln for ln in lines if ln.parent is None and not is_total(ln)]
        total = [ln for ln in lines if is_total(ln)]
        if len(total) != 1:
            problems.append(f"{side}: {len(total)} 合计 lines")
            continue
        for k in range(width):
            s = sum(dec(ln.amounts[k]) for ln in top)
            if s != dec(total[0].amounts[k]):
                problems.append(f"{side} column {k}: top-level sum {s} != 合计 {total[0].amounts[k]}")
        for parent in {ln.parent for ln in lines if ln.parent}:
            p = next(ln for ln in lines if ln.item == parent)
            for k in range(width):
                s = sum(dec(ln.amounts[k]) for ln in lines if ln.parent == parent)
                if s > dec(p.amounts[k]):
                    problems.append(f"{side} {parent} column {k}: sub-items {s} > {p.amounts[k]}")
    for i in form.indicators:
        have = [x is not None for x in (i.annual, i.h1, i.q3)]
        if form.layout.periods and not all(have):
            problems.append(f"indicator {i.level3}: missing period values")
        if not form.layout.periods and any(have):
            problems.append(f"indicator {i.level3}: period values on a form without period columns")
    return problems
