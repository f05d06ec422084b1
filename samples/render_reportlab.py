"""Render a Form to PDF with reportlab platypus, drawing the layout_model tables.

Two styles: "grid" (one big ruled table with a left label column, like the real form)
and "tables" (one ruled table per section, header rows repeated on each page).
"""

from __future__ import annotations

from pathlib import Path

from forms import Form
from layout_model import Tbl, tables
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
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

    def L(self, s: str) -> Paragraph | str:
        return Paragraph(_esc(s), self.left) if s else ""

    def C(self, s: str) -> Paragraph | str:
        return Paragraph(_esc(s), self.center) if s else ""


def _table(tbl: Tbl, c: Cells, width: float) -> SpanTable:
    data = [[(c.L(x.text) if x.align == "L" else c.C(x.text)) if x else "" for x in row] for row in tbl.rows]
    t = SpanTable(data, colWidths=[width * x for x in tbl.fractions], splitInRow=1, splitByRow=1,
                  repeatRows=tbl.repeat)
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


def _page_cb(form: Form):
    def draw(canvas, doc):
        if not form.layout.page_numbers:
            return
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(doc.pagesize[0] / 2, 20, f"第 {doc.page} 页")
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
    story = _head(form, c, width)
    for tbl in tables(form):
        if tbl.heading:
            story.append(Paragraph(tbl.heading, c.heading))
        story.append(_table(tbl, c, width))
        if lay.style != "grid":
            story.append(Spacer(1, 8))
    story += _signoff(form, c)
    doc = SimpleDocTemplate(str(out), pagesize=size, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin + 6, title=form.title,
                            author=form.filler, creator="jixiao samples (reportlab)", invariant=True)
    cb = _page_cb(form)
    doc.build(story, onFirstPage=cb, onLaterPages=cb)
