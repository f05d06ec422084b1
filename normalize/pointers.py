"""Which field of the declaration an issue raised while reading points at.

A check run on the finished declaration knows each row's index and points at it
directly (``model.pointer``). A reader does not: budget lines are read per side
and joined income first, and a value is read before its row exists. So a reader
raises its issue as a :class:`Concern` about the very object it concerns (a row,
``BudgetLine`` or ``Indicator``, with the key of one of its fields; or a value of
a row, ``Amount`` or ``Value``), and :func:`locate` turns it into a pointer by
finding where that object ended up once the arrays are final. How a reader orders
its rows, or decides which line is a sub-item of which, never enters into it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace

from normalize.model import Issue, pointer


@dataclass(frozen=True)
class Concern:
    """An issue and the object it concerns; ``key`` names a field of that object
    (``"level2"`` of an ``Indicator``), None for the object itself."""

    issue: Issue
    subject: object
    key: str | None = None


def concerning(subject: object, issues: Sequence[Issue], key: str | None = None) -> list[Concern]:
    return [Concern(issue, subject, key) for issue in issues]


def locate(concerns: Sequence[Concern], arrays: Mapping[str, Sequence[object]]) -> list[Issue]:
    """The issues, each pointing at where its subject sits in ``arrays`` (the declaration's
    arrays by their exported names, in their final order); an issue whose subject is not
    there (a value of a column the export leaves out) points at nothing, or where its
    issue already points (a whole section)."""
    # by identity: two blank amounts are equal, yet only one of them is in question
    where: dict[int, tuple[str | int, ...]] = {}
    for name, rows in arrays.items():
        for index, row in enumerate(rows):
            where[id(row)] = (name, index)
            for f in fields(row):  # type: ignore[arg-type]
                value = getattr(row, f.name)
                if is_dataclass(value):
                    where[id(value)] = (name, index, f.name)
    located = []
    for concern in concerns:
        at = where.get(id(concern.subject))
        key = () if concern.key is None else (concern.key,)
        located.append(replace(concern.issue, field=pointer(*at, *key) if at else concern.issue.field))
    return located
