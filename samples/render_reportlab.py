"""Render a Form to PDF with reportlab platypus, drawing the layout_model tables.

Two styles: "grid" (one big ruled table with a left label column, like the real form)
and "tables" (one ruled table per section, header rows repeated on each page).
"""

from __future__ import annotations

import io
from pathlib import Path

from forms import Form
from layout_model import Tbl, tables
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from rl_table import SpanTable

FONT = "WQY"
FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
def _register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Cells:
    """Paragraph factories for one font size."""

    def __init__(self, size: float):
        lead = size * 1.35
        self.left = ParagraphStyle("l", fontName=FONT, fontSize=size, leading=lead, wordWrap="CJK")
        self.center = ParagraphStyle("c", parent=self.left, alignment=1)
        self.title = ParagraphStyle("t", fontName=FONT, fontSize=17, leading=24, alignment=1)
        self.sub = ParagraphStyle("s", fontName=FONT, fontSize=11, leading=16, alignment=1)
        self.line = ParagraphStyle("h", fontName=FONT, fontSize=10.5, leading=15)
        self.heading = ParagraphStyle("g", fontName=FONT, fontSize=11, leading=16, spaceBefore=8, spaceAfter=3,
                                      keepWithNext=1)
        self.heading_free = ParagraphStyle("gf", parent=self.heading, keepWithNext=0)

    def L(self, s: str) -> Paragraph | str:
        return Paragraph(_esc(s), self.left) if s else ""

    def C(self, s: str) -> Paragraph | str:
        return Paragraph(_esc(s), self.center) if s else ""

    def cell(self, x) -> Paragraph | str:
        if not x or not x.text:
            return ""
        if x.size is None and "\n" not in x.text:
            return self.L(x.text) if x.align == "L" else self.C(x.text)
        style = self.left if x.align == "L" else self.center
        if x.size is not None:
            style = ParagraphStyle(f"{style.name}{x.size}", parent=style, fontSize=x.size, leading=x.size * 1.35)
        return Paragraph("<br/>".join(_esc(p) for p in x.text.split("\n")), style)


class ContTable(SpanTable):
    """A table whose continuation on the next page is headed by a line such as 续表."""

    cont: str | None = None
    cont_style: ParagraphStyle | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if self.cont and len(parts) == 2:
            parts[1].cont, parts[1].cont_style = self.cont, self.cont_style
            return [parts[0], PageBreak(), Paragraph(self.cont, self.cont_style), parts[1]]
        return parts


def _table(tbl: Tbl, c: Cells, width: float, cont: str | None = None) -> SpanTable:
    data = [[c.cell(x) for x in row] for row in tbl.rows]
    cls = ContTable if cont else SpanTable
    t = cls(data, colWidths=[width * x for x in tbl.fractions], splitInRow=1, splitByRow=1,
            repeatRows=tbl.repeat)
    if cont:
        t.cont, t.cont_style = cont, c.heading
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("BOX", (0, 0), (-1, -1), 1.0, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ] + [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in tbl.spans]))
    return t


def _page_cb(form: Form, total: int | None = None):
    def draw(canvas, doc):
        if not form.layout.page_numbers:
            return
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(doc.pagesize[0] / 2, 20, form.layout.footer.format(n=doc.page, m=total))
        canvas.restoreState()
    return draw


def _head(form: Form, c: Cells, width: float) -> list:
    out = []
    if form.layout.attachment:
        out.append(Paragraph(form.layout.attachment, c.line))
    out.append(Paragraph(form.title, c.title))
    out.append(Paragraph(f"({form.year}年度)", c.sub))
    hdr = Table([[Paragraph(f"填报部门(盖章):{form.filler}", c.line),
                  Paragraph(f"单位:{form.money_unit}", c.line)]],
                colWidths=[width * 0.75, width * 0.25])
    hdr.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    out.append(hdr)
    out.append(Spacer(1, 3))
    return out


def _signoff(form: Form, c: Cells) -> list:
    s = (f"填表人:{form.filled_by}&nbsp;&nbsp;&nbsp;&nbsp;填表日期:{form.date_printed}&nbsp;&nbsp;&nbsp;&nbsp;"
         f"联系电话:{form.phone}&nbsp;&nbsp;&nbsp;&nbsp;填报单位负责人:{form.head}")
    return [Spacer(1, 6), Paragraph(s, c.line)]


def render(form: Form, out: Path) -> None:
    _register()
    lay = form.layout
    size = landscape(A4) if lay.landscape else A4
    margin = 36 if lay.landscape else 40
    width = size[0] - 2 * margin
    c = Cells(lay.font_size)

    def story() -> list:
        out = [] if lay.title_in_grid else _head(form, c, width)
        for tbl in tables(form):
            if tbl.heading and lay.continued:
                # let the table split under its heading (a page's rest is used, the rest goes under 续表);
                # only a heading near the page foot moves on with it
                out.append(CondPageBreak(80))
                out.append(Paragraph(tbl.heading, c.heading_free))
            elif tbl.heading:
                out.append(Paragraph(tbl.heading, c.heading))
            out.append(_table(tbl, c, width, lay.continued))
            if lay.style != "grid":
                out.append(Spacer(1, 8))
        return out + _signoff(form, c)

    def build(target, total: int | None) -> int:
        doc = SimpleDocTemplate(target, pagesize=size, leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin + 6, title=form.title,
                                author=form.filler, creator="jixiao samples (reportlab)", invariant=True)
        cb = _page_cb(form, total)
        doc.build(story(), onFirstPage=cb, onLaterPages=cb)
        return doc.page

    # a footer with the page count ("第 N 页 共 M 页") needs the count: lay out once to learn it
    total = build(io.BytesIO(), 0) if "{m}" in lay.footer else None
    build(str(out), total)
