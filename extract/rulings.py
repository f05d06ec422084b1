"""A text-layer page's drawing objects to ruling-line segments.

Producers draw borders in different ways: Word and LibreOffice stroke lines or
fill thin black rectangles, WPS and Excel also fill every cell with a white
rectangle. Only what a reader would see as a line counts: a white fill is a
background, not a border, and a large filled rectangle is shading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from extract.model import Segment

THIN = 3.0  # points: a filled rectangle thinner than this is drawn as a line
AXIS = 1.0  # points: a line this close to horizontal or vertical counts as one


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    if isinstance(color, (tuple, list)):
        values = [v for v in color if isinstance(v, (int, float))]
        if len(values) == 4:  # CMYK: white is no ink
            return all(v <= 0.05 for v in values)
        return bool(values) and all(v >= 0.95 for v in values)
    return False


def _line(x0: float, top: float, x1: float, bottom: float) -> Segment | None:
    if abs(bottom - top) <= AXIS and x1 - x0 > AXIS:
        return Segment("h", (top + bottom) / 2, x0, x1)
    if abs(x1 - x0) <= AXIS and bottom - top > AXIS:
        return Segment("v", (x0 + x1) / 2, top, bottom)
    return None


def rect_segments(rect: Mapping[str, Any]) -> list[Segment]:
    """A rectangle's visible borders: a thin filled bar is one line; a stroked
    rectangle has four; a white or large fill contributes nothing."""
    x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
    w, h = x1 - x0, bottom - top
    filled = rect.get("fill") and not _is_white(rect.get("non_stroking_color"))
    if filled and min(w, h) <= THIN:
        seg = (Segment("h", (top + bottom) / 2, x0, x1) if w >= h
               else Segment("v", (x0 + x1) / 2, top, bottom))
        return [seg]
    if rect.get("stroke") and not _is_white(rect.get("stroking_color")):
        return [Segment("h", top, x0, x1), Segment("h", bottom, x0, x1),
                Segment("v", x0, top, bottom), Segment("v", x1, top, bottom)]
    return []


def path_segments(obj: Mapping[str, Any]) -> list[Segment]:
    """A stroked line or polyline's axis-aligned pieces."""
    if not obj.get("stroke", True) or _is_white(obj.get("stroking_color")):
        return []
    pts = obj.get("pts") or [(obj["x0"], obj["top"]), (obj["x1"], obj["bottom"])]
    out = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        seg = _line(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        if seg:
            out.append(seg)
    return out


def page_segments(
    lines: Iterable[Mapping[str, Any]], rects: Iterable[Mapping[str, Any]],
    curves: Iterable[Mapping[str, Any]],
) -> list[Segment]:
    """All ruling segments of a page from pdfplumber's line, rect and curve objects."""
    out: list[Segment] = []
    for obj in lines:
        out.extend(path_segments(obj))
    for obj in rects:
        out.extend(rect_segments(obj))
    for obj in curves:
        out.extend(path_segments(obj))
    return out
