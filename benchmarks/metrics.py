"""Scoring shared by the benchmarks (and the scan tests): field accuracy of an
export record against a sample's expected JSON.

Every leaf of the expected record is one field, grouped by what it is:

* ``profile``: title, year, department, money unit, the three counts, sign-off;
* ``texts``: the long prose (functions, policies, goals, prior-year results, task
  contents): scored 1 − character error rate (CER), so one wrong character in a
  paragraph costs a fraction of a field, not the field;
* ``names``: budget items and parents, indicator names, task names, bases;
* ``budget``: budget amounts;
* ``kind``, ``value``, ``unit``, ``comparator``, ``direction``, ``raw``: the parts
  of each indicator value.

Text is compared after NFKC folding and whitespace removal (as tests/expected.py
does); numbers to 1e-6. ``source``, ``issues`` and ``confidence`` are not fields of
the form. A list item missing from the reading scores 0 for each of its fields.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

PROSE = {"functions", "policies", "strategic_goals", "annual_goals", "goal", "result", "content"}
PROFILE = {"title", "year", "department", "money_unit", "subordinate_units", "staffing_quota",
           "funded_staff", "filled_by", "date", "phone", "head"}
VALUE_PARTS = {"kind", "value", "unit", "comparator", "direction", "raw"}
SKIPPED = {"source", "issues", "confidence", "schema_version"}
KINDS = ("profile", "texts", "names", "budget", "kind", "value", "unit", "comparator",
         "direction", "raw")


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cer(got: str, expected: str) -> float:
    """Character error rate: edits needed over the expected length."""
    a, b = fold(got), fold(expected)
    if not b:
        return 0.0 if not a else 1.0
    return Levenshtein.distance(a, b) / len(b)


@dataclass
class Score:
    """Fields right (a float: prose counts 1 − CER) and fields seen, per kind."""

    right: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong: list[str] = field(default_factory=list)
    fields: list[tuple[str, str, float]] = field(default_factory=list)  # (path, kind, credit)

    def add(self, kind: str, credit: float, path: str, got: Any, expected: Any) -> None:
        self.right[kind] += credit
        self.total[kind] += 1
        self.fields.append((path, kind, credit))
        if credit < 1.0:
            self.wrong.append(f"{path}: got {got!r}, expected {expected!r}")

    def merge(self, other: Score) -> None:
        for kind in other.total:
            self.right[kind] += other.right[kind]
            self.total[kind] += other.total[kind]
        self.wrong += other.wrong
        self.fields += other.fields

    def accuracy(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.total)
        total = sum(self.total[k] for k in kinds)
        return sum(self.right[k] for k in kinds) / total if total else 1.0


def _kind_of(key: str, path: str) -> str:
    if key in PROSE:
        return "texts"
    if key in PROFILE and ".indicators" not in path:
        return "profile"
    if ".budget" in path and key in ("annual", "h1", "q3"):
        return "budget"
    if ".indicators" in path and key in VALUE_PARTS:
        return key
    return "names"


def _same(got: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or expected is None:
        return got == expected
    if isinstance(expected, (int, float)):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and \
            abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))
    if isinstance(expected, str):
        return isinstance(got, str) and fold(got) == fold(expected)
    return got == expected


def _missing(expected: Any, path: str, key: str, score: Score) -> None:
    """Every leaf of an expected part that the reading lacks scores 0."""
    if isinstance(expected, dict):
        for k, v in expected.items():
            if k not in SKIPPED:
                _missing(v, f"{path}.{k}", k, score)
    elif isinstance(expected, list):
        for i, v in enumerate(expected):
            _missing(v, f"{path}[{i}]", key, score)
    else:
        score.add(_kind_of(key, path), 0.0, path, None, expected)


def score_record(got: Any, expected: Any, path: str = "$", key: str = "",
                 score: Score | None = None) -> Score:
    """Field-by-field score of ``got`` against ``expected`` (see the module docstring)."""
    score = score if score is not None else Score()
    if isinstance(expected, dict):
        got = got if isinstance(got, dict) else {}
        for k, v in expected.items():
            if k in SKIPPED:
                continue
            if k not in got:
                _missing(v, f"{path}.{k}", k, score)
            else:
                score_record(got[k], v, f"{path}.{k}", k, score)
        return score
    if isinstance(expected, list):
        got = got if isinstance(got, list) else []
        for i, v in enumerate(expected):
            if i < len(got):
                score_record(got[i], v, f"{path}[{i}]", key, score)
            else:
                _missing(v, f"{path}[{i}]", key, score)
        for i in range(len(expected), len(got)):
            score.add("names", 0.0, f"{path}[{i}]", got[i], None)  # an extra item is wrong
        return score
    kind = _kind_of(key, path)
    if kind == "texts" and isinstance(expected, str):
        credit = max(0.0, 1.0 - cer(got if isinstance(got, str) else "", expected))
    else:
        credit = 1.0 if _same(got, expected) else 0.0
    score.add(kind, credit, path, got, expected)
    return score


def pointer_path(pointer: str) -> str:
    """A JSON Pointer (``/indicators/3/target``) as a score path (``$.indicators[3].target``)."""
    out = "$"
    for token in pointer.strip("/").split("/") if pointer.strip("/") else []:
        token = token.replace("~1", "/").replace("~0", "~")
        out += f"[{token}]" if token.isdigit() else f".{token}"
    return out


def covered(path: str, issues: list[dict]) -> bool:
    """Does an issue point at the field (or at a row or section holding it)?"""
    for issue in issues:
        if not issue.get("field"):
            continue
        prefix = pointer_path(issue["field"])
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return True
    return False
