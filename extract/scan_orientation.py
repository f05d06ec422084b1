"""Which way up a scanned page stands: 0, 90, 180 or 270 degrees to turn it clockwise.

A form is scanned sideways (a landscape sheet fed short edge first) or fed upside down
as often as upright. Two questions, each answered by what the page's own ink shows:

1. Along which axis do its lines of text run? Ink smeared along the axis the text runs
   on joins each line's characters into one long bar a text height thick; smeared
   across it, lines merge into blocks, or stack into short columns as long as a cell
   has lines. The page's rules are taken out first (a table's rules are long bars
   along both axes). Where neither axis's bars are the longer by far, every turn is
   read and the surest wins.
2. Which end of those lines comes first? The longest bars are read the way the
   axis says first; a line read the right way up spells words. Turned over, or
   turned on its side (a column cut across a paragraph's lines reads as confidently
   as a line), the recogniser's characters spell next to none. The turn whose
   readings hold the most characters in words, surely read, wins; where the first
   way reads too few, every turn is read. Characters and words decide, not any one
   typeface's metrics.

A page with too few lines to judge (a blank page, a photo) is read as it stands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import cv2
import numpy as np

from extract import ocr
from extract.orientation import Turn
from extract.raster import PageImage

SMEAR = 0.6  # text heights: the gap between a line's characters the smear bridges
BAR_LENGTH = 4.0  # text heights: the least length of a bar that is a line of text
BAR_THICKNESS = (0.5, 1.7)  # text heights: a line's bar is about one text height thick
RULE_LENGTH = 8.0  # text heights: straight ink this long is a rule, not text
SAMPLE = 4  # bars read per axis, the longest
PIECE = 12.0  # text heights: the most of a bar read (any stretch of a line will do)
MARGIN = 0.25  # text heights of paper kept round a bar's crop
UPRIGHT = 0.5  # read the first way, the share of the bars' length (in text heights) read
# surely in words that settles it at once (most pages stand upright; turned over or on
# their side, their lines read as scraps that spell nothing)
LEAD = 0.25  # another turn must read this many more characters surely than upright
EVIDENCE = 10  # characters in words, surely read, below which a page tells no turn
SMALL_TEXT = 8.0  # pixels a text height: the scale bars are looked for at
AXIS = 2.0  # the lines' axis: its longest bars are this many times as long as the other's


@dataclass(frozen=True)
class Verdict:
    """The turn; ``sure`` when the page had the lines to tell it. ``scores``: per turn
    tried, the characters its bars read, each counted at its reading's confidence.
    Read the right way, the page's longest lines give long sure readings; turned
    over, short unsure ones; and smeared across the lines, a prose cell's lines stack
    into columns a few characters long (the recogniser reads a character turned on its
    side nearly as well as upright, so length is what tells)."""

    turn: int
    sure: bool
    scores: dict[int, float]


def _without_rules(binary: np.ndarray, t: float) -> np.ndarray:
    run = max(3, int(RULE_LENGTH * t))
    rules = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    rules |= cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return cv2.bitwise_and(binary, cv2.bitwise_not(rules))


Bar = tuple[int, int, int, int]


def _bars(ink: np.ndarray, t: float, horizontal: bool) -> list[tuple[int, Bar]]:
    """The lines of text along the axis, the longest first: each one's length and its
    box (x0, y0, x1, y1) cut to its first ``PIECE`` text heights."""
    gap = max(2, int(round(SMEAR * t)))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if horizontal else (1, gap))
    smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    n, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    found = []
    for x, y, w, h, _ in stats[1:n]:
        length, thickness = (w, h) if horizontal else (h, w)
        if length >= BAR_LENGTH * t and BAR_THICKNESS[0] * t <= thickness <= BAR_THICKNESS[1] * t:
            found.append((int(length), int(x), int(y), int(w), int(h)))
    found.sort(reverse=True)
    piece = int(PIECE * t)
    return [(length, (x, y, x + min(w, piece), y + h) if horizontal
             else (x, y, x + w, y + min(h, piece))) for length, x, y, w, h in found[:SAMPLE]]


def _crop(grey: np.ndarray, box: Bar, t: float) -> np.ndarray:
    pad = int(round(MARGIN * t))
    h, w = grey.shape
    x0, y0, x1, y1 = box
    return grey[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)]


def turned(image: np.ndarray, turn: int) -> np.ndarray:
    """The image turned ``turn`` degrees clockwise."""
    return np.ascontiguousarray(np.rot90(image, k=-(turn // 90) % 4))


def in_words(text: str) -> int:
    """How many of the text's ideographs stand in words of two or more (jieba's
    dictionary only, no new words guessed): most of a line of Chinese read the right
    way; next to none of characters read turned on their side, or upside down, or of
    a column cut across the lines of a paragraph, which the recogniser reads as
    confidently as a line but which spell nothing."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return sum(len(w) for w in jieba.lcut(text, HMM=False)
               if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w))


def _score(flat: np.ndarray, bars: list[Bar], turn: int, t: float,
           recognizer: ocr.Recognizer) -> float:
    if not bars:
        return 0.0
    readings = recognizer.read([turned(_crop(flat, box, t), turn) for box in bars])
    return float(sum(r.confidence * in_words(r.text) for r in readings))


def _lines(binary: np.ndarray, t: float) -> tuple[list[tuple[int, Bar]], list[tuple[int, Bar]]]:
    """The bars along each axis, found on the ink shrunk to ``SMALL_TEXT`` pixels a text
    height (the smearing costs a tenth, and a line stays a line) and given back in
    the page's pixels."""
    factor = min(1.0, SMALL_TEXT / t)
    small = binary if factor == 1.0 else np.where(cv2.resize(
        binary, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) > 0, np.uint8(255), np.uint8(0))
    ink = _without_rules(small, t * factor)

    def scaled(bars: list[tuple[int, Bar]]) -> list[tuple[int, Bar]]:
        return [(int(length / factor), tuple(int(round(v / factor)) for v in box))  # type: ignore[misc]
                for length, box in bars]

    return scaled(_bars(ink, t * factor, True)), scaled(_bars(ink, t * factor, False))


def _held(bars: list[tuple[int, Bar]], t: float) -> float:
    return sum(length for length, _ in bars) / t


def page_turn(flat: np.ndarray, binary: np.ndarray, text_px: float,
              recognizer: ocr.Recognizer) -> Verdict:
    """The clockwise turn (0, 90, 180, 270) that stands the page's text upright."""
    t = max(float(text_px), 4.0)
    across, down = _lines(binary, t)
    # the axis the lines run on has the longer bars, by far, where there is text
    ways = [(0, 180, across), (90, 270, down)]
    if _held(down, t) >= AXIS * _held(across, t):
        ways = ways[::-1]
    elif _held(across, t) < AXIS * _held(down, t):
        ways = [(0, 180, across), (90, 270, down), (180, 0, across), (270, 90, down)]
        return _surest(flat, ways, t, recognizer)
    first, _, bars = ways[0]
    score = _score(flat, [box for _, box in bars], first, t, recognizer)
    if score >= max(UPRIGHT * min(_held(bars, t), PIECE * len(bars)), EVIDENCE):
        return Verdict(first, True, {first: score})
    every = [(0, 180, across), (90, 270, down), (180, 0, across), (270, 90, down)]
    return _surest(flat, every, t, recognizer, {first: score})


def _surest(flat: np.ndarray, ways: list[tuple[int, int, list[tuple[int, Bar]]]], t: float,
            recognizer: ocr.Recognizer, known: dict[int, float] | None = None) -> Verdict:
    """Each turn read (``known``: those read already), the surest wins."""
    scores = dict(known or {})
    for turn, _, bars in ways:
        if turn not in scores:
            scores[turn] = _score(flat, [box for _, box in bars], turn, t, recognizer)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < EVIDENCE:
        return Verdict(0, False, scores)
    if best != 0 and scores[best] < (1 + LEAD) * scores[0]:
        best = 0
    return Verdict(best, True, scores)


def turned_image(image: PageImage, turn: int, page_size: tuple[float, float] | None) -> PageImage:
    """The page image turned ``turn`` degrees clockwise, its pixels mapped to points on
    the page turned the same way (``page_size``: the page as displayed, in points;
    by default the image's own extent)."""
    h, w = image.grey.shape
    right, bottom = image.left + w / image.scale_x, image.top + h / image.scale_y
    size = page_size or (right + image.left, bottom + image.top)
    left, top, _, _ = Turn(turn, *size).box((image.left, image.top, right, bottom))
    sx, sy = (image.scale_y, image.scale_x) if turn in (90, 270) else (image.scale_x, image.scale_y)
    return replace(image, grey=turned(image.grey, turn), scale_x=sx, scale_y=sy, left=left, top=top)
