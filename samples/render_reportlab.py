"""Render a Form to PDF with reportlab platypus, drawing the layout_model tables.

Two styles: "grid" (one big ruled table with a left label column, like the real form)
and "tables" (one ruled table per section, header rows repeated on each page).
"""

from __future__ import annotations

import io
from pathlib import Path

import faces
from forms import Form, page_mm
from layout_model import Tbl, tables
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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

FONT = "WQY"  # the bundled samples' face; a generated form registers its own under its key


def _register(key: str) -> str:
    """The reportlab font name of a typeface (samples/faces.py), registered once."""
    name = FONT if key == "zenhei" else key
    if name not in pdfmetrics.getRegisteredFontNames():
        face = faces.face(key)
        if not face.truetype:
            raise ValueError(f"reportlab embeds TrueType outlines only; {face.family} is CFF")
        pdfmetrics.registerFont(TTFont(name, face.path, subfontIndex=face.index))
    return name


class Markup:
    """Paragraph markup in one typeface: characters the face lacks are set in the fallback
    face, as word processors do (otherwise reportlab would draw nothing for them)."""

    def __init__(self, key: str):
        self.key = key
        self.fallback = _register(faces.FALLBACK.key) if key != faces.FALLBACK.key else None

    def __call__(self, s: str) -> str:
        lacking = faces.missing(self.key, s) if self.fallback else set()
        out = []
        for ch in s:
            esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(ch, ch)
            out.append(f'<font face="{self.fallback}">{esc}</font>' if ch in lacking else esc)
        return "".join(out)


class Cells:
    """Paragraph factories for one typeface and font size."""

    def __init__(self, size: float, key: str = "zenhei", leading: float = 1.35):
        font = _register(key)
        self.esc = Markup(key)
        self.size, self.leading = size, leading
        lead = size * leading
        self.left = ParagraphStyle("l", fontName=font, fontSize=size, leading=lead, wordWrap="CJK")
        self.center = ParagraphStyle("c", parent=self.left, alignment=1)
        self.title = ParagraphStyle("t", fontName=font, fontSize=17, leading=24, alignment=1)
        self.sub = ParagraphStyle("s", fontName=font, fontSize=11, leading=16, alignment=1)
        self.line = ParagraphStyle("h", fontName=font, fontSize=10.5, leading=15)
        self.heading = ParagraphStyle("g", fontName=font, fontSize=11, leading=16, spaceBefore=8, spaceAfter=3,
                                      keepWithNext=1)
        self.heading_free = ParagraphStyle("gf", parent=self.heading, keepWithNext=0)

    def L(self, s: str) -> Paragraph | str:
        return Paragraph(self.esc(s), self.left) if s else ""

    def C(self, s: str) -> Paragraph | str:
        return Paragraph(self.esc(s), self.center) if s else ""

    def line_para(self, s: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self.esc(s), style)

    def cell(self, x) -> Paragraph | str:
        if not x or not x.text:
            return ""
        if x.size is None and "\n" not in x.text and not x.indent:
            return self.L(x.text) if x.align == "L" else self.C(x.text)
        style = self.left if x.align == "L" else self.center
        if x.size is not None:
            style = ParagraphStyle(f"{style.name}{x.size}", parent=style, fontSize=x.size,
                                   leading=x.size * self.leading)
        if x.indent:
            style = ParagraphStyle(f"{style.name}i{x.indent}", parent=style,
                                   leftIndent=x.indent * 1.5 * self.size)
        return Paragraph("<br/>".join(self.esc(p) for p in x.text.split("\n")), style)


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


def _table(tbl: Tbl, c: Cells, width: float, cont: str | None = None,
           padding: float | None = None, top_spans: bool = False, whole_rows: bool = False) -> SpanTable:
    data = [[c.cell(x) for x in row] for row in tbl.rows]
    cls = ContTable if cont else SpanTable
    # reportlab's in-row splitting draws parts of a split row in the wrong place (under
    # repeated header rows without the rule between them, or above the table on the next
    # page), so a generated form moves a row that does not fit whole to the next page;
    # rows cut by page breaks come from the word processor and HTML producers
    split_in_row = 0 if whole_rows else 1
    repeat = 0 if top_spans and not whole_rows else tbl.repeat  # a row taller than a page: split, unrepeated
    t = cls(data, colWidths=[width * x for x in tbl.fractions], splitInRow=split_in_row, splitByRow=1,
            repeatRows=repeat)
    if cont:
        t.cont, t.cont_style = cont, c.heading
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("BOX", (0, 0), (-1, -1), 1.0, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2 if padding is None else padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 if padding is None else padding + 1),
    ] + [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in tbl.spans]
      # a cell spanning rows is set from its top when its rows may be split across pages:
      # centred, the part left on a page can be shorter than its text, which then spills
      # over the cells above (the bundled samples, made before, keep their centring)
      + ([("VALIGN", (c0, r0), (c1, r1), "TOP") for r0, c0, r1, c1 in tbl.spans if r1 > r0]
         if top_spans else [])))
    return t


def _page_cb(form: Form, font: str, total: int | None = None):
    def draw(canvas, doc):
        if not form.layout.page_numbers:
            return
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(doc.pagesize[0] / 2, 20, form.layout.footer.format(n=doc.page, m=total))
        canvas.restoreState()
    return draw


def _head(form: Form, c: Cells, width: float) -> list:
    out = []
    if form.layout.attachment:
        out.append(c.line_para(form.layout.attachment, c.line))
    out.append(c.line_para(form.title, c.title))
    out.append(c.line_para(f"({form.year}年度)", c.sub))
    hdr = Table([[c.line_para(f"填报部门(盖章):{form.filler}", c.line),
                  c.line_para(f"单位:{form.money_unit}", c.line)]],
                colWidths=[width * 0.75, width * 0.25])
    hdr.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    out.append(hdr)
    out.append(Spacer(1, 3))
    return out


def _signoff(form: Form, c: Cells) -> list:
    gap = "&nbsp;" * 4
    s = gap.join(c.esc(x) for x in (f"填表人:{form.filled_by}", f"填表日期:{form.date_printed}",
                                    f"联系电话:{form.phone}", f"填报单位负责人:{form.head}"))
    return [Spacer(1, 6), Paragraph(s, c.line)]


def render(form: Form, out: Path) -> None:
    lay = form.layout
    font = _register(lay.font)
    size = tuple(x * mm for x in page_mm(lay))
    margin = 36 if lay.landscape else 40
    top, right, bottom, left = (x * mm for x in lay.margins_mm) if lay.margins_mm else \
        (margin, margin, margin + 6, margin)
    width = size[0] - left - right
    c = Cells(lay.font_size, lay.font, lay.leading or 1.35)
    whole_rows = lay.padding is not None  # a generated form (see _table); unless a row is taller than a page

    def story() -> list:
        out = [] if lay.title_in_grid else _head(form, c, width)
        for tbl in tables(form):
            if tbl.heading and lay.continued:
                # let the table split under its heading (a page's rest is used, the rest goes under 续表);
                # only a heading near the page foot moves on with it
                out.append(CondPageBreak(80))
                out.append(c.line_para(tbl.heading, c.heading_free))
            elif tbl.heading:
                out.append(c.line_para(tbl.heading, c.heading))
            out.append(_table(tbl, c, width, lay.continued, lay.padding, lay.padding is not None,
                              whole_rows))
            if lay.style != "grid":
                out.append(Spacer(1, 8))
        return out + _signoff(form, c)

    def build(target, total: int | None) -> int:
        doc = SimpleDocTemplate(target, pagesize=size, leftMargin=left, rightMargin=right,
                                topMargin=top, bottomMargin=bottom, title=form.title,
                                author=form.filler, creator="jixiao samples (reportlab)", invariant=True)
        cb = _page_cb(form, font, total)
        doc.build(story(), onFirstPage=cb, onLaterPages=cb)
        return doc.page

    # a footer with the page count ("第 N 页 共 M 页") needs the count: lay out once to learn it
    while True:
        try:
            total = build(io.BytesIO(), 0)
            break
        except Exception:  # noqa: BLE001 - reportlab's LayoutError (or its report of one)
            # a row taller than a page: a generated form is set smaller until its rows fit
            # whole (see _table); only then does reportlab split them
            if whole_rows and lay.font_size > 6.5:
                lay.font_size -= 0.5
                c = Cells(lay.font_size, lay.font, lay.leading or 1.35)
                continue
            if not whole_rows:
                raise
            whole_rows = False
    build(str(out), total if "{m}" in lay.footer else None)
