"""A reportlab Table whose in-row page splits respect column spans.

reportlab 4's ``Table._splitRows`` (splitInRow) re-flows a split cell into the width of
its first column even when the cell spans several columns, so a wide merged text cell
split across a page comes out squeezed and overlapping.  ``SpanTable`` re-uses the
library's own method with one line changed: the widths used for the row being split
are the widths of the spans.
"""

from __future__ import annotations

import inspect
import re
import textwrap

from reportlab.platypus import tables
from reportlab.platypus.tables import Table

_OLD = "cellWidths = self._colWidths"
_NEW = "cellWidths = self._span_widths(n)"

# The branch that splits a row-spanned cell (our label column) also re-flows it with a
# stray width and refers to an unbound ``v`` when one half is empty: use the span's own
# width there and skip the cosmetic re-centering.
_FIXES = [
    (_OLD, _NEW),
    ("oldStyle, oldHeight, newHeight, width)", "oldStyle, oldHeight, newHeight, spanRect[2])"),
    ("h = self._listCellGeom(v[0] or v[1], width, oldStyle)[1]", "pass"),
    (r"margin = \(curRowHeight - h\) / 2\s*\n\s*if v\[0\]:\s*\n\s*oldStyle\.topPadding \+= margin"
     r"\s*\n\s*elif v\[1\]:\s*\n\s*newStyle\.bottomPadding \+= margin", "pass"),
]
_src = textwrap.dedent(inspect.getsource(Table._splitRows))
for _a, _b in _FIXES:
    _src, _count = re.subn(_a if _a.startswith("margin") else re.escape(_a), _b, _src)
    if not _count:  # pragma: no cover - a reportlab that changed this code
        raise ImportError(f"reportlab Table._splitRows changed; cannot patch: {_a!r}")
_ns: dict = {}
exec(compile(_src, tables.__file__, "exec"), vars(tables).copy(), _ns)


class SpanTable(Table):
    _splitRows = _ns["_splitRows"]

    def _span_widths(self, n: int) -> list[float]:
        widths = list(self._colWidths)
        for cell, span in (getattr(self, "_spanRanges", None) or {}).items():  # none without spans
            if span is None or cell[1] != n:
                continue
            sc, sr, ec, er = span
            if (sc, sr) == cell:
                widths[sc] = sum(self._colWidths[sc:ec + 1])
        return widths
