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


def write(seed: int, folder: Path, defect: str | None = None, **axes) -> Path:
    """Render one generated form into ``folder``; returns the PDF's path."""
    import pdfplumber

    got = generate(seed, defect, **axes)
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{got.form.name}.pdf"
    renderer(got.form.layout.producer)(got.form, pdf)
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    record = expected_json.build(got.form, pdf, pages)
    pdf.with_suffix(".expected.json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
    # the producer may have had to set the form smaller to lay it out
    meta = {**got.meta, **layout.describe(got.form.layout), "pages": pages}
    pdf.with_suffix(".meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return pdf
