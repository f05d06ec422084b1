"""A page with boxes drawn on it: the first thing to open on a bad extraction.

Boxes are in ``extract.model.BBox`` points (top-left origin); the page is
rendered by PDFium at ``dpi`` and the boxes scaled to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from extract.model import BBox, ExtractError

COLORS = {"text": (31, 119, 180), "lattice": (44, 160, 44), "ocr": (255, 127, 14),
          "low": (214, 39, 40)}


@dataclass(frozen=True)
class Box:
    bbox: BBox
    label: str
    color: tuple[int, int, int]


def render_page(path: str | Path, page: int, dpi: int = 110, turn: int = 0,
                sheet: tuple[float, ...] | None = None) -> Image.Image:
    """Page ``page`` (from 1) as an RGB image, as it was read: turned ``turn`` degrees
    clockwise from how it is displayed (extract/orientation.py), or, for a photo, its
    ``sheet`` seen square (extract/photo.py)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ExtractError(f"cannot open {path} to draw it ({exc})") from exc
    try:
        if not 1 <= page <= len(pdf):
            raise ExtractError(f"{path} has {len(pdf)} pages; there is no page {page}")
        image = pdf[page - 1].render(scale=dpi / 72, rotation=turn % 360).to_pil().convert("RGB")
        return image if sheet is None else _seen_square(image, sheet, dpi)
    finally:
        pdf.close()


def _seen_square(image: Image.Image, sheet: tuple[float, ...], dpi: int) -> Image.Image:
    """The photographed sheet warped square, as extract read it."""
    k = dpi / 72
    corners = np.float32([[sheet[i] * k, sheet[i + 1] * k] for i in range(0, 8, 2)])
    width, height = int(round(sheet[8] * k)), int(round(sheet[9] * k))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(corners, target)
    return Image.fromarray(cv2.warpPerspective(np.asarray(image), matrix, (width, height)))


def draw_boxes(image: Image.Image, boxes: Iterable[Box], dpi: int = 110) -> Image.Image:
    """The image with each box outlined and labelled in its colour."""
    scale = dpi / 72
    out = image.convert("RGBA")
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    for box in boxes:
        x0, top, x1, bottom = (v * scale for v in box.bbox)
        pen.rectangle((x0, top, x1, bottom), outline=box.color + (255,), width=2)
        if box.label:
            # a small tag on the cell's top edge, on a light ground, so it names the
            # cell without hiding what was read in it
            tx0, ty0, tx1, ty1 = pen.textbbox((x0 + 2, top), box.label)
            lift = (ty1 - ty0) * 0.6
            pen.rectangle((tx0 - 1, ty0 - lift - 1, tx1 + 1, ty1 - lift + 1),
                          fill=(255, 255, 255, 200))
            pen.text((x0 + 2, top - lift), box.label, fill=box.color + (255,))
    return Image.alpha_composite(out, layer).convert("RGB")
