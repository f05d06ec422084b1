"""Random 部门整体预算绩效目标申报表 whose truth is known: the measure of jixiao on forms
nobody tuned it on.

A seed fixes everything: content (departments, prose, a budget tree whose sums are
right, indicators with values drawn from their meaning, then spelled), layout (producer,
typeface, size, paper, margins, widths, heights, table style, wordings, order) and an
optional defect. ``write(seed, folder)`` renders ``synth_<seed>[_<defect>].pdf`` with its
expected export (``.expected.json``, as the bundled samples have) and a ``.meta.json``
naming the axes drawn, each indicator cell's value category and the defect's expected
issue.

    .venv/bin/python samples/synth/make.py --seeds 0-19 --out /tmp/forms [--defects]

Needs the producers' system parts (LibreOffice, the CJK font packages, pango for
WeasyPrint): ``make bench`` installs them.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent
if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))

import expected_json  # noqa: E402
from forms import Form  # noqa: E402

from synth import content, defects, layout  # noqa: E402

OPTIONAL = ("functions", "policies", "strategic_goals", "annual_goals", "prior", "tasks")


@dataclass(frozen=True)
class Generated:
    form: Form
    meta: dict


def generate(seed: int, defect: str | None = None, producer: str | None = None,
             face: str | None = None) -> Generated:
    """The form of ``seed`` (the same seed gives the same form), broken by ``defect``."""
    rng = random.Random(seed)
    lay = layout.random_layout(rng, producer, face)
    missing = set(rng.sample(OPTIONAL, rng.randint(1, 2))) if rng.random() < 0.12 else set()
    name = f"synth_{seed}" + (f"_{defect}" if defect else "")
    form, meta = content.make(rng, name, lay, missing)
    problems = expected_json.check(form)
    if problems:  # a generator bug: the truth of a correct form must add up
        raise AssertionError(f"seed {seed}: " + "; ".join(problems))
    meta = {"seed": seed, **layout.describe(lay), **meta}
    if defect:
        form, expect = defects.inject(random.Random(seed * 7919 + 17), form, defect)
        meta["defect"] = {"name": defect, **expect}
    return Generated(form, meta)


def renderer(producer: str):
    if producer == "reportlab":
        from render_reportlab import render
    elif producer == "docx":
        from render_docx import render
    elif producer == "xlsx":
        from render_xlsx import render
    elif producer == "html":
        from render_html import render
    else:
        raise ValueError(f"unknown producer {producer!r}")
    return render


class NotPrinted(Exception):
    """The producer did not print what the form holds (LibreOffice has dropped the rows
    of a table split across pages): its truth is not on the page, so it tests nothing."""


# fields the record repeats on every row that the form prints once (a merged group cell,
# a parent line), or that are not the page's text
NOT_PER_ROW = ("source", "issues", "level1", "level2", "parent", "title")


def check_printed(record: dict, printed: str, pdf: Path) -> None:
    """Raise ``NotPrinted`` when the PDF's text lacks more than 3% of the characters of
    the rows and texts the form holds (counted as a multiset: wraps and page breaks
    reorder text, they do not remove it)."""
    def strings(node) -> list[str]:
        if isinstance(node, dict):
            return [s for k, v in node.items() if k not in NOT_PER_ROW for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return [node] if isinstance(node, str) else []

    wanted = Counter(ch for text in strings(record) for ch in text if "\u4e00" <= ch <= "\u9fff")
    have = Counter(printed)
    missing = sum(max(0, n - have[ch]) for ch, n in wanted.items())
    if missing > 0.03 * max(1, sum(wanted.values())):
        raise NotPrinted(f"{pdf.name}: {missing} of {sum(wanted.values())} characters of its rows "
                         f"and texts are not printed")


def write(seed: int, folder: Path, defect: str | None = None, **axes) -> Path:
    """Render one generated form into ``folder``; returns the PDF's path."""
    import pdfplumber

    got = generate(seed, defect, **axes)
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{got.form.name}.pdf"
    renderer(got.form.layout.producer)(got.form, pdf)
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        printed = "".join("".join((page.extract_text() or "").split()) for page in doc.pages)
    record = expected_json.build(got.form, pdf, pages)
    check_printed(record, printed, pdf)
    pdf.with_suffix(".expected.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
    # the producer may have had to set the form smaller to lay it out
    meta = {**got.meta, **layout.describe(got.form.layout), "pages": pages}
    pdf.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return pdf


def scan_recipe(seed: int):
    """How the scan of a seed's form is made: 150–300 dpi, skewed up to 2°, blurred,
    noisy, on paper of some tone, JPEG quality 40–90, sometimes unevenly lit; the red
    seal over the header is make_scans' own."""
    from make_scans import Recipe

    rng = random.Random(seed * 104729 + 7)
    quality = rng.randint(40, 90)
    tone = rng.choice(((247.0, 245.0, 238.0), (250.0, 250.0, 248.0), (240.0, 236.0, 226.0),
                       (236.0, 237.0, 236.0)))
    return Recipe(dpi=rng.choice((150, 200, 250, 300)), skew=round(rng.uniform(0.4, 2.0), 2),
                  shadow=rng.random() < 0.3, variant="scan", quality=(quality, quality + 1),
                  paper=tone, blur=(0.5, 1.1), noise=round(rng.uniform(1.5, 3.5), 2))


def write_scan(seed: int, folder: Path, defect: str | None = None, **axes) -> Path:
    """The scan of a generated form (rendered first when missing), with its expected
    export and its meta (the form's, plus the scan's recipe)."""
    from make_scans import make_scan

    name = f"synth_{seed}" + (f"_{defect}" if defect else "")
    pdf = folder / f"{name}.pdf"
    if not (pdf.exists() and pdf.with_suffix(".meta.json").exists()):
        write(seed, folder, defect, **axes)
    recipe = scan_recipe(seed)
    scan = make_scan(pdf, recipe, folder)
    meta = json.loads(pdf.with_suffix(".meta.json").read_text(encoding="utf-8"))
    meta["scan"] = {"dpi": recipe.dpi, "skew": recipe.skew, "shadow": recipe.shadow,
                    "quality": recipe.quality[0], "paper": list(recipe.paper or ()),
                    "noise": recipe.noise}
    scan.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    return scan
