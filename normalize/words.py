"""Chinese text cut into words (jieba), loaded on first need: about a second, and most
forms never need it."""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(jieba.lcut(text))


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """The words with their part of speech (jieba's tags: v verb, a adjective, n noun,
    q measure word, …)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return tuple((p.word, p.flag) for p in jieba.posseg.cut(text))


def load() -> None:
    """Load the dictionary and the tagger now rather than on first need (a benchmark
    times reading apart from loading, as it does the recogniser)."""
    words("预算")
    tagged("预算")


def splits_a_word(before: str, after: str) -> bool:
    """Does the boundary between ``before`` and ``after`` fall inside a word of their
    joined text (人民调 | 解规范性: inside 调解)? Only Chinese is asked: digits and Latin
    letters form runs jieba keeps whole whatever they mean."""
    before, after = "".join(before.split()), "".join(after.split())
    if not before or not after or not (_cjk(before[-1]) and _cjk(after[0])):
        return False
    at = 0
    for word in words(before + after):
        if at < len(before) < at + len(word):
            return True
        at += len(word)
    return False


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
