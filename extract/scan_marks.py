"""Marks the recogniser confuses, settled by their shape on the page.

The recogniser reads ‰ as % (or "%0"), ≦ as ≤ and back, and sometimes drops a
comparator in front of a number. These marks change a value (1‰ is 0.1%, not
1%), so the ink decides, using where the recogniser put each character (its CTC
frame) to find that character's blobs:

* ‰ is a % with a third ring, close beside its lower ring;
* ≦/≧ have two bars under the angle, ≤/≥ one, </> none; the angle's open side
  says which way it points; most CJK faces draw ≤/≥ with the bar slanted along the
  lower arm (⩽), which makes that arm the heavier (``lower_weight``);
* ink before the first character read that has a comparator's shape is a
  comparator the recogniser dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from extract.components import components
from extract.ocr import Reading

Box = tuple[int, int, int, int]
MERGED_PERMILLE = (1.18, 1.6)  # width over height of a ‰ in one blob; a % is about 0.9
# height of a ‰'s third ring over the %'s: ~0.5 like the %'s own rings (0.57 blurred
# at 150 dpi); a 。 after a % is ~0.3, and in pieces smaller still
RING = (0.38, 0.65)
LOW_TOP = 0.3  # a ring beside a %'s lower one starts this far down the sign, or further
SLASH = 0.75  # a %'s slash spans this much of the sign's height, at least (a ring's arc ~0.6)
RING_REACH = 0.1  # a ring's frame this far past the sign's ink (× its height) is its own
# the faint width of a sign's lowest third over its top third (``lower_spread``): a %
# is as wide below as above (≤ 1.25 in every face, 6.5-12 pt at 200-300 dpi), a ‰'s
# third ring widens it below (≥ 1.44 where the sign is found whole); between, it says
# nothing
SPREAD = (1.25, 1.4)
GAP = 0.3  # parts of one character lie this close (× the line's tallest character)
# ``lower_weight`` of an angle: from the first, a < may be a ⩽ (doubt); from the second,
# it is likelier a ⩽ (the < its doubt). No < of 1,050 rendered reached 1.3 but a
# FangSong > of a thin face at 8 pt; 95% of ⩽ (those with no bar of their own) do.
HEAVIER = (1.15, 1.3)
ANGLE_WIDEST = 1.6  # an angle's width over its height, at most (0.5-1.5 over those renders)
COMPARATORS = {("<", 0): "<", ("<", 1): "≤", ("<", 2): "≦",
               (">", 0): ">", (">", 1): "≥", (">", 2): "≧"}


def boxes(binary: np.ndarray) -> list[Box]:
    if binary.size == 0:
        return []  # an empty crop: the labelling would not return
    n, _, stats = components(binary)
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, area in stats[1:n] if area >= 2]


def spans(reading: Reading, width: int) -> list[tuple[float, float]]:
    """Each character's horizontal extent in the crop: halfway to its neighbours."""
    centres = [p * width for _, _, p in reading.chars]
    out = []
    for k, c in enumerate(centres):
        left = (centres[k - 1] + c) / 2 if k else max(0.0, c - (centres[1] - c) / 2
                                                      if len(centres) > 1 else 0.0)
        right = (c + centres[k + 1]) / 2 if k + 1 < len(centres) else float(width)
        out.append((left, right))
    return out


def within(components: Sequence[Box], lo: float, hi: float) -> list[Box]:
    return [b for b in components if lo <= (b[0] + b[2]) / 2 < hi]


def _union(parts: Sequence[Box]) -> Box:
    return (min(b[0] for b in parts), min(b[1] for b in parts),
            max(b[2] for b in parts), max(b[3] for b in parts))


def columns(components: Sequence[Box]) -> list[Box]:
    """Blobs that overlap horizontally joined into character columns, left to right
    (the rings and the slash of a % are one column). Boxes end exclusive: a blob
    that only touches the next (the "1" before a ‰ at 200 dpi) stays its own."""
    out: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(components):
        if out and x0 < out[-1][2]:
            last = out[-1]
            last[1], last[2], last[3] = min(last[1], y0), max(last[2], x1), max(last[3], y1)
        else:
            out.append([x0, y0, x1, y1])
    return [tuple(c) for c in out]  # type: ignore[misc]


def nearest(cols: Sequence[Box], at: float) -> int | None:
    """The column holding ``at`` (x in the crop), else the closest one."""
    return min(range(len(cols)), key=lambda k: 0 if cols[k][0] <= at < cols[k][2]
               else min(abs(cols[k][0] - at), abs(cols[k][2] - at)), default=None)


@dataclass(frozen=True)
class PercentShape:
    """The ink of a character read as %: its width over its height (a ‰ is a % with a
    second ring beside its lower one, so it is wider) and how many ring-sized parts its
    lower half holds (a % one or none when its ring touches the slash, a ‰ two)."""

    ratio: float
    lower_rings: int
    height: int
    right: int = 0  # where its ink ends (x in the crop)
    slashed: bool = True  # a part of it spans most of its height (``SLASH``): its slash
    spread: float | None = None  # ``lower_spread`` (None: no grey to measure it in)

    @property
    def lopsided(self) -> bool:
        """Is its lowest third much narrower than its top (``SPREAD[0]`` times, the other
        way)? Both signs are at least as wide below as above (a %'s two rings are alike, a
        ‰ adds one below), so such a sign was found in part: its lower ring stood in a
        column the next character took. Its width measures nothing."""
        return self.spread is not None and self.spread * SPREAD[0] < 1

    @property
    def third_ring(self) -> bool | None:
        """Does the sign's own shape show a ‰'s third ring (two lower rings, or its
        lowest third wider than its top: ``SPREAD``)? None where it cannot say."""
        if self.lower_rings >= 2:
            return True
        if self.spread is None or SPREAD[0] < self.spread < SPREAD[1]:
            return None
        return self.spread >= SPREAD[1]

    def whole(self, tallest: int) -> bool:
        """Is the sign found whole enough to measure: as tall as half the line's tallest
        character? (A sign whose slash alone is lost still measures the page: a face
        that loses one loses most, and its signs are the page's reference.)"""
        return self.height >= 0.5 * tallest


def percent_shape(cols: Sequence[Box], at: float, next_at: float | None,
                  prev_at: float | None = None, faint: np.ndarray | None = None
                  ) -> PercentShape | None:
    """The shape of the % whose frame is at ``at`` (x in the crop). Its ink is the
    column there and its close neighbours that no neighbouring character read claims
    (``glyph``): faces draw the rings and the slash touching (one blob) or apart (a Ming
    face's narrow % has its lower ring in a column of its own, a Kai face's ‰ three rings
    side by side). With the crop's ``faint`` ink, its ``lower_spread`` too.

    The "%。" of a sentence end has a ring after it too, but the recogniser reads the 。
    as a character of its own, with its frame on or before the ring, so it is claimed.
    Where the frame falls is what counts, not how near two frames are: in "1‰以" the
    frames of % and 以 can sit closer to the ring than to each other."""
    here = nearest(cols, at)
    if here is None:
        return None
    parts = [cols[k] for k in glyph(cols, here, next_at, prev_at)]
    x0, y0, x1, y1 = _union(parts)
    h = y1 - y0
    lower_rings = [p for p in parts if (p[1] + p[3]) / 2 > y0 + 0.5 * h
                   and RING[0] * h <= p[3] - p[1] <= RING[1] * h
                   and 0.5 <= (p[2] - p[0]) / max(1, p[3] - p[1]) <= 1.6]
    return PercentShape((x1 - x0) / max(h, 1), len(lower_rings), h, x1,
                        any(p[3] - p[1] >= SLASH * h for p in parts),
                        None if faint is None else lower_spread(faint[y0:y1, x0:x1]))


def lower_spread(faint: np.ndarray) -> float | None:
    """How much wider a sign's faint ink is in its lowest third than in its top third.
    A % is drawn with one ring above and one below the slash, so the two are as wide;
    a ‰ has a third ring beside the lower one. Each third's width is its ink's extent,
    and the faint ink is measured because a thin slash end or hairline ring that the
    ink threshold breaks is whole there: measured in the ink, a serif % at 200 dpi
    spreads 1.7 times. Both thirds are of one sign in one print weight, so unlike its
    width over height, the measure needs no other sign to compare with."""
    third = max(1, faint.shape[0] // 3)
    widths = []
    for rows in (faint[:third], faint[-third:]):
        xs = np.flatnonzero(rows.any(axis=0))
        widths.append(int(xs[-1] - xs[0] + 1) if len(xs) else 0)
    return widths[1] / widths[0] if widths[0] else None


@dataclass(frozen=True)
class SignWidths:
    """A page's own signs, as width over height: the median of its % signs (None when
    it has too few) and of its ‰ signs known by their two lower rings (None when none).
    A page of many ‰ and few % must not take a ‰ for its % reference."""

    percent: float | None = None
    permille: float | None = None


def sign_widths(shapes: Sequence[PercentShape], fewest: int) -> SignWidths:
    """The page's ``SignWidths`` from the shapes of its whole signs read as % (a %
    reference from at least ``fewest`` of them). A sign whose lower third is wider than
    its top (``PercentShape.third_ring``) is no % to measure others by: it may be a ‰
    whose rings touch. It is no ‰ to measure by either: a % with a 。 touching it, or
    found only in part, spreads so too; only two lower rings make a ‰ sign. A sign
    found without its lower ring (``PercentShape.lopsided``) is no % to measure by: a
    face whose narrow % stands its lower ring apart loses it often, and those halves
    made one page's % look half as wide as it is, every whole % beside them a ‰ in doubt."""
    percent = [s.ratio for s in shapes if s.third_ring is not True and not s.lopsided]
    permille = [s.ratio for s in shapes if s.lower_rings >= 2]
    return SignWidths(float(np.median(percent)) if len(percent) >= fewest else None,
                      float(np.median(permille)) if permille else None)


def permille_odds(shape: PercentShape, widths: SignWidths, sure: tuple[float, float]
                  ) -> tuple[bool, bool]:
    """(is it a ‰, is that in doubt). Two ring-sized parts in the lower half make a ‰.
    Otherwise width decides (``_by_width``) and the sign's own lower spread
    (``PercentShape.third_ring``) checks it: the two measures share nothing (one compares
    the sign with others, the other its lower third with its top), so where they
    disagree it is doubt. Where they agree on a ‰, width's own doubt stands (a 。
    touching a % widens its lower third as a third ring does); where they agree on a %
    that the page's % signs do not prove a ‰, it is a % (a wide face's %, or one a
    little wider than the page's: on seeds 934000-934039, a third of the doubts on right
    % signs, and no ‰ among them)."""
    if shape.lower_rings >= 2:
        return True, False
    permille, doubt = _by_width(shape, widths, sure)
    ring = shape.third_ring
    if ring is False and not shape.lopsided and not permille and widths.percent \
            and shape.ratio < sure[1] * widths.percent:
        # width leans to a % (short of a sure ‰ against the page's own %) and the sign's
        # own thirds say % too: two measures that share nothing agree, so it is sure. A ‰
        # found whole spreads at least SPREAD[1]; one that lost its third ring to a faint
        # scan lost it from its width as well, and is as narrow as the page's %
        return False, False
    return permille, doubt or (ring is not None and ring != permille)


def _by_width(shape: PercentShape, widths: SignWidths, sure: tuple[float, float]
              ) -> tuple[bool, bool]:
    """(is it a ‰, is that in doubt) by the sign's width. Width speaks twice: against
    any %, as ``MERGED_PERMILLE`` (width over height) says, and against
    ``widths.percent``, the width ratio of the page's own %
    signs (same face, same resolution; None when the page has too few). A sign as wide as
    the page's ‰ signs known by their rings is a ‰ too; without % signs to compare with,
    those ‰ signs are the measure. Where the two agree it
    is sure; where they disagree, or only one can be asked, it is doubt: no face's % is
    known for certain, and some faces' % are as wide as others' ‰. Against the page, a
    sign up to ``sure[0]`` times as wide as its % signs is a %, from ``sure[1]`` times a
    ‰ (OCRSettings.permille_sure). On the tuning scans (11 faces, 150-300 dpi) ‰ signs
    were 1.12-1.64 times as wide as the same face's % signs (one of 34 under 1.15), while
    across faces the ratios of % and ‰ overlap; a lower bound flags more right % signs
    (1.1 put 12% of them in doubt)."""
    wide = MERGED_PERMILLE[0] <= shape.ratio <= MERGED_PERMILLE[1]
    relative = shape.ratio / widths.percent if widths.percent else None
    if widths.permille:
        # as wide as the page's ‰ signs: a ‰ whose lower rings touch (sure where width
        # says so too); with no % signs to compare with, narrower by a ‰'s margin over a %
        # is a %, and between the two, doubt
        narrower = widths.permille / shape.ratio
        if narrower <= sure[0]:
            return True, not (wide or (relative is not None and relative >= sure[1]))
        if relative is None:
            return (False, wide) if narrower >= sure[1] else (wide, True)
    if wide:
        if relative is None:
            return True, True
        if relative >= sure[1]:
            return True, False
        return relative > sure[0], True  # as wide as the page's % signs: a wide face's %
    return False, relative is not None and relative >= sure[0]


def is_permille(cols: Sequence[Box], at: float, next_at: float | None, sure: tuple[float, float],
                prev_at: float | None = None, widths: SignWidths = SignWidths()) -> bool:
    """Is the % at ``at`` a ‰ (the likelier answer, doubt aside)?"""
    shape = percent_shape(cols, at, next_at, prev_at)
    return shape is not None and permille_odds(shape, widths, sure)[0]


def glyph(cols: Sequence[Box], here: int, next_at: float | None, prev_at: float | None
          ) -> list[int]:
    """The columns of the character at column ``here``: it and its neighbours within
    ``GAP`` of the line's tallest character, up to a column the next character read
    claims (``_claimed``) or, rightwards, one that cannot be a lower ring (``_low``) or,
    leftwards, the column the previous character's frame is on or a column nearer that
    frame than this column (without that frame, no column to the left is taken). A
    character read alone takes every column near it in the rows of those taken, up to a
    ‰'s width."""
    height = max(c[3] - c[1] for c in cols)
    if next_at is None and prev_at is None:
        # a character read alone (a % in a unit cell) owns every column near it: nothing
        # else read claims any, and a thin sign whose slash broke stands in pieces (a
        # Ming % at 6.5 pt: a ring on each side of a stub, none half the sign's height),
        # each piece beside the rows of those found before it: a speck above or below
        # them (a rule's end left in the cell's corner) is no piece of the sign
        lo = hi = here
        top, bottom = cols[here][1], cols[here][3]

        def piece(k: int, beside: int) -> bool:
            # beside the pieces taken, in their rows, and no wider together than a ‰ in
            # one blob (MERGED_PERMILLE): a run of ink past that is more than one sign
            near = cols[max(k, beside)][0] - cols[min(k, beside)][2] <= GAP * height
            x0, x1 = min(cols[lo][0], cols[k][0]), max(cols[hi][2], cols[k][2])
            return near and cols[k][1] < bottom and cols[k][3] > top \
                and x1 - x0 <= MERGED_PERMILLE[1] * (max(bottom, cols[k][3]) - min(top, cols[k][1]))

        while (k := lo - 1 if lo and piece(lo - 1, lo) else
               hi + 1 if hi + 1 < len(cols) and piece(hi + 1, hi) else None) is not None:
            lo, hi = min(lo, k), max(hi, k)
            top, bottom = min(top, cols[k][1]), max(bottom, cols[k][3])
        return list(range(lo, hi + 1))
    out = [here]
    k = here
    while k + 1 < len(cols) and cols[k + 1][0] - cols[k][2] <= GAP * height \
            and _low(cols[k + 1], cols[here]) \
            and not _claimed(cols, k + 1, next_at, cols[here][3] - cols[here][1]):
        k += 1
        out.append(k)
    k = here
    mine = nearest(cols, prev_at) if prev_at is not None else here
    at = (cols[here][0] + cols[here][2]) / 2
    while prev_at is not None and k - 1 >= 0 and k - 1 != mine \
            and cols[k][0] - cols[k - 1][2] <= GAP * height \
            and not _nearer(cols[k - 1], prev_at, at):
        k -= 1
        out.insert(0, k)
    return out


def _low(col: Box, sign: Box) -> bool:
    """Can the column be a ring beside the sign's lower one (a ‰'s third, a narrow %'s
    own)? It lies in the sign's lower half, as tall as the sign's own lower ring at most
    (a sans face's reaches up to a third of the sign's height, ``LOW_TOP``); the first
    stroke of the next character (以's 丨 in a Kai face, close after the %) starts near
    the line's top. (By shape the two cannot be told: a FangSong ring is as narrow an
    upright oval.)"""
    h = sign[3] - sign[1]
    return col[1] >= sign[1] + LOW_TOP * h and col[1] + col[3] > 2 * sign[1] + h


def _nearer(col: Box, prev_at: float, at: float) -> bool:
    """Is the column nearer the previous character's frame than this character? Then it
    is a stroke of that character drawn apart (a serif 3 in two blobs side by side)."""
    centre = (col[0] + col[2]) / 2
    return abs(centre - prev_at) < abs(centre - at)


def _claimed(cols: Sequence[Box], ring: int, next_at: float | None, h: int) -> bool:
    """Is the ring the next character read? Its frame falls on the ring's column,
    or left of the ring's right edge (a frame a step early still lands there)."""
    if next_at is None:
        return False
    return next_at < cols[ring][2] + 0.1 * h or nearest(cols, next_at) == ring


def bar_count(grey: np.ndarray, bar: Box) -> int:
    """1 or 2: the two bars of ≦ blur into one blob in small type, but across the
    blob the grey still shows two dark rows with a lighter one between."""
    x0, y0, x1, y1 = bar
    inner = grey[max(0, y0 - 1):y1 + 1, x0 + (x1 - x0) // 5:x1 - (x1 - x0) // 5]
    if inner.size == 0 or inner.shape[0] < 3:
        return 1
    dark = 255.0 - inner.mean(axis=1)
    peaks = [k for k in range(1, len(dark) - 1)
             if dark[k] >= dark[k - 1] and dark[k] > dark[k + 1] and dark[k] >= 0.5 * dark.max()]
    if len(peaks) < 2:
        return 1
    a, b = peaks[0], peaks[-1]
    return 2 if dark[a:b + 1].min() < 0.8 * min(dark[a], dark[b]) else 1


def comparator(binary: np.ndarray, parts: Sequence[Box], grey: np.ndarray | None = None,
               pieces: bool = False) -> str | None:
    """<, ≤, ≦, >, ≥ or ≧ when the blobs have that shape, else None. With ``pieces`` (a
    mark the recogniser read as a comparator) the angle may be in pieces (``_in_pieces``)."""
    if not parts:
        return None
    split = _split(parts)
    if split is None and pieces:
        split = _in_pieces(parts)
    if split is None:
        return None
    angle, bars = split
    ax0, ay0, ax1, ay1 = angle
    aw, ah = ax1 - ax0, ay1 - ay0
    if aw < 3 or ah < 3 or not 0.4 <= aw / ah <= 2.5:
        return None
    count = len(bars)
    if count == 1 and grey is not None:
        count = bar_count(grey, bars[0])
    ink = binary[ay0:ay1, ax0:ax1] > 0
    # a bar that touches the angle's lower arm is part of the angle's blob: then the
    # blob's bottom rows are dark all across, where an arm alone ends in a point
    full = ink.mean(axis=1) > 0.7
    # the band ends at the blob's last full row; a row or two below it, not full, are the
    # bar's ragged lower edge (noise along it), not the angle's
    end = next((k for k in range(len(full), max(0, len(full) - 3), -1) if full[k - 1]), None)
    top, apart = _bar_band(ink[:end], full[:end]) if end else (None, 1)
    if count < 2 and full[-max(2, ah // 4):].any():  # a speck may hang below it
        # the blob's own bars, one or two: two where lighter rows part them in the ink,
        # else the grey across them tells (``bar_count``)
        if top is not None and not bars:
            count += max(apart, bar_count(grey, (ax0, ay0 + top, ax1, ay1)) if grey is not None else 1)
        else:
            count += 1
    body = ink[:top] if top is not None else ink[~full] if (~full).any() else ink
    fifth = max(2, aw // 5)  # two columns at least: a 9 px wide angle at 200 dpi
    left_rows = np.nonzero(body[:, :fifth].any(axis=1))[0]
    right_rows = np.nonzero(body[:, -fifth:].any(axis=1))[0]
    if len(left_rows) == 0 or len(right_rows) == 0:
        return None
    spread_left, spread_right = np.ptp(left_rows), np.ptp(right_rows)
    # an angle is closed on one side (a point) and open on the other (two arms)
    if spread_left < 0.45 * ah <= spread_right:
        return COMPARATORS[("<", count)]
    if spread_right < 0.45 * ah <= spread_left:
        return COMPARATORS[(">", count)]
    return None


def lower_weight(grey: np.ndarray, sign: Box, points_left: bool) -> float | None:
    """The ink of an angle's lower half over its upper half's, in the columns between
    its point and its open end. A < is drawn symmetric about its point (0.84-1.15 over
    11 faces, 6.5-12 pt, 150-300 dpi, blurred as scanners do); most CJK faces draw ≤ as
    ⩽, the bar slanted beside the lower arm and touching it at small sizes, so no bar
    of its own is found, but the lower half carries two strokes (1.19-2.5, median 1.7)."""
    x0, y0, x1, y1 = sign
    w, h = x1 - x0, y1 - y0
    if w < 4 or h < 6 or w > ANGLE_WIDEST * h:
        return None  # not an angle alone (a digit touching it, a speck above it)
    span = slice(int(0.3 * w), int(0.9 * w) + 1) if points_left else slice(int(0.1 * w), int(0.7 * w) + 1)
    dark = 255.0 - grey[y0:y1, x0:x1][:, span].astype(np.float32)
    upper = dark[:h // 2].sum()
    return float(dark[h - h // 2:].sum() / upper) if upper > 0 else None


def _column_parts(ink: CropInk, at: float) -> list[Box]:
    """The blobs of the character column at ``at``: all of a mark wider than the frames
    give it (a ≧ before narrow digits reaches past halfway to the next frame)."""
    k = nearest(ink.cols, at)
    if k is None:
        return []
    x0, _, x1, _ = ink.cols[k]
    return [p for p in ink.parts if x0 <= p[0] and p[2] <= x1]


def _two_bars(read: str, parts: Sequence[Box]) -> str | None:
    """≦ or ≧ for a ≤ or ≥ read over two bars, where the angle above them is in pieces too
    small to say which way it points: the recogniser's direction, the ink's bars."""
    split = _in_pieces(parts) if read in ("≤", "≥") and parts else None
    return {"≤": "≦", "≥": "≧"}[read] if split is not None and len(split[1]) == 2 else None


def _split(parts: Sequence[Box]) -> tuple[Box, list[Box]] | None:
    """The angle (the largest blob) and the bars under it, when every other blob is a
    bar: flat and about as wide as the angle; two bars blurred into one blob are taller,
    but still at least twice as wide as tall."""
    angle = max(parts, key=lambda b: (b[3] - b[1]) * (b[2] - b[0]))
    ax0, ay0, ax1, ay1 = angle
    aw, ah = ax1 - ax0, ay1 - ay0
    bars = [b for b in parts if b is not angle and b[1] >= (ay0 + ay1) / 2
            and (b[2] - b[0]) >= 0.5 * aw
            and ((b[3] - b[1]) <= 0.45 * ah
                 or (b[3] - b[1]) <= 0.7 * ah and (b[2] - b[0]) >= 2 * (b[3] - b[1]))]
    if len(bars) + 1 != len(parts) or len(bars) > 2:
        return None
    return angle, bars


def _in_pieces(parts: Sequence[Box]) -> tuple[Box, list[Box]] | None:
    """The angle and bars of a mark whose thin angle broke into pieces (a serif ≧ at
    250 dpi: four specks over two 1 px bars): the bars are the flat blobs as wide as
    half the mark or more, in its lower half and below everything else; the angle is
    the rest, together."""
    x0, y0, x1, y1 = _union(parts)
    bars = [b for b in parts if (b[2] - b[0]) >= 0.5 * (x1 - x0)
            and (b[2] - b[0]) >= 2 * (b[3] - b[1]) and b[1] + b[3] > y0 + y1]
    rest = [b for b in parts if b not in bars]
    if not rest or not 1 <= len(bars) <= 2 or min(b[1] for b in bars) < max(b[3] for b in rest):
        return None
    return _union(rest), bars


def _bar_band(ink: np.ndarray, full: np.ndarray) -> tuple[int, int]:
    """The first row of the bars the angle's blob ends in (its bottom rows dark all across),
    and how many bars the ink shows there apart (1, or 2 where lighter rows part them),
    with the rows just above them that reach both ends: a bar's blurred upper edge, whose
    ink at the angle's point side would look like a second arm there. A row dark at one
    end only is the lower arm coming down to the bar (a bold face's arm darkens a third
    of the row and more, so how dark a row is cannot tell the two)."""
    k = _full_rows_from(len(full), full)
    # two bars a speck joined to the angle's blob (a Kai ≧ at 150 dpi): full rows with a
    # lighter row or two between them, all in the blob's lower half, are both bars
    gap = next((g for g in (1, 2) if k - g > len(full) // 2 and full[k - g - 1]
                and not full[k - g:k].any()), None)
    if gap and _full_rows_from(k - gap, full) >= len(full) // 2:
        k = _full_rows_from(k - gap, full)
    else:
        gap = None
    side = max(1, ink.shape[1] // 5)  # the columns at either end
    while k > 0 and ink[k - 1].mean() > 0.3 and ink[k - 1, :side].any() and ink[k - 1, -side:].any():
        k -= 1
    return max(k, 1), 2 if gap else 1


def _full_rows_from(k: int, full: np.ndarray) -> int:
    """The first row of the run of full rows that ends just before row ``k``."""
    while k > 0 and full[k - 1]:
        k -= 1
    return k


def slant(binary: np.ndarray, box: Box) -> str | None:
    """"/" or "\\" when the ink in ``box`` is one straight stroke leaning at least
    ``LEAN`` (sideways over height, by least squares, its points lying close to that
    line), else None: an upright stroke, or not one stroke."""
    x0, y0, x1, y1 = box
    ys, xs = np.nonzero(binary[y0:y1, x0:x1])
    if len(xs) < 4:
        return None
    dy, dx = ys - ys.mean(), xs - xs.mean()
    vy, vx, cov = (dy * dy).mean(), (dx * dx).mean(), (dx * dy).mean()
    if vy == 0 or vx == 0 or cov * cov < 0.6 * vx * vy:
        return None
    lean = cov / vy
    return "/" if lean <= -LEAN else "\\" if lean >= LEAN else None


def shows(mark: str, ink: CropInk) -> bool:
    """Does the crop's ink alone show ``mark``, a lone mark the recogniser is seldom sure
    of (one stroke, two): "/" one straight stroke leaning right, "=" two flat bars of
    one width, one over the other, and nothing else; a comparator with its bars whose
    shape (``comparator``) is the mark read."""
    if mark not in ("/", "=", "≤", "≥", "≦", "≧"):
        return False  # most readings: their crop is not labelled for nothing
    parts = ink.parts
    if mark == "/" and parts:
        stroke = max(parts, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        return len(parts) == 1 and slant(ink.binary, stroke) == "/"
    if mark in ("≤", "≥", "≦", "≧") and parts:
        # only a mark with its bars: that a < or > has none, its ink cannot prove (a bar
        # lost to a faint scan)
        return comparator(ink.binary, parts, ink.grey) == mark
    if mark == "=" and len(parts) == 2:
        (a, b) = sorted(parts, key=lambda p: p[1])
        width = min(a[2] - a[0], b[2] - b[0])
        return (all(p[2] - p[0] >= 2.5 * (p[3] - p[1]) for p in parts)
                and width >= 0.75 * max(a[2] - a[0], b[2] - b[0])
                and min(a[2], b[2]) - max(a[0], b[0]) >= 0.75 * width
                and 0 < b[1] - a[3] <= width)
    return False


@dataclass(frozen=True)
class Settled:
    """A reading's text with its marks settled by the ink, and the texts it would have
    had where the ink left doubt (a ‰ whose width is between a %'s and a ‰'s, a
    comparator seen before a bare value that may be dust)."""

    text: str
    alternatives: tuple[str, ...] = ()
    seen: bool = False  # a lone mark whose ink alone shows it (``shows``): proof enough


class CropInk:
    """The crop a reading came from: its ink (``binary``, ink 255) and ``grey`` (paper
    255), with its blobs and their columns labelled once, when first asked for, however
    many readings of the crop (its runner-ups) are settled against it. ``faint``:
    OCRSettings.faint, the grey a hairline may be."""

    def __init__(self, binary: np.ndarray, grey: np.ndarray | None = None,
                 faint: int | None = None) -> None:
        self.binary, self.grey, self.threshold = binary, grey, faint

    @cached_property
    def faint(self) -> np.ndarray | None:
        """Pixels that may be ink (darker than the faint threshold; None without grey)."""
        if self.grey is None or self.threshold is None:
            return None
        return self.grey < self.threshold

    @cached_property
    def parts(self) -> list[Box]:
        return boxes(self.binary)

    @cached_property
    def cols(self) -> list[Box]:
        return columns(self.parts)


def _percents(reading: Reading, ink: CropInk) -> Iterator[tuple[int, PercentShape]]:
    """Each % of the reading (not a "%0", which fix_text reads as ‰) with its shape. A
    ring read right after the sign, on or close to its ink, may be a 。 touching its
    lower ring, so the sign's lower spread says nothing there."""
    width = ink.binary.shape[1]
    centres = [p * width for _, _, p in reading.chars]
    chars = [c for c, _, _ in reading.chars]
    for k, ch in enumerate(chars):
        if ch != "%" or (k + 1 < len(chars) and chars[k + 1] in "0oO○〇"):
            continue
        next_at = centres[k + 1] if k + 1 < len(chars) else None
        shape = percent_shape(ink.cols, centres[k], next_at, centres[k - 1] if k else None,
                              ink.faint)
        if shape is None:
            continue
        if next_at is not None and chars[k + 1] in RINGS \
                and next_at <= shape.right + RING_REACH * shape.height:
            shape = replace(shape, spread=None)
        yield k, shape


def whole_signs(reading: Reading, ink: CropInk) -> list[PercentShape]:
    """The shapes of the reading's % signs that are whole (at least half as tall as the
    line's tallest character: a sign read in pieces says nothing of its width)."""
    if "%" not in reading.text or not ink.cols:
        return []
    tallest = max(c[3] - c[1] for c in ink.cols)
    return [shape for _, shape in _percents(reading, ink) if shape.whole(tallest)]


def leading(ink: CropInk, start: float, frame: float) -> list[Box]:
    """The blobs before ``start`` (where the first character read begins) that are not
    part of it: whole columns left of it, and left of the column its ``frame`` falls in.
    A blob that shares a column with the first character is one of its strokes (a serif
    2's ball terminal is a blob of its own, and left of where the frames put the 2), and
    the column holding the frame is that character, however far right of its middle the
    frame falls (a 5 whose frame was right of its middle was taken for a ≤ before it)."""
    own = nearest(ink.cols, frame)
    lead = [c for k, c in enumerate(ink.cols) if (c[0] + c[2]) / 2 < start and (own is None or k < own)]
    return [p for p in ink.parts if any(c[0] <= p[0] and p[2] <= c[2] for c in lead)]


def settle(reading: Reading, ink: CropInk, widths: SignWidths,
           sure: tuple[float, float]) -> Settled:
    """The reading's text with ‰ and comparators decided by the ``ink`` of its crop,
    ‰ against the page's own signs' ``widths`` (``permille_odds``). The recogniser never reads
    ‰ (it reads "%0", or "%"), so its "%" says nothing against a ‰ the ink shows. A
    comparator shape only ever adds what the recogniser missed (a bar), never takes away
    what it read: at small sizes bars touch, so a missing part proves nothing."""
    if not reading.chars:
        return Settled(reading.text)
    if reading.text.strip() in UPRIGHTS:
        # one stroke read as 1 or l: the recogniser sees a short slash as a 1, the ink's
        # lean tells them apart (a 1's flag and foot do not tilt its stroke); a hairline
        # slash the ink threshold broke into specks, or left none of, leans whole in the
        # faint ink (only then: beside a whole upright stroke, faint ink is a crease's)
        stroke = _largest(ink.parts) if ink.parts else None
        lean = slant(ink.binary, stroke) if stroke else None
        if lean is None and ink.faint is not None \
                and (stroke is None or stroke[3] - stroke[1] < 0.5 * ink.binary.shape[0]):
            faint = ink.faint.astype(np.uint8) * 255
            lean = slant(faint, _largest(found)) if (found := boxes(faint)) else None
        if lean is not None:
            return Settled(lean, (reading.text,))
    if shows(reading.text.strip(), ink):
        return Settled(reading.text, seen=True)
    if _unnamed(reading.text.strip()) and ink.parts:
        # a lone mark the recogniser named as a letter or a sign it is not (a ≦ wrapped alone
        # onto its line read "M"): where its ink is an angle over one or two bars of their
        # own, the comparator it shows, as a comparator read so is (``shows``); a bar run
        # into the angle proves nothing here (a Z, an L is one stroke ending in a bar)
        split = _split(ink.parts)
        shape = comparator(ink.binary, ink.parts, ink.grey) if split and split[1] else None
        if shape is not None and RANK[shape] > 0:
            return Settled(shape, (reading.text,), seen=True)
    if reading.text.strip() == "二" and shows("=", ink):
        # two equal bars read as the ideograph of their shape (二's upper bar is the
        # shorter): an = by its ink, 二 kept as what else it may say
        return Settled("=", ("二",), seen=True)
    bare_value = reading.chars[0][0].isdigit() and _VALUE.match(reading.text)
    if not bare_value and not any(ch in "%<>≤≥≦≧" for ch, _, _ in reading.chars):
        return Settled(reading.text)  # nothing a shape could settle (most prose): no labelling
    binary, grey, parts = ink.binary, ink.grey, ink.parts
    extents = spans(reading, binary.shape[1])
    centres = [p * binary.shape[1] for _, _, p in reading.chars]
    chars = [c for c, _, _ in reading.chars]
    doubts: list[int] = []
    rings: set[int] = set()  # the signs that took the ring read after them as their own
    tallest = max((c[3] - c[1] for c in ink.cols), default=0)
    for k, shape in _percents(reading, ink):
        # a sign found in pieces (its column a fragment of the line's height) says nothing
        # of its width: the recogniser's % is then as good as a ‰
        permille, doubt = permille_odds(shape, widths, sure) if shape.whole(tallest) \
            else (False, True)
        # a thin serif % whose slash the scan lost is four arcs side by side, as wide as
        # a ‰: its width is the likelier answer still, but no proof
        doubt = doubt or not shape.slashed
        chars[k] = "‰" if permille else "%"
        if doubt:
            doubts.append(k)
        # a ‰ whose rings touch may be read as "%。": a ring read after the sign whose
        # frame falls on the sign's own ink (no column of its own) is that sign's ring;
        # a frame past the sign's ink is a 。 of its own, however faint (one pixel at
        # 250 dpi, no column at all)
        # (the recogniser read a ring there: unless the sign's own two lower rings show
        # it a ‰, that ring may as well be a 。 touching a %, which at 200 dpi looks the
        # same, so either reading is doubt)
        if k + 1 < len(chars) and chars[k + 1] in RINGS \
                and ink.cols[nearest(ink.cols, centres[k + 1])][0] < shape.right \
                and centres[k + 1] <= shape.right + RING_REACH * shape.height:
            rings.add(k)
            chars[k + 1] = ""
            if (not permille or shape.lower_rings < 2) and k not in doubts:
                doubts.append(k)
    slanted: list[tuple[int, str]] = []  # a < or > whose ink may hold a slanted bar
    for k, ch in enumerate(chars):
        if ch and ch in "<>≤≥≦≧":
            column = _column_parts(ink, centres[k])
            shape = comparator(binary, within(parts, *extents[k]), grey) \
                or comparator(binary, column, grey, pieces=True) or _two_bars(ch, column)
            if shape is not None and RANK[shape] > RANK[ch] and shape in SAME_WAY[ch]:
                chars[k] = shape
            elif RANK[ch] == 0 and column and grey is not None:
                # the recogniser's < against the ink's ⩽: the likelier is the reading, the
                # other its doubt, as neither is proof
                weight = lower_weight(grey, _union(column), ch == "<")
                if weight is not None and weight >= HEAVIER[0]:
                    other = SLANTED[ch]
                    if weight >= HEAVIER[1]:
                        chars[k], other = other, ch
                    slanted.append((k, other))
    alternatives = [_swapped(chars, k, k in rings) for k in doubts]
    alternatives += ["".join(other if j == k else c for j, c in enumerate(chars)) for k, other in slanted]
    if bare_value:
        # a comparator is drawn about as tall as the digits after it; a speck left of
        # the first digit has an angle's shape at a few pixels, but not its size
        before = leading(ink, extents[0][0], centres[0])
        if not any(p[3] - p[1] >= MARK_HEIGHT * tallest for p in before):
            before = []
        shape = comparator(binary, before, grey) if before else None
        if shape is not None:
            alternatives = ["".join(chars), *(shape + a for a in alternatives)]
            chars.insert(0, shape)
    return Settled("".join(chars), tuple(alternatives))


def _largest(parts: Sequence[Box]) -> Box:
    return max(parts, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def _unnamed(text: str) -> bool:
    """A lone character that is no ideograph, digit or comparator: what the recogniser
    reads a mark it has no name for as (a Latin letter, a sign)."""
    return len(text) == 1 and not text.isdigit() and text not in RANK and not "\u4e00" <= text <= "\u9fff"


def _swapped(chars: Sequence[str], k: int, ringed: bool) -> str:
    """The text with the sign at ``k`` read the other way: a % as a ‰, a ‰ as a %, and
    as "%。" where it took the ring read after it (``ringed``)."""
    other = {"%": "‰", "‰": "%。" if ringed else "%"}[chars[k]]
    return "".join(other if j == k else c for j, c in enumerate(chars))


UPRIGHTS = ("1", "l", "I", "|")  # what the recogniser reads a lone upright stroke as
LEAN = 0.25  # a slash's stroke moves this far sideways per unit of height, at least
RINGS = "。oO0○〇°"  # what the recogniser reads a lone ring as
MARK_HEIGHT = 0.35  # the least height of a comparator's angle, in the line's tallest column
_VALUE = re.compile(r"^(?!.*\.\D)\d[\d.,]*\s*[%‰]?[^\d\s]{0,6}$")  # a bare value, not "2. 对个人"
RANK = {"<": 0, ">": 0, "≤": 1, "≥": 1, "≦": 2, "≧": 2}
SLANTED = {"<": "≤", ">": "≥"}
SAME_WAY = {c: ("<≤≦" if c in "<≤≦" else ">≥≧") for c in RANK}
