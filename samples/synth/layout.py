"""A random ``Layout``: producer, typeface, type size, paper, margins, column widths,
row heights, table style, headers, label wordings and section order.

Every axis is drawn independently where the producers allow it, so each kind of row
is cut by a page break at every point over enough forms.
"""

from __future__ import annotations

import random

import faces
from forms import PAGE_SIZES_MM, Layout
from layout_model import GRID_FRACTIONS, INDICATORS_TITLE, SECTION_FRACTIONS

from synth import vocab

PRODUCERS = ("reportlab", "docx", "xlsx", "html")
SECTIONS = ("texts", "prior", "tasks", "budget", "indicators")
# Base widths of indicator columns, by key (tables style)
IND_WIDTHS = {"l1": 0.09, "l2": 0.10, "l3": 0.16, "type": 0.07, "target": 0.11, "unit": 0.07,
              "annual": 0.09, "h1": 0.09, "q3": 0.09, "basis": 0.2}


def usable_faces(producer: str) -> list[str]:
    return [f.key for f in faces.FACES if f.installed() and (f.truetype or producer != "reportlab")]


def jitter(rng: random.Random, fractions, spread: float = 0.3) -> tuple[float, ...]:
    raw = [f * rng.uniform(1 - spread, 1 + spread) for f in fractions]
    return tuple(x / sum(raw) for x in raw)


def _label(rng: random.Random, canonical: str, wordings: tuple[str, ...], breakable: bool) -> str:
    text = wordings[0] if rng.random() < 0.5 else rng.choice(wordings)
    roll = rng.random()
    if breakable and roll < 0.06 and len(text) <= 8:
        return " ".join(text)                     # 部 门 职 能
    if breakable and roll < 0.12 and len(text) >= 5:
        cut = rng.randint(2, len(text) - 2)
        return text[:cut] + "\n" + text[cut:]     # wrapped by hand in a narrow label column
    return text


def _order(rng: random.Random) -> tuple[str, ...]:
    rest = list(SECTIONS)
    if rng.random() < 0.35:
        rng.shuffle(rest)
    return ("profile", *rest)


def random_layout(rng: random.Random, producer: str | None = None, face: str | None = None) -> Layout:
    producer = producer or rng.choice(PRODUCERS)
    face = face or rng.choice(usable_faces(producer))
    periods = rng.random() < 0.75
    style = rng.choice(("grid", "tables"))
    two_rows = rng.random() < 0.2
    extra = rng.random()
    unit_column = type_column = None
    if style == "tables" or periods:
        if extra < 0.2:
            unit_column = rng.choice(vocab.UNIT_COLUMNS)
        elif extra < 0.4:
            type_column = rng.choice(vocab.TYPE_COLUMNS)
        elif extra < 0.48 and style == "tables":
            unit_column, type_column = rng.choice(vocab.UNIT_COLUMNS), rng.choice(vocab.TYPE_COLUMNS)
    labels = {canon: _label(rng, canon, words, style == "grid") for canon, words in vocab.LABELS.items()}
    labels[INDICATORS_TITLE] = rng.choice(("绩效目标", "绩效目标", "绩效指标", "年度绩效指标", "部门整体绩效目标"))
    lay = Layout(
        producer=producer, style=style, landscape=rng.random() < 0.3, periods=periods,
        target_header=rng.choice(vocab.TARGET_HEADERS), basis_header=rng.choice(vocab.BASIS_HEADERS),
        amount_header=rng.choice(vocab.AMOUNT_HEADERS), order=_order(rng),
        section_heading=rng.choice(("row", "line")),
        attachment=rng.choice(("", "", "", "附件3", "附件 6-7", "附表2")),
        page_numbers=rng.random() < 0.7, font_size=rng.choice([x / 2 for x in range(13, 25)]),
        labels=labels, two_row_headers=two_rows, unit_column=unit_column, type_column=type_column,
        period_headers=rng.choice(vocab.PERIOD_HEADERS), budget_periods=rng.choice(vocab.BUDGET_PERIODS),
        footer=rng.choice(vocab.FOOTERS),
        continued="续表" if producer in ("reportlab",) and rng.random() < 0.25 else None,
        title_in_grid=rng.random() < 0.15, stacked=producer == "xlsx" and rng.random() < 0.3,
        font=face, page=rng.choice(("A4", "A4", "A4", *PAGE_SIZES_MM)),
        margins_mm=tuple(round(rng.uniform(8, 28), 1) for _ in range(4)),
        padding=round(rng.uniform(0.8, 6.0), 1), leading=round(rng.uniform(1.15, 1.6), 2),
        # (the seed's one-off table; a header repeated on the next page would cut the cell)
        item_spans_header=not two_rows and rng.random() < 0.1 and style == "grid",
    )
    lay.grid_fractions = jitter(rng, GRID_FRACTIONS[periods])
    lay.fractions = {sec: jitter(rng, SECTION_FRACTIONS[sec]) for sec in ("profile", "texts", "prior", "tasks")}
    lay.fractions["budget"] = jitter(rng, SECTION_FRACTIONS[("budget", periods)])
    keys = ["l1", "l2", "l3"] + (["type"] if type_column else []) + ["target"] + \
        (["unit"] if unit_column else []) + (["annual", "h1", "q3"] if periods else []) + ["basis"]
    lay.fractions["indicators"] = jitter(rng, [IND_WIDTHS[k] for k in keys])
    return lay


def describe(lay: Layout) -> dict:
    """The axes a benchmark groups by."""
    return {"producer": lay.producer, "face": lay.font, "face_style": faces.face(lay.font).style,
            "font_size": lay.font_size, "page": lay.page + (" landscape" if lay.landscape else ""),
            "style": lay.style, "periods": lay.periods, "two_row_headers": lay.two_row_headers,
            "unit_column": bool(lay.unit_column), "type_column": bool(lay.type_column),
            "title_in_grid": lay.title_in_grid, "order": list(lay.order)}
