"""A scanned page as a grey image, with the red seal taken out, and its mapping to points.

Two renderers, tried in order (``RENDERERS``): a page that is one scanned image
gives that image at its native resolution (re-rendering it at another dpi only
resamples a JPEG twice); any other page is rendered by PDFium at
``settings.dpi``. Both keep colour until the seal is removed: a red seal is as
dark as ink in plain grey, but bright in the red channel, where black ink stays
black (ink under the seal too, since seal ink multiplies onto it). Bright is not
paper, though: seal ink takes a fifth of the red away, and under a shadow its trace
is as dark as faint ink, read as characters over the title it covers. What is
distinctly red is lifted to the paper around it (``lifted``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extract.model import ExtractSettings

FULL_PAGE = 0.9  # an image covering this share of the page (each way) is the scan
CHROMA = 12  # mean |R - G| above this on 0-255 means the image really has colour
# R - G over the paper's red: from the first a pixel holds some red ink, from the second
# it is red ink alone. Paper is within 0.02 (warm tones too); a seal's stroke 0.4-0.7
RED = (0.18, 0.38)
# red over the paper's red: a seal's stroke takes at most a quarter of it away; black ink,
# half or more
BRIGHT = (0.55, 0.7)


@dataclass(frozen=True)
class PageImage:
    """A grey page image (uint8, 255 = paper) and how pixels map to points:
    ``x_pt = left + x_px / scale_x``, ``y_pt = top + y_px / scale_y`` (top-left origin)."""

    grey: np.ndarray
    scale_x: float
    scale_y: float
    left: float = 0.0
    top: float = 0.0
    renderer: str = ""

    @property
    def dpi(self) -> float:
        return 72.0 * (self.scale_x + self.scale_y) / 2


def without_seal(pixels: np.ndarray, order: str = "RGB") -> np.ndarray:
    """Grey from colour with red ink (seals, red stamps) turned to paper.

    The red channel is the grey: black and blue ink are dark in it, red ink is not.
    A grey or greyscale page is returned as its luminance unchanged.
    """
    if pixels.ndim == 2:
        return pixels
    if pixels.shape[2] == 1:
        return pixels[..., 0]
    r = pixels[..., order.index("R")]
    g = pixels[..., order.index("G")]
    b = pixels[..., order.index("B")]
    sample = (slice(None, None, 8), slice(None, None, 8))
    if np.abs(r[sample].astype(np.int16) - g[sample]).mean() < CHROMA / 4 and \
            np.abs(r[sample].astype(np.int16) - g[sample]).max() < CHROMA:
        # no colour anywhere: plain luminance keeps the most contrast
        return ((r.astype(np.uint16) * 77 + g.astype(np.uint16) * 150 + b.astype(np.uint16) * 29)
                >> 8).astype(np.uint8)
    # the paper's own tint (warm paper, a photo under warm light): red is what exceeds it
    tint = float(np.median(r[sample].astype(np.int16) - g[sample]))
    return lifted(np.ascontiguousarray(r), g, tint)


def lifted(red: np.ndarray, green: np.ndarray, tint: float = 0.0) -> np.ndarray:
    """The red channel with red ink lifted to the paper around it: by how much redder
    than green a pixel is, against the paper's own red (the brightest red nearby, so a
    shadow lowers both alike), from none at ``RED[0]`` to all at ``RED[1]``, past the
    paper's own ``tint`` (R - G). Black ink under the seal is dark in both channels and
    stays."""
    # the paper beside a seal's stroke, and no further: paper further off under a shadow
    # is brighter, and a seal lifted past its own paper leaves that paper darker than the
    # background around it, in outlines read as ink
    size = max(9, min(red.shape) // 150) | 1
    window = _around_red(red, green, tint, 2 * size)
    if window is None:
        return red
    out = red.copy()
    redness = red[window].astype(np.float32) - green[window] - tint
    out[window] = _lift(red[window], redness, size)
    return out


def _around_red(red: np.ndarray, green: np.ndarray, tint: float, reach: int
                ) -> tuple[slice, slice] | None:
    """The part of the page that holds red ink (most of a page holds none: a seal is a
    few square centimetres), with room for its edges and the paper around them."""
    strong = (red.astype(np.int16) - green) > RED[0] * 255 + tint
    rows, cols = np.flatnonzero(strong.any(axis=1)), np.flatnonzero(strong.any(axis=0))
    if not len(rows):
        return None
    return (slice(max(0, rows[0] - reach), rows[-1] + reach + 1),
            slice(max(0, cols[0] - reach), cols[-1] + reach + 1))


def _lift(red: np.ndarray, redness: np.ndarray, size: int) -> np.ndarray:
    paper = cv2.dilate(red, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))).astype(np.float32)
    own = redness / np.maximum(paper, 1)
    share = np.clip((own - RED[0]) / (RED[1] - RED[0]), 0, 1)
    # a seal stroke's edge is red too, but JPEG decodes its colour at half the resolution
    # (and rings, grey, beside it at low quality) and a scanner blurs it: the colour of
    # the pixels beside it says what it is. A faint grey mark within two pixels of a seal
    # stroke is lifted with it; held to pixels with red of their own, the edges stayed
    # as outlines read as characters (seed 931014's title, refused again)
    share = cv2.dilate(share, np.ones((5, 5), np.uint8))
    # only what is still nearly as bright as paper in red: for the same reason black ink
    # under a seal is decoded red too, but it stays dark
    share *= np.clip((red / np.maximum(paper, 1) - BRIGHT[0]) / (BRIGHT[1] - BRIGHT[0]), 0, 1)
    out = red + share * np.maximum(paper - red, 0)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def _only_image(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    """The page's one image when the page is nothing but that image, upright."""
    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    images = [o for o in objects if o.type == raw.FPDF_PAGEOBJ_IMAGE]
    # invisible text (a scanner's OCR laid under its image) draws nothing
    if len(images) != 1 or any(o.type == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetTextRenderMode(
            o.raw) != raw.FPDF_TEXTRENDERMODE_INVISIBLE for o in objects):
        return None
    image = images[0]
    m = image.get_matrix()
    if abs(m.b) > 1e-6 or abs(m.c) > 1e-6 or m.a <= 0 or m.d <= 0:
        return None  # rotated or mirrored placement: let PDFium render it
    width, height = page.get_size()
    if m.a < FULL_PAGE * width or m.d < FULL_PAGE * height:
        return None
    return image


def embedded(page: pdfium.PdfPage, settings: ExtractSettings) -> PageImage | None:
    """The scan itself, at its native resolution, when the page is one image."""
    image = _only_image(page)
    if image is None:
        return None
    try:
        bitmap = image.get_bitmap(render=False)
    except pdfium.PdfiumError:
        return None
    pixels = bitmap.to_numpy()
    order = bitmap.mode if bitmap.mode in ("BGR", "BGRA", "BGRX", "RGB", "RGBA", "RGBX") else "RGB"
    grey = without_seal(pixels, order)
    m = image.get_matrix()
    height = page.get_size()[1]
    h_px, w_px = grey.shape[:2]
    return PageImage(np.ascontiguousarray(grey), w_px / m.a, h_px / m.d, left=m.e,
                     top=height - (m.f + m.d), renderer="embedded")


def rendered(page: pdfium.PdfPage, settings: ExtractSettings) -> PageImage:
    """The page rendered by PDFium at ``settings.dpi``, in colour, seal removed."""
    scale = settings.dpi / 72
    bitmap = page.render(scale=scale, rev_byteorder=True)
    grey = without_seal(bitmap.to_numpy(), "RGBA" if bitmap.n_channels == 4 else "RGB")
    return PageImage(np.ascontiguousarray(grey), scale, scale, renderer="pdfium")


Renderer = Callable[[pdfium.PdfPage, ExtractSettings], PageImage | None]
RENDERERS: dict[str, Renderer] = {"embedded": embedded, "pdfium": rendered}


def page_image(page: pdfium.PdfPage, settings: ExtractSettings) -> PageImage:
    """The first renderer that can read the page (PDFium always can)."""
    for render in RENDERERS.values():
        got = render(page, settings)
        if got is not None:
            return got
    raise AssertionError("the pdfium renderer always answers")


BILEVEL = 0.98  # share of the pixels that are not paper-white that are pure black in a 1-bit image


def is_bilevel(grey: np.ndarray) -> bool:
    """Does the image hold only black and white (a fax, a scan saved 1-bit)? Its pixels
    say on which side of an edge they fall, not where the edge runs through them. (The
    ink is asked, not the whole page: a rendered page is mostly pure white too, but
    its ink has grey edges.)"""
    sample = grey[::2, ::2]
    ink = sample[sample < 255]
    return bool(ink.size and np.mean(ink == 0) >= BILEVEL)
