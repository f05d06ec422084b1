"""A page without a usable text layer, read from its pixels into the same PageGrid.

image (raster.py) → flattened, deskewed, binarised → ruling lines (scan_lines.py)
→ ``grid.trace`` on the lines alone gives the cells → the ink of each cell and of
the page outside the grids is cut into pieces of text (scan_text.py) → all pieces
recognised in batches (ocr.py) → one ``Glyph`` per piece, with its confidence →
``grid.trace`` again, now with the glyphs, exactly as the text path does.

OCR thus runs only where the grid says there is ink, and a piece never straddles
a cell border, so no text box has to be split between cells afterwards.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pypdfium2 as pdfium

from extract import grid, ocr, photo, raster, scan_lines, scan_marks, scan_orientation, scan_text
from extract.model import ExtractSettings, Glyph, Grid, OCRSettings, PageGrid, Segment, TextGeometry
from extract.orientation import Turn, turned_reason
from extract.raster import PageImage
from extract.text import free_lines

OUTSIDE = -1
RING_MARKS = ("。", ".", "0", "o", "O", "°", "○", "〇")  # what a lone 。's ink reads as
SEEN = 0.9  # the confidence of a lone mark its ink shows (scan_marks.shows), at least
FAINT = 0.5  # the confidence of a figure read from faint ink alone, at most
_FAINT_FIGURE = re.compile(r"\d[\d,]*\d(?:\.\d+)?|\d\.\d+")  # two digits or more, nothing else
MIN_PERCENT_SIGNS = 4  # a page with fewer % signs measures a ‰ against no reference of its own


@dataclass
class ScanTrace:
    """Every intermediate of one scanned page, for ``jixiao show`` and debugging."""

    image: PageImage
    angle: float = 0.0
    text_px: float = 0.0
    flat: np.ndarray | None = None
    rules: scan_lines.Rules | None = None
    segments: list[Segment] | None = None
    pieces: list[scan_text.Piece] | None = None
    readings: list[ocr.Reading] | None = None
    glyphs: list[Glyph] | None = None
    turn: int = 0  # degrees clockwise the page image was turned to read it
    sheet: photo.Sheet | None = None  # where a photographed sheet lies on the page (photo.py)


def limited(image: PageImage, max_dpi: int) -> PageImage:
    """A scan finer than ``max_dpi`` scaled down to it."""
    if image.dpi <= max_dpi:
        return image
    factor = max_dpi / image.dpi
    h, w = image.grey.shape
    grey = cv2.resize(image.grey, (int(w * factor), int(h * factor)), interpolation=cv2.INTER_AREA)
    return replace(image, grey=grey, scale_x=image.scale_x * factor,
                   scale_y=image.scale_y * factor)


def prepare(image: PageImage, settings: ExtractSettings, trace: ScanTrace) -> np.ndarray:
    """Flattened, deskewed grey page; returns its binary ink mask."""
    px_per_pt = image.scale_y
    flat = scan_lines.flatten(image.grey)
    binary = scan_lines.binarize(flat, settings.ocr.ink)
    angle = scan_lines.skew_angle(binary, px_per_pt, settings.ocr.max_skew)
    if abs(angle) >= 0.05:
        flat = scan_lines.rotate(flat, angle)
        binary = scan_lines.binarize(flat, settings.ocr.ink)
    trace.angle, trace.flat = angle, flat
    trace.text_px = scan_lines.text_height(binary, px_per_pt)
    return binary


def _px_box(bbox: tuple[float, float, float, float], image: PageImage) -> scan_text.Box:
    x0, y0, x1, y1 = bbox
    return (int(round((x0 - image.left) * image.scale_x)), int(round((y0 - image.top) * image.scale_y)),
            int(round((x1 - image.left) * image.scale_x)), int(round((y1 - image.top) * image.scale_y)))


def _pt_box(box: scan_text.Box, image: PageImage) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return (image.left + x0 / image.scale_x, image.top + y0 / image.scale_y,
            image.left + x1 / image.scale_x, image.top + y1 / image.scale_y)


class CellLocator:
    """Which cell (an index into ``boxes``) a pixel position falls in, or OUTSIDE."""

    def __init__(self, grids: list[Grid], image: PageImage) -> None:
        self.boxes: list[scan_text.Box] = []
        self.tables = []
        for g in grids:
            xs = [(x - image.left) * image.scale_x for x in g.col_edges]
            ys = [(y - image.top) * image.scale_y for y in g.row_edges]
            slots = {}
            for cell in g.cells:
                index = len(self.boxes)
                self.boxes.append(_px_box(cell.bbox, image))
                for r in range(cell.row, cell.last_row + 1):
                    for c in range(cell.col, cell.last_col + 1):
                        slots[(r, c)] = index
            self.tables.append((xs, ys, slots))

    def __call__(self, blob: scan_text.Blob) -> int:
        for xs, ys, slots in self.tables:
            c = bisect.bisect_right(xs, blob.cx) - 1
            r = bisect.bisect_right(ys, blob.cy) - 1
            if 0 <= c < len(xs) - 1 and 0 <= r < len(ys) - 1:
                return slots.get((r, c), OUTSIDE)
        return OUTSIDE


def text_ink(rules: scan_lines.Rules, *binaries: np.ndarray) -> list[np.ndarray]:
    """Each binary's ink that is not a ruling line (the rules' mask is made once)."""
    off_rules = cv2.bitwise_not(cv2.dilate(rules.horizontal | rules.vertical,
                                           cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))))
    return [cv2.bitwise_and(binary, off_rules) for binary in binaries]


def locate_text(ink: np.ndarray, faint: np.ndarray, locator: CellLocator, text_px: float,
                geometry: TextGeometry) -> list[scan_text.Piece]:
    """Pieces of text in every cell and outside the grids, found in ``ink``; in the cells
    a piece grows over the ``faint`` ink that continues it (scan_text.widened; not outside
    them: what a seal leaves after its red is taken out is as faint, and seals sit on the
    lines around the table)."""
    groups = scan_text.group_by_region(scan_text.blobs(ink, text_px, geometry), locator)
    h, w = ink.shape
    if OUTSIDE in groups:
        # no printer prints to the paper's edge: ink touching it outside the tables is the
        # edge's shadow or a mark cut off by the scanner, read as a letter or a digit
        groups[OUTSIDE] = [b for b in groups[OUTSIDE] if not scan_text.touches_edge(b.box, w, h)]
    # in a cell where ink found no character, the faint ink may hold one: a dash or a
    # slash drawn in a hairline (a blank mark, read only as one), or a character whose
    # thin strokes fell under the ink threshold and left only fragments of it as ink (a
    # Ming "2" at 300 dpi is three specks): the faint blob around those fragments is it,
    # or the faint blobs close together around them (a thin 6.5 pt % is two: its rings
    # with the slash's ends, scan_text.faint_characters)
    for region, found in scan_text.group_by_region(scan_text.blobs(faint, text_px, geometry),
                                                   locator).items():
        inked = groups.get(region, [])
        if region == OUTSIDE:
            continue
        if any(b.seed and scan_text.whole(b, text_px, geometry) for b in inked):
            # a cell of text: faint ink below all of it may be what a spreadsheet wrapped
            # alone onto the last line in strokes lighter than the ink threshold: a 。 (a
            # 300 dpi Hei 。 is a hairline), a % in specks (scan_text.below_text)
            groups[region] = [*inked, *scan_text.below_text(found, inked, text_px, geometry)]
            continue
        held = [f for f in scan_text.faint_characters(found, text_px, geometry)
                if f.seed and scan_text.whole(f, text_px, geometry)
                and any(scan_text.inside(b.box, f.box) for b in inked)]
        # (a faint stroke around a flat speck of ink is that dash blurred: the ink says
        # it is flat, the faint blob, three pixels tall at 200 dpi, cannot)
        strokes = [replace(f, seed=True, faint=True) for f in found
                   if not any(scan_text.inside(f.box, h.box) for h in held)
                   and scan_text.is_stroke(f, text_px, geometry)
                   and not any(b.seed for b in inked)
                   and not any(scan_text.inside(b.box, f.box) and scan_text.is_flat(b, text_px, geometry)
                               for b in inked)]
        if strokes or held:
            groups[region] = [*inked, *strokes, *held]
    margin = 2
    pieces: list[scan_text.Piece] = []
    for region, blobs in sorted(groups.items()):
        if region == OUTSIDE:
            limit = (0, 0, w, h)
        else:
            x0, y0, x1, y1 = locator.boxes[region]
            limit = (x0 + margin, y0 + margin, x1 - margin, y1 - margin)
        pieces += scan_text.region_pieces(blobs, region, limit, text_px, geometry,
                                          None if region == OUTSIDE else faint)
    return pieces


def crops_of(flat: np.ndarray, rules: scan_lines.Rules,
             pieces: list[scan_text.Piece]) -> list[np.ndarray]:
    """The grey crop of each piece, with ruling lines painted over as paper."""
    clean = flat.copy()
    ruled = cv2.dilate(rules.horizontal | rules.vertical,
                       cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    clean[ruled > 0] = 255
    out = []
    for piece in pieces:
        x0, y0, x1, y1 = piece.crop
        out.append(clean[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)])
    return out


ROOMY = 2.0  # text heights: the narrowest crop a lone character is read again in


def reread_empty(readings: list[ocr.Reading], pieces: list[scan_text.Piece], locator: CellLocator,
                 flat: np.ndarray, rules: scan_lines.Rules, t: float,
                 recognizer: ocr.Recognizer) -> tuple[list[ocr.Reading], list[scan_text.Piece]]:
    """The readings and pieces, where a cell's piece of ink read as nothing read again
    from a crop at least ``ROOMY`` text heights wide, inside the cell (the piece then
    has that crop: where its characters are is measured in it). The recogniser reads a
    lone small character in a crop hardly wider than its ink as nothing at all (a Ming %
    in a 计量单位 cell at 200 dpi: the cell came out empty and the unit was lost in
    silence), and as itself with a little more paper either side."""
    again = [k for k, (r, p) in enumerate(zip(readings, pieces, strict=True))
             if not r.text.strip() and p.region != OUTSIDE and not p.dash]
    if not again:
        return readings, pieces
    widened = []
    for k in again:
        x0, y0, x1, y1 = pieces[k].crop
        cx0, _, cx1, _ = locator.boxes[pieces[k].region]
        extra = max(0, int(ROOMY * t) - (x1 - x0)) // 2
        widened.append(replace(pieces[k], crop=(max(cx0 + 2, x0 - extra), y0, min(cx1 - 2, x1 + extra), y1)))
    out, placed = list(readings), list(pieces)
    for k, piece, reading in zip(again, widened, recognizer.read(crops_of(flat, rules, widened)),
                                 strict=True):
        if reading.text.strip():
            out[k], placed[k] = reading, piece
    return out, placed


def to_glyphs(pieces: list[scan_text.Piece], readings: list[ocr.Reading],
              ink: np.ndarray, flat: np.ndarray, image: PageImage, t: float,
              settings: OCRSettings) -> list[Glyph]:
    """One glyph per piece read: ‰ and comparators settled by their ink
    (scan_marks.py; ‰ against the page's own % signs), known misreadings repaired
    (``ocr.fix_text``), a lone flat stroke read as the dash its length makes it
    (``dash_of``); each with what else the ink may say (``alternatives``)."""
    sure = settings.permille_sure
    read = readings
    readings = [ocr.without_dust(r) for r in readings]
    crops = [scan_marks.CropInk(ink[y0:y1, x0:x1], flat[y0:y1, x0:x1], settings.faint)
             for x0, y0, x1, y1 in (p.crop for p in pieces)]
    widths = scan_marks.sign_widths([shape for reading, crop in zip(readings, crops, strict=True)
                                     for shape in scan_marks.whole_signs(reading, crop)],
                                    MIN_PERCENT_SIGNS)
    out = []
    for piece, reading, raw, crop in zip(pieces, readings, read, crops, strict=True):
        settled = scan_marks.settle(reading, crop, widths, sure)
        text = ocr.fix_text(settled.text)
        if piece.dash:
            # a flat stroke alone is a dash or nothing: read as anything else ("." or an
            # "8" from a speck of noise), it is no text; read as a dot ("•", which dust
            # removal leaves as nothing), it is the speck of dust it looks like
            if not ocr.is_dot(raw.text) and (not text or ocr.is_dash(text)):
                out.append(Glyph(dash_of(piece.ink, t, settings.text), _pt_box(piece.ink, image),
                                 confidence=max(reading.confidence, SEEN)))
            continue
        if piece.mark and text in RING_MARKS:
            # a speck where a wrapped line starts is its 。 read as a ring or a dot (as
            # sure as a dash by its length: where it stands says what it is)
            out.append(Glyph("。", _pt_box(piece.ink, image),
                             confidence=round(max(reading.confidence, SEEN), 4)))
            continue
        if piece.mark and _speck_sized(piece.ink, t, settings.text):
            continue  # read as anything else, dust; one past a speck's size is read as any
        if piece.faint and _FAINT_FIGURE.fullmatch(text) and reading.confidence >= SEEN:
            # a figure printed too light for the ink threshold (small grey digits on a page
            # lit unevenly), read whole and sure: kept, as sure as faint ink is, which is
            # not enough to trust unseen
            out.append(Glyph(text, _pt_box(piece.ink, image), confidence=FAINT))
            continue
        if not text or piece.faint and not ocr.is_slash(text):
            continue  # a faint stroke is a slash or nothing (a crease, a seal's trace)
        doubts = [ocr.fix_text(a) for a in settled.alternatives]
        runners = [] if settled.seen else [ocr.fix_text(scan_marks.settle(v, crop, widths, sure).text)
                                           for v in reading.variants()]
        # a lone mark its ink shows is as sure as a dash by its length
        confidence = max(reading.confidence, SEEN) if settled.seen else reading.confidence
        out.append(Glyph(text, _pt_box(piece.ink, image), confidence=round(confidence, 4),
                         alternatives=alternatives(text, doubts, runners)))
    return out


def _speck_sized(ink: scan_text.Box, t: float, geometry: TextGeometry) -> bool:
    return ink[2] - ink[0] < geometry.speck * t and ink[3] - ink[1] < geometry.speck * t


def dash_of(ink: scan_text.Box, t: float, geometry: TextGeometry) -> str:
    """The dash a lone flat stroke is, by its length in text heights: a hyphen, an em
    dash, or two em dashes set as one stroke (TextGeometry.dash_lengths)."""
    length = (ink[2] - ink[0]) / t
    _, em, double = geometry.dash_lengths
    return "-" if length < em else "——" if length >= double else "—"


def alternatives(text: str, doubts: list[str], runners: list[str]) -> tuple[str, ...]:
    """What else the piece may say, each once: where the ink left doubt, and each
    runner-up character swapped in (a speck read at a cell's start is the cell's
    business: grid.cell_alternatives)."""
    out: list[str] = []
    for other in (*doubts, *runners):
        if other and other != text and other not in out:
            out.append(other)
    return tuple(out)


def scan_image(image: PageImage, number: int, settings: ExtractSettings,
               page_size: tuple[float, float] | None = None, hint: int = 0) -> ScanTrace:
    """The whole chain on one page image, keeping every intermediate. The page is
    read as its text stands upright (scan_orientation.py); one too bare to tell is
    turned as ``hint`` says (the turn of the page before it)."""
    trace = ScanTrace(image=image)
    binary = prepare(image, settings, trace)
    verdict = scan_orientation.page_turn(trace.flat, binary, trace.text_px,
                                         ocr.recognizer(settings.ocr))
    trace.turn = verdict.turn if verdict.sure else hint
    if trace.turn:
        image = scan_orientation.turned_image(image, trace.turn, page_size)
        trace.image = image
        trace.flat = scan_orientation.turned(trace.flat, trace.turn)
        binary = scan_orientation.turned(binary, trace.turn)
    trace.rules = scan_lines.find_rules(binary, trace.text_px)
    trace.segments = scan_lines.to_segments(trace.rules, image)
    # deskewing turned the page about its centre: rules and text are in the turned frame
    cells = grid.trace(trace.segments, [], number, settings, source="ocr")
    locator = CellLocator(cells.grids, image)
    ink, faint = text_ink(trace.rules, binary,
                          scan_lines.binarize(trace.flat, settings.ocr.faint))
    trace.pieces = locate_text(ink, faint, locator, trace.text_px, settings.ocr.text)
    crops = crops_of(trace.flat, trace.rules, trace.pieces)
    recognizer = ocr.recognizer(settings.ocr)
    trace.readings, trace.pieces = reread_empty(recognizer.read(crops), trace.pieces, locator,
                                                trace.flat, trace.rules, trace.text_px, recognizer)
    trace.glyphs = to_glyphs(trace.pieces, trace.readings, ink, trace.flat, image, trace.text_px,
                             settings.ocr)
    return trace


def scan_page(page: pdfium.PdfPage, number: int, settings: ExtractSettings,
              hint: int = 0) -> ScanTrace:
    """The page read from its image; a photographed sheet is first seen square (photo.py),
    and is then the page: its boxes are on the sheet, not on the photo around it."""
    image, sheet = photo.rectified(limited(raster.page_image(page, settings), settings.ocr.max_dpi))
    trace = scan_image(image, number, settings, None if sheet else page.get_size(), hint)
    trace.sheet = sheet
    return trace


def page_grid(trace: ScanTrace, number: int, width: float, height: float,
              settings: ExtractSettings, reason: str) -> PageGrid:
    """The scanned page as the same ``PageGrid`` the text path gives."""
    found = grid.trace(trace.segments or [], trace.glyphs or [], number, settings, source="ocr")
    lines = tuple(replace(line, source="ocr", confidence=_line_confidence(line.bbox, found.outside))
                  for line in free_lines(found.outside, number))
    # the text height estimated from square blobs may be a title's where the body text
    # breaks into strokes (small type at a low resolution); the lines found say how
    # tall the text read really is
    read = scan_text.line_height(trace.pieces or [])
    if trace.sheet:
        width, height = trace.sheet[8], trace.sheet[9]
        reason += "; a photo: the sheet found on its surround and seen square"
    else:
        width, height = Turn(trace.turn, width, height).size
    return PageGrid(page=number, width=width, height=height, kind="scan",
                    grids=tuple(found.grids), lines=lines, reason=turned_reason(reason, trace.turn),
                    text_height=min(trace.text_px, read) if read else trace.text_px,
                    turn=trace.turn, bilevel=raster.is_bilevel(trace.image.grey), sheet=trace.sheet)


def read_scan_page(page: pdfium.PdfPage, number: int, settings: ExtractSettings,
                   reason: str, hint: int = 0) -> PageGrid:
    """The scanned page read upright; ``width``/``height`` are the page's as displayed
    (the grid's are the page's once turned)."""
    width, height = page.get_size()
    return page_grid(scan_page(page, number, settings, hint), number, width, height, settings,
                     reason)


def _line_confidence(bbox, glyphs: list[Glyph]) -> float:
    inside = [g.confidence for g in glyphs
              if bbox[0] <= g.cx <= bbox[2] and bbox[1] <= g.cy <= bbox[3]]
    return min(inside, default=1.0)
