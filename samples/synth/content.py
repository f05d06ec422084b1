"""A random declaration's content: who, what, how much, and every indicator's value,
as a samples ``Form`` (the same type the hand-written samples use), plus the value
category of every indicator cell for the benchmark's per-kind figures."""

from __future__ import annotations

import random

from forms import Form, Indicator, Layout

from synth import budget as budget_mod
from synth import values as vals
from synth import vocab


def _name(rng: random.Random) -> str:
    return rng.choice(vocab.SURNAMES) + "".join(rng.choice(vocab.GIVEN) for _ in range(rng.randint(1, 2)))


def _clause(rng: random.Random) -> str:
    noun, verb = rng.choice(vocab.NOUNS), rng.choice(vocab.VERBS)
    roll = rng.random()
    if roll < 0.2:
        return f"{verb}{noun}工作，完成率达到{rng.randint(80, 100)}%"
    if roll < 0.35:
        return f"全年{verb}{noun}{rng.randint(2, 900)}{rng.choice(vocab.MEASURES)}"
    if roll < 0.45:
        return f"贯彻落实{rng.choice(vocab.ORGANS)}关于{noun}的决策部署"
    if roll < 0.55:
        return f"依据《{rng.choice(vocab.LAWS)}》{verb}{noun}"
    if roll < 0.62:
        return f"{noun}经费{rng.randint(10, 9000)}.{rng.randint(0, 99):02d}万元"
    if roll < 0.7:
        return f"{noun}覆盖率由{rng.randint(40, 80)}%提高到{rng.randint(81, 99)}.{rng.randint(1, 9)}%"
    return f"{verb}{noun}，{rng.choice(vocab.VERBS)}{rng.choice(vocab.NOUNS)}"


def prose(rng: random.Random, lo: int, hi: int, numbered: bool = False) -> str:
    """Nonsense government prose of about lo..hi characters."""
    want = rng.randint(lo, hi)
    out, k = "", 0
    while len(out) < want:
        k += 1
        if numbered:
            out += f"（{budget_mod.CN_ORDINALS[(k - 1) % 10]}）"
        out += "；".join(_clause(rng) for _ in range(rng.randint(1, 3))) + "。"
    return out


def _policies(rng: random.Random) -> str:
    laws = rng.sample(vocab.LAWS, rng.randint(1, 5))
    return "、".join(f"《{x}》" for x in laws) + ("等" if rng.random() < 0.5 else "")


def _department(rng: random.Random) -> str:
    city = rng.choice(vocab.CITIES)
    district = rng.choice(vocab.DISTRICTS)
    return city + district + rng.choice(vocab.BUREAUS)


def _date(rng: random.Random, year: int) -> tuple[str, str]:
    y, m, d = year, rng.randint(1, 3), rng.randint(1, 28)
    printed = rng.choice((f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日", f"{y}.{m:02d}.{d:02d}",
                          f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}"))
    return printed, f"{y}-{m:02d}-{d:02d}"


def _level3(rng: random.Random) -> tuple[str, str]:
    ending, suits = rng.choice(vocab.LEVEL3_ENDINGS)
    noun = rng.choice(vocab.NOUNS)
    if rng.random() < 0.2:  # long names wrap in their cell (and may be cut by a page break)
        noun = rng.choice(vocab.NOUNS) + rng.choice(("及", "和", "与")) + noun
    return noun + ending, suits


def indicators(rng: random.Random, layout: Layout) -> tuple[list[Indicator], list[dict]]:
    """Indicator rows and, per row, the category of each value cell."""
    framework = rng.choice(vocab.FRAMEWORKS)
    rows: list[Indicator] = []
    kinds: list[dict] = []
    level1s = list(framework)
    if rng.random() < 0.3:
        level1s = level1s[:-1] if len(level1s) > 2 else level1s
    for l1 in level1s:
        groups = list(framework[l1])
        groups = groups[:rng.randint(1, len(groups))]
        for l2 in groups:
            for _ in range(rng.randint(1, 5)):
                name, suits = _level3(rng)
                target = vals.for_name(rng, suits)
                cells = [target]
                if layout.periods:  # 全年值 is the target; 上半年/前三季度 may differ
                    cells += [target, vals.period_value(rng, target), vals.period_value(rng, target)]
                if layout.unit_column:
                    cells = [vals.unit_split(c) for c in cells]
                    cells = _same_unit(cells)
                if layout.type_column:
                    cells = _typed_row(rng, cells)
                basis = None if rng.random() < 0.4 else prose(rng, 4, 40)
                truth = [c.truth for c in cells]
                unit = cells[0].unit_cell if layout.unit_column else None
                vtype = cells[0].type_cell if layout.type_column else None
                if layout.periods:
                    rows.append(Indicator(l1, l2, name, truth[0], truth[1], truth[2], truth[3], basis,
                                          unit or None, vtype or None))
                else:
                    rows.append(Indicator(l1, l2, name, truth[0], basis=basis, unit=unit or None,
                                          vtype=vtype or None))
                kinds.append({k: c.category for k, c in zip(("target", "annual", "h1", "q3"), cells,
                                                           strict=False)})
    return rows, kinds


def _same_unit(cells: list[vals.Spelled]) -> list[vals.Spelled]:
    """One 计量单位 cell serves the whole row: a period value that would need another unit
    is printed as the target is."""
    unit = cells[0].unit_cell
    return [cells[0]] + [c if c.unit_cell == unit or c.truth.kind == "empty" else cells[0]
                         for c in cells[1:]]


def _typed_row(rng: random.Random, cells: list[vals.Spelled]) -> list[vals.Spelled]:
    """One 指标值类型 cell serves the row: when the target's comparator moved there, every
    period value is printed as the target is (bare) and takes that comparator."""
    first = vals.type_split(rng, cells[0])
    if first.type_cell in vals.SYMBOL.values():
        return [first] + [first if c.truth.kind != "empty" else c for c in cells[1:]]
    return [first] + [first if c is cells[0] else c for c in cells[1:]]


def make(rng: random.Random, name: str, layout: Layout, missing: set[str]) -> tuple[Form, dict]:
    """A random form with ``layout``; ``missing`` names optional sections left out."""
    year = rng.randint(2019, 2027)
    department = _department(rng)
    money = ("元", rng.random() < 0.6) if rng.random() < 0.3 else ("万元", False)
    inc_tops, exp_tops = budget_mod.tree(rng, layout.periods)
    total_word = "总计" if rng.random() < 0.25 else "合计"
    income = budget_mod.lines(rng, inc_tops, "income", money, layout.periods, total_word)
    expenditure = budget_mod.lines(rng, exp_tops, "expenditure", money, layout.periods, total_word)
    rows, kinds = indicators(rng, layout)
    tasks = [(rng.choice(vocab.NOUNS) + rng.choice(("", "工作", "项目", "专项行动", "提升工程")),
              prose(rng, 20, 260), prose(rng, 6, 60) if rng.random() < 0.85 else None,
              _project_name_or_blank(rng)) for _ in range(rng.randint(1, 6))]
    prior = [(prose(rng, 6, 40), prose(rng, 10, 300)) for _ in range(rng.randint(1, 5))]
    date_printed, date_iso = _date(rng, year)
    staffing = rng.randint(3, 1500)
    form = Form(
        name=name, year=year, department=department, filler=department, money_unit=money[0],
        subordinate_units=rng.randint(0, 30), staffing_quota=staffing,
        funded_staff=max(0, staffing + rng.randint(-20, 20)),
        functions=None if "functions" in missing else prose(rng, 40, 700, numbered=rng.random() < 0.6),
        policies=None if "policies" in missing else _policies(rng),
        strategic_goals=None if "strategic_goals" in missing else prose(rng, 30, 500),
        annual_goals=None if "annual_goals" in missing else prose(rng, 30, 400),
        prior_year_results=[] if "prior" in missing else prior,
        work_tasks=[] if "tasks" in missing else tasks,
        income=income, expenditure=expenditure, indicators=rows,
        filled_by=_name(rng), date_printed=date_printed, date_iso=date_iso,
        phone=rng.choice((f"0{rng.randint(10, 999)}-{rng.randint(1000000, 89999999)}",
                          f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}")),
        head=_name(rng), layout=layout,
    )
    return form, {"value_kinds": kinds, "money": money[0], "separators": money[1],
                  "total_word": total_word, "missing": sorted(missing)}


def _project_name_or_blank(rng: random.Random) -> str | None:
    return None if rng.random() < 0.2 else rng.choice(vocab.NOUNS) + rng.choice(vocab.PROJECT_WORDS)

