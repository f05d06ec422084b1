"""A generated form as departments' files arrive (the issue on forms as they arrive):
the same form, spoiled one ordinary way, with the same truth.

- ``turned``: its scan with the page images turned (sideways, upside down), as a form
  fed the wrong way; most pages of a file one way, now and then one page another.
- ``rotated``: the born-digital file with /Rotate set on its pages, displaying upright
  text on its side or upside down, as an editor or a printer driver stores it.
- ``unmapped``: the born-digital file with its fonts' ToUnicode maps taken out.
- ``fax``: the form sent by fax, 1-bit black and white at 200 dpi (standard fine mode).
- ``photo``: a phone photo of the printed form: the sheet on a darker desk, seen at
  an angle (perspective), lit unevenly, JPEG-compressed.
- ``searchable``: its scan as a scanner's "searchable PDF": the image, with the
  scanner's own OCR laid under it as invisible text, some figures misread.

``write_arrival(seed, folder, kind)`` writes ``synth_<seed>_<kind>.pdf`` with its
``.expected.json`` (the form's truth, ``source`` naming this file) and ``.meta.json``
(the form's axes and what was done to it); the clean equivalent it is measured
against is ``synth_<seed>.pdf`` (or its scan, for ``turned`` and ``searchable``) in
``folder/clean``.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from pathlib import Path

import numpy as np

from synth import write, write_scan

KINDS = ("turned", "rotated", "unmapped", "fax", "photo", "searchable")
TURNS = (90, 180, 270)


def _page_images(pdf: Path, dpi: int | None = None) -> list[tuple[np.ndarray, float]]:
    """Each page as RGB pixels and its resolution: a scan's own image, or the page
    rendered at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for page in doc:
            if dpi is None:
                (image,) = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
                pil = image.get_bitmap(render=False).to_pil().convert("RGB")
                out.append((np.asarray(pil), pil.width / (page.get_size()[0] / 72)))
            else:
                out.append((page.render(scale=dpi / 72).to_numpy()[..., :3].copy(), float(dpi)))
        return out
    finally:
        doc.close()


def _save_images(images: list, dpi: float, out: Path, **options) -> None:
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi, **options)


def turn_pages(scan: Path, out: Path, turns: list[int]) -> Path:
    """The scan with each page's image turned ``turns[k]`` degrees clockwise, saved as a
    new scan (its pages are not marked turned: the paper went in the wrong way)."""
    from PIL import Image

    pages = _page_images(scan)
    images = [Image.fromarray(rgb).rotate(-turn, expand=True)
              for (rgb, _), turn in zip(pages, turns, strict=True)]
    _save_images(images, pages[0][1], out, quality=85)
    return out


def turned_scan(scan: Path, out: Path, rng: random.Random) -> dict:
    main = rng.choice(TURNS)
    turns = [main if rng.random() > 0.15 else rng.choice((0, *TURNS)) for _ in _page_images(scan)]
    turn_pages(scan, out, turns)
    return {"turns": turns}


def stored_turned(pdf: Path, out: Path, degrees: int) -> Path:
    """The file with every page's /Rotate set to ``degrees``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        for page in doc:
            page.set_rotation(degrees)
        doc.save(str(out))
    finally:
        doc.close()
    return out


def rotated(pdf: Path, out: Path, rng: random.Random) -> dict:
    degrees = rng.choice(TURNS)
    stored_turned(pdf, out, degrees)
    return {"rotate": degrees}


def without_char_maps(pdf: Path, out: Path) -> Path:
    """The file with every font's ToUnicode map taken out: its text layer then decodes
    glyph numbers as whatever characters they happen to be."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader, writer = PdfReader(pdf), PdfWriter()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
        writer.add_page(page)
    writer.write(out)
    return out


def unmapped(pdf: Path, out: Path, rng: random.Random) -> dict:
    without_char_maps(pdf, out)
    return {}


def fax(pdf: Path, out: Path, rng: random.Random) -> dict:
    """200 dpi, 1 bit: the page thresholded near mid-grey (a fax machine's slicer),
    with a little toner noise, and a skew up to 1°."""
    from PIL import Image

    threshold = rng.randint(110, 170)
    skew = round(rng.uniform(-1.0, 1.0), 2)
    noise = np.random.default_rng(rng.randrange(1 << 30))
    images = []
    for rgb, _ in _page_images(pdf, 200):
        grey = Image.fromarray(rgb).convert("L").rotate(skew, fillcolor=255, resample=Image.BILINEAR)
        pixels = np.asarray(grey).astype(np.int16) + noise.normal(0, 12, grey.size[::-1]).astype(np.int16)
        images.append(Image.fromarray((pixels >= threshold).astype(np.uint8) * 255).convert("1"))
    _save_images(images, 200.0, out)
    return {"threshold": threshold, "skew": skew}


def camera_view(w: int, h: int, canvas: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Where a w × h sheet's corners (top-left, top-right, bottom-right, bottom-left)
    land in a photo of ``canvas`` (width, height) pixels: the sheet tilted up to 20°
    about each of its axes and turned up to 6° in its plane, seen by a pinhole camera
    (a phone's 26-30 mm lens) from where it fills about four fifths of the frame."""
    import math

    cw, ch = canvas
    f = math.hypot(cw, ch) * rng.uniform(0.85, 1.1)
    rx, ry = (math.radians(rng.uniform(-20, 20)) for _ in range(2))
    rz = math.radians(rng.uniform(-6, 6))

    def turn(a: float, axis: int) -> np.ndarray:
        c, s = math.cos(a), math.sin(a)
        m = np.eye(3)
        i, j = [k for k in range(3) if k != axis]
        m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
        return m

    rotation = turn(rz, 2) @ turn(ry, 1) @ turn(rx, 0)
    distance = f * max(w / cw, h / ch) / 0.8
    corners = []
    for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        p = rotation @ np.array([x, y, 0.0]) + np.array([0.0, 0.0, distance])
        corners.append((f * p[0] / p[2] + cw / 2, f * p[1] / p[2] + ch / 2))
    return np.float32(corners)


def photo(pdf: Path, out: Path, rng: random.Random) -> dict:
    """The sheet photographed: rendered at 220 dpi, seen at an angle by a camera
    (``camera_view``) on a darker desk filling a frame a third larger than the sheet, a
    light falling off across it, camera noise, JPEG 60-85."""
    import cv2
    from PIL import Image

    images = []
    desk = np.array([rng.randint(40, 110), rng.randint(35, 100), rng.randint(30, 90)], np.float32)
    quality = rng.randint(60, 85)
    for rgb, _ in _page_images(pdf, 220):
        h, w = rgb.shape[:2]
        canvas_w, canvas_h = int(w * 1.3), int(h * 1.3)
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = camera_view(w, h, (canvas_w, canvas_h), rng)
        matrix = cv2.getPerspectiveTransform(src, dst)
        sheet = cv2.warpPerspective(rgb.astype(np.float32), matrix, (canvas_w, canvas_h),
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=(-1, -1, -1))
        outside = sheet[..., 0] < 0
        sheet[outside] = desk
        yy, xx = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        ramp = (np.cos(angle) * xx / canvas_w + np.sin(angle) * yy / canvas_h)
        light = 1.0 - rng.uniform(0.15, 0.35) * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
        sheet *= light[..., None]
        sheet += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 4, sheet.shape)
        images.append(Image.fromarray(np.clip(sheet, 0, 255).astype(np.uint8)))
    buffer = io.BytesIO()
    _save_images(images, 220.0, buffer, quality=quality)
    out.write_bytes(buffer.getvalue())
    return {"quality": quality}


# what a scanner's own OCR misreads in figures now and then (its layer is unchecked)
_MISREAD = str.maketrans("3861", "8369")


def searchable(scan: Path, printed: Path, out: Path, rng: random.Random) -> dict:
    """The scan as a scanner's "searchable PDF" saves it: each page its image, with the
    scanner's OCR of it laid under it as invisible text (render mode 3) where the
    characters stand. Its OCR is the printed text with some figures misread (3→8,
    8→3, 6→9, 1→6): what a person sees is the image, what a text layer says is that."""
    import pdfplumber
    from faces import FACES
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    face = FACES[0]
    pdfmetrics.registerFont(TTFont("scanner-ocr", face.path, subfontIndex=face.index))
    share = rng.uniform(0.05, 0.2)  # of the figures its OCR misreads
    misread = 0
    page_images = _page_images(scan)
    with pdfplumber.open(printed) as doc:
        sheet = canvas.Canvas(str(out))
        for (rgb, _), page in zip(page_images, doc.pages, strict=True):
            width, height = float(page.width), float(page.height)
            sheet.setPageSize((width, height))
            buffer = io.BytesIO()
            Image.fromarray(rgb).save(buffer, "JPEG", quality=85)
            buffer.seek(0)
            sheet.drawImage(ImageReader(buffer), 0, 0, width, height)
            for ch in page.chars:
                text = ch["text"]
                if text.isdigit() and rng.random() < share:
                    text, misread = text.translate(_MISREAD), misread + 1
                layer = sheet.beginText()
                layer.setTextRenderMode(3)
                layer.setFont("scanner-ocr", max(1.0, ch["size"]))
                layer.setTextOrigin(ch["x0"], height - ch["bottom"])
                layer.textOut(text)
                sheet.drawText(layer)
            sheet.showPage()
        sheet.save()
    return {"figures_misread": misread}


def write_arrival(seed: int, folder: Path, kind: str) -> Path:
    """Write the form of ``seed`` spoiled as ``kind`` says (module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    rng = random.Random(seed * 7919 + KINDS.index(kind) * 104729)
    clean_folder = folder / "clean"
    scanned = kind in ("turned", "searchable")
    clean = write_scan(seed, clean_folder) if scanned else write(seed, clean_folder)
    out = folder / f"synth_{seed}_{kind}.pdf"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "searchable":
        made = searchable(clean, clean_folder / f"synth_{seed}.pdf", out, rng)
    else:
        made = {"turned": turned_scan, "rotated": rotated, "unmapped": unmapped, "fax": fax,
                "photo": photo}[kind](clean, out, rng)
    expected = json.loads(clean.with_suffix(".expected.json").read_text(encoding="utf-8"))
    pages = expected["source"]["pages"]
    expected["source"] = {**expected["source"], "file": out.name,
                          "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
                          "page_kinds": ["text" if kind == "rotated" else "scan"] * pages}
    out.with_suffix(".expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1)
                                                 + "\n", encoding="utf-8")
    meta = json.loads(clean.with_suffix(".meta.json").read_text(encoding="utf-8"))
    meta = {**meta, "arrival": {"kind": kind, "clean": clean.name, **made}}
    out.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return out
