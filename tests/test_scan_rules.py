"""Rules found on a scanned page (extract/scan_lines.py: find_rules), on drawn pages:
a table frame whose bottom rule the scan lost, and the rest of a row a page break cut,
printed without its top rule."""

from __future__ import annotations

import cv2
import numpy as np

from extract.scan_lines import find_rules

TEXT = 25  # px: 10 pt type at 180 dpi


def page(h_rows: list[int], v_cols: list[int], top: int, bottom: int) -> np.ndarray:
    """Ink (255) on paper (0): horizontal rules at ``h_rows``, vertical ones at ``v_cols``
    from ``top`` to ``bottom``, and a line of text-like strokes in each cell."""
    ink = np.zeros((1400, 1000), np.uint8)
    for y in h_rows:
        cv2.line(ink, (v_cols[0], y), (v_cols[-1], y), 255, 3)
    for x in v_cols:
        cv2.line(ink, (x, top), (x, bottom), 255, 3)
    for x in v_cols[:-1]:
        for k in range(3):  # three "characters" of upright strokes, centred in the cell
            cv2.line(ink, (x + 30 + 30 * k, top + 20), (x + 30 + 30 * k, top + 20 + TEXT), 255, 2)
    return ink


def ys(rules) -> list[int]:
    return sorted((b[1] + b[3]) // 2 for b in rules.h_boxes)


def test_a_lost_bottom_rule_is_where_the_column_rules_end():
    cols = [100, 300, 500, 700, 900]
    found = find_rules(page([200, 400, 600], cols, 200, 900), TEXT)
    assert len(found.v_boxes) == len(cols)
    assert ys(found)[:3] == [200, 400, 600] and abs(ys(found)[-1] - 900) <= 3
    bottom = max(found.h_boxes, key=lambda b: b[3])
    assert bottom[0] <= 102 and bottom[2] >= 898  # across the whole frame


def test_a_row_printed_without_its_top_rule_keeps_its_column_rules():
    """One short row at the top of a page, its top edge open: column rules a little
    over two text heights long meet the bottom rule only; together they are the row's."""
    cols = [100, 300, 500, 700, 900]
    found = find_rules(page([160], cols, 100, 160), TEXT)
    assert len(found.v_boxes) == len(cols)
    top, bottom = ys(found)  # and the open top edge is closed where they begin
    assert abs(top - 100) <= 3 and bottom == 160


def test_strokes_of_characters_that_line_up_are_no_rules():
    ink = np.zeros((600, 1000), np.uint8)
    cv2.line(ink, (100, 300), (900, 300), 255, 3)
    for x in (200, 230, 400):  # uprights hanging from a rule, of different lengths
        cv2.line(ink, (x, 300), (x, 300 + 40 + (x % 7) * 6), 255, 2)
    found = find_rules(ink, TEXT)
    assert found.v_boxes == ()
    assert ys(found) == [300]


def test_a_column_rule_cut_by_the_page_ends_where_the_frame_does():
    """The foot of a table a page break cut: the frame's long left rule and one short
    column rule both end open at the same height (the merged cells go on overleaf), and
    the column rule meets only the rule above it; it is a rule, as the frame is."""
    ink = np.zeros((1400, 1000), np.uint8)
    cv2.line(ink, (100, 100), (100, 700), 255, 3)  # the frame's left edge, open at its foot
    cv2.line(ink, (900, 100), (900, 640), 255, 3)
    for y in (100, 560, 640):
        cv2.line(ink, (100 if y < 600 else 400, y), (900, y), 255, 3)
    cv2.line(ink, (400, 560), (400, 700), 255, 3)  # 5.6 text heights, open at 700
    cv2.line(ink, (250, 560), (250, 700), 255, 3)  # the short column rule, open at 700
    cv2.line(ink, (600, 560), (600, 610), 255, 2)  # a character's stroke hanging from a rule
    found = find_rules(ink, TEXT)
    xs = sorted((b[0] + b[2]) // 2 for b in found.v_boxes)
    assert any(abs(x - 250) <= 2 for x in xs)
    assert not any(abs(x - 600) <= 2 for x in xs)


def test_faint_marks_join_the_piece_before_them_and_no_piece_twice():
    """Two pieces of one line with a thin 。 between them, too faint to be ink: the 。 goes
    to the first piece, whose crop stops where the second begins; ink touching the
    page's edge outside the tables is no text."""
    from extract.model import TextGeometry
    from extract.scan_text import blobs, region_pieces, touches_edge

    g, t = TextGeometry(), TEXT
    ink = np.zeros((200, 800), np.uint8)
    faint = np.zeros_like(ink)
    for x in (100, 130, 160):  # three "characters"
        cv2.rectangle(ink, (x, 50), (x + 22, 50 + TEXT), 255, -1)
    for x in (290, 320):  # the next piece, past the piece gap
        cv2.rectangle(ink, (x, 50), (x + 22, 50 + TEXT), 255, -1)
    faint[:] = ink
    cv2.circle(faint, (201, 50 + TEXT - 4), 3, 255, -1)  # the 。, 0.6 t after the line
    found = blobs(ink, t, g)
    first, second = region_pieces(found, 0, (0, 0, 800, 200), t, g, faint)
    assert first.ink[2] >= 204 > first.ink[0]  # the 。 is read with the first piece
    assert first.crop[2] <= second.ink[0] and second.crop[0] >= first.ink[2]
    assert touches_edge((0, 40, 12, 60), 800, 200) and not touches_edge((5, 40, 12, 60), 800, 200)


def test_a_characters_top_stroke_apart_from_the_rest_is_no_line_of_its_own():
    """A column one character wide (a budget line name stacked 工/资/福/利) on a page of
    figures, whose text height is its digits', a third shorter than its ideographs: 福's
    top strokes stand apart from the rest of it, and made a line of their own, read as
    福 again (seed 940009, 300 dpi: 工资福福利支出, in silence). Thin bands merge while
    their union is a line of the region's own characters."""
    from extract.model import TextGeometry
    from extract.scan_text import blobs, region_pieces

    g, t, em = TextGeometry(), 36, 47
    ink = np.zeros((600, 200), np.uint8)
    for k in range(5):  # five characters 47 px tall, 24 px apart
        top = 20 + k * (em + 24)
        if k == 2:  # 福: a 9 px band of top strokes, then the rest after a one-row gap
            cv2.rectangle(ink, (60, top), (100, top + 8), 255, -1)
            cv2.rectangle(ink, (55, top + 10), (102, top + em - 1), 255, -1)
        else:
            cv2.rectangle(ink, (55, top), (102, top + em - 1), 255, -1)
    pieces = region_pieces(blobs(ink, t, g), 0, (0, 0, 200, 600), t, g, None)
    assert len(pieces) == 5, [p.ink for p in pieces]
    assert pieces[2].ink[1] == 20 + 2 * (em + 24) and pieces[2].ink[3] == 20 + 2 * (em + 24) + em


def test_a_bold_full_stop_wrapped_alone_onto_a_line_is_a_mark_and_a_zero_is_not():
    """A sentence's 。 wrapped alone onto the next line of its cell, in a bold face at 300
    dpi (seed 942010: 11 by 9 px at a 24 px text height), is a little past speck size, so
    it was read on its own, as "0", and the prose ended "…万元0". Under half a text height
    tall, where the wrapped line starts (up to a text height left of the line above, which
    opened with a full-width （ whose ink sits right in its em), it is the mark; a 0 as
    tall as a figure is not."""
    from extract.model import TextGeometry
    from extract.scan_text import blobs, region_pieces

    g, t = TextGeometry(), 24
    for box, mark in (((458, 68, 469, 77), True), ((458, 62, 472, 82), False)):
        ink = np.zeros((120, 900), np.uint8)
        for x in range(476, 860, 26):  # the line above: characters 24 px tall
            cv2.rectangle(ink, (x, 15), (x + 21, 15 + t - 1), 255, -1)
        x0, y0, x1, y1 = box
        cv2.rectangle(ink, (x0, y0), (x1 - 1, y1 - 1), 255, 2)  # a ring, or a 0
        pieces = region_pieces(blobs(ink, t, g), 0, (0, 0, 900, 120), t, g, None)
        assert len(pieces) == 2 and pieces[1].mark is mark, (box, pieces)


def test_merged_columns_a_page_break_cut_above_and_below_get_their_frame_edges():
    """A page in the middle of a table whose 一级/二级 cells go on over both breaks (as
    a spreadsheet prints them): the frame's top and bottom rules run only over the
    other columns, and the merged columns' rules end open where they do. The edges
    are completed over the merged columns, so their cells are closed."""
    ink = np.zeros((1400, 1000), np.uint8)
    for x in (100, 250, 400, 650, 900):
        cv2.line(ink, (x, 100), (x, 1100), 255, 3)
    for y in (100, 500, 800, 1100):  # the other columns' rows; 一级 and 二级 have none
        cv2.line(ink, (400, y), (900, y), 255, 3)
    found = find_rules(ink, TEXT)
    for y in (100, 1100):
        edge = [b for b in found.h_boxes if abs((b[1] + b[3]) // 2 - y) <= 3]
        assert min(b[0] for b in edge) <= 102 and max(b[2] for b in edge) >= 898
    inner = [b for b in found.h_boxes if abs((b[1] + b[3]) // 2 - 500) <= 3]
    assert min(b[0] for b in inner) >= 398  # rows inside are not extended
