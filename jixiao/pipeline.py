"""Per file: discover, hash, skip what is loaded, extract → normalize → load.

A file that fails is recorded with a one-line reason and the batch goes on;
each file is saved in its own transaction, so a failure leaves nothing of that
file behind and nothing already loaded is touched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from extract.model import ExtractError, ExtractSettings
from extract.pdf import extract_document, sha256_of
from load import store
from load.errors import LoadError
from normalize.document import normalize
from normalize.model import NormalizeError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file. ``status``: loaded, superseded, skipped, failed."""

    path: str
    status: str
    reason: str = ""
    pages: int = 0
    seconds: float = 0.0
    department: str | None = None
    year: int | None = None
    issues: int = 0
    page_kinds: tuple[str, ...] = ()


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("loaded", "superseded", "skipped", "failed")]
        with_issues = sum(1 for r in self.results if r.issues)
        return f"{len(self.results)} files: " + ", ".join(parts) + f"; {with_issues} with issues"


FileCallback = Callable[[FileResult], None]


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and every *.pdf below the folders named, in a stable order.
    A named file is taken whatever its ending, so a wrong file gets a reason."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        else:
            yield path


def ingest_file(engine: Engine, path: Path, settings: ExtractSettings, *, force: bool = False,
                load_id: int | None = None) -> FileResult:
    started = time.perf_counter()

    def done(status: str, **kw: object) -> FileResult:
        return FileResult(path=str(path), status=status,
                          seconds=round(time.perf_counter() - started, 3), **kw)  # type: ignore[arg-type]

    try:
        if not path.exists():
            return done("failed", reason="file not found")
        if not force and store.known_document(engine, sha256_of(path)):
            return done("skipped", reason="unchanged: already loaded")
        doc = extract_document(path, settings)
        scans = [p.page for p in doc.pages if p.kind == "scan"]
        if scans:
            pages = ", ".join(map(str, scans))
            return done("failed", pages=len(doc.pages), page_kinds=tuple(doc.page_kinds),
                        reason=f"page(s) {pages} have no usable text layer and need OCR, "
                               "which this version does not do yet")
        declaration = normalize(doc)
        saved = store.save(engine, declaration, force=force, load_id=load_id, path=str(path))
    except (ExtractError, NormalizeError, LoadError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return done("failed", reason=reason)
    return done(saved.status, pages=declaration.source.pages,
                department=declaration.department, year=declaration.year,
                issues=len(declaration.issues), page_kinds=declaration.source.page_kinds)


def ingest(engine: Engine, paths: Iterable[str | Path], settings: ExtractSettings | None = None,
           *, force: bool = False, on_file: FileCallback | None = None) -> IngestReport:
    settings = settings or ExtractSettings()
    report = IngestReport()
    load_id = store.start_load_run(engine, {"force": force, "source": settings.source})
    try:
        for path in discover(paths):
            result = ingest_file(engine, path, settings, force=force, load_id=load_id)
            report.results.append(result)
            if on_file:
                on_file(result)
    finally:
        counts = {s: report.count(s) for s in ("loaded", "superseded", "skipped", "failed")}
        store.finish_load_run(engine, load_id, counts)
    return report
