"""Label matching: every name a city gives a section or a column, in one table.

Labels are compared after folding (NFKC, no whitespace, no brackets or colons,
no leading "一、"/"(二)"/"3." numbering, a dash read for 一, no Latin letter at either
end of ideographs), so "部 门 职 能", "人员编制情\\n况" and
"（一）部门职能：" all match. A label that is off by a character still matches
when one edit (a character misread, dropped or added, as OCR and typing do)
turns it into a known wording of four characters or more (three characters are a
four-character wording only with one character after its first dropped), or when its jieba
words are a known wording's words reordered, or those words plus one word that
changes nothing (部门, 整体, 情况, …). A modifier that changes the meaning
(上 in 上年度) is never ignored, and a prose cell that merely contains a
label's words is further off than any of these, so it never matches.

To support a new wording, add it to ``SYNONYMS``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from normalize.words import words

# key → every wording seen for it. Keys: "<group>.<field>".
SYNONYMS: dict[str, tuple[str, ...]] = {
    # sections (a label cell at the left, a full-width title row, or a heading line)
    "section.functions": ("部门职能", "部门主要职能", "单位职能", "主要职能", "部门职责", "职能职责"),
    "section.policies": ("负责执行的相关政策", "执行的相关政策", "相关政策", "负责执行的政策"),
    "section.strategic_goals": ("部门中长期战略目标(规划)", "部门中长期战略目标", "中长期战略目标",
                                "中长期战略目标(规划)", "部门中长期目标"),
    "section.annual_goals": ("年度绩效目标", "部门年度绩效目标", "年度总体绩效目标", "年度总体目标"),
    "section.prior_year": ("上年度绩效目标完成情况", "上年度绩效目标实现情况", "上年度目标完成情况",
                           "上年度绩效目标"),
    "section.tasks": ("年度工作任务", "年度主要工作任务", "部门年度工作任务", "年度重点工作任务"),
    "section.budget": ("年度部门预算", "部门年度预算", "年度预算", "部门预算", "年度部门预算情况"),
    "section.indicators": ("绩效目标", "绩效指标", "年度绩效指标", "部门整体绩效指标", "绩效目标指标",
                           "部门整体绩效目标"),
    # profile: label/value pairs in one row
    "profile.department": ("部门名称", "单位名称", "部门(单位)名称"),
    "profile.subordinate_units": ("下属单位数量", "下属单位个数", "所属单位数量"),
    "profile.staffing_quota": ("人员编制情况", "人员编制", "编制人数", "人员编制数"),
    "profile.funded_staff": ("财政供养人员情况", "财政供养人员", "财政供养人数", "实有人数"),
    # prior-year columns
    "prior.goal": ("绩效目标", "上年度绩效目标"),
    "prior.result": ("绩效目标完成情况", "完成情况", "绩效目标实现情况"),
    # task columns
    "task.name": ("工作任务名称", "任务名称", "工作任务"),
    "task.content": ("工作主要内容和要求(简述)", "工作主要内容和要求", "主要内容和要求(简述)",
                     "主要内容和要求", "工作主要内容"),
    "task.functions": ("对应部门职能", "对应职能"),
    "task.projects": ("对应项目名称", "对应项目"),
    # budget
    "budget.income": ("预算收入", "收入", "收入预算"),
    "budget.expenditure": ("预算支出", "支出", "支出预算"),
    "budget.annual": ("全年数", "全年", "金额", "预算数", "全年预算数"),
    "budget.h1": ("上半年数", "上半年"),
    "budget.q3": ("前三季度数", "前三季度"),
    "budget.item": ("项目", "收入项目", "支出项目", "项目名称"),
    # indicator columns
    "indicator.level1": ("一级指标",),
    "indicator.level2": ("二级指标",),
    "indicator.level3": ("三级指标",),
    "indicator.target": ("指标值", "目标值", "年度指标值", "年度目标值", "指标值(目标值)"),
    "indicator.annual": ("全年值", "全年目标值"),
    "indicator.h1": ("上半年值", "上半年目标值"),
    # the group title over the three period columns of a two-row header: a header word,
    # not a column of its own
    "indicator.periods": ("年度目标值分解", "年度指标值分解", "目标值分解", "指标值分解"),
    "indicator.q3": ("前三季度值", "前三季度目标值"),
    # a period by its name alone, as the columns under a group title of periods
    # (年度目标值分解 over 全年 | 上半年 | 前三季度) print it
    "period.annual": ("全年", "全年数", "全年度"),
    "period.h1": ("上半年", "上半年数"),
    "period.q3": ("前三季度", "前三季度数"),
    "indicator.basis": ("依据或说明", "备注", "指标值设定依据", "指标解释", "依据", "说明",
                        "设定依据"),
    "indicator.unit": ("计量单位", "度量单位", "单位", "指标单位"),
    "indicator.value_type": ("指标值类型", "指标性质", "指标类型", "值类型", "指标值性质"),
}

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.·]|\(?[一二三四五六七八九十\d]+\)|\d+[、.·])")
_NOISE = re.compile(r"[\s()（）\[\]【】:：、,，.。;；\"'“”]")
# a scan reads the one-stroke 一 as a dash of the same shape (—级指标), and no label
# holds a dash: each is 一 in a label, which tells 一级指标 from 二级/三级指标 again
ONE_STROKES = "-‐‑‒–—―─━ー－⼀"  # the dashes a scan reads the one-stroke 一 as
_ONE_STROKE = str.maketrans(dict.fromkeys(ONE_STROKES, "一"))
_SUFFIX = re.compile(r"(?:\(续\)|续表|续)$")
# a Latin letter or two at either end of ideographs: no wording holds one, and a scan
# reads a rule's edge or a speck beside a label cell's text as one ("部门名称n"); a word
# (LED显示屏) is no speck
_STRAY_LATIN = re.compile(r"^[A-Za-z]{1,2}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[A-Za-z]{1,2}$")
MAX_EDITS = 1
MIN_WORDS_LABEL = 5  # shorter labels are two words, whose order is their meaning (项目支出/支出项目)
NEUTRAL_WORDS = frozenset({"部门", "单位", "整体", "主要", "情况", "说明", "名称", "内容", "具体", "本"})
NEUTRAL_CHARS = frozenset("".join(NEUTRAL_WORDS))


def fold_label(text: str) -> str:
    """A label as compared: NFKC, numbering and punctuation and spaces dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_ONE_STROKE)
    text = "".join(text.split())
    text = _NUMBERING.sub("", text)
    text = _SUFFIX.sub("", text)
    return _STRAY_LATIN.sub("", _NOISE.sub("", text))


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, str]]:
    """group → folded wording → key."""
    out: dict[str, dict[str, str]] = {}
    for key, wordings in SYNONYMS.items():
        group = key.split(".", 1)[0]
        for word in wordings:
            out.setdefault(group, {})[fold_label(word)] = key
    return out


@lru_cache(maxsize=4096)
def match(text: str, group: str) -> str | None:
    """The key in ``group`` that ``text`` names, or None."""
    folded = fold_label(text)
    if not folded or len(folded) > 16:
        return None
    table = _index()[group]
    if folded in table:
        return table[folded]
    if len(folded) == 3:
        # a four-character wording with one character lost (a seal's stroke over 称 left
        # 部门名): only a deletion, not of the first character (成情况 is the rest of a
        # 完成情况 a page break cut, which the header's own rules join), and only where
        # one key can be meant
        keys = {table[word] for word in table if len(word) == 4 and _one_lost(folded, word)}
        return keys.pop() if len(keys) == 1 else None
    if len(folded) < 4:
        return None
    close = [word for word in table
             if len(word) >= 4 and Levenshtein.distance(folded, word, score_cutoff=MAX_EDITS) <= MAX_EDITS]
    keys = {table[word] for word in close}
    if not keys:
        keys = {table[word] for word in table
                if len(word) >= MIN_WORDS_LABEL and _same_words(folded, word)}
    return keys.pop() if len(keys) == 1 else None


def _one_lost(short: str, word: str) -> bool:
    """Is ``short`` ``word`` with one character after its first left out?"""
    return any(word[:k] + word[k + 1:] == short for k in range(1, len(word)))


def exact(text: str, group: str) -> str | None:
    """The key in ``group`` that ``text`` names word for word (after folding)."""
    return _index()[group].get(fold_label(text))


def _same_words(text: str, wording: str) -> bool:
    """Are ``text``'s words those of ``wording``, reordered, with at most one
    neutral word added? (The character check first spares most cells jieba.)"""
    if not set(wording) <= set(text) or len(text) > len(wording) + 2:
        return False
    extra = Counter(text) - Counter(wording)
    if any(ch not in NEUTRAL_CHARS for ch in extra.elements()):
        return False  # what it adds cannot be a neutral word: no need to load jieba
    have, want = sorted(words(text)), sorted(words(wording))
    if have == want:
        return True
    extra = list(have)
    for word in want:
        if word not in extra:
            return False
        extra.remove(word)
    return len(extra) == 1 and extra[0] in NEUTRAL_WORDS


# what stands between two cells' texts run together: spaces, and a rule read as a letter
_CELL_BREAK = re.compile(r"(?:\s|(?<![A-Za-z])[IlL|丨](?![A-Za-z]))+")


def label_inside(text: str, groups: tuple[str, ...] = ("task", "prior", "indicator", "section")
                 ) -> str | None:
    """A label of ``groups`` that stands alone after text of its own, set apart by spaces
    or a rule read as a letter ("…897公里。L 工作主要内容和要求 I 对应部门职能"): cells that
    ran together where a rule was not seen. A label's words inside a sentence are prose."""
    chunks = [c for c in _CELL_BREAK.split(text) if c]
    for chunk in chunks[1:]:
        if len(fold_label(chunk)) >= 4 and any(match(chunk, g) for g in groups):
            return chunk
    return None


# a horizontal rule between two stacked labels, read as text where it was not seen as a rule
_RULE_READ = re.compile(r"[\s\-‐‑‒–—―─━ー－_]+")


def stacked(text: str, group: str, count: int) -> list[str] | None:
    """The keys of ``count`` labels of ``group`` stacked in one cell, in order, when the
    rule between them was not seen (a seal stamped over it) and their cells ran together:
    "部门名称——人员编制情况", or with nothing between. Each part must match a label on its
    own (``match``); split where a rule was read as dashes, else where only one split
    makes every part a label, each a different one. None when the text is not such a
    stack."""
    if count < 2:
        return None
    parts = [p for p in _RULE_READ.split(unicodedata.normalize("NFKC", text)) if p]
    if len(parts) == count:
        keys = [match(p, group) for p in parts]
        if all(keys) and len(set(keys)) == count:
            return keys  # type: ignore[return-value]
    folded = fold_label(_RULE_READ.sub("", unicodedata.normalize("NFKC", text)))
    if len(folded) > 16 * count:  # no label is longer (``match``): prose, not a stack
        return None
    found = {tuple(keys) for keys in _splits(folded, group, count) if len(set(keys)) == count}
    return list(found.pop()) if len(found) == 1 else None


def _splits(folded: str, group: str, count: int) -> list[list[str]]:
    """Every way of cutting ``folded`` into ``count`` labels of ``group`` (their keys)."""
    if count == 1:
        key = match(folded, group)
        return [[key]] if key else []
    out = []
    for k in range(3, len(folded) - 2):
        head = match(folded[:k], group)
        if head:
            out += [[head, *rest] for rest in _splits(folded[k:], group, count - 1)]
    return out


def field_of(key: str | None) -> str | None:
    return key.split(".", 1)[1] if key else None
