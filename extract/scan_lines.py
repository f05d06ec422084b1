"""Ruling lines from pixels: flatten, binarise, deskew, then OpenCV morphology.

flatten (divide by the paper, so a shadow or a yellowed sheet is white again) →
binarise → text height (the scale every length below is measured in) → skew from
the long horizontal rules → rotate → opening with long thin kernels keeps only
strokes longer than any character's, one mask per direction → segments.

A short candidate counts as a rule only when both ends meet a rule of the other
direction: the border of a narrow column or a short row always ends on other
borders, while a character's stroke (一, 丨, the bar of ≤) floats inside its cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from extract.components import components
from extract.model import Segment
from extract.raster import PageImage

PAPER = 255
ANCHOR = 8  # a stroke this many text heights long is a rule whatever it meets


def flatten(grey: np.ndarray) -> np.ndarray:
    """The page divided by its paper: the background, estimated by a max filter at
    quarter size (it removes the ink), becomes 255 everywhere, ink keeps its contrast."""
    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    paper = cv2.blur(paper, (9, 9))
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


def binarize(flat: np.ndarray, ink: int) -> np.ndarray:
    """255 where there is ink (darker than ``ink``), 0 on paper."""
    return np.where(flat < ink, np.uint8(255), np.uint8(0))


def text_height(binary: np.ndarray, px_per_pt: float) -> float:
    """Typical character height in pixels: the upper quartile of the heights of
    roughly square blobs between 3 and 40 points (CJK characters and digits;
    rules are far longer, dust far smaller; a spreadsheet fitted to its page prints
    type shrunk to 5 points). 9 points when there is no text."""
    _, _, stats = components(binary)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    square = (h >= 3 * px_per_pt) & (h <= 40 * px_per_pt) & (w >= 0.45 * h) & (w <= 1.6 * h)
    if square.sum() < 5:
        return 9.0 * px_per_pt
    return float(np.percentile(h[square], 75))


def skew_angle(binary: np.ndarray, px_per_pt: float, max_skew: float) -> float:
    """Rotation of the page in degrees (positive: the rules fall to the right),
    from the long horizontal rules; 0 when there are none."""
    # thicken vertically first: a slanted rule then has long horizontal runs
    thick = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    run = max(8, int(12 * px_per_pt))
    opened = cv2.morphologyEx(thick, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    n, labels, stats = components(opened)
    width = binary.shape[1]
    angles, weights = [], []
    for k in range(1, n):
        w = stats[k, cv2.CC_STAT_WIDTH]
        if w < width / 5:
            continue
        x, y, h = stats[k, cv2.CC_STAT_LEFT], stats[k, cv2.CC_STAT_TOP], stats[k, cv2.CC_STAT_HEIGHT]
        if h > w * math.tan(math.radians(max_skew)) + 12:
            continue  # not a line: a block of text or a frame
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == k)
        if len(xs) < 10:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(math.degrees(math.atan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return median if abs(median) <= max_skew else 0.0


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """``image`` turned by ``degrees`` about its centre, paper filling the corners."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=PAPER)


@dataclass(frozen=True)
class Rules:
    """The ruling lines found: a mask per direction (255 on a rule) and the lines
    as boxes ``(x0, y0, x1, y1)`` in pixels."""

    horizontal: np.ndarray
    vertical: np.ndarray
    h_boxes: tuple[tuple[int, int, int, int], ...]
    v_boxes: tuple[tuple[int, int, int, int], ...]


def _candidates(binary: np.ndarray, length: int, horizontal: bool) -> np.ndarray:
    """Strokes at least ``length`` long in one direction; 1-pixel gaps left by
    JPEG or a faint scan are bridged first."""
    bridge = (3, 1) if horizontal else (1, 3)
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
    kernel = (length, 1) if horizontal else (1, length)
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, kernel))


def _boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    n, _, stats = components(mask)
    return [(int(s[0]), int(s[1]), int(s[0] + s[2]), int(s[1] + s[3])) for s in stats[1:n]]


def _on_sheet_edge(box: tuple[int, int, int, int], size: int, horizontal: bool) -> bool:
    """Does a stroke lie along the image's own border? Nothing is printed on a sheet's
    very edge: a dark band there is the edge of the paper or the scanner's shadow of
    it, and taken for a rule it adds a column or row to the table beside it."""
    a, b = (box[1], box[3]) if horizontal else (box[0], box[2])
    return a <= 0 or b >= size


def _meets(mask: np.ndarray, x: int, y: int, reach: int) -> bool:
    h, w = mask.shape
    return bool(mask[max(0, y - reach):min(h, y + reach + 1),
                     max(0, x - reach):min(w, x + reach + 1)].any())


def find_rules(binary: np.ndarray, text_px: float) -> Rules:
    """Horizontal and vertical rules of the (deskewed) page.

    Candidates longer than ``ANCHOR`` text heights are rules outright (the frame
    and the long separators of a table). A shorter candidate is a rule only when
    both its ends meet a rule of the other direction: strokes of neighbouring
    characters that line up ("基本制度" at 200 dpi) end in the middle of a cell; or,
    vertically, when it meets one at one end and lines up with others at both
    (``side_by_side``), or ends where a longer one does (``ending_with_frame``). Where
    the vertical rules end together and no horizontal rule runs, the frame's edge is
    added (``frame_edges``).
    """
    h, w = binary.shape
    long_h = _candidates(binary, max(9, int(2.5 * text_px), w // 60), horizontal=True)
    long_v = _candidates(binary, max(9, int(1.5 * text_px)), horizontal=False)
    reach = max(3, int(0.3 * text_px))
    anchor = ANCHOR * text_px
    h_all = [b for b in _boxes(long_h) if not _on_sheet_edge(b, h, horizontal=True)]
    v_all = [b for b in _boxes(long_v) if not _on_sheet_edge(b, w, horizontal=False)]

    def painted(boxes, source):
        mask = np.zeros_like(binary)
        for x0, y0, x1, y1 in boxes:
            mask[y0:y1, x0:x1] = source[y0:y1, x0:x1]
        return mask

    def keep(boxes, other, horizontal):
        kept, open_ended = [], []
        for x0, y0, x1, y1 in boxes:
            length = (x1 - x0) if horizontal else (y1 - y0)
            if length < anchor:
                ends = ((x0, (y0 + y1) // 2), (x1 - 1, (y0 + y1) // 2)) if horizontal else \
                    (((x0 + x1) // 2, y0), ((x0 + x1) // 2, y1 - 1))
                met = [_meets(other, x, y, reach) for x, y in ends]
                if not all(met):
                    if any(met) and not horizontal:
                        open_ended.append((x0, y0, x1, y1))
                    continue
            kept.append((x0, y0, x1, y1))
        if horizontal:
            return kept
        found = side_by_side(open_ended, reach, text_px)
        return kept + found + ending_with_frame([b for b in open_ended if b not in found], kept,
                                                reach, text_px)

    def longest(boxes, horizontal):
        return [b for b in boxes if ((b[2] - b[0]) if horizontal else (b[3] - b[1])) >= anchor]

    # twice: short rules found the first time anchor short rules of the other direction
    h_mask = painted(longest(h_all, True), long_h)
    v_mask = painted(longest(v_all, False), long_v)
    for _ in range(2):
        h_boxes = keep(h_all, v_mask, True)
        v_boxes = keep(v_all, h_mask, False)
        h_mask, v_mask = painted(h_boxes, long_h), painted(v_boxes, long_v)
    h_boxes += frame_edges(h_boxes, v_boxes, reach)
    return Rules(h_mask, v_mask, tuple(h_boxes), tuple(v_boxes))


FRAME_RULES = 3  # vertical rules ending together that mark a frame's edge


def side_by_side(boxes: list[tuple[int, int, int, int]], reach: int, text_px: float
                 ) -> list[tuple[int, int, int, int]]:
    """Short vertical strokes that meet a rule at one end only, kept where
    ``FRAME_RULES`` or more of them, each taller than two lines of text and far from
    any other, start and end together: the column rules of a table row whose other edge
    the page lacks (the rest of a row a page break cut, printed without its top rule).
    Strokes of characters standing on a rule are no taller than their line, and close
    together."""
    tall = [b for b in boxes if b[3] - b[1] >= 2 * text_px]
    apart = [b for b in tall if not any(o is not b and abs((o[0] + o[2]) - (b[0] + b[2])) < 4 * text_px
                                        for o in tall)]
    return [b for b in apart
            if sum(1 for o in apart if abs(o[1] - b[1]) <= reach and abs(o[3] - b[3]) <= reach)
            >= FRAME_RULES]


def ending_with_frame(boxes: list[tuple[int, int, int, int]], rules: list[tuple[int, int, int, int]],
                      reach: int, text_px: float) -> list[tuple[int, int, int, int]]:
    """Short vertical strokes that meet a rule at one end only, kept where they are taller
    than two lines of text and their other end lies where a longer vertical rule ends
    too: a column rule of a table that a page break cut, open at the foot as the frame
    beside it is (a merged cell goes on overleaf). A character's stroke is no taller than
    its line, and does not end where the frame does."""
    out = []
    for box in boxes:
        if box[3] - box[1] < 2 * text_px:
            continue
        for end in (1, 3):
            if any(r[3] - r[1] > box[3] - box[1] and abs(r[end] - box[end]) <= reach
                   and abs((r[0] + r[2]) - (box[0] + box[2])) >= 4 * text_px for r in rules):
                out.append(box)
                break
    return out


def frame_edges(h_boxes: list[tuple[int, int, int, int]], v_boxes: list[tuple[int, int, int, int]],
                reach: int) -> list[tuple[int, int, int, int]]:
    """Horizontal rules a table's frame must have but the page lost: where ``FRAME_RULES``
    or more vertical rules end together, within ``reach``, the edge they end on, wherever
    no horizontal rule runs there. A faint or broken bottom rule is lost whole; a page
    break that cuts merged cells leaves only their columns open, so a rule covers part of
    the edge and the rest, from column rule to column rule, is added."""
    out = []
    for end in (1, 3):  # the verticals' tops, then their bottoms
        ordered = sorted(v_boxes, key=lambda b: b[end])
        group: list[tuple[int, int, int, int]] = []
        for box in [*ordered, None]:
            if box is not None and (not group or box[end] - group[0][end] <= reach):
                group.append(box)
                continue
            if len(group) >= FRAME_RULES:
                y = int(np.median([b[end] for b in group])) - (end == 3)
                out += [(x0, y - 1, x1, y + 2) for x0, x1 in _open_spans(group, h_boxes, y, reach)]
            group = [box] if box is not None else []
    return out


def _open_spans(group: list[tuple[int, int, int, int]], h_boxes: list[tuple[int, int, int, int]],
                y: int, reach: int) -> list[tuple[int, int]]:
    """The stretches between the column rules of ``group`` that no horizontal rule at
    ``y`` runs along."""
    xs = sorted((b[0] + b[2]) // 2 for b in group)
    on_edge = [h for h in h_boxes if abs((h[1] + h[3]) // 2 - y) <= reach]
    spans: list[tuple[int, int]] = []
    for a, b in zip(xs, xs[1:], strict=False):
        if any(h[0] <= a + reach and h[2] >= b - reach for h in on_edge):
            continue
        if spans and spans[-1][1] == a:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def to_segments(rules: Rules, image: PageImage) -> list[Segment]:
    """The rules as ``Segment``s in points (top-left origin), as the text path gives them."""
    sx, sy = image.scale_x, image.scale_y
    out = [Segment("h", image.top + (y0 + y1) / 2 / sy, image.left + x0 / sx, image.left + x1 / sx)
           for x0, y0, x1, y1 in rules.h_boxes]
    out += [Segment("v", image.left + (x0 + x1) / 2 / sx, image.top + y0 / sy, image.top + y1 / sy)
            for x0, y0, x1, y1 in rules.v_boxes]
    return out
