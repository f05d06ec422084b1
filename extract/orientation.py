"""Which way up a page is read, and its geometry turned that way.

A page may be displayed turned: a form scanned sideways or fed upside down, or a
born-digital page whose /Rotate turns upright text on its side. Grids are built on the
page as its text stands upright, so every page is read in that frame and records its
``turn``: how many degrees clockwise the displayed page was turned to read it (0, 90,
180, 270). ``show`` turns the page the same way to draw it.

For a text layer the turn is the direction most of the page's characters run in (a
rotated stamp or a sideways margin note is outvoted by the text); the scan path finds
its own (extract/scan_orientation.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from extract.model import BBox, Segment

TURNS = (0, 90, 180, 270)


def turn_of_angle(degrees_ccw: float) -> int:
    """The clockwise turn that makes text running at ``degrees_ccw`` on display (counter-
    clockwise from the x axis, as PDF measures) run left to right."""
    return int(round(degrees_ccw / 90.0)) % 4 * 90


def dominant(turns: Iterable[int]) -> int:
    """The turn most characters need; 0 unless another needs more of them."""
    counts = Counter(turns)
    if not counts:
        return 0
    best, n = counts.most_common(1)[0]
    return best if n > counts.get(0, 0) else 0


def matrix_angle(a: float, b: float) -> float:
    """The counter-clockwise angle, in degrees, of a text matrix's x axis (a, b)."""
    return math.degrees(math.atan2(b, a))


@dataclass(frozen=True)
class Turn:
    """Turning a displayed page of ``width`` × ``height`` (top-left origin, y down)
    clockwise by ``degrees``."""

    degrees: int
    width: float
    height: float

    @property
    def size(self) -> tuple[float, float]:
        """The page's width and height once turned."""
        return (self.height, self.width) if self.degrees in (90, 270) else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        w, h = self.width, self.height
        if self.degrees == 90:
            return h - y, x
        if self.degrees == 180:
            return w - x, h - y
        if self.degrees == 270:
            return y, w - x
        return x, y

    def box(self, box: BBox) -> BBox:
        (ax, ay), (bx, by) = self.point(box[0], box[1]), self.point(box[2], box[3])
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def segment(self, seg: Segment) -> Segment:
        ends = ((seg.start, seg.pos), (seg.end, seg.pos)) if seg.orient == "h" \
            else ((seg.pos, seg.start), (seg.pos, seg.end))
        (ax, ay), (bx, by) = (self.point(x, y) for x, y in ends)
        if abs(ay - by) <= abs(ax - bx):
            return Segment("h", (ay + by) / 2, min(ax, bx), max(ax, bx))
        return Segment("v", (ax + bx) / 2, min(ay, by), max(ay, by))


def turned_reason(reason: str, degrees: int) -> str:
    """The page's reason, saying how it was turned to be read (for ``show``/``check``)."""
    return f"{reason}; read turned {degrees}° clockwise" if degrees else reason
