"""Marks the recogniser confuses, settled by their shape on the page.

The recogniser reads ‰ as % (or "%0"), ≦ as ≤ and back, and sometimes drops a
comparator in front of a number. These marks change a value (1‰ is 0.1%, not
1%), so the ink decides, using where the recogniser put each character (its CTC
frame) to find that character's blobs:

* ‰ is a % with a third ring, close beside its lower ring;
* ≦/≧ have two bars under the angle, ≤/≥ one, </> none; the angle's open side
  says which way it points;
* ink before the first character read that has a comparator's shape is a
  comparator the recogniser dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import cv2
import numpy as np

from extract.ocr import Reading

Box = tuple[int, int, int, int]
MERGED_PERMILLE = (1.18, 1.6)  # width over height of a ‰ in one blob; a % is about 0.9
# height of a ‰'s third ring over the %'s: ~0.5 like the %'s own rings (0.57 blurred
# at 150 dpi); a 。 after a % is ~0.3, and in pieces smaller still
RING = (0.38, 0.65)
COMPARATORS = {("<", 0): "<", ("<", 1): "≤", ("<", 2): "≦",
               (">", 0): ">", (">", 1): "≥", (">", 2): "≧"}


def boxes(binary: np.ndarray) -> list[Box]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
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


def is_permille(cols: Sequence[Box], at: float, next_at: float | None) -> bool:
    """Is the % at ``at`` (x in the crop) a ‰? Its column must be followed closely
    by a small ring in its lower half that is not the next character read (centred
    at ``next_at``): the "%。" of a sentence end is a ring too, but the recogniser
    reads the 。 as a character of its own, with its frame on or before the ring.
    Where the frame falls is what counts, not how near two frames are: in "1‰以"
    the frames of % and 以 can sit closer to the ring than to each other."""
    here = nearest(cols, at)
    if here is None:
        return False
    x0, y0, x1, y1 = cols[here]
    h = y1 - y0
    if MERGED_PERMILLE[0] <= (x1 - x0) / max(h, 1) <= MERGED_PERMILLE[1]:
        return True  # the third ring touches the second: one blob, wider than a %
    if here + 1 >= len(cols):
        return False
    rx0, ry0, rx1, ry1 = cols[here + 1]
    rh, rw = ry1 - ry0, rx1 - rx0
    return (RING[0] * h <= rh <= RING[1] * h and 0.5 <= rw / max(rh, 1) <= 1.6
            and (ry0 + ry1) / 2 > y0 + 0.5 * h and rx0 - x1 <= 0.25 * h
            and not _claimed(cols, here + 1, next_at, h))


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


def comparator(binary: np.ndarray, parts: Sequence[Box], grey: np.ndarray | None = None
               ) -> str | None:
    """<, ≤, ≦, >, ≥ or ≧ when the blobs have that shape, else None."""
    if not parts:
        return None
    angle = max(parts, key=lambda b: (b[3] - b[1]) * (b[2] - b[0]))
    ax0, ay0, ax1, ay1 = angle
    aw, ah = ax1 - ax0, ay1 - ay0
    if aw < 3 or ah < 3 or not 0.4 <= aw / ah <= 2.5:
        return None
    bars = [b for b in parts if b is not angle and b[1] >= (ay0 + ay1) / 2
            and (b[3] - b[1]) <= 0.45 * ah and (b[2] - b[0]) >= 0.5 * aw]
    if len(bars) + 1 != len(parts) or len(bars) > 2:
        return None
    count = len(bars)
    if count == 1 and grey is not None:
        count = bar_count(grey, bars[0])
    ink = binary[ay0:ay1, ax0:ax1] > 0
    # a bar that touches the angle's lower arm is part of the angle's blob: then the
    # blob's bottom rows are dark all across, where an arm alone ends in a point
    full = ink.mean(axis=1) > 0.7
    if count < 2 and full[-max(2, ah // 4):].any():  # a speck may hang below it
        count += 1
    body = ink[~full] if (~full).any() else ink
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


def settle(reading: Reading, binary: np.ndarray, grey: np.ndarray | None = None) -> str:
    """The reading's text with ‰ and comparators decided by the ink of ``binary``
    (the crop the reading came from, ink 255) and its ``grey`` (paper 255). A shape only ever adds what the
    recogniser missed (a bar, a ring), never takes away what it read: at small
    sizes bars touch and rings close up, so a missing part proves nothing."""
    if not reading.chars:
        return reading.text
    bare_value = reading.chars[0][0].isdigit() and _VALUE.match(reading.text)
    if not bare_value and not any(ch in "%<>≤≥≦≧" for ch, _, _ in reading.chars):
        return reading.text  # nothing here a shape could settle (most prose): skip the labelling
    width = binary.shape[1]
    parts = boxes(binary)
    cols = columns(parts)
    extents = spans(reading, width)
    centres = [p * width for _, _, p in reading.chars]
    chars = [c for c, _, _ in reading.chars]
    for k, ch in enumerate(chars):
        if ch == "%":
            following = centres[k + 1] if k + 1 < len(chars) else None
            if k + 1 < len(chars) and chars[k + 1] in "0oO○〇":
                continue  # "%0": fix_text turns it into ‰ already
            if is_permille(cols, centres[k], following):
                chars[k] = "‰"
        elif ch in "<>≤≥≦≧":
            shape = comparator(binary, within(parts, *extents[k]), grey)
            if shape is not None and RANK[shape] > RANK[ch] and shape in SAME_WAY[ch]:
                chars[k] = shape
    if bare_value:
        before = within(parts, -1.0, extents[0][0])
        shape = comparator(binary, before, grey) if before else None
        if shape is not None:
            chars.insert(0, shape)
    return "".join(chars)


_VALUE = re.compile(r"^(?!.*\.\D)\d[\d.,]*\s*[%‰]?[^\d\s]{0,6}$")  # a bare value, not "2. 对个人"
RANK = {"<": 0, ">": 0, "≤": 1, "≥": 1, "≦": 2, "≧": 2}
SAME_WAY = {c: ("<≤≦" if c in "<≤≦" else ">≥≧") for c in RANK}
