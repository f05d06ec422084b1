"""Profile pairs, long texts, and the row-per-record sections (prior year, tasks).

Row sections share one rule for page breaks and tall cells: a row whose key cell
(the goal, the task name) is blank or covered by the merged cell above is the
rest of the previous record, so its cells are appended to that record's cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extract.model import Cell
from normalize import checks, labels, stitch
from normalize.columns import (
    Column,
    covered,
    header_columns,
    names_all,
    place,
    refined,
    rest_of_header,
)
from normalize.model import Issue, PriorYearResult, Provenance, WorkTask, pointer
from normalize.pointers import Concern
from normalize.readings import figure_doubts, prose_reading
from normalize.rows import Row
from normalize.text import clean_text, join_text
from normalize.values import fold, parse_value


def provenance(cell: Cell) -> Provenance:
    return Provenance(page=cell.page, bbox=cell.bbox, source=cell.source,
                      confidence=cell.confidence)


def profile_pairs(rows: Sequence[Row]) -> dict[str, Cell]:
    """label/value pairs ("部门名称 | X | 下属单位数量 | 0") from any rows. A label cell
    spanning rows that holds one label per row (``labels.stacked``: the rule between
    them was not seen) gives each row its own label, the first cell right of it."""
    out: dict[str, Cell] = {}
    for row in rows:
        if row.is_line or not row.cells:
            continue
        cells = row.cells
        for k, cell in enumerate(cells[:-1]):
            name = labels.field_of(labels.match(cell.text, "profile") or _stacked_label(cell, 0))
            if name and name not in out:
                out[name] = cells[k + 1]
        for cell in row.covering:
            name = labels.field_of(_stacked_label(cell, cells[0].row - cell.row))
            right = [c for c in cells if c.bbox[0] >= cell.bbox[2] - 1]
            if name and name not in out and right:
                out[name] = right[0]
    return out


def _stacked_label(cell: Cell, k: int) -> str | None:
    """The key of the label of a cell's ``k``-th row, where the cell stacks one per row."""
    keys = labels.stacked(cell.text, "profile", cell.rowspan) if cell.rowspan > 1 else None
    return keys[k] if keys and 0 <= k < len(keys) else None


def long_text(rows: Sequence[Row]) -> tuple[str | None, Provenance | None]:
    """A prose section: every content cell joined, across rows and pages. Free lines
    count only when the section has no cells (prose printed as paragraphs): beside a
    table they are what strayed outside it (a character past its edge, a page footer)."""
    cells = prose_cells(rows)
    if not cells:
        return None, None
    return join_text(c.text for c in cells), provenance(cells[0])


def prose_cells(rows: Sequence[Row]) -> list[Cell]:
    """A prose section's content cells (``long_text``), each as the reading prose can
    print (readings.prose_reading)."""
    cells = [c for row in rows if not row.is_line for c in row.cells if c.text.strip()] or \
        [c for row in rows for c in row.cells if c.text.strip()]
    # a cell that is a row table's column label word for word is no prose: the first half
    # of that table's header, which a page break cut and left under the section above
    # (绩效目标 at a page's foot, its label and 绩效目标完成情况 on the next)
    return [prose_reading(c) for c in cells
            if not any(labels.exact(c.text, group) for group in _TABLE_HEADERS)]


_TABLE_HEADERS = ("prior", "task", "indicator")


@dataclass
class _Record:
    cells: dict[str, list[Cell]] = field(default_factory=dict)

    def add(self, name: str, cell: Cell) -> None:
        self.cells.setdefault(name, []).append(cell)

    def text(self, name: str) -> str | None:
        parts = [c.text for c in self.cells.get(name, []) if c.text.strip()]
        return join_text(parts) if parts else None

    def first(self) -> Cell | None:
        every = [c for cells in self.cells.values() for c in cells]
        return min(every, key=lambda c: (c.page, c.bbox[1], c.bbox[0])) if every else None


def _add(record: _Record, placed: dict[str, Cell]) -> None:
    for name, cell in placed.items():
        record.add(name, cell)


# The columns that hold paragraphs (judged by where they stop); the others are names, one
# phrase each, whose last line stopping short of the cell's edge means they ended there.
PROSE = frozenset({"goal", "result", "content", "functions"})


def read_records(rows: Sequence[Row], group: str, key: str
                 ) -> tuple[list[_Record], stitch.Stitcher[_Record]]:
    """Rows under a header (labels of ``group``) as records keyed by column ``key``, and
    the records joined across a page break on likelihood only (to report).

    Rows before the header, free lines and repeated headers are skipped. A row without
    its key, and the first row after a page break, may be the rest of the record above
    (normalize/stitch.py: Stitcher).
    """
    columns: list[Column] = []
    records: list[_Record] = []
    after_break = False
    rows_of = stitch.Stitcher({}, records, _add)
    in_header = False
    header: list[Cell] = []  # the cells of the header rows just read
    for row in rows:
        if row.is_line or not row.cells:
            continue
        after_break = after_break or row.continues
        found = header_columns(row, group)
        if in_header and not names_all(row, found):
            found = rest_of_header(header, row, group) or found
        if len(found) >= 2 or (in_header and names_all(row, found)):
            columns = refined(columns, found) if in_header else found
            header = list(row.cells) + (header if in_header else [])
            in_header = True
            named = next((c.field for c in columns if c.field == key), columns[0].field)
            rows_of.fields = {c.field: stitch.Field(pair=stitch.prose_pair if c.field in PROSE
                                                    else None, key=c.field == named)
                              for c in columns}
            continue
        in_header = False
        if not columns:
            continue
        placed = {name: prose_reading(cell) if name in PROSE else cell
                  for name, cell in place(row.cells, columns).items()}
        if not any(c.text.strip() for c in placed.values()):
            continue
        at_break, after_break = after_break, False
        key_column = next((c for c in columns if c.field == key), columns[0])
        key_cell = placed.get(key_column.field)
        blank = key_cell is None or not key_cell.text.strip() or covered(row, key_column)
        starts = rows_of.row(placed, stitch.part({n: c.text for n, c in placed.items()}, placed),
                             blank, at_break)
        if starts is None:
            continue
        record = _Record()
        for cells in starts:
            _add(record, cells)
        records.append(record)
    rest = rows_of.finish()
    if rest is not None:  # nothing but rows without a key: one record of them
        record = _Record()
        for cells in rest:
            _add(record, cells)
        records.append(record)
    return records, rows_of


def _joins(rows_of: stitch.Stitcher[_Record], made: Sequence[tuple[_Record, object]], what: str
           ) -> list[Concern]:
    """``row_join_uncertain`` for each record decided across a page break on likelihood."""
    return [Concern(Issue("row_join_uncertain", f"{what}: {said}",
                          max(c.page for cells in rec.cells.values() for c in cells)), obj)
            for rec, obj in made if (said := rows_of.doubt(rec)) is not None]


def _keyless(made: Sequence[tuple[_Record, object]], key: str, label: str, what: str
             ) -> list[Concern]:
    """``row_join_uncertain`` for each record that holds several rows but no key (no
    绩效目标, no task name): rows without a key are each taken as the rest of the row
    above, so a key column the header did not place right folds a whole section into
    one record; pointed at the key it lacks."""
    out = []
    for rec, obj in made:
        rows = max((len(cells) for cells in rec.cells.values()), default=0)
        if not rec.text(key) and rows > 1:
            page = max(c.page for cells in rec.cells.values() for c in cells)
            out.append(Concern(Issue("row_join_uncertain", f"{what}: {rows} rows with no {label} "
                                     "read as one record; check them on the page", page), obj, key))
    return out


def _figures(made: Sequence[tuple[_Record, object]], names: Sequence[str], what: str
             ) -> list[Concern]:
    """``reading_ambiguous`` for each prose field of a record whose scan may say other
    figures (readings.figure_doubts), pointing at that field."""
    return [Concern(issue, obj, name) for rec, obj in made for name in names
            for issue in figure_doubts(rec.cells.get(name, []), f"{what} {name}")]


def text_doubts(name: str, rows: Sequence[Row]) -> list[Issue]:
    """``reading_ambiguous`` for a prose section (``long_text``) whose scan may say other
    figures, pointing at the section's field."""
    return [replace(issue, field=pointer(name)) for issue in figure_doubts(prose_cells(rows), name)]


def prior_year(rows: Sequence[Row]) -> tuple[list[PriorYearResult], list[Concern]]:
    records, rows_of = read_records(rows, "prior", "goal")
    made = []
    for rec in records:
        goal, result = rec.text("goal"), rec.text("result")
        if goal or result:
            cell = rec.first()
            made.append((rec, PriorYearResult(goal=clean_text(goal or ""),
                                              result=clean_text(result or ""),
                                              provenance=provenance(cell) if cell else None)))
    what = "上年度绩效目标完成情况"
    return [obj for _, obj in made], (_joins(rows_of, made, what)
                                      + _keyless(made, "goal", "绩效目标", what)
                                      + _figures(made, ("goal", "result"), what))


def tasks(rows: Sequence[Row]) -> tuple[list[WorkTask], list[Concern]]:
    records, rows_of = read_records(rows, "task", "name")
    made = []
    for rec in records:
        name, content = rec.text("name"), rec.text("content")
        if not (name or content):
            continue
        cell = rec.first()
        made.append((rec, WorkTask(name=clean_text(name or ""), content=clean_text(content or ""),
                                   functions=rec.text("functions"), projects=rec.text("projects"),
                                   provenance=provenance(cell) if cell else None)))
    what = "年度工作任务"
    return [obj for _, obj in made], (_joins(rows_of, made, what)
                                      + _keyless(made, "name", "工作任务名称", what)
                                      + _figures(made, ("name", "content", "functions", "projects"),
                                                 what))


def profile_doubts(profile: dict[str, Cell]) -> list[Issue]:
    """Doubt on the scanned profile, at its field: ``reading_ambiguous`` where a cell may
    say something else (a department, which names the declaration and decides which
    version it supersedes, read with a speck beside it; a count that would be another
    number), else ``low_confidence`` where it was read weakly; ``value_unreadable`` where
    its cell was read as nothing, or where a count's label was not found beside the
    scanned profile's other labels (the form prints all four in its profile: a label
    misread past matching, or run into its value where the rule between them was lost)."""
    issues: list[Issue] = []
    scanned = next((cell for cell in profile.values() if cell.source == "ocr"), None)
    if scanned is not None:
        issues += [Issue("value_unreadable", f"{labels.SYNONYMS['profile.' + name][0]}: its label "
                         "was not found in the scanned profile (misread?); check it on the page",
                         scanned.page, field=pointer(name))
                   for name in ("subordinate_units", "staffing_quota", "funded_staff")
                   if name not in profile]
    for name, cell in profile.items():
        label = labels.SYNONYMS[f"profile.{name}"][0]  # the form's own wording
        if cell.source == "ocr" and not cell.text.strip():
            # a profile value is always filled in: read as nothing, it was under a seal
            # or too faint for the scan, and the field's None would look like a blank
            issues.append(Issue("value_unreadable", f"{label}: read as nothing on the scan (under "
                                "a seal, or too faint?); check it on the page", cell.page,
                                field=pointer(name)))
            continue
        if cell.source != "ocr":
            continue
        others = [a for a in cell.alternatives
                  if _profile_meaning(name, cell, a) != _profile_meaning(name, cell, cell.text)]
        if others:
            issues.append(Issue("reading_ambiguous", f"{label}: read {clean_text(cell.text)!r}, "
                                f"but the scan may also say {clean_text(others[0])!r}; check it on "
                                "the page", cell.page, field=pointer(name)))
        else:
            issues += [replace(i, field=pointer(name)) for i in checks.low_confidence(label, [cell])]
    return issues


def _profile_meaning(name: str, cell: Cell, text: str) -> object:
    return clean_text(text) if name == "department" else as_int(replace(cell, text=text))


def as_int(cell: Cell | None) -> int | None:
    """A profile count ("96", "96人", "九十六") as an int; None when unreadable."""
    if cell is None:
        return None
    value = parse_value(cell.text)
    if value.kind == "number" and value.value is not None and value.value == int(value.value):
        return int(value.value)
    digits = "".join(ch for ch in fold(cell.text) if ch.isdigit())
    return int(digits) if digits else None
