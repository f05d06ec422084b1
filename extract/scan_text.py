"""Where the text is: ink blobs → lines → pieces, per cell and outside the grids.

Every length is a multiple of the page's text height ``t`` (extract/scan_lines.py).
A blob at least a quarter ``t`` tall or half ``t`` wide is a *seed*: a character or
a stroke of one ("—" is a seed: wide). Smaller blobs (dots, commas, dust) never
start a line; they are read only when they lie inside a seeded line's crop, so a
decimal point is kept and a speck of dust in an empty cell stays empty.

Seeds of one region are cut into lines where their vertical extents leave a gap,
then lines thinner than one character (the three bars of 三, ≤ over its bar) are
merged with their neighbours while the union stays one character tall. A line is
cut into pieces at horizontal gaps wider than ``piece_gap`` × t (a form's
"填报部门：…  单位：万元" is two pieces, read and placed separately). The multiples are
settings (extract/model.py: TextGeometry, ``g`` below).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from extract.components import components
from extract.model import TextGeometry

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, end exclusive


@dataclass(frozen=True)
class Blob:
    box: Box
    seed: bool = True
    area: int = 0  # its ink pixels: how thin a stroke it is
    faint: bool = False  # found only in the faint ink (a cell's hairline blank)

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass(frozen=True)
class Piece:
    """One run of text to recognise: its ink box, the crop box read, the region it
    belongs to (a cell's index, or -1 outside every grid) and whether its seeds are
    one or two flat strokes (a dash)."""

    ink: Box
    crop: Box
    region: int
    dash: bool = False
    faint: bool = False  # its seeds are only faint ink: a hairline blank mark or nothing
    mark: bool = False  # speck-sized, where a wrapped line's lone 。 stands: a 。 or nothing


def line_height(pieces: Sequence[Piece]) -> float | None:
    """How tall the page's lines of text are, as read: the upper quartile of the ink
    heights of the pieces found (dashes aside; digits are shorter than characters, so
    not the median). None with fewer than five pieces."""
    heights = [p.ink[3] - p.ink[1] for p in pieces if not p.dash]
    return float(np.percentile(heights, 75)) if len(heights) >= 5 else None


def blobs(ink: np.ndarray, t: float, g: TextGeometry) -> list[Blob]:
    """Connected ink blobs, each marked seed or not (see the module docstring);
    single stray pixels are dropped."""
    n, _, stats = components(ink)
    smallest = max(2.0, 0.004 * t * t)
    out = []
    for x, y, w, h, area in stats[1:n]:
        if h > 4 * t or area < smallest:
            continue
        seed = bool(h >= g.seed_height * t or w >= g.seed_width * t)
        out.append(Blob((int(x), int(y), int(x + w), int(y + h)), seed, int(area)))
    return out


def whole(blob: Blob, t: float, g: TextGeometry) -> bool:
    """Large enough one way or the other to be a character (see ``speck``)."""
    x0, y0, x1, y1 = blob.box
    return x1 - x0 >= g.speck * t or y1 - y0 >= g.speck * t


def below_text(found: Sequence[Blob], inked: Sequence[Blob], t: float, g: TextGeometry
               ) -> list[Blob]:
    """The faint blobs of ``found`` wholly below every seed of ``inked`` (a region's ink)
    that may be what a wrapped last line holds: a speck, as a faint seed (it becomes a
    piece only where a wrapped line's 。 stands, ``wrapped_mark``), and a character-sized
    blob holding specks of ink, as a seed (a lone % wrapped under its figure, its thin
    strokes broken by the ink threshold into specks none of which makes a line)."""
    seeds = [b for b in inked if b.seed]
    if not seeds:
        return []
    bottom = max(b.box[3] for b in seeds)
    out = []
    for f in found:
        if not f.seed or f.box[1] < bottom:
            continue
        if not whole(f, t, g):
            out.append(Blob(f.box, True, f.area, faint=True))
        elif any(inside(b.box, f.box) for b in inked if not b.seed):
            out.append(Blob(f.box, True, f.area))
    return out


def inside(inner: Box, outer: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def touches_edge(box: Box, width: int, height: int) -> bool:
    """Does the box reach the image's edge?"""
    return box[0] <= 0 or box[1] <= 0 or box[2] >= width or box[3] >= height


def _runs(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping intervals merged, in order."""
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _squarish(blob: Blob) -> bool:
    """A whole character's shape, not a stroke of one."""
    x0, y0, x1, y1 = blob.box
    return 0.6 <= (x1 - x0) / max(1, y1 - y0) <= 1.6


def _character_height(seeds: Sequence[Blob], t: float) -> float:
    """How tall these seeds' characters are: the median height of the roughly square
    ones (three at least), else the page's text height ``t``. A page of figures (a
    budget) measures ``t`` by its digits, shorter than its ideographs."""
    square = [s.box[3] - s.box[1] for s in seeds if _squarish(s)]
    return float(np.median(square)) if len(square) >= 3 else t


def split_band(band: tuple[int, int], seeds: Sequence[Blob], t: float, g: TextGeometry
               ) -> list[tuple[int, int]]:
    """A band of overlapping seeds cut into lines where it is more than ``two_lines``
    of its own characters tall: tight leading, blur and JPEG noise close the white gap
    between lines (a descender reaching into the next line's ascenders), and a crop of
    two lines reads as garbage. Its characters' height is the median height of its
    roughly square seeds, so one line of large type (a title) is left whole. The cut
    goes through the row that the fewest seeds' ink widths cover, at least half a
    character from either end, and not through most characters; each part is cut again
    while still too tall."""
    a, b = band
    if b - a <= g.two_lines * t:
        return [band]
    inside = [s for s in seeds if a <= s.box[1] and s.box[3] <= b]
    line = _character_height(inside, t)
    if b - a <= g.two_lines * line:
        return [band]
    cover = np.zeros(b - a, dtype=np.float64)
    for s in inside:
        cover[s.box[1] - a:s.box[3] - a] += s.box[2] - s.box[0]
    lo, hi = int(round(0.6 * line)), (b - a) - int(round(0.6 * line))
    if hi <= lo:
        return [band]
    cut = a + lo + int(np.argmin(cover[lo:hi]))
    cut_through = sum(1 for s in inside if s.box[1] < cut < s.box[3] and _squarish(s))
    if cut_through > sum(1 for s in inside if _squarish(s)) / 3:
        return [band]  # through the characters: one line, with something taller beside it
    return split_band((a, cut), seeds, t, g) + split_band((cut, b), seeds, t, g)


def lines_of(blobs: Sequence[Blob], t: float, g: TextGeometry) -> list[list[Blob]]:
    """Blobs of one region as text lines, top to bottom: seeds make the lines, a
    small blob joins the line whose band holds its centre (else it is dropped)."""
    seeds = [b for b in blobs if b.seed]
    bands = [part for band in _runs((b.box[1], b.box[3]) for b in seeds)
             for part in split_band(band, seeds, t, g)]
    # thin bands are strokes of the characters beside them (福's top over the rest of it
    # in a column one character wide), measured by the region's own characters
    line = max(t, _character_height(seeds, t))
    merged: list[tuple[int, int]] = []
    for a, b in bands:
        if merged and b - merged[-1][0] <= g.one_line * line and (
                merged[-1][1] - merged[-1][0] < 0.8 * t or b - a < 0.8 * t):
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    lines: list[list[Blob]] = [[] for _ in merged]
    tops = [a for a, _ in merged]
    slack = 0.15 * t
    for blob in blobs:
        # by its centre: a seed of a band that was cut may reach above the cut
        k = max(0, int(np.searchsorted(tops, blob.cy, side="right")) - 1)
        if k >= len(merged):
            continue
        if not blob.seed and not merged[k][0] - slack <= blob.cy <= merged[k][1] + slack:
            continue
        lines[k].append(blob)
    return [sorted(line, key=lambda b: b.box[0]) for line in lines if line]


def pieces_of(line: Sequence[Blob], t: float, g: TextGeometry) -> list[list[Blob]]:
    """A line cut at wide horizontal gaps."""
    out: list[list[Blob]] = []
    right = 0
    for blob in line:
        if out and blob.box[0] - right <= g.piece_gap * t:
            out[-1].append(blob)
            right = max(right, blob.box[2])
        else:
            out.append([blob])
            right = blob.box[2]
    return out


def bridged(parts: list[list[Blob]], faint: np.ndarray | None, t: float, g: TextGeometry
            ) -> list[list[Blob]]:
    """Pieces of a line joined again where the gap between them holds a point: faint ink
    no larger than a speck, in the line's lower half. A full-width "６４．６" sets its
    point in an em of its own, so the gap from 4 to 6 is as wide as one between two
    pieces; a thin face's point scans fainter than ink, and read apart the two pieces
    made "6 4 6", a figure ten times too large. Only a gap at most one em wider than
    ``piece_gap`` is joined: the point's em is all it adds (a 。 ending a sentence before
    a wider gap stays the first piece's: ``widened``). Without faint ink (outside the
    cells, where a seal's trace is as faint) nothing is joined."""
    if faint is None or len(parts) < 2:
        return parts
    out = [parts[0]]
    for part in parts[1:]:
        a, b = _bounds(out[-1]), _bounds(part)
        if b[0] - a[2] <= (g.piece_gap + 1) * t and \
                holds_point(faint, (a[2], max(a[1], b[1]), b[0], min(a[3], b[3])), t, g):
            out[-1] = out[-1] + part
        else:
            out.append(part)
    return out


def holds_point(faint: np.ndarray, gap: Box, t: float, g: TextGeometry) -> bool:
    """Is there, in the lower half of ``gap`` (between two pieces, over their common
    rows), faint ink that is no larger than a speck each way, and nothing else?"""
    x0, y0, x1, y1 = gap
    if x1 - x0 < 2 or y1 - y0 < 2:
        return False
    band = faint[y0:y1, x0 + 1:x1 - 1]
    ys, xs = np.nonzero(band)
    if not len(xs):
        return False
    width, height = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    return bool(ys.min() >= (y1 - y0) / 2 and width < g.speck * t and height < g.speck * t)


def _bounds(blobs: Sequence[Blob]) -> Box:
    return (min(b.box[0] for b in blobs), min(b.box[1] for b in blobs),
            max(b.box[2] for b in blobs), max(b.box[3] for b in blobs))


def crop_box(ink: Box, limit: Box, t: float, g: TextGeometry) -> Box:
    """The piece's box with a margin, at least one text height tall, inside ``limit``."""
    x0, y0, x1, y1 = ink
    pad = int(round(g.pad * t))
    cy, half = (y0 + y1) / 2, max((y1 - y0) / 2 + pad, 0.5 * t + pad)
    lx0, ly0, lx1, ly1 = limit
    return (max(lx0, x0 - pad), max(ly0, int(cy - half)), min(lx1, x1 + pad),
            min(ly1, int(round(cy + half))))


def is_flat(blob: Blob, t: float, g: TextGeometry) -> bool:
    """A dash's stroke: thin, and at least a hyphen long. Faint ink that fills its box is
    a bar blurred (a 1 px hyphen is a 5 x 3 px grey blob at 250 dpi): its ink over its
    length says how thick it is, not its box (a ring, hollow, is as tall as its box)."""
    x0, y0, x1, y1 = blob.box
    w, h = x1 - x0, y1 - y0
    # so is a long, low blob's (a hairline dash left a pixel askew by deskewing spans
    # three rows, one pixel thick): three times as wide as tall, it is no ring
    long = w >= 3 * h and h <= 0.35 * t
    thick = blob.area / w if blob.area and (blob.faint and blob.area >= 0.75 * w * h or long) else h
    return thick <= 0.2 * t and w >= max(g.dash_lengths[0] * t, 1.5 * thick)


def is_stroke(blob: Blob, t: float, g: TextGeometry) -> bool:
    """One thin straight-ish stroke at least a hyphen long and at most a line tall and a
    half: a dash (flat) or a slash, the marks a blank cell is filled with. Its ink spread
    along its length is no thicker than a dash is tall."""
    x0, y0, x1, y1 = blob.box
    length = float(np.hypot(x1 - x0, y1 - y0))
    return is_flat(blob, t, g) or (
        g.dash_lengths[0] * t <= length <= 1.5 * t and blob.area <= 0.2 * t * length)


def widened(ink: Box, faint: np.ndarray | None, limit: Box, t: float, g: TextGeometry) -> Box:
    """The piece's box grown sideways over the ``faint`` ink that continues it within
    its line (gaps under ``faint_gap`` × t bridged, at most ``hairline`` × t each way, inside
    ``limit``): a serif 一 or 二 at a piece's end is drawn in hairlines that blur to
    grey at 150-200 dpi, fainter than ink, and would be left out of the crop."""
    if faint is None:
        return ink
    x0, y0, x1, y1 = ink
    gap, reach = max(1, int(g.faint_gap * t)), int(g.hairline * t)

    def grow(columns: np.ndarray) -> int:
        """How far, column by column outwards, the faint ink goes on (``columns``: has
        the band ink in each column, nearest first) before a gap wider than ``gap``."""
        edge = blank = 0
        for k, inked in enumerate(columns, start=1):
            if inked:
                edge, blank = k, 0
            else:
                blank += 1
                if blank > gap:
                    break
        return edge

    left = max(limit[0], x0 - reach)
    right = min(limit[2], x1 + reach)
    inked = faint[y0:y1, left:right].any(axis=0)
    return (x0 - grow(inked[:max(0, x0 - left)][::-1]), y0, x1 + grow(inked[x1 - left:]), y1)


MOST_FRAGMENTS = 64  # a region with more blobs than this and no seed is noise, not a character


def near_groups(blobs: Sequence[Blob], gap: float) -> list[list[int]]:
    """The blobs (their indices) in groups, each blob within ``gap`` pixels of another of
    its group, both ways."""
    parent = list(range(len(blobs)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(blobs):
        for j in range(i + 1, len(blobs)):
            b = blobs[j]
            if (max(a.box[0], b.box[0]) - min(a.box[2], b.box[2]) <= gap
                    and max(a.box[1], b.box[1]) - min(a.box[3], b.box[3]) <= gap):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(blobs)):
        groups[root(k)].append(k)
    return list(groups.values())


def faint_characters(found: Sequence[Blob], t: float, g: TextGeometry) -> list[Blob]:
    """The faint blobs of a region, those within ``fragment_gap`` × t of each other as one
    where together they are a character's size (``whole``): a thin face's % at 6.5 pt is
    two faint blobs, its rings with the slash's ends, neither of them character-sized."""
    if len(found) > MOST_FRAGMENTS:
        return list(found)
    out = []
    for members in near_groups(found, g.fragment_gap * t):
        parts = [found[k] for k in members]
        union = Blob(_bounds(parts), any(p.seed for p in parts), sum(p.area for p in parts))
        out += [union] if len(parts) > 1 and whole(union, t, g) else parts
    return out


def fragments_joined(blobs: Sequence[Blob], t: float, g: TextGeometry) -> list[Blob]:
    """The blobs of a region that has no seed, with fragments that lie within
    ``fragment_gap`` × t of each other made seeds where together they are seed-sized: a
    character drawn in strokes lighter than the ink threshold breaks into specks (a Ming
    face's hairline % at 7 pt and 200 dpi is four), and its cell would read as empty. A
    lone speck stays dust, and the piece made still has to pass ``speck``. A lone flat
    stroke a hyphen long is the cell's dash ("-" in a cell of values is its blank)."""
    if any(b.seed for b in blobs) or not blobs or len(blobs) > MOST_FRAGMENTS:
        return list(blobs)
    seeds: set[int] = set()
    for members in near_groups(blobs, g.fragment_gap * t):
        x0, y0, x1, y1 = _bounds([blobs[k] for k in members])
        if len(members) >= 2 and (y1 - y0 >= g.seed_height * t or x1 - x0 >= g.seed_width * t) \
                or len(members) == 1 and is_flat(blobs[members[0]], t, g):
            seeds.update(members)
    return [Blob(b.box, True) if k in seeds else b for k, b in enumerate(blobs)]


RING = 0.5  # text heights: a 。 is under this tall, every figure and character taller


def region_pieces(blobs: Sequence[Blob], region: int, limit: Box, t: float, g: TextGeometry,
                  faint: np.ndarray | None = None) -> list[Piece]:
    """Every piece of text of one region, in reading order; a piece without a seed
    (a lone dot, dust), or smaller than ``speck`` × t each way, is no text."""
    out: list[Piece] = []
    blobs = fragments_joined(blobs, t, g)
    for line in lines_of(blobs, t, g):
        parts = bridged(pieces_of(line, t, g), faint, t, g)
        edges = [_bounds(part) for part in parts]
        taken = limit[0]  # how far the pieces before took the line
        for k, part in enumerate(parts):
            seeds = [b for b in part if b.seed]
            bounds = edges[k]
            w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
            # one flat stroke, or two side by side ("——" may print as two; 二 is two
            # stacked), and nothing else: a dash
            dash = 1 <= len(seeds) <= 2 and all(is_flat(s, t, g) for s in seeds) and (
                len(seeds) == 1 or seeds[0].box[2] <= seeds[1].box[0])
            mark = False
            if seeds and w < g.speck * t and h < g.speck * t and not dash and out:
                # a wrapped line's character whose strokes the ink threshold broke apart (a
                # light Song 7 at 200 dpi: its bar and its stem; a 5's bar and its bowl) is
                # whole in the faint ink; dust is as small there
                grown = faint_extent(bounds, faint, limit)
                if max(grown[2] - grown[0], grown[3] - grown[1]) >= g.speck * t:
                    bounds = edges[k] = grown
            w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
            if not seeds or (w < g.speck * t and h < g.speck * t and not dash):
                # no character is that small all round (a hyphen is flat): a speck, unless it
                # stands where a wrapped line's first character does (a sentence's 。 that a
                # spreadsheet wrapped alone onto the cell's last line)
                mark = bool(seeds) and len(parts) == 1 and bool(wrapped_mark(bounds, out, region, t))
                if not mark:
                    continue
            elif len(parts) == 1 and not dash and h < RING * t and w < 2 * RING * t:
                # a bold 。 a little past speck size, alone where a wrapped line starts, is
                # that mark still (read as 0 on its own): no figure or character is under
                # half a text height tall and that narrow
                mark = bool(wrapped_mark(bounds, out, region, t))
            # it grows over faint ink up to its neighbours in the line, never into them, and
            # faint ink between two pieces (a thin 。) is the first one's
            room = (taken, limit[1],
                    min(limit[2], edges[k + 1][0] if k + 1 < len(edges) else limit[2]), limit[3])
            ink = widened(bounds, faint, room, t, g)
            taken = ink[2]
            out.append(Piece(ink, crop_box(ink, room, t, g), region, dash=dash,
                             faint=all(b.faint for b in seeds), mark=mark))
    return out


def faint_extent(ink: Box, faint: np.ndarray | None, limit: Box) -> Box:
    """The box of the ``faint`` ink connected to ``ink`` (inside ``limit``), ``ink`` itself
    without faint ink."""
    if faint is None:
        return ink
    x0, y0, x1, y1 = limit
    n, labels, stats = components(np.ascontiguousarray(faint[y0:y1, x0:x1]))
    if n < 2:
        return ink
    touched = np.unique(labels[ink[1] - y0:ink[3] - y0, ink[0] - x0:ink[2] - x0])
    boxes = [stats[k] for k in touched if k]
    if not boxes:
        return ink
    return (min(ink[0], *(x0 + b[0] for b in boxes)), min(ink[1], *(y0 + b[1] for b in boxes)),
            max(ink[2], *(x0 + b[0] + b[2] for b in boxes)),
            max(ink[3], *(y0 + b[1] + b[3] for b in boxes)))


def wrapped_mark(speck: Box, before: Sequence[Piece], region: int, t: float) -> bool:
    """Does a speck stand alone where the next line of the region's text starts: under
    the line just read, in the lower half of the em below it (a leading of up to one
    text height between), at its left edge? There a 。 sits; dust falls anywhere. (Its
    top says little: a 。 starts half a text height down its em, 1.2 t under the line
    above in a spreadsheet's loose leading at 200 dpi.)"""
    above = [p for p in before if p.region == region and not p.mark]
    if not above or region < 0:
        return False
    bottom = max(p.ink[3] for p in above)
    left = min(p.ink[0] for p in above)
    # (up to a text height left of the line above: that line may open with a mark whose ink
    # sits in its em's right half, a full-width （ or “)
    return 0 <= speck[1] - bottom and speck[3] - bottom <= 2 * t and -t <= speck[0] - left <= 0.6 * t


def group_by_region(blobs: Iterable[Blob], region_of) -> dict[int, list[Blob]]:
    """Blobs grouped by ``region_of(blob)`` (a region index, -1 outside every grid)."""
    groups: dict[int, list[Blob]] = defaultdict(list)
    for blob in blobs:
        groups[region_of(blob)].append(blob)
    return groups
