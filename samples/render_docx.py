"""Render a Form to .docx with python-docx (Word tables, merged cells, borders on every
cell), then to PDF with LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from faces import face
from forms import Form, page_mm
from layout_model import Tbl, tables

# The face of the document being built: build_docx sets it, so that every helper below
# that adds a run need not be handed it.
FONT = "WenQuanYi Zen Hei"


def _font(run_or_style, size: float | None = None) -> None:
    run_or_style.font.name = FONT
    if size:
        run_or_style.font.size = Pt(size)
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


# LibreOffice drops the character after a space where it wraps a line before a Chinese
# character ("2589 左右" prints "2589 右"): a number keeps its unit with a no-break space.
_KEEP = re.compile(r"(\d) (?=[\u4e00-\u9fff])")


def _cell_margins(table, top_pt: float) -> None:
    """Vertical padding of every cell (twentieths of a point)."""
    mar = OxmlElement("w:tblCellMar")
    for edge, value in (("top", top_pt), ("bottom", top_pt), ("left", 3), ("right", 3)):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), str(int(value * 20)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    table._tbl.tblPr.append(mar)


def _para(doc, text: str, size: float = 10.5, align=None, before: float = 0, after: float = 2):
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), size)
    return p


def _borders(table) -> None:
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "6")
        e.set(qn("w:space"), "0")
        e.set(qn("w:color"), "000000")
        borders.append(e)
    tblPr.append(borders)


def _repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    h.set(qn("w:val"), "true")
    trPr.append(h)


def _field(p, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


def _page_number_footer(section, fmt: str = "第 {n} 页") -> None:
    """fmt: literal text with {n} (PAGE field) and {m} (NUMPAGES field)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, piece in enumerate(fmt.replace("{m}", "{n}\0").split("{n}")):
        if k:
            _field(p, "NUMPAGES" if piece.startswith("\0") else "PAGE")
            piece = piece.lstrip("\0")
        if piece:
            _font(p.add_run(piece), 9)


def _table(doc, tbl: Tbl, width_cm: float, size: float, padding: float | None = None,
           leading: float | None = None) -> None:
    nrows, ncols = len(tbl.rows), len(tbl.fractions)
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    if padding is not None:
        _cell_margins(table, padding)
    widths = [Cm(width_cm * f) for f in tbl.fractions]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    for k in range(tbl.repeat):
        _repeat_header(table.rows[k])
    for r0, c0, r1, c1 in tbl.spans:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    covered = {(r, c) for r0, c0, r1, c1 in tbl.spans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    for r, row in enumerate(tbl.rows):
        for c, cell in enumerate(row):
            if cell is None or (r, c) in covered:
                continue
            tc = table.cell(r, c)
            tc.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            p = tc.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.space_before = Pt(0)
            if leading is not None:
                p.paragraph_format.line_spacing = Pt((cell.size or size) * leading)
            if cell.indent:
                p.paragraph_format.left_indent = Pt(cell.indent * 1.5 * (cell.size or size))
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.align == "L" else WD_ALIGN_PARAGRAPH.CENTER
            if cell.text:
                _font(p.add_run(_KEEP.sub("\\1\u00a0", cell.text)), cell.size or size)


def build_docx(form: Form, path: Path) -> None:
    global FONT
    lay = form.layout
    FONT = face(lay.font).family
    doc = Document()
    normal = doc.styles["Normal"]
    _font(normal, lay.font_size)
    sec = doc.sections[0]
    if lay.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
    page_w, page_h = page_mm(lay)
    sec.page_width, sec.page_height = Cm(page_w / 10), Cm(page_h / 10)
    top, right, bottom, left = (x / 10 for x in lay.margins_mm) if lay.margins_mm else (1.8, 1.6, 1.8, 1.6)
    sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = Cm(top), Cm(right), Cm(bottom), Cm(left)
    width_cm = page_w / 10 - left - right
    if lay.page_numbers:
        _page_number_footer(sec, lay.footer)
    if lay.attachment:
        _para(doc, lay.attachment, 10.5)
    if not lay.title_in_grid:
        _para(doc, form.title, 18, WD_ALIGN_PARAGRAPH.CENTER, after=4)
        _para(doc, f"（{form.year}年度）", 12, WD_ALIGN_PARAGRAPH.CENTER, after=6)
        _para(doc, f"填报部门（盖章）：{form.filler}" + "\u3000" * 8 + f"单位：{form.money_unit}", 10.5, after=4)
    for tbl in tables(form):
        if tbl.heading:
            h = _para(doc, tbl.heading, 11, before=0 if tbl.page_break else 8, after=3)
            h.paragraph_format.page_break_before = tbl.page_break or None
            if lay.continued:
                h.paragraph_format.keep_with_next = True
        elif tbl.page_break:
            _para(doc, "", 6, after=0).runs[0].add_break(WD_BREAK.PAGE)
        _table(doc, tbl, width_cm, lay.font_size, lay.padding, lay.leading)
        if lay.style != "grid":
            _para(doc, "", 6, after=0)
    _para(doc, f"填表人：{form.filled_by}\u3000\u3000填表日期：{form.date_printed}\u3000\u3000"
               f"联系电话：{form.phone}\u3000\u3000填报单位负责人：{form.head}", 10.5, before=6)
    doc.core_properties.title = form.title
    doc.core_properties.author = form.filler
    doc.save(str(path))


def soffice_pdf(src: Path, out: Path) -> None:
    """Convert with LibreOffice in a private profile (other soffice runs don't interfere)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(tmp) / (src.stem + ".pdf")), out)


def render(form: Form, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="jixiao-docx-") as tmp:
        src = Path(tmp) / f"{form.name}.docx"
        build_docx(form, src)
        soffice_pdf(src, out)
