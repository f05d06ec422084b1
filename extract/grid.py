"""Ruling lines and glyphs to grids, as a chain of small pure functions.

segments → snapped → joined → tables (connected components) → lattice (x and y
edges) → cells with spans (slots merged where no line separates them) → text.

Nothing here knows where the segments and glyphs came from: the text layer and
OCR both feed it, so both produce the same cell structure. ``trace`` keeps every
intermediate for ``jixiao show`` and for diagnosing a bad grid step by step.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from extract.model import BBox, Cell, ExtractSettings, Glyph, Grid, Segment, Source
from extract.text import cell_text, group_lines, last_line


def snap(segments: Iterable[Segment], tolerance: float) -> list[Segment]:
    """Move segments of one orientation whose positions lie within ``tolerance``
    of each other onto their common mean, so double-drawn borders become one."""
    ordered = sorted(segments, key=lambda s: s.pos)
    out: list[Segment] = []
    cluster: list[Segment] = []

    def flush() -> None:
        if cluster:
            mean = sum(s.pos for s in cluster) / len(cluster)
            out.extend(Segment(s.orient, mean, s.start, s.end) for s in cluster)

    for seg in ordered:
        if cluster and seg.pos - cluster[-1].pos > tolerance:
            flush()
            cluster = []
        cluster.append(seg)
    flush()
    return out


def join(segments: Iterable[Segment], tolerance: float) -> list[Segment]:
    """Merge collinear segments that overlap or leave a gap under ``tolerance``
    (a border drawn cell by cell becomes one line)."""
    by_pos: dict[tuple[str, float], list[Segment]] = defaultdict(list)
    for seg in segments:
        by_pos[(seg.orient, seg.pos)].append(seg)
    out: list[Segment] = []
    for (orient, pos), segs in by_pos.items():
        segs.sort(key=lambda s: s.start)
        start, end = segs[0].start, segs[0].end
        for seg in segs[1:]:
            if seg.start <= end + tolerance:
                end = max(end, seg.end)
            else:
                out.append(Segment(orient, pos, start, end))  # type: ignore[arg-type]
                start, end = seg.start, seg.end
        out.append(Segment(orient, pos, start, end))  # type: ignore[arg-type]
    return out


def _crosses(h: Segment, v: Segment, tolerance: float) -> bool:
    return (h.start - tolerance <= v.pos <= h.end + tolerance
            and v.start - tolerance <= h.pos <= v.end + tolerance)


def connected_tables(
    horizontals: Sequence[Segment], verticals: Sequence[Segment], tolerance: float
) -> list[tuple[list[Segment], list[Segment]]]:
    """Group segments into tables: segments that touch belong to the same one.
    A group needs two lines each way to enclose a cell at all."""
    parent = list(range(len(horizontals) + len(verticals)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    offset = len(horizontals)
    verticals_by_x = sorted(range(len(verticals)), key=lambda k: verticals[k].pos)
    xs = [verticals[k].pos for k in verticals_by_x]
    for i, h in enumerate(horizontals):
        lo = bisect.bisect_left(xs, h.start - tolerance)
        hi = bisect.bisect_right(xs, h.end + tolerance)
        for k in verticals_by_x[lo:hi]:
            if _crosses(h, verticals[k], tolerance):
                parent[find(i)] = find(offset + k)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = defaultdict(lambda: ([], []))
    for i, h in enumerate(horizontals):
        groups[find(i)][0].append(h)
    for k, v in enumerate(verticals):
        groups[find(offset + k)][1].append(v)
    tables = [g for g in groups.values() if len(g[0]) + len(g[1]) >= 3 and g[0] and g[1]]
    tables.sort(key=lambda g: (min(s.pos for s in g[0]), min(s.pos for s in g[1])))
    return tables


def close_open_edges(
    horizontals: list[Segment], verticals: list[Segment], min_cell: float, tolerance: float
) -> tuple[list[Segment], list[Segment]]:
    """Add the border a page break leaves out.

    A table cut by a page break often has no rule along the cut: its verticals
    run on past the last horizontal (bottom of a page) or start before the first
    (top of the next). Where two or more verticals overhang together, a rule is
    added at their common end, so the cut row is still a row.
    """
    hs, vs = list(horizontals), list(verticals)
    x0, x1 = min(v.pos for v in vs), max(v.pos for v in vs)
    top = min(h.pos for h in hs)
    bottom = max(h.pos for h in hs)
    below = [v.end for v in vs if v.end > bottom + min_cell]
    if len(below) >= 2:
        hs.append(Segment("h", max(below), x0, x1))
    above = [v.start for v in vs if v.start < top - min_cell]
    if len(above) >= 2:
        hs.append(Segment("h", min(above), x0, x1))
    return snap(hs, tolerance), vs


def lattice(
    horizontals: Sequence[Segment], verticals: Sequence[Segment], min_cell: float
) -> tuple[list[float], list[float]]:
    """The x edges (from verticals) and y edges (from horizontals) of one table,
    dropping an edge closer than ``min_cell`` to the previous one."""

    def edges(positions: Iterable[float]) -> list[float]:
        out: list[float] = []
        for p in sorted(set(positions)):
            if not out or p - out[-1] >= min_cell:
                out.append(p)
        return out

    return edges(v.pos for v in verticals), edges(h.pos for h in horizontals)


def _covers(lines: Sequence[Segment], pos: float, a: float, b: float, tolerance: float) -> bool:
    """Is there a line at ``pos`` running over the middle half of [a, b]?"""
    lo, hi = a + (b - a) * 0.25, b - (b - a) * 0.25
    return any(abs(s.pos - pos) <= tolerance and s.start <= lo and s.end >= hi for s in lines)


@dataclass(frozen=True, order=True)
class Region:
    row: int
    col: int
    last_row: int
    last_col: int


def join_regions(
    n_rows: int, n_cols: int,
    open_right: Callable[[int, int], bool], open_below: Callable[[int, int], bool],
) -> list[Region]:
    """Slots of an ``n_rows`` × ``n_cols`` lattice joined into regions wherever
    the border between neighbours is open, each region as its bounding spans."""
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and open_right(r, c):
                parent[find(here)] = find(here + 1)
            if r + 1 < n_rows and open_below(r, c):
                parent[find(here)] = find(here + n_cols)
    spans: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            box = spans.setdefault(find(r * n_cols + c), [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted(Region(*box) for box in spans.values())


def merge_slots(
    xs: Sequence[float], ys: Sequence[float],
    horizontals: Sequence[Segment], verticals: Sequence[Segment], tolerance: float,
) -> list[Region]:
    """Slots of the lattice joined wherever no ruling line separates two
    neighbours: a merged cell comes out as one region with its spans."""
    return join_regions(
        len(ys) - 1, len(xs) - 1,
        lambda r, c: not _covers(verticals, xs[c + 1], ys[r], ys[r + 1], tolerance),
        lambda r, c: not _covers(horizontals, ys[r + 1], xs[c], xs[c + 1], tolerance),
    )


# Punctuation a line may end with, which CJK typesetting hangs past the text's edge
HANGING = frozenset("。，、；：！？）」』”’.,;:!?)")


def assign_glyphs(
    xs: Sequence[float], ys: Sequence[float], regions: Sequence[Region], glyphs: Iterable[Glyph]
) -> tuple[list[list[Glyph]], list[Glyph]]:
    """Each glyph to the region its centre falls in; the rest are outside. A glyph that
    straddles the table's left or right border belongs to the cell it reaches into:
    Chinese typesetting lets punctuation at a line's end hang past the text edge."""
    n_cols = len(xs) - 1
    slot_region: dict[int, int] = {}
    for k, reg in enumerate(regions):
        for r in range(reg.row, reg.last_row + 1):
            for c in range(reg.col, reg.last_col + 1):
                slot_region.setdefault(r * n_cols + c, k)
    inside: list[list[Glyph]] = [[] for _ in regions]
    outside: list[Glyph] = []
    for glyph in glyphs:
        c = bisect.bisect_right(xs, glyph.cx) - 1
        r = bisect.bisect_right(ys, glyph.cy) - 1
        if c == n_cols and glyph.bbox[0] < xs[-1]:
            c = n_cols - 1
        elif c == -1 and glyph.bbox[2] > xs[0]:
            c = 0
        elif 0 < c < n_cols and glyph.text in HANGING and glyph.bbox[0] < xs[c]:
            c -= 1  # a line-end stop hanging past its cell's right rule
        if 0 <= c < n_cols and 0 <= r < len(ys) - 1:
            inside[slot_region[r * n_cols + c]].append(glyph)
        else:
            outside.append(glyph)
    last = {c: slot_region[(len(ys) - 2) * n_cols + c] for c in range(n_cols)}
    taken: set[int] = set()
    for c, run_on in list(ran_on(xs, ys[-1], inside, last, outside)):
        inside[last[c]] += run_on
        taken |= {id(g) for g in run_on}
    return inside, [g for g in outside if id(g) not in taken]


RUN_ON = 0.5  # text within this much of its own height of a rule touches it
PITCH = 1.5  # the most a line's top lies below the top of the line before it (× its height)
SAME_PITCH = 0.2  # lines of one cell are set this close to its one pitch (× their height)


def ran_on(xs: Sequence[float], bottom: float, inside: Sequence[list[Glyph]],
           last: dict[int, int], outside: Sequence[Glyph]) -> Iterator[tuple[int, list[Glyph]]]:
    """Lines of text a cell of the grid's last row ran on with past the bottom rule (a
    row a page break cut, whose text the producer drew on below the table: WeasyPrint),
    as (column, glyphs). Such a line lies within that one column; both it and the
    cell's own text touch the rule (``RUN_ON``), one from below and one from above,
    where a cell's padding keeps its text off its rules; and it stands where the cell's
    next line would: below its last line by the cell's own line pitch (``PITCH`` where
    the cell has one line). A page footer under a table stands further off, and a note
    runs across the columns."""
    below = [g for g in outside if g.cy > bottom and not g.text.isspace()]
    previous: dict[int, tuple[float, float | None]] = {}  # column: its last line's top, pitch
    for line in group_lines(below):
        x0, top = min(g.bbox[0] for g in line), min(g.bbox[1] for g in line)
        x1, height = max(g.bbox[2] for g in line), max(g.bbox[3] - g.bbox[1] for g in line)
        c = bisect.bisect_right(xs, x0) - 1
        if not 0 <= c < len(xs) - 1 or x1 > xs[c + 1]:
            continue
        if c not in previous:
            own = group_lines(g for g in inside[last[c]] if not g.text.isspace())
            if not own or bottom - max(g.bbox[3] for g in own[-1]) > RUN_ON * height \
                    or top - bottom > RUN_ON * height:
                continue
            tops = [min(g.bbox[1] for g in own_line) for own_line in own]
            pitch = tops[-1] - tops[-2] if len(tops) > 1 else None
            previous[c] = (tops[-1], pitch)
        last_top, pitch = previous[c]
        step = top - last_top
        if step <= 0 or (step > PITCH * height if pitch is None
                         else abs(step - pitch) > SAME_PITCH * height):
            continue
        previous[c] = (top, step)
        yield c, line


def text_box(glyphs: Sequence[Glyph]) -> BBox | None:
    """The box around a cell's glyphs (None for a blank cell)."""
    ink = [g.bbox for g in glyphs if not g.text.isspace()]
    if not ink:
        return None
    return (min(b[0] for b in ink), min(b[1] for b in ink), max(b[2] for b in ink),
            max(b[3] for b in ink))


MAX_ALTERNATIVES = 4


SPECKS = ".,'`·、"  # what a speck of dust at a scanned cell's start is read as


def cell_alternatives(glyphs: Sequence[Glyph], scanned: bool = False) -> tuple[str, ...]:
    """The cell's text with one glyph read as one of its alternatives, at most
    ``MAX_ALTERNATIVES`` (one doubt at a time: several at once is a cell to read by eye);
    for a ``scanned`` cell, first its text without a speck read at its start (".", ","
    and "'" there are dust as often as print)."""
    main = cell_text(glyphs)
    out: list[str] = [main.lstrip(SPECKS)] if scanned and main.lstrip(SPECKS) not in ("", main) \
        else []
    for k, glyph in enumerate(glyphs):
        for other in glyph.alternatives:
            text = cell_text([*glyphs[:k], replace(glyph, text=other), *glyphs[k + 1:]])
            if text != main and text not in out:
                out.append(text)
    return tuple(out[:MAX_ALTERNATIVES])


def build_grid(
    xs: Sequence[float], ys: Sequence[float], regions: Sequence[Region], glyphs: Iterable[Glyph],
    page: int, source: Source,
) -> tuple[Grid, list[Glyph]]:
    """A finished ``Grid`` from a lattice and its merged regions, and the glyphs
    that fell outside it. Every grid source ends here, so text is assigned and
    joined the same way whoever found the lines."""
    inside, outside = assign_glyphs(xs, ys, regions, glyphs)
    cells = tuple(
        Cell(row=reg.row, col=reg.col, rowspan=reg.last_row - reg.row + 1,
             colspan=reg.last_col - reg.col + 1, text=cell_text(gl),
             bbox=(xs[reg.col], ys[reg.row], xs[reg.last_col + 1], ys[reg.last_row + 1]),
             page=page, source=source, confidence=min((g.confidence for g in gl), default=1.0),
             text_bbox=text_box(gl), last_line=text_box(last_line(gl)),
             alternatives=cell_alternatives(gl, scanned=source == "ocr"))
        for reg, gl in zip(regions, inside, strict=True)
    )
    return Grid(page=page, bbox=(xs[0], ys[0], xs[-1], ys[-1]), col_edges=tuple(xs),
                row_edges=tuple(ys), cells=cells, source=source), outside


@dataclass
class GridTrace:
    """Every intermediate of one page's grid finding, for drawing and debugging."""

    segments: list[Segment] = field(default_factory=list)
    horizontals: list[Segment] = field(default_factory=list)
    verticals: list[Segment] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    outside: list[Glyph] = field(default_factory=list)


def trace(
    segments: Iterable[Segment], glyphs: Iterable[Glyph], page: int,
    settings: ExtractSettings, source: Source = "text",
) -> GridTrace:
    """Run the whole chain on one page, keeping the intermediates."""
    out = GridTrace(segments=list(segments))
    tol = settings.snap_tolerance
    out.horizontals = join(snap((s for s in out.segments if s.orient == "h"), tol),
                           settings.join_tolerance)
    out.verticals = join(snap((s for s in out.segments if s.orient == "v"), tol),
                         settings.join_tolerance)
    # Spaces come from geometry (a visible gap), not from space glyphs: producers
    # differ on whether they write them, and PDFium and pdfminer differ on reading them.
    remaining = [g for g in glyphs if not g.text.isspace()]
    for hs, vs in connected_tables(out.horizontals, out.verticals, tol):
        hs, vs = close_open_edges(hs, vs, settings.min_cell, tol)
        xs, ys = lattice(hs, vs, settings.min_cell)
        if len(xs) < 2 or len(ys) < 2:
            continue
        regions = merge_slots(xs, ys, hs, vs, tol)
        built, remaining = build_grid(xs, ys, regions, remaining, page, source)
        out.grids.append(built)
    out.outside = remaining
    return out
