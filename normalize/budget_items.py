"""What a budget line's printed name says: its numbering, the 其中 that opens a
group of sub-items, and the standard line items of this form.

Numbering follows the outline convention of Chinese official documents, from the
highest level down: ``一、`` > ``（一）`` > ``1.`` (``1、``) > ``(1)`` > ``①``. A line
numbered in a lower style than the side's top-level lines is a sub-item; a 一、 line
never is (under a first line whose 一、 a scan lost, 二、 is its sibling).

The standard items are the budget classification's own: 基本支出 splits into
工资福利支出, 商品和服务支出, 对个人和家庭的补助支出, 资本性支出 (or 人员经费 and 公用
经费); 项目支出 and the lines a department adds after it (预留机动经费, 政府性基金支出,
…) stand at the top, as every income line does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from normalize.values import fold

TOTAL_WORDS = ("合计", "总计")
# outline styles, highest level first
STYLES = ("cn-dun", "cn-paren", "arabic-dot", "arabic-paren", "circled")
_MARKERS = (
    # a point after a number may be printed, or read from a scan, as a middle dot
    ("cn-dun", re.compile(r"^[一二三四五六七八九十]+[、.．·]")),
    ("cn-paren", re.compile(r"^[(（][一二三四五六七八九十]+[)）]")),
    ("arabic-paren", re.compile(r"^[(（]\d+[)）]")),
    ("arabic-dot", re.compile(r"^\d+[.、．·](?!\d)")),
    ("circled", re.compile(r"^[①-⑳]")),
)
_QIZHONG = re.compile(r"^其中\s*[:：]?")

TOP_ITEMS = frozenset((
    "基本支出", "项目支出", "职能项目支出", "预留机动经费", "公共预算市级专项资金支出", "政府性基金支出",
    "国有资本经营预算支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出", "其他支出",
    "一般公共预算拨款收入", "财政拨款收入", "公共财政预算拨款收入", "政府性基金预算拨款收入",
    "国有资本经营预算拨款收入", "财政专户管理资金收入", "事业收入", "事业单位经营收入", "经营收入",
    "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转", "上年结转结余", "用事业基金弥补收支差额",
))
SUB_ITEMS = {
    "基本支出": frozenset(("工资福利支出", "商品和服务支出", "对个人和家庭的补助支出", "对个人和家庭的补助",
                       "资本性支出", "人员经费", "公用经费")),
}


@dataclass(frozen=True)
class ItemName:
    """A printed line name read: the name alone, how it was numbered, whether 其中 opens it."""

    name: str
    style: str | None
    qizhong: bool

    @property
    def rank(self) -> int:
        return STYLES.index(self.style) if self.style else -1


def read_name(printed: str) -> ItemName:
    """"其中：1.工资福利支出" → 工资福利支出, arabic-dot, 其中. Markers are read before
    NFKC folding, which would turn ① into a bare 1."""
    text = "".join(printed.split())
    qizhong = bool(_QIZHONG.match(text))
    text = _QIZHONG.sub("", text)
    style = None
    for name, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            style, text = name, text[m.end():]
            break
    return ItemName(fold(unicodedata.normalize("NFKC", text)), style, qizhong)


def is_total(name: str) -> bool:
    """合计 / 总计 (收入合计, 支出总计 too)."""
    folded = fold(name)
    return folded.endswith(TOTAL_WORDS) and len(folded) <= 6


def standing(name: str, parent: str | None) -> str | None:
    """What the classification says of a line after ``parent``: "sub" (one of its
    standard parts), "top" (a line of its own), or None (it does not say)."""
    if parent is not None and name in SUB_ITEMS.get(parent, ()):
        return "sub"
    if name in TOP_ITEMS:
        return "top"
    return None


def complete(printed: str) -> bool:
    """Whether a printed name is whole by itself (a total or a standard item), for
    rejoining names a page break cut (numbering says where a name starts, not that it
    ends)."""
    item = read_name(printed)
    return is_total(printed) or item.name in TOP_ITEMS or any(
        item.name in subs for subs in SUB_ITEMS.values())
