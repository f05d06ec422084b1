"""A random 年度部门预算: a tree of lines whose sums are right, printed in one of the
styles forms use for sub-items, in 万元 or 元.

Sub-item styles (one per parent): ``其中：1.`` numbering, ``(1)``, ``①``, ``其中：`` then
unnumbered siblings, indentation alone, and Chinese outline numbering (``一、基本支出``
over ``（一）`` or ``1.``). Where a style leaves the hierarchy to arithmetic (unnumbered
siblings after 其中, indentation), the children add up to their parent exactly, so a
careful reader can always tell; numbered children may list only part of the parent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from forms import BudgetLine

from synth import vocab

CENT = Decimal("0.01")
STYLES = ("qizhong-numbered", "paren", "circled", "qizhong-plain", "indent", "outline")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
CN_ORDINALS = "一二三四五六七八九十"


@dataclass
class Node:
    name: str
    amounts: list[Decimal | None]          # 全年, 上半年, 前三季度 in 万元 (None: blank cell)
    children: list[Node] = field(default_factory=list)
    full: bool = True                       # children add up to the parent exactly


def _periods(rng: random.Random, annual: Decimal, periods: bool) -> list[Decimal | None]:
    if not periods:
        return [annual, None, None]
    h1 = (annual * Decimal(rng.uniform(0.3, 0.55))).quantize(CENT if annual % 1 else Decimal(1))
    q3 = (annual * Decimal(rng.uniform(0.6, 0.85))).quantize(CENT if annual % 1 else Decimal(1))
    return [annual, min(h1, q3), max(h1, q3)]


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.4:
        return Decimal(rng.randint(1, 20000))
    return Decimal(rng.randint(100, 2000000)) / 100


def _sum(nodes: list[Node], k: int) -> Decimal | None:
    values = [n.amounts[k] for n in nodes if n.amounts[k] is not None]
    return sum(values, Decimal(0)) if values else None


def _parent_of(rng: random.Random, name: str, children: list[Node], full: bool, periods: bool) -> Node:
    amounts = [_sum(children, k) for k in range(3)]
    if not full:  # the 其中 items are part of the line: the rest is unlisted
        extra = _periods(rng, _amount(rng), periods)
        amounts = [(a or Decimal(0)) + (e or Decimal(0)) if a is not None or e is not None else None
                   for a, e in zip(amounts, extra, strict=True)]
    return Node(name, amounts, children, full)


def _leaf(rng: random.Random, name: str, periods: bool) -> Node:
    roll = rng.random()
    if roll < 0.08:
        return Node(name, [None, None, None])              # a blank line
    if roll < 0.13:
        return Node(name, [Decimal(0)] * 3 if periods else [Decimal(0), None, None])   # a zero line
    return Node(name, _periods(rng, _amount(rng), periods))


def _project_name(rng: random.Random) -> str:
    return rng.choice(vocab.NOUNS) + rng.choice(vocab.PROJECT_WORDS)


def tree(rng: random.Random, periods: bool) -> tuple[list[Node], list[Node]]:
    """(income tops, expenditure tops): the two sides, balanced (same 合计)."""
    # expenditure: 基本支出 and 项目支出 with their 其中 items, then other top-level lines
    basic = [_leaf(rng, n, periods) for n in rng.sample(vocab.BASIC_CHILDREN[:4], rng.randint(2, 4))]
    for leaf in basic:  # 基本支出's parts are never blank: a parent needs figures to add up
        if leaf.amounts[0] is None:
            leaf.amounts = _periods(rng, _amount(rng), periods)
    exp = [_parent_of(rng, "基本支出", basic, rng.random() < 0.7, periods)]
    names = list(dict.fromkeys(_project_name(rng) for _ in range(8)))
    projects = [_leaf(rng, n, periods) for n in names[:rng.randint(0, 4)]]
    for leaf in projects:
        if leaf.amounts[0] is None:
            leaf.amounts = _periods(rng, _amount(rng), periods)
    label = rng.choice(("项目支出", "项目支出", "职能项目支出"))
    exp.append(_parent_of(rng, label, projects, rng.random() < 0.6, periods) if projects
               else _leaf(rng, label, periods))
    exp += [_leaf(rng, n, periods) for n in rng.sample(vocab.EXPENDITURE_TOPS, rng.randint(0, 4))]
    # income: lines adding up to the same total, the first one carrying the difference
    total = [_sum(exp, k) for k in range(3)]
    names = rng.sample(vocab.INCOME_ITEMS[1:], rng.randint(1, 7))
    first = rng.choice(("一般公共预算拨款收入", "财政拨款收入", "公共财政预算拨款收入"))
    names = [first] + [n for n in names if n not in ("一般公共预算拨款收入", "财政拨款收入", "公共财政预算拨款收入")]
    inc = [Node(first, [None, None, None])]
    for name in names[1:]:
        leaf = _leaf(rng, name, periods)
        rest = [(t or Decimal(0)) - _sum(inc + [leaf], k) if _sum(inc + [leaf], k) is not None
                else (t or Decimal(0)) for k, t in enumerate(total)]
        if any(r is not None and r < 0 for r in rest) or (periods and not _ordered(rest)):
            leaf = Node(name, [None, None, None])
        inc.append(leaf)
    others = [_sum(inc[1:], k) or Decimal(0) for k in range(3)]
    inc[0].amounts = [t - o if t is not None else None for t, o in zip(total, others, strict=True)]
    if not periods:
        inc[0].amounts[1] = inc[0].amounts[2] = None
    return inc, exp


def _ordered(amounts: list[Decimal | None]) -> bool:
    a, h, q = amounts
    return a is None or h is None or q is None or h <= q <= a


# ---------------------------------------------------------------- printing

def money_text(rng_style: tuple[str, bool], value: Decimal | None) -> str:
    """An amount in 万元 as the form prints it: ('万元'|'元', thousands separators)."""
    unit, separators = rng_style
    if value is None:
        return ""
    if unit == "元":
        yuan = (value * 10000).quantize(CENT)
        return f"{yuan:,.2f}" if separators else f"{yuan:.2f}"
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


def _numbering(style: str, punct: str, k: int) -> str:
    if style == "qizhong-numbered":
        return ("其中：" if k == 0 else "") + f"{k + 1}{punct}"
    if style == "paren":
        return f"（{k + 1}）" if punct == "、" else f"({k + 1})"
    if style == "circled":
        return CIRCLED[k]
    if style == "qizhong-plain":
        return "其中：" if k == 0 else ""
    if style == "outline":
        return f"（{CN_ORDINALS[k]}）"
    return ""


def lines(rng: random.Random, tops: list[Node], side: str, money: tuple[str, bool], periods: bool,
          total_word: str) -> list[BudgetLine]:
    """The side's printed lines, 合计 (or 总计) last, with their expected items and parents."""
    outline = rng.random() < 0.2  # 一、基本支出 / 二、项目支出 …
    out: list[BudgetLine] = []
    width = 3 if periods else 1
    for k, top in enumerate(tops):
        prefix = f"{CN_ORDINALS[k]}、" if outline and k < len(CN_ORDINALS) else ""
        out.append(_line(prefix + top.name, top, None, money, width))
        if not top.children:
            continue
        styles = [s for s in STYLES if top.full or s not in ("qizhong-plain", "indent")]
        if outline:
            styles = ["outline", "qizhong-numbered"]
        style = rng.choice(styles)
        punct = rng.choice((".", "、", "．"))
        for j, child in enumerate(top.children):
            mark = _numbering(style, punct, j)
            out.append(_line(mark + child.name, child, top.name, money, width,
                             indent=1 if style == "indent" else 0))
    total = [_sum(tops, k) for k in range(3)]
    printed = total_word if rng.random() < 0.5 else total_word[0] + rng.choice((" ", "  ", "\u3000")) + total_word[1]
    out.append(BudgetLine(printed, tuple(money_text(money, total[k]) for k in range(width)),
                          total_word, None))
    return out


def _line(printed: str, node: Node, parent: str | None, money: tuple[str, bool], width: int,
          indent: int = 0) -> BudgetLine:
    return BudgetLine(printed, tuple(money_text(money, node.amounts[k]) for k in range(width)),
                      node.name, parent, indent)
