"""Render a Form to .xlsx with openpyxl (merged cells, thin borders on every cell, A4 page
set-up fitted to the page width), then to PDF with LibreOffice Calc.

Calc cannot size rows of merged cells itself, so row heights are estimated here from the
text length and the merged width.  A spreadsheet row never splits across pages.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from faces import face
from forms import Form
from layout_model import Tbl, tables
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from render_docx import soffice_pdf

# Excel's paper size codes; 16K has none, and fit-to-width makes B5 the same layout.
PAPER = {"A4": 9, "A3": 8, "B5": 13, "Letter": 1, "16K": 13}
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _units(text: str, size: float = 9.5) -> float:
    """Approximate width of text set at ``size`` pt in Excel column units (a unit is about
    5.25 pt: a CJK character is an em, a Latin one about half), with a tenth to spare:
    Calc clips what does not fit its row."""
    return 1.1 * sum((0.55 if ord(ch) < 0x2E80 else 1.0) * size / 5.25 for ch in text)


def _write_table(ws, tbl: Tbl, top: int, total_units: float, size: float, ncols: int, font: str,
                 leading: float = 1.42, padding: float = 2.5) -> int:
    """Write tbl starting at sheet row `top`; returns the next free row."""
    # the sheet's columns are the union grid: tbl columns map onto sheet columns by fraction
    col_units = [total_units * f for f in tbl.fractions]
    edges = [0]
    for u in col_units:
        edges.append(edges[-1] + u)
    sheet_edges = [total_units * k / ncols for k in range(ncols + 1)]

    def sheet_col(k: int) -> int:   # first sheet column of table column k (1-based)
        x = edges[k]
        return min(range(ncols), key=lambda j: abs(sheet_edges[j] - x)) + 1

    starts = [sheet_col(k) for k in range(len(tbl.fractions))] + [ncols + 1]
    fonts = {size: Font(name=font, size=size)}
    covered = {(r, c) for r0, c0, r1, c1 in tbl.spans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    span_of = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in tbl.spans}
    heights = [1] * len(tbl.rows)
    for r, row in enumerate(tbl.rows):
        srow = top + r
        for c in range(len(tbl.fractions)):
            for sc in range(starts[c], starts[c + 1]):
                ws.cell(srow, sc).border = BOX
        for c, cell in enumerate(row):
            if cell is None or (r, c) in covered:
                continue
            r1, c1 = span_of.get((r, c), (r, c))
            target = ws.cell(srow, starts[c])
            target.font = fonts.setdefault(cell.size or size, Font(name=font, size=cell.size or size))
            target.alignment = Alignment(horizontal="left" if cell.align == "L" else "center",
                                         vertical="center", wrap_text=True, indent=cell.indent)
            if cell.text:
                target.value = cell.text      # as printed (amounts too: a text cell keeps "1,234.00")
                target.data_type = "s"
            if r1 > r or c1 > c or starts[c + 1] - starts[c] > 1:
                ws.merge_cells(start_row=srow, start_column=starts[c], end_row=top + r1,
                               end_column=starts[c1 + 1] - 1)
            if r1 == r and cell.text:
                width = sum(col_units[c:c1 + 1]) - 1.5
                k = (cell.size or size) / size
                lines = sum(math.ceil(_units(x, cell.size or size) / max(width, 2)) or 1
                            for x in cell.text.split("\n"))
                heights[r] = max(heights[r], lines * k)
    for r, lines in enumerate(heights):
        ws.row_dimensions[top + r].height = max(18, lines * size * leading + 2 * padding)
    return top + len(tbl.rows)


def _line(ws, row: int, ncols: int, text: str, size: float, font: str, align: str = "left",
          height: float = 20) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = ws.cell(row, 1, text)
    c.font = Font(name=font, size=size)
    c.alignment = Alignment(horizontal=align, vertical="center")
    ws.row_dimensions[row].height = height


def build_xlsx(form: Form, path: Path) -> None:
    lay = form.layout
    font = face(lay.font).family
    ncols = 48                      # a fine sheet grid every table's columns snap to
    total_units = 150.0 if lay.landscape else 104.0
    wb = Workbook()
    ws = wb.active
    ws.title = f"{form.year}年度"
    for k in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(k)].width = total_units / ncols
    row = 1
    if not lay.title_in_grid:
        _line(ws, row, ncols, form.title, 18, font, "center", 30)
        _line(ws, row + 1, ncols, f"（{form.year}年度）", 12, font, "center", 22)
        half = ncols * 3 // 4
        ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=half)
        ws.merge_cells(start_row=row + 2, start_column=half + 1, end_row=row + 2, end_column=ncols)
        ws.cell(row + 2, 1, f"填报部门（盖章）：{form.filler}").font = Font(name=font, size=10.5)
        right = ws.cell(row + 2, half + 1, f"单位：{form.money_unit}")
        right.font = Font(name=font, size=10.5)
        right.alignment = Alignment(horizontal="right")
        ws.row_dimensions[row + 2].height = 20
        row += 3
    for tbl in tables(form):
        if tbl.heading:
            _line(ws, row, ncols, tbl.heading, 11, font)
            row += 1
        row = _write_table(ws, tbl, row, total_units, lay.font_size, ncols, font,
                           lay.leading or 1.42, 2.5 if lay.padding is None else lay.padding)
        if lay.style != "grid" and not lay.stacked:
            row += 1
    _line(ws, row + 1, ncols, f"填表人：{form.filled_by}    填表日期：{form.date_printed}    "
                              f"联系电话：{form.phone}    填报单位负责人：{form.head}", 10.5, font)
    ws.page_setup.paperSize = PAPER[lay.page]
    ws.page_setup.orientation = "landscape" if lay.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if lay.margins_mm:
        mt, mr, mb, ml = (x / 25.4 for x in lay.margins_mm)
    else:
        mt, mr, mb, ml = 0.6, 0.5, 0.6, 0.5
    ws.page_margins.top, ws.page_margins.right, ws.page_margins.bottom, ws.page_margins.left = mt, mr, mb, ml
    ws.print_options.horizontalCentered = True
    if lay.page_numbers:
        ws.oddFooter.center.text = lay.footer.replace("{n}", "&P").replace("{m}", "&N")
        ws.oddFooter.center.font = font
    ws.print_area = f"A1:{get_column_letter(ncols)}{row + 1}"
    wb.save(str(path))


def render(form: Form, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="jixiao-xlsx-") as tmp:
        src = Path(tmp) / f"{form.name}.xlsx"
        build_xlsx(form, src)
        soffice_pdf(src, out)
