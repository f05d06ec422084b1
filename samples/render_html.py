"""Render a Form to PDF through HTML and WeasyPrint: an HTML engine's tables (rows that
break across pages wherever the page ends, header rows repeated from <thead>), drawing
the same layout_model tables as the other producers."""

from __future__ import annotations

import html
from pathlib import Path

from faces import FALLBACK, face
from forms import Form, page_mm
from layout_model import Tbl, tables


def _cell(x, tag: str, span: tuple[int, int]) -> str:
    rows, cols = span
    attrs = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    if x is None or not x.text:
        return f"<{tag}{attrs}></{tag}>"
    style = []
    if x.align == "L":
        style.append("text-align:left")
    if x.size:
        style.append(f"font-size:{x.size}pt")
    if x.indent:
        style.append(f"padding-left:{1.5 * x.indent + 0.25}em")
    text = "<br>".join(html.escape(p) for p in x.text.split("\n"))
    css = f' style="{";".join(style)}"' if style else ""
    return f"<{tag}{attrs}{css}>{text}</{tag}>"


def _table(tbl: Tbl) -> str:
    span_of = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in tbl.spans}
    covered = {(r, c) for r0, c0, r1, c1 in tbl.spans for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    cols = "".join(f'<col style="width:{100 * f:.3f}%">' for f in tbl.fractions)
    head, body = [], []
    for r, row in enumerate(tbl.rows):
        cells = "".join(_cell(x, "td", span_of.get((r, c), (1, 1)))
                        for c, x in enumerate(row) if (r, c) not in covered)
        (head if r < tbl.repeat else body).append(f"<tr>{cells}</tr>")
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return f"<table><colgroup>{cols}</colgroup>{thead}<tbody>{''.join(body)}</tbody></table>"


def _footer(fmt: str) -> str:
    """A CSS content value for a footer like "第 {n} 页 共 {m} 页"."""
    parts = []
    rest = fmt
    while rest:
        n, m = rest.find("{n}"), rest.find("{m}")
        cut = min(x for x in (n, m, len(rest)) if x >= 0)
        if cut:
            parts.append(f'"{rest[:cut]}"')
        if cut == len(rest):
            break
        parts.append("counter(page)" if rest[cut:cut + 3] == "{n}" else "counter(pages)")
        rest = rest[cut + 3:]
    return " ".join(parts) or '""'


def build_html(form: Form) -> str:
    lay = form.layout
    w, h = page_mm(lay)
    top, right, bottom, left = lay.margins_mm or (15.0, 14.0, 15.0, 14.0)
    family = f"'{face(lay.font).family}', '{FALLBACK.family}'"
    pad = 2.0 if lay.padding is None else lay.padding
    footer = (f"@bottom-center {{ content: {_footer(lay.footer)}; font-family: {family}; "
              f"font-size: 9pt }}") if lay.page_numbers else ""
    css = f"""
    @page {{ size: {w}mm {h}mm; margin: {top}mm {right}mm {bottom}mm {left}mm; {footer} }}
    body {{ font-family: {family}; font-size: {lay.font_size}pt; line-height: {lay.leading or 1.35}; }}
    table {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 8pt }}
    td {{ border: 0.6pt solid black; padding: {pad}pt 3pt; text-align: center; vertical-align: middle;
          overflow-wrap: anywhere }}
    .title {{ font-size: 17pt; text-align: center; margin: 0 }}
    .sub {{ font-size: 11pt; text-align: center; margin: 2pt 0 }}
    .line {{ font-size: 10.5pt; margin: 2pt 0 }}
    .head {{ display: flex; justify-content: space-between }}
    .heading {{ font-size: 11pt; margin: 8pt 0 3pt 0 }}
    .newpage {{ break-before: page }}
    """
    out = []
    if lay.attachment:
        out.append(f'<p class="line">{html.escape(lay.attachment)}</p>')
    if not lay.title_in_grid:
        out.append(f'<p class="title">{html.escape(form.title)}</p>')
        out.append(f'<p class="sub">（{form.year}年度）</p>')
        out.append(f'<div class="line head"><span>填报部门（盖章）：{html.escape(form.filler)}</span>'
                   f'<span>单位：{html.escape(form.money_unit)}</span></div>')
    for tbl in tables(form):
        if tbl.heading:
            cls = "heading newpage" if tbl.page_break else "heading"
            out.append(f'<p class="{cls}">{html.escape(tbl.heading)}</p>')
        elif tbl.page_break:
            out.append('<div class="newpage"></div>')
        out.append(_table(tbl))
    out.append(f'<p class="line">填表人：{html.escape(form.filled_by)}\u3000\u3000'
               f'填表日期：{html.escape(form.date_printed)}\u3000\u3000联系电话：{html.escape(form.phone)}'
               f'\u3000\u3000填报单位负责人：{html.escape(form.head)}</p>')
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(form.title)}</title><style>{css}</style></head>"
            f"<body>{''.join(out)}</body></html>")


def render(form: Form, out: Path) -> None:
    import logging

    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter
    HTML(string=build_html(form)).write_pdf(str(out))
