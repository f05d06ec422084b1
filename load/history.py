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


class DocumentNotFound(LoadError):
    """No stored document matches what was asked for."""


def history_frame(engine: Engine, department: str | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """Every version of every declaration (current and superseded), oldest first."""
    d, doc = m.Declaration, m.Document
    stmt = (select(d.department, d.year, d.version, d.is_current, doc.file_name, doc.sha256,
                   doc.pages, doc.ingested_at, d.superseded_at, d.load_id)
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
    field: str
    page: int
    bbox: tuple[float, float, float, float]
    source: str
    confidence: float


@dataclass(frozen=True)
class StoredDocument:
    id: int
    file_name: str
    path: str | None
    pages: int
    boxes: tuple[StoredBox, ...]


def find_document(engine: Engine, ref: str, page: int | None = None) -> StoredDocument:
    """A document by id, sha256 (or a prefix of 8+ characters), file name or path,
    or a part of its file name that names only one document, with the provenance
    boxes of its declaration (on ``page`` only, if given)."""
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
        boxes = tuple(StoredBox(p.field, p.page, (p.x0, p.top, p.x1, p.bottom), p.source,
                                p.confidence) for p in session.scalars(stmt))
        return StoredDocument(hit.id, hit.file_name, hit.path, hit.pages, boxes)
