"""Render every bundled sample form to samples/<name>.pdf and write samples/<name>.expected.json.

Usage (from the repo root):  .venv/bin/python samples/generate.py [name ...]
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import expected_json  # noqa: E402
import pdfplumber  # noqa: E402
from forms import FORM_NAMES, Form  # noqa: E402
from synth import renderer  # noqa: E402


def build(name: str) -> dict:
    form: Form = importlib.import_module(f"forms.{name}").FORM
    assert form.name == name
    problems = expected_json.check(form)
    if problems and form.totals_add_up:
        raise SystemExit(f"{name}: " + "; ".join(problems))
    pdf = HERE / f"{name}.pdf"
    renderer(form.layout.producer)(form, pdf)
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        text = "".join(p.extract_text() or "" for p in doc.pages)
    if "(cid:" in text or form.department not in text.replace("\n", ""):
        raise SystemExit(f"{name}: the text layer does not read back as Chinese")
    record = expected_json.build(form, pdf, pages)
    (HERE / f"{name}.expected.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"name": name, "producer": form.layout.producer, "pages": pages, "problems": problems}


def main(argv: list[str]) -> int:
    names = argv or FORM_NAMES
    unknown = [n for n in names if n not in FORM_NAMES]
    if unknown:
        print(f"unknown sample(s): {', '.join(unknown)}; known: {', '.join(FORM_NAMES)}", file=sys.stderr)
        return 2
    for name in names:
        info = build(name)
        note = f"  (printed figures kept though: {'; '.join(info['problems'])})" if info["problems"] else ""
        print(f"{name}: {info['producer']}, {info['pages']} pages{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
