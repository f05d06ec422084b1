"""The default grid source: characters and ruling paths read through PDFium.

PDFium lists a page's characters and path segments an order of magnitude
faster than pdfminer, and the result goes through the same ``grid.trace`` as
the pdfplumber source, so both give the same grids (a test holds them to it).

PDFium speaks in PDF user space (origin bottom-left); everything leaving this
module is in the top-left convention of ``extract.model.BBox``. Loose character
boxes (font ascent to descent) are used rather than tight glyph boxes, so "一"
and "口" on one line get the same height and group into the same line.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extract import grid
from extract.model import (
    EmptyPDF,
    EncryptedPDF,
    ExtractError,
    ExtractSettings,
    Glyph,
    NotAPDF,
    PageGrid,
    Segment,
)
from extract.orientation import dominant, turn_of_angle, turned_reason
from extract.text import free_lines
from extract.triage import layer_char, triage

THIN = 3.0  # points: a filled shape thinner than this is drawn as a line
WHITE = 243  # 0-255: a colour this light on every channel is paper, not ink
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: ctypes.c_void_p) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _objects(page: pdfium.PdfPage) -> Iterator[tuple[ctypes.c_void_p, Matrix]]:
    """Every page object with its object-to-page matrix, form XObjects opened."""

    def walk(count: int, get, outer: Matrix) -> Iterator[tuple[ctypes.c_void_p, Matrix]]:
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                inner = _compose(_matrix(obj), outer)
                yield from walk(raw.FPDFFormObj_CountObjects(obj),
                                lambda k, o=obj: raw.FPDFFormObj_GetObject(o, k), inner)
            else:
                yield obj, outer

    yield from walk(raw.FPDFPage_CountObjects(page.raw),
                    lambda k: raw.FPDFPage_GetObject(page.raw, k), IDENTITY)


def _color(getter, obj: ctypes.c_void_p) -> tuple[int, int, int, int] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, *(ctypes.byref(v) for v in (r, g, b, a))):
        return None
    return r.value, g.value, b.value, a.value


def _is_ink(color: tuple[int, int, int, int] | None) -> bool:
    if color is None:
        return True
    r, g, b, a = color
    return a > 0 and not (r >= WHITE and g >= WHITE and b >= WHITE)


@dataclass(frozen=True)
class Frame:
    """PDF user space (origin bottom-left, before /Rotate) to the page as it is
    displayed (origin top-left, after /Rotate): what a reader sees is what the
    grid is built on, so a landscape page stored as a rotated portrait reads right."""

    rotation: int
    x0: float
    y0: float
    width: float  # of the unrotated media box
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage, turn: int = 0) -> Frame:
        """The page as displayed, turned ``turn`` degrees clockwise."""
        left, bottom, right, top = page.get_mediabox()
        return cls((page.get_rotation() + turn) % 360, left, bottom, right - left, top - bottom)

    @property
    def size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.x0, y - self.y0
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.width - x, y
        if self.rotation == 270:
            return self.height - y, self.width - x
        return x, self.height - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, ...]:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    @property
    def upright(self) -> float:
        """The angle (radians, as PDFium reports it) of text upright on display."""
        return math.radians((360 - self.rotation) % 360)


def _subpaths(obj: ctypes.c_void_p, m: Matrix, frame: Frame) -> list[list[tuple[float, float, bool]]]:
    """Each subpath as displayed points, each flagged True when reached by a
    straight line (False after a curve)."""
    a, b, c, d, e, f = m
    out: list[list[tuple[float, float, bool]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not out:
            out.append([(px, py, True)])
        else:
            out[-1].append((px, py, kind == raw.FPDF_SEGMENT_LINETO))
        if raw.FPDFPathSegment_GetClose(seg) and out[-1]:
            sx, sy, _ = out[-1][0]
            out[-1].append((sx, sy, True))
    return out


def _path_segments(obj: ctypes.c_void_p, m: Matrix, frame: Frame) -> list[Segment]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    stroked = bool(stroke.value) and _is_ink(_color(raw.FPDFPageObj_GetStrokeColor, obj))
    filled = fill.value != raw.FPDF_FILLMODE_NONE and _is_ink(
        _color(raw.FPDFPageObj_GetFillColor, obj))
    out: list[Segment] = []
    for points in _subpaths(obj, m, frame):
        if stroked:
            for (x0, y0, _), (x1, y1, straight) in zip(points, points[1:], strict=False):
                if not straight:
                    continue
                if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 1.0:
                    out.append(Segment("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
                elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 1.0:
                    out.append(Segment("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1)))
        elif filled and len(points) >= 3:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if min(w, h) <= THIN and max(w, h) > THIN:
                if w >= h:
                    out.append(Segment("h", (max(ys) + min(ys)) / 2, min(xs), max(xs)))
                else:
                    out.append(Segment("v", (max(xs) + min(xs)) / 2, min(ys), max(ys)))
    return out


@dataclass(frozen=True)
class Drawn:
    """What a page draws besides its characters: ruling segments, how many images, and
    whether all its text is drawn invisible (render mode 3: a scanner's own OCR laid
    under its image, which says what that OCR read, not what the page shows)."""

    segments: list[Segment]
    images: int
    text_invisible: bool


def page_drawing(page: pdfium.PdfPage, frame: Frame) -> Drawn:
    segments: list[Segment] = []
    images = shown = hidden = 0
    for obj, outer in _objects(page):
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            segments.extend(_path_segments(obj, _compose(_matrix(obj), outer), frame))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            if raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
                hidden += 1
            else:
                shown += 1
    return Drawn(segments, images, hidden > 0 and shown == 0)


def _turn(angle: float, upright: float) -> float:
    """How far a character is turned from upright on display, in radians (0..π)."""
    diff = abs(angle - upright) % (2 * math.pi)
    return min(diff, 2 * math.pi - diff)


def page_glyphs(page: pdfium.PdfPage, frame: Frame) -> list[Glyph]:
    """Characters upright on display, with loose boxes; PDFium's generated spaces
    and line breaks are dropped (grouping glyphs into lines is grid.py's job)."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        box = raw.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        upright = frame.upright
        out: list[Glyph] = []
        for i in range(raw.FPDFText_CountChars(tp)):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code in (0xFFFE, 0x0D, 0x0A) or raw.FPDFText_IsGenerated(tp, i) == 1:
                continue
            if _turn(raw.FPDFText_GetCharAngle(tp, i), upright) > 0.05:
                continue  # a rotated stamp or a sideways label is not cell content
            if not raw.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(box)):
                continue
            raw.FPDFText_GetCharOrigin(tp, i, ctypes.byref(ox), ctypes.byref(oy))
            bbox = frame.box(box.left, box.bottom, box.right, box.top)
            text, trust = layer_char(chr(code))
            out.append(Glyph(text, bbox, confidence=trust,
                             baseline=frame.point(ox.value, oy.value)[1]))
        return out
    finally:
        textpage.close()


def page_turn(page: pdfium.PdfPage) -> int:
    """The clockwise turn of the displayed page that stands most of its characters
    upright (extract/orientation.py)."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        shown = Frame.of(page).upright
        turns = []
        for i in range(raw.FPDFText_CountChars(tp)):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code in (0xFFFE, 0x0D, 0x0A, 0x20) or raw.FPDFText_IsGenerated(tp, i) == 1:
                continue
            # PDFium measures a character's angle clockwise in user space: the turn
            # that stands it upright is the displayed upright's angle less its own
            turns.append(turn_of_angle(math.degrees(shown - raw.FPDFText_GetCharAngle(tp, i))))
        return dominant(turns)
    finally:
        textpage.close()


def read_page(page: pdfium.PdfPage, number: int, settings: ExtractSettings) -> PageGrid:
    turn = page_turn(page)
    frame = Frame.of(page, turn)
    width, height = frame.size
    glyphs = page_glyphs(page, frame)
    drawn = page_drawing(page, frame)
    segments = drawn.segments
    kind, reason = triage("".join(g.text for g in glyphs), drawn.images > 0, drawn.text_invisible)
    if kind != "text" or not glyphs:  # a scan is read by the OCR path (pdf.py: read_scans)
        return PageGrid(page=number, width=width, height=height, kind=kind,  # type: ignore[arg-type]
                        reason=reason)
    found = grid.trace(segments, glyphs, number, settings, source="text")
    return PageGrid(page=number, width=width, height=height, kind="text",
                    grids=tuple(found.grids), lines=free_lines(found.outside, number),
                    reason=turned_reason(reason, turn), turn=turn)


@contextmanager
def open_document(path: Path, password: str = "") -> Iterator[pdfium.PdfDocument]:
    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedPDF("encrypted PDF: a password is needed to open it") from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedPDF("encrypted PDF with an unsupported security handler") from exc
        if code == raw.FPDF_ERR_FILE:
            raise ExtractError("cannot read file") from exc
        raise NotAPDF("damaged or truncated PDF (PDFium could not parse it)") from exc
    try:
        if len(pdf) == 0:
            raise EmptyPDF("PDF has no pages")
        yield pdf
    finally:
        pdf.close()


def read_document(path: Path, settings: ExtractSettings, password: str = "",
                  only=None) -> Iterator[tuple[int, int, PageGrid]]:
    """(page number, page count, grid) for each page."""
    with open_document(path, password) as pdf:
        total = len(pdf)
        for index in range(total):
            if only is not None and index + 1 not in only:
                continue
            page = pdf[index]
            try:
                yield index + 1, total, read_page(page, index + 1, settings)
            finally:
                page.close()
