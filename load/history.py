"""Read-side queries about documents themselves: versions, and where values were read.

Every filter is a bound parameter; nothing here builds SQL from user text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from load import models as m
from load.errors import LoadError
from normalize.model import pointer_tokens


class DocumentNotFound(LoadError):
    """No stored document matches what was asked for."""


def history_frame(engine: Engine, department: str | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """Every version of every declaration (current and superseded), oldest first."""
    d, doc = m.Declaration, m.Document
    # a file may hold several declarations: which pages of it each one was read from
    stmt = (select(d.department, d.year, d.version, d.is_current, doc.file_name, doc.sha256,
                   doc.pages, d.first_page, d.last_page, doc.ingested_at, d.superseded_at,
                   d.load_id)
            .join(doc, doc.id == d.document_id)
            .order_by(d.department, d.year, d.version))
    if department is not None:
        stmt = stmt.where(d.department == department)
    if year is not None:
        stmt = stmt.where(d.year == year)
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


@dataclass(frozen=True)
class StoredBox:
    """A cell a value was read from; ``issues`` are the codes of the issues pointing at it."""

    field: str
    page: int
    bbox: tuple[float, float, float, float]
    source: str
    confidence: float
    issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredDocument:
    id: int
    file_name: str
    path: str | None
    pages: int
    boxes: tuple[StoredBox, ...]
    page_turns: tuple[int, ...] = ()  # per page, degrees clockwise it was turned to be read
    page_sheets: tuple[tuple[float, ...] | None, ...] = ()  # per page, a photo's sheet

    def turn(self, page: int) -> int:
        return self.page_turns[page - 1] if 0 < page <= len(self.page_turns) else 0

    def sheet(self, page: int) -> tuple[float, ...] | None:
        return self.page_sheets[page - 1] if 0 < page <= len(self.page_sheets) else None


def box_field(pointer: str | None) -> str | None:
    """The provenance field (``budget[3].annual``) of the cell holding what an issue's
    JSON Pointer (``/budget/3/annual``) points at; None when no cell is stored for it (a
    section, a profile field). A part of a value (``/indicators/3/target/unit``) is in
    the value's cell; a row, or a field of a row with no box of its own
    (``/budget/3/item``, ``/indicators/3/level2``), is the row's box: the cell naming it."""
    tokens = pointer_tokens(pointer or "")
    if len(tokens) < 2 or not tokens[1].isdigit():
        return None
    row = f"{tokens[0]}[{tokens[1]}]"
    return f"{row}.{tokens[2]}" if len(tokens) > 2 and tokens[2] in m.PERIODS else row


def find_document(engine: Engine, ref: str, page: int | None = None) -> StoredDocument:
    """A document by id, sha256 (or a prefix of 8+ characters), file name or path,
    or a part of its file name that names only one document, with the provenance
    boxes of its declaration (on ``page`` only, if given), each with the codes of the
    issues pointing at it."""
    doc = m.Document
    exact = [doc.file_name == ref, doc.path == ref]
    if ref.isdigit():
        exact.append(doc.id == int(ref))
    if len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
        exact.append(doc.sha256.startswith(ref.lower()))
    with Session(engine) as session:
        found = session.scalars(select(doc).where(or_(*exact)).order_by(doc.id.desc())).all()
        if not found:
            part = doc.file_name.contains(ref, autoescape=True)
            found = session.scalars(select(doc).where(part).order_by(doc.id.desc())).all()
        if not found:
            raise DocumentNotFound(f"no document matches {ref!r} (give an id, sha256, file name or path)")
        if len(found) > 1:
            names = ", ".join(f"{d.id}: {d.file_name}" for d in found[:5])
            raise DocumentNotFound(f"{ref!r} matches {len(found)} documents ({names}); give the id")
        hit = found[0]
        stmt = select(m.Provenance).join(m.Declaration).where(m.Declaration.document_id == hit.id)
        if page is not None:
            stmt = stmt.where(m.Provenance.page == page)
        # per declaration: a file of several forms has an indicators[3] in each
        codes: dict[tuple[int, str], dict[str, None]] = {}  # a dict keeps codes in order, once
        issues = select(m.Issue.declaration_id, m.Issue.code, m.Issue.field).join(m.Declaration) \
            .where(m.Declaration.document_id == hit.id).order_by(m.Issue.position)
        for declaration, code, pointer in session.execute(issues):
            field = box_field(pointer)
            if field is not None:
                codes.setdefault((declaration, field), {})[code] = None
        boxes = tuple(StoredBox(p.field, p.page, (p.x0, p.top, p.x1, p.bottom), p.source,
                                p.confidence, tuple(codes.get((p.declaration_id, p.field), ())))
                      for p in session.scalars(stmt))
        return StoredDocument(hit.id, hit.file_name, hit.path, hit.pages, boxes,
                              tuple(hit.page_turns or ()),
                              tuple(tuple(s) if s else None for s in hit.page_sheets or ()))
