"""What the extract stage produces: page grids, free text lines, diagnostics.

Everything here is immutable. The same types come out of the text-layer path and
(later) the OCR path, so normalize/ never needs to know which produced a cell.

Coordinates: ``BBox`` is ``(x0, top, x1, bottom)`` in PDF points (1/72 inch) with
the origin at the page's top-left corner and y growing downwards, the convention
of pdfplumber. Pages are numbered from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]
Source = Literal["text", "lattice", "ocr"]
PageKind = Literal["text", "scan"]
GRID_SOURCES = ("pdfium", "pdfplumber", "lattice")  # implemented in extract/pdf.py: SOURCES


@dataclass(frozen=True)
class Segment:
    """A ruling line: horizontal ("h") at y=``pos`` from x=``start`` to ``end``,
    or vertical ("v") at x=``pos`` from y=``start`` to ``end``."""

    orient: Literal["h", "v"]
    pos: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


# the reason (PageGrid.reason) of a page whose text layer is there but says nothing
# readable (no ToUnicode map: control characters, (cid:N), replacement glyphs): it is
# read by OCR, and the form's reader says so
UNREADABLE_LAYER = "text layer is unreadable"
# the reason of a scan whose image carries an invisible text layer (a "searchable PDF":
# the scanner's OCR, unchecked): jixiao reads the image instead
HIDDEN_LAYER = "text layer is invisible over the page's image (a scanner's own OCR)"
MISSING = "\ufffd"  # a text-layer glyph drawn with no character behind it (extract/triage.py)


@dataclass(frozen=True)
class Glyph:
    """A piece of text with its box: one character from a text layer, or one
    recognised text box from OCR.

    ``baseline`` (y, top-left origin), when the source knows it, anchors the
    glyph vertically: libraries disagree on box heights (font size or ascent),
    never on the baseline, so a glyph clipped at a cell edge lands in the same
    cell whichever library read it. Ideographs fill an em box from about 0.12 em
    below the baseline to 0.88 em above it, so their visual centre is 0.4 em up.
    """

    text: str
    bbox: BBox
    confidence: float = 1.0
    baseline: float | None = None
    alternatives: tuple[str, ...] = ()  # what OCR says the same ink may also read, likeliest first

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        if self.baseline is not None:
            return self.baseline - 0.4 * (self.bbox[3] - self.bbox[1])
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


@dataclass(frozen=True)
class Cell:
    """One cell of a ruled table; a merged cell is one Cell with spans > 1.

    ``text_bbox`` is the box of the cell's text and ``last_line`` the box of its last
    line (None when blank): where the text sits inside the cell (indented, pushed to one
    edge, stopping short of the edge on its last line) is part of what a page says, and
    only the glyphs know it.

    ``alternatives`` are other texts the same ink may read as (OCR only: a character's
    runner-up, a mark the recogniser and the ink's shape disagree on), likeliest first.
    extract does not choose among them: what the cell must hold is known downstream.
    """

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    bbox: BBox
    page: int
    source: Source = "text"
    confidence: float = 1.0
    text_bbox: BBox | None = None
    last_line: BBox | None = None
    alternatives: tuple[str, ...] = ()

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Grid:
    """A ruled table on one page.

    ``col_edges``/``row_edges`` are the x and y positions of the grid lines, so
    column ``c`` lies between ``col_edges[c]`` and ``col_edges[c + 1]``. Every
    slot of the grid belongs to exactly one cell: ``cell_at`` returns the cell
    that covers a slot, and ``is_origin`` tells whether the slot is that cell's
    top-left corner (the rest are "covered by a merged cell", which is not the
    same as blank).
    """

    page: int
    bbox: BBox
    col_edges: tuple[float, ...]
    row_edges: tuple[float, ...]
    cells: tuple[Cell, ...]
    source: Source = "text"

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1

    def cell_at(self, row: int, col: int) -> Cell | None:
        for cell in self.cells:
            if cell.row <= row <= cell.last_row and cell.col <= col <= cell.last_col:
                return cell
        return None

    def row_cells(self, row: int) -> list[Cell]:
        """Cells whose top row is ``row``, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def to_rows(self) -> list[list[str | None]]:
        """The grid as text: ``None`` for a slot covered by a merged cell."""
        rows: list[list[str | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell.text
        return rows


@dataclass(frozen=True)
class TextLine:
    """A line of text outside every grid (title, unit line, sign-off, footers)."""

    text: str
    bbox: BBox
    page: int
    source: Source = "text"
    confidence: float = 1.0


@dataclass(frozen=True)
class PageGrid:
    """One page as extract sees it: its grids and the text outside them.

    ``kind`` says which path read the page; ``reason`` says why (for ``show``
    and ``check``), e.g. "no text layer: needs OCR". Every box is on the page turned
    ``turn`` degrees clockwise from how it is displayed: as its text stands upright
    (extract/orientation.py), and ``width``/``height`` are the turned page's. ``text_height`` (scans only) is
    how many pixels tall the page's characters are in the image read: what the
    recogniser had to go on.
    """

    page: int
    width: float
    height: float
    kind: PageKind
    grids: tuple[Grid, ...] = ()
    lines: tuple[TextLine, ...] = ()
    reason: str = ""
    text_height: float | None = None
    turn: int = 0  # degrees clockwise the page as displayed was turned to read it upright
    bilevel: bool = False  # a scan whose image held only black and white (a fax)
    # a photographed page: its sheet's corners on the page as displayed (points, top-left
    # first) and the sheet's width and height; the grids are on the sheet seen square
    sheet: tuple[float, ...] | None = None


@dataclass(frozen=True)
class ExtractedDocument:
    """A whole file after extraction."""

    path: str
    sha256: str
    pages: tuple[PageGrid, ...]
    extractor_version: str

    @property
    def page_kinds(self) -> list[str]:
        return [p.kind for p in self.pages]

    @property
    def page_turns(self) -> list[int]:
        return [p.turn for p in self.pages]

    @property
    def page_sheets(self) -> list[tuple[float, ...] | None]:
        return [p.sheet for p in self.pages]


OCR_ENGINES = ("auto", "openvino", "onnxruntime")
OCR_PRECISIONS = ("auto", "f32", "bf16")


@dataclass(frozen=True)
class TextGeometry:
    """Where the scan path finds text (extract/scan_text.py), every length a multiple of
    the page's text height t (extract/scan_lines.py: text_height), so that one setting
    holds for every typeface and resolution. The defaults were set on the tuning scans
    (generated, every typeface, 150-300 dpi); ``benchmarks/calibrate.py`` measures any of
    them at other values over random scans. A document read with other values records
    them in its extractor version.

    ``seed_height``, ``seed_width``: a blob this tall or this wide is (part of) a
    character and starts a line; smaller ones (dots, dust) join a line or are dropped.
    ``piece_gap``: a line is cut into pieces, read apart, at gaps wider than this.
    ``one_line``: thin bands (the bars of 三, ≤ over its bar) merge while their union is
    at most this tall. ``two_lines``: a band taller than this many of its own characters
    holds lines set solid and is cut. ``pad``: the crop's margin around a piece.
    ``speck``: a piece smaller than this each way is dust. ``hairline``: the furthest a
    piece grows sideways over faint ink: a serif 一 drawn in hairlines, or a "<=" whose thin
    strokes blur to grey beside the digits it qualifies (two characters); ``faint_gap``:
    the widest gap it grows across (a 。 or 、 too thin to be ink sits in the lower left of
    its em, its side bearings apart from the character before).
    ``fragment_gap``: in a cell with no whole character, specks this close together are
    one character's strokes broken by the ink threshold. ``dash_lengths``: a lone flat
    stroke at least the first long (and 1.5 times as long as thick) is a dash; shorter than
    the second it is a hyphen "-", from the third two em dashes "——" set as one stroke,
    between them one "—" (a hyphen is a quarter to a third of an em, an em dash one em,
    and t is about an em).
    """

    seed_height: float = 0.25
    seed_width: float = 0.5
    piece_gap: float = 1.6
    one_line: float = 1.3
    two_lines: float = 1.6
    pad: float = 0.22
    speck: float = 0.45
    hairline: float = 2.5
    faint_gap: float = 0.75
    fragment_gap: float = 0.2
    dash_lengths: tuple[float, float, float] = (0.25, 0.7, 1.5)

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not all(0 < v <= 8 for v in (value if isinstance(value, tuple) else (value,))):
                raise ValueError(f"TextGeometry.{name} must be in (0, 8] text heights, got {value}")
        if list(self.dash_lengths) != sorted(self.dash_lengths):
            raise ValueError(f"TextGeometry.dash_lengths must rise, got {self.dash_lengths}")


@dataclass(frozen=True)
class OCRSettings:
    """Knobs of the scan path (extract/raster.py, scan_*.py, ocr.py).

    ``engine``: what runs the recognition model: "openvino", "onnxruntime", or
    "auto" (OpenVINO where installed). ``precision``: what OpenVINO computes in: "f32",
    "bf16", or "auto" (bf16 where the CPU has bfloat16 units, AVX-512 BF16 or AMX;
    the engine and precision are recorded in the extractor version). ``batch``: most
    line crops recognised per model call. ``threads``: the engine's threads, 0 for every core this process
    may run on. ``ink``: a pixel darker
    than this (0-255, after the background is flattened to 255) is ink. ``faint``: a
    pixel darker than this may be a hairline: the flat strokes of serif faces (the
    whole of a 一 or 二) blur to grey at 150-200 dpi and would be lost; only such flat
    strokes are taken from it (extract/scan_text.py: hairlines).
    ``max_skew``: largest rotation corrected, degrees. ``max_dpi``: an embedded
    scan finer than this is scaled down first (finer adds time, not accuracy).
    ``text``: where text is found, in text heights (``TextGeometry``). ``runner_up``: a
    recogniser's second choice for a character at least this likely is kept as a
    reading the cell may also have (extract/ocr.py: decode). ``permille_sure``: a sign
    read as % up to the first times as wide as the page's own % signs is a %, from the
    second a ‰, between them either, with doubt (extract/scan_marks.py: permille_odds).
    """

    engine: str = "auto"
    precision: str = "auto"
    batch: int = 1
    threads: int = 0
    ink: int = 170
    faint: int = 215
    max_skew: float = 5.0
    max_dpi: int = 400
    text: TextGeometry = field(default_factory=TextGeometry)
    runner_up: float = 0.25
    permille_sure: tuple[float, float] = (1.15, 1.3)

    def __post_init__(self) -> None:
        if not 0 < self.runner_up < 0.5:
            raise ValueError(f"OCRSettings.runner_up must be in (0, 0.5), got {self.runner_up}")
        if not 1 <= self.permille_sure[0] <= self.permille_sure[1]:
            raise ValueError(f"OCRSettings.permille_sure must be two ratios 1 <= low <= high, "
                             f"got {self.permille_sure}")
        if self.batch < 1 or self.threads < 0:
            raise ValueError(f"OCRSettings.batch must be >= 1 and threads >= 0, got "
                             f"{self.batch} and {self.threads}")
        if self.precision not in OCR_PRECISIONS:
            raise ValueError(f"OCRSettings.precision must be one of {', '.join(OCR_PRECISIONS)}, "
                             f"got {self.precision!r}")
        if self.engine not in OCR_ENGINES:
            raise ValueError(f"OCRSettings.engine must be one of {', '.join(OCR_ENGINES)}, "
                             f"got {self.engine!r}")
        if not 0 < self.ink <= self.faint < 255:
            raise ValueError(f"OCRSettings.ink and faint must satisfy 0 < ink <= faint < 255, "
                             f"got {self.ink} and {self.faint}")

    def reading_key(self) -> str:
        """What of these settings changes the readings, for the extractor version: the
        ink thresholds always, and every other knob that differs from its default (so
        the defaults, which the version number stands for, keep the string short)."""
        default = OCRSettings()
        changed = [f"{name}{setting_text(getattr(self.text, name))}"
                   for name in vars(self.text) if getattr(self.text, name) != getattr(default.text, name)]
        changed += [f"{name}{setting_text(getattr(self, name))}" for name in ("runner_up", "permille_sure")
                    if getattr(self, name) != getattr(default, name)]
        return "+".join([f"ink{self.ink}/{self.faint}", *changed])


def setting_text(value: float | str | tuple[float, ...]) -> str:
    """A knob's value as the extractor version writes it ("0.45", "1.15/1.3", "bf16")."""
    if isinstance(value, str):
        return value
    return "/".join(f"{v:g}" for v in value) if isinstance(value, tuple) else f"{value:g}"


@dataclass(frozen=True)
class ExtractSettings:
    """Every knob of the extract stage, validated once.

    ``snap_tolerance``: ruling lines closer than this (points) are one line.
    ``join_tolerance``: collinear segments with a gap smaller than this are joined.
    ``min_cell``: slots narrower or shorter than this are folded into a neighbour.
    ``source``: which grid source reads the pages: "pdfium" (default, fast),
    "pdfplumber" (pdfminer's reading of the same page) or "lattice" (camelot).
    ``dpi``: resolution at which a page without a usable text layer is rendered
    for OCR (a page that is one scanned image is read at its own resolution).
    ``ocr``: the scan path's own knobs.
    """

    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    min_cell: float = 2.0
    source: str = "pdfium"
    dpi: int = 200
    extra: dict[str, float] = field(default_factory=dict)
    ocr: OCRSettings = field(default_factory=OCRSettings)

    def __post_init__(self) -> None:
        for name in ("snap_tolerance", "join_tolerance", "min_cell"):
            if getattr(self, name) < 0:
                raise ValueError(f"ExtractSettings.{name} must be >= 0, got {getattr(self, name)}")
        if self.source not in GRID_SOURCES:
            raise ValueError(f"ExtractSettings.source must be one of {', '.join(GRID_SOURCES)}, "
                             f"got {self.source!r}")
        if self.dpi < 50:
            raise ValueError(f"ExtractSettings.dpi must be >= 50, got {self.dpi}")


class ExtractError(Exception):
    """A file could not be read as a PDF; the message names the reason."""


class NotAPDF(ExtractError):
    """The file is not a PDF at all (wrong signature, empty, or truncated)."""


class EncryptedPDF(ExtractError):
    """The PDF is encrypted and could not be opened."""


class EmptyPDF(ExtractError):
    """The PDF has no pages."""
