"""Scans of the bundled born-digital samples: what a finance bureau actually receives.

Each page is rasterised, stamped with a red seal over the header (page 1), rotated a
little, blurred, given sensor noise and JPEG-compressed, then wrapped as an image-only
PDF at the scan's resolution. The expected export of a scan is the born-digital one
with ``source.file``/``sha256``/``page_kinds`` changed: the same declaration, read
another way.

Usage (from the repo root):

    .venv/bin/python samples/make_scans.py                   # the committed set
    .venv/bin/python samples/make_scans.py --dpi 150 --skew 2.5 --shadow --out /tmp/x NAME

Everything is seeded by the sample name, dpi and variant, so a rerun gives the same
images (the PDF bytes may still differ with the Pillow version, hence the JSON is
rewritten each time). The seal's ring text needs the WenQuanYi font; without it the
seal is a ring and a star only.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
OUT = HERE / "scans"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PAPER = np.array([247.0, 245.0, 238.0])  # slightly warm paper
SEAL_RED = np.array([205.0, 35.0, 45.0])
# The committed set: the seven first samples at 300 dpi, three at 200 dpi (repo size,
# test time); samples added later are scanned on request (name them).
AT_300 = ("changzhou_eco_2024", "kunshan_market_2024", "nantong_edu_2022", "suqian_agri_2022",
          "wuxi_health_2023", "xuzhou_transport_2023", "yancheng_hpf_2021")
AT_200 = ("yancheng_hpf_2021", "nantong_edu_2022", "changzhou_eco_2024")


@dataclass(frozen=True)
class Recipe:
    """How one scan is made; ``skew`` is the largest rotation in degrees, ``quality``
    the range the JPEG quality is drawn from, ``paper`` the paper's colour (None: the
    usual warm white), ``blur`` the range of the blur radius at 300 dpi."""

    dpi: int
    skew: float = 1.5
    shadow: bool = False
    variant: str = ""
    quality: tuple[int, int] = (55, 81)
    paper: tuple[float, float, float] | None = None
    blur: tuple[float, float] = (0.6, 0.9)
    noise: float = 2.0

    def suffix(self) -> str:
        return f"_{self.dpi}dpi" + (f"_{self.variant}" if self.variant else "")


def rng_for(name: str, recipe: Recipe) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{name}{recipe.suffix()}".encode()))


def render(page: pdfium.PdfPage, dpi: int, paper: np.ndarray = PAPER) -> np.ndarray:
    """The page as float RGB at ``dpi``, ink on paper colour."""
    grey = page.render(scale=dpi / 72, grayscale=True).to_numpy().astype(np.float32)
    if grey.ndim == 3:
        grey = grey[..., 0]
    ink = 1.0 - grey / 255.0  # 0 paper … 1 black
    toner = np.array([28.0, 28.0, 32.0])
    return paper * (1 - ink[..., None]) + toner * ink[..., None]


def header_point(page: pdfium.PdfPage) -> tuple[float, float] | None:
    """Where the seal goes: over the 填报部门 line, as (x, y) in points from the top left."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        at = text.find("填报部门")
        if at < 0:
            return None
        boxes = [textpage.get_charbox(i) for i in range(at, min(len(text), at + 14))]
    finally:
        textpage.close()
    height = page.get_size()[1]
    x = (boxes[0][0] + boxes[-1][2]) / 2 + 40
    y = height - (boxes[0][1] + boxes[0][3]) / 2
    return x, y


def seal_mask(size: int, name: str) -> np.ndarray:
    """A round official seal (ring, star, ring text) as ink coverage 0..1."""
    img = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(img)
    c = size / 2
    w = max(2, size // 28)
    draw.ellipse((w, w, size - w, size - w), outline=255, width=w)
    star = [(c + math.cos(math.radians(-90 + k * 36)) * (size * (0.16 if k % 2 else 0.07)),
             c + math.sin(math.radians(-90 + k * 36)) * (size * (0.16 if k % 2 else 0.07)))
            for k in range(10)]
    star = [(c + (x - c) * 1, c + (y - c) * 1) for x, y in star]
    draw.polygon([star[(k * 1) % 10] for k in range(10)], fill=255)
    if FONT.exists():
        text = (name + "专用章")[:14]
        font = ImageFont.truetype(str(FONT), int(size * 0.11))
        spread = 220.0
        for k, ch in enumerate(text):
            angle = -90 - spread / 2 + spread * (k + 0.5) / len(text)
            glyph = Image.new("L", (int(size * 0.14),) * 2, 0)
            ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255,
                                       font=font, anchor="mm")
            glyph = glyph.rotate(-(angle + 90), resample=Image.BICUBIC)
            r = size * 0.36
            x = c + r * math.cos(math.radians(angle)) - glyph.width / 2
            y = c + r * math.sin(math.radians(angle)) - glyph.height / 2
            img.paste(255, (int(x), int(y)), glyph)
    return np.asarray(img, dtype=np.float32) / 255.0


def stamp(rgb: np.ndarray, centre: tuple[float, float], dpi: int, name: str,
          rng: np.random.Generator) -> np.ndarray:
    """Multiply a red seal onto the page, unevenly inked as a real stamp is."""
    size = int(1.65 * dpi)  # a 42 mm seal
    mask = seal_mask(size, name)
    mask *= rng.uniform(0.55, 0.95, size=mask.shape).astype(np.float32)
    cx, cy = int(centre[0] * dpi / 72), int(centre[1] * dpi / 72)
    x0, y0 = cx - size // 2, cy - size // 2
    h, w = rgb.shape[:2]
    sx0, sy0 = max(0, -x0), max(0, -y0)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(w, x0 + size - sx0), min(h, y0 + size - sy0)
    part = mask[sy0:sy0 + y1 - y0, sx0:sx0 + x1 - x0, None]
    tint = 1 - part * (1 - SEAL_RED / 255.0)
    rgb[y0:y1, x0:x1] *= tint
    return rgb


def shadow(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A photo-like shading: darker towards one corner and along the spine."""
    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    corner = rng.integers(0, 4)
    fx = xx / w if corner % 2 == 0 else 1 - xx / w
    fy = yy / h if corner < 2 else 1 - yy / h
    light = 1 - 0.35 * (fx * fy) ** 1.5 - 0.18 * np.exp(-((xx / w) ** 2) / 0.004)
    return rgb * light[..., None]


def degrade(rgb: np.ndarray, recipe: Recipe, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(0.3, recipe.skew)) * (1 if rng.random() < 0.5 else -1)
    if recipe.shadow:
        rgb = shadow(rgb, rng)
    paper = recipe.paper or PAPER
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=tuple(int(v) for v in paper))
    img = img.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(*recipe.blur))
                                              * recipe.dpi / 300))
    arr = np.asarray(img, dtype=np.float32)
    # sensor noise, correlated over a pixel or two as a scanner's is
    noise = rng.normal(0, recipe.noise, size=arr.shape[:2]).astype(np.float32)
    arr = arr + cv2.GaussianBlur(noise, (0, 0), 0.7)[..., None] * 1.7
    # dust: a few dark specks
    for _ in range(int(rng.integers(15, 40))):
        y, x = int(rng.integers(0, arr.shape[0] - 3)), int(rng.integers(0, arr.shape[1] - 3))
        arr[y:y + 2, x:x + 2] *= 0.55
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def make_scan(pdf_path: Path, recipe: Recipe, out_dir: Path) -> Path:
    name = pdf_path.stem
    rng = rng_for(name, recipe)
    expected = json.loads(pdf_path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    pdf = pdfium.PdfDocument(str(pdf_path))
    images = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            rgb = render(page, recipe.dpi, np.array(recipe.paper) if recipe.paper else PAPER)
            at = header_point(page) if index == 0 else None
            if at is not None:
                rgb = stamp(rgb, at, recipe.dpi, expected["department"], rng)
            images.append(degrade(rgb, recipe, rng))
            page.close()
    finally:
        pdf.close()
    quality = int(rng.integers(*recipe.quality))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}{recipe.suffix()}.pdf"
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:],
                   resolution=float(recipe.dpi), quality=quality, subsampling=2, optimize=True,
                   title=f"{name} scan", creator="samples/make_scans.py")
    target.write_bytes(buffer.getvalue())
    record = dict(expected)
    record["source"] = {**expected["source"], "file": target.name,
                        "sha256": hashlib.sha256(buffer.getvalue()).hexdigest(),
                        "page_kinds": ["scan"] * len(images)}
    target.with_suffix(".expected.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def committed_set() -> list[tuple[Path, Recipe]]:
    jobs = [(HERE / f"{name}.pdf", Recipe(300)) for name in AT_300]
    jobs += [(HERE / f"{name}.pdf", Recipe(200)) for name in AT_200]
    return jobs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="sample names (default: the committed set)")
    parser.add_argument("--dpi", type=int)
    parser.add_argument("--skew", type=float, default=1.5, help="largest rotation, degrees")
    parser.add_argument("--shadow", action="store_true", help="add a photo-like shading")
    parser.add_argument("--variant", default="", help="suffix naming the variant")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.dpi is None and not args.names:
        jobs = committed_set()
    else:
        names = args.names or [p.stem for p, _ in committed_set()]
        recipe = Recipe(args.dpi or 300, args.skew, args.shadow, args.variant)
        jobs = [(HERE / f"{n}.pdf", recipe) for n in dict.fromkeys(names)]
    for pdf_path, recipe in jobs:
        target = make_scan(pdf_path, recipe, args.out)
        pages = len(pdfium.PdfDocument(str(target)))
        size = target.stat().st_size
        print(f"{target.name}: {pages} pages, {size // 1024} KB ({size // 1024 // pages} KB/page)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
