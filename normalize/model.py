"""What the normalize stage produces: one typed declaration per document.

Money is in 万元 as ``Decimal`` (never float); rates in percent points. Every value
that came from a cell carries a ``Provenance`` so load/ can store where it was read.
Field names follow ``shared/schema/declaration.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from extract.model import BBox

ValueKind = Literal["number", "direction", "text", "empty"]
Comparator = Literal["=", "<=", ">=", "<", ">", "~"]
Direction = Literal["increase", "decrease"]
Side = Literal["income", "expenditure"]


@dataclass(frozen=True)
class Provenance:
    """Where a value was read: page (from 1), cell box in PDF points, source, confidence."""

    page: int
    bbox: BBox
    source: str = "text"
    confidence: float = 1.0


@dataclass(frozen=True)
class Value:
    """A parsed value cell (indicator target or period value)."""

    raw: str
    kind: ValueKind
    value: Decimal | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    direction: Direction | None = None
    confidence: float | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Amount:
    """A money cell of the budget, already in 万元; ``None`` value for a blank cell."""

    raw: str
    value: Decimal | None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class BudgetLine:
    side: Side
    item: str
    parent: str | None
    annual: Amount
    h1: Amount
    q3: Amount
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    level3: str
    target: Value
    annual: Value | None = None
    h1: Value | None = None
    q3: Value | None = None
    basis: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class WorkTask:
    name: str
    content: str
    functions: str | None = None
    projects: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True)
class PriorYearResult:
    goal: str
    result: str
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Signoff:
    filled_by: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    phone: str | None = None
    head: str | None = None


@dataclass(frozen=True)
class Issue:
    """A finding about the declaration, with a stable ``code`` (see normalize/checks.py).

    ``field`` is a JSON Pointer (:func:`pointer`) into the exported declaration at what the
    issue concerns: a value (``/budget/3/annual``), a row (``/indicators/12``) or a section
    (``/budget``); None when it concerns the document as a whole.
    """

    code: str
    message: str
    page: int | None = None
    field: str | None = None


def pointer(*tokens: str | int) -> str:
    """The JSON Pointer (RFC 6901) to ``tokens``: ``pointer("budget", 3, "annual")`` is
    ``/budget/3/annual``; ``~`` and ``/`` inside a token are escaped as ``~0`` and ``~1``."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def pointer_tokens(path: str) -> list[str]:
    """The tokens of a JSON Pointer, unescaped: the inverse of :func:`pointer`."""
    if not path:
        return []
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a JSON Pointer (it must start with /)")
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


@dataclass(frozen=True)
class SourceInfo:
    """The file a declaration was read from (copied from extract's document), and the
    pages of the file that hold this declaration, ``first_page``..``last_page``: a file
    may hold several forms, or one inside a longer document."""

    file: str
    sha256: str
    pages: int
    page_kinds: tuple[str, ...] = ()
    extractor_version: str = ""
    first_page: int = 1
    last_page: int = 0  # 0: the file's last page
    page_turns: tuple[int, ...] = ()  # per page: degrees clockwise it was turned to be read
    page_sheets: tuple[tuple[float, ...] | None, ...] = ()  # per page: a photo's sheet (extract)

    def __post_init__(self) -> None:
        if not self.last_page:
            object.__setattr__(self, "last_page", self.pages)

    @property
    def page_range(self) -> tuple[int, int]:
        return self.first_page, self.last_page


@dataclass(frozen=True)
class Declaration:
    source: SourceInfo
    title: str | None
    year: int
    department: str
    money_unit: str
    subordinate_units: int | None = None
    staffing_quota: int | None = None
    funded_staff: int | None = None
    functions: str | None = None
    policies: str | None = None
    strategic_goals: str | None = None
    annual_goals: str | None = None
    prior_year_results: tuple[PriorYearResult, ...] = ()
    work_tasks: tuple[WorkTask, ...] = ()
    budget: tuple[BudgetLine, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    signoff: Signoff = field(default_factory=Signoff)
    issues: tuple[Issue, ...] = ()


class NormalizeError(Exception):
    """The page grids could not be turned into a declaration."""


class NotADeclaration(NormalizeError):
    """The document is not a 部门整体预算绩效目标申报表; the message lists the titles found."""


class IncompleteForm(NotADeclaration):
    """The pages hold the form's grids, but not what identifies a declaration (its
    department, its year): a form that could not be read, not something else."""


@dataclass(frozen=True)
class FileReading:
    """Every declaration found in one file, in page order, and the file's pages that
    are part of none (a booklet's other tables, a cover letter, blank pages)."""

    declarations: tuple[Declaration, ...]
    other_pages: tuple[int, ...] = ()
