"""Field-by-field comparison of an export record with a sample's expected JSON.

Text is compared after NFKC folding and removal of all whitespace (as the
schema says); numbers to 1e-6; ``confidence`` is not compared (it describes the
reading, not the form). Returns every difference as "path: got … expected …",
so a failing test names each wrong field.
"""

from __future__ import annotations

import unicodedata
from typing import Any

IGNORED = {"confidence"}


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def differences(got: Any, expected: Any, path: str = "$") -> list[str]:
    if isinstance(expected, dict) and isinstance(got, dict) and "issues" in expected:
        # issues are compared by what is reported and where; messages are for people
        got, expected = {**got, "issues": issue_keys(got)}, {**expected, "issues": issue_keys(expected)}
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{path}: got {got!r}, expected an object"]
        out = []
        for key, value in expected.items():
            if key in IGNORED:
                continue
            if key not in got:
                out.append(f"{path}.{key}: missing, expected {value!r}")
            else:
                out.extend(differences(got[key], value, f"{path}.{key}"))
        for key in got.keys() - expected.keys() - IGNORED:
            if got[key] not in (None, [], {}):
                out.append(f"{path}.{key}: unexpected {got[key]!r}")
        return out
    if isinstance(expected, list):
        if not isinstance(got, list):
            return [f"{path}: got {got!r}, expected a list"]
        out = []
        if len(got) != len(expected):
            out.append(f"{path}: {len(got)} items, expected {len(expected)}")
        for i, (g, e) in enumerate(zip(got, expected, strict=False)):
            out.extend(differences(g, e, f"{path}[{i}]"))
        return out
    if same_leaf(got, expected):
        return []
    return [f"{path}: got {got!r}, expected {expected!r}"]


def issue_keys(record: dict) -> list[list]:
    return sorted([i["code"], i.get("field")] for i in record.get("issues", []))


def same_leaf(got: Any, expected: Any) -> bool:
    """One value of a record: numbers to 1e-6, text after folding, the rest equal."""
    if isinstance(expected, bool) or expected is None:
        return got == expected
    if isinstance(expected, (int, float)):
        return isinstance(got, (int, float)) and not isinstance(got, bool) \
            and abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))
    if isinstance(expected, str):
        return isinstance(got, str) and fold(got) == fold(expected)
    return got == expected
