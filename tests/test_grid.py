"""The grid chain, one function at a time, on segments built by hand."""

from extract import grid
from extract.model import ExtractSettings, Glyph, Segment
from extract.text import cell_text, join_wrapped


def h(y, x0, x1):
    return Segment("h", y, x0, x1)


def v(x, y0, y1):
    return Segment("v", x, y0, y1)


def box_segments(xs, ys):
    """A full lattice: every row and column line drawn end to end."""
    return [h(y, xs[0], xs[-1]) for y in ys] + [v(x, ys[0], ys[-1]) for x in xs]


def glyphs(text, x, y, size=10.0):
    return [Glyph(ch, (x + i * size, y, x + (i + 1) * size, y + size)) for i, ch in enumerate(text)]


def test_snap_merges_double_drawn_borders():
    out = grid.snap([h(100.0, 0, 50), h(101.5, 0, 50), h(200, 0, 50)], tolerance=3)
    assert sorted({s.pos for s in out}) == [100.75, 200]


def test_join_merges_collinear_pieces_but_not_gaps():
    out = grid.join([h(10, 0, 40), h(10, 41, 80), h(10, 120, 150)], tolerance=3)
    assert sorted((s.start, s.end) for s in out) == [(0, 80), (120, 150)]


def test_connected_tables_keeps_separate_tables_apart():
    left = box_segments([0, 50, 100], [0, 20, 40])
    right = box_segments([200, 260], [0, 20])
    tables = grid.connected_tables([s for s in left + right if s.orient == "h"],
                                   [s for s in left + right if s.orient == "v"], 2)
    assert len(tables) == 2


def test_merged_cell_comes_out_with_spans():
    xs, ys = [0, 50, 100, 150], [0, 20, 40, 60]
    segs = box_segments(xs, ys)
    # remove the vertical at x=50 in rows 1-2: slot (1,0)-(2,1) is one merged cell
    segs = [s for s in segs if not (s.orient == "v" and s.pos == 50)] + [v(50, 0, 20)]
    segs = [s for s in segs if not (s.orient == "h" and s.pos == 40)] + [h(40, 100, 150)]
    out = grid.trace(segs, glyphs("合并", 10, 30), page=1, settings=ExtractSettings())
    (g,) = out.grids
    merged = g.cell_at(2, 1)
    assert (merged.row, merged.col, merged.rowspan, merged.colspan) == (1, 0, 2, 2)
    assert merged.text == "合并"
    assert g.to_rows()[2] == [None, None, ""]


def test_page_break_leaves_no_bottom_rule_and_the_row_is_kept():
    # verticals run to y=300 but the last horizontal is at y=100
    segs = [h(0, 0, 100), h(100, 0, 100), v(0, 0, 300), v(50, 0, 300), v(100, 0, 300)]
    out = grid.trace(segs, glyphs("续", 10, 200), page=1, settings=ExtractSettings())
    (g,) = out.grids
    assert g.row_edges == (0, 100, 300)
    assert g.to_rows()[1] == ["续", ""]


def test_glyphs_outside_tables_are_left_for_free_lines():
    segs = box_segments([0, 100], [100, 200])
    out = grid.trace(segs, glyphs("标题", 10, 20) + glyphs("表内", 10, 150), page=1,
                     settings=ExtractSettings())
    assert [g.text for g in out.outside] == ["标", "题"]
    assert out.grids[0].cells[0].text == "表内"


def test_wrapped_lines_join_without_spaces_even_inside_numbers():
    assert join_wrapped(["126.5公", "里"]) == "126.5公里"
    assert join_wrapped(["2730.", "16"]) == "2730.16"
    assert join_wrapped(["Word", "Excel"]) == "Word Excel"
    two_lines = glyphs("绩效目标", 0, 0) + glyphs("申报表", 0, 12)
    assert cell_text(two_lines) == "绩效目标申报表"
