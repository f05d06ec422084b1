"""Files that hold more than one form, or a form among other pages, as departments send
them: generated forms one after another in one file ("concatenated"), or one form
bound inside a real published budget booklet ("booklet": pages of a file in
../shared/real-samples before it and after it, whose own years and departments are
not the form's).

``write_bundle(seed, folder, kind)`` writes ``bundle_<kind>_<seed>.pdf`` with
``.expected.json`` (a list: each form's expected export, its ``source`` naming the
bundle and the form's pages in it) and ``.meta.json`` (the forms' seeds and page
ranges, and the pages that are part of no form).

    .venv/bin/python samples/synth/bundle.py --seeds 0-9 --kind booklet --out /tmp/bundles
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import write  # noqa: E402

KINDS = ("concatenated", "booklet")
REAL_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "real-samples"
# forms of one bundle come from seeds this far apart, so that no bundle repeats a
# seed of the single-form ranges near it
SEED_STRIDE = 1_000_000


def booklets() -> list[Path]:
    """The real booklets (published budget PDFs with several pages)."""
    return sorted(p for p in REAL_SAMPLES.glob("*.pdf"))


def join_pages(parts: list[tuple[Path, list[int] | None]], out: Path) -> int:
    """Write the pages (0-based; None: all) of each part, in order, as one PDF."""
    import pypdfium2 as pdfium

    dst = pdfium.PdfDocument.new()
    try:
        for path, pages in parts:
            src = pdfium.PdfDocument(str(path))
            try:
                dst.import_pages(src, pages)
            finally:
                src.close()
        dst.save(str(out))
        return len(dst)
    finally:
        dst.close()


def _page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def write_bundle(seed: int, folder: Path, kind: str, forms: Path | None = None) -> Path:
    """Write the bundle of ``seed`` into ``folder`` (its forms are rendered into
    ``forms``, a folder of their own, default ``folder/forms``); returns its path."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r} (one of {', '.join(KINDS)})")
    rng = random.Random(seed * 7907 + KINDS.index(kind))
    folder.mkdir(parents=True, exist_ok=True)
    forms = forms or folder / "forms"
    count = rng.choice((2, 2, 3)) if kind == "concatenated" else 1
    form_pdfs = [write(seed + k * SEED_STRIDE, forms) for k in range(count)]
    parts: list[tuple[Path, list[int] | None]] = []
    placed: list[tuple[Path, int, int]] = []  # form pdf, first page, last page
    other: list[int] = []
    page = 0
    if kind == "booklet":
        book = rng.choice(booklets())
        n = _page_count(book)
        cut = rng.randint(1, min(6, n - 1))  # booklet pages before the form
        after = rng.randint(0, min(3, n - cut))
        before_pages = list(range(cut))
        after_pages = list(range(cut, cut + after))
        parts.append((book, before_pages))
        other += range(1, cut + 1)
        page = cut
    for pdf in form_pdfs:
        n = _page_count(pdf)
        parts.append((pdf, None))
        placed.append((pdf, page + 1, page + n))
        page += n
    if kind == "booklet" and after_pages:
        parts.append((book, after_pages))
        other += range(page + 1, page + len(after_pages) + 1)
        page += len(after_pages)
    out = folder / f"bundle_{kind}_{seed}.pdf"
    total = join_pages(parts, out)
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    expected = []
    for pdf, first, last in placed:
        record = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
        record["source"] = {**record["source"], "file": out.name, "sha256": sha, "pages": total,
                            "page_kinds": ["text"] * total, "first_page": first, "last_page": last}
        expected.append(record)
    meta = {"seed": seed, "kind": kind,
            "forms": [{"seed": seed + k * SEED_STRIDE, "first_page": first, "last_page": last,
                       **{key: json.loads(pdf.with_suffix(".meta.json").read_text("utf-8"))[key]
                          for key in ("producer", "face")}}
                      for k, (pdf, first, last) in enumerate(placed)],
            "other_pages": other, "pages": total}
    if kind == "booklet":
        meta["booklet"] = book.name
    out.with_suffix(".expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    from synth.make import seeds

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--kind", choices=KINDS, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    for seed in seeds(args.seeds):
        print(write_bundle(seed, args.out, args.kind), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
