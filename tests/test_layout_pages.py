"""Pagination on the 22-line grid: page fill, keep-with-next, page breaks, the 版记 on an
even last page, page numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from render.layout import (
    MM,
    PAGE_NUMBER_TAG,
    AbsoluteBlock,
    Block,
    FootBlock,
    FootContent,
    ImageBlock,
    LayoutError,
    Page,
    PageGeometry,
    Paragraph,
    PlacedImage,
    PlacedRule,
    PlacedText,
    Rule,
    Run,
    Signature,
    Spacer,
    SplitLine,
    TextStyle,
    geometry_from_profile,
    layout_document,
)
from render.profile import load_profile

PROFILE = Path(__file__).resolve().parent.parent / "templates" / "profiles" / "gbt9704.yaml"
BODY = TextStyle("fangsong", 16)
HEADING = TextStyle("heiti", 16)
IMPRINT = TextStyle("fangsong", 14)
RED = "E60012"


def fake_measure(text: str, style: TextStyle) -> float:
    return sum(style.size_pt if ord(ch) > 127 else style.size_pt / 2 for ch in text)


@pytest.fixture(scope="module")
def geometry() -> PageGeometry:
    return geometry_from_profile(load_profile(PROFILE))


def layout(blocks: Sequence[Block], geometry: PageGeometry, **options: bool) -> list[Page]:
    return layout_document(blocks, geometry, fake_measure, **options)


def body_lines(count: int) -> list[Block]:
    return [Paragraph.plain(f"正文第{i}行", BODY) for i in range(count)]


def lines(page: Page) -> list[str]:
    """The page's text lines (segments joined by baseline), top to bottom."""
    by_baseline: dict[float, str] = {}
    for t in texts(page):
        key = round(t.baseline_y_pt, 3)
        by_baseline[key] = by_baseline.get(key, "") + t.text
    return [by_baseline[key] for key in sorted(by_baseline)]


def texts(page: Page, tag: str | None = None) -> list[PlacedText]:
    return [item for item in page.items if isinstance(item, PlacedText)
            and item.tag != PAGE_NUMBER_TAG and (tag is None or item.tag == tag)]


def line_index(text: PlacedText, geometry: PageGeometry) -> float:
    """Which grid line a body-size baseline sits on."""
    return (text.baseline_y_pt - geometry.grid_baseline(0)) / geometry.line_pitch_pt


def foot(*lines: str) -> FootBlock:
    """A 版记: thick rule, lines with thin rules between, thick rule under the last."""
    blocks: list[FootContent] = [Rule(0.35, anchor="grid")]
    for number, text in enumerate(lines):
        if number:
            blocks.append(Rule(0.25, anchor="grid"))
        blocks.append(Paragraph.plain(text, IMPRINT, left_indent_chars=1))
    blocks.append(Rule(0.35, anchor="grid"))
    return FootBlock(tuple(blocks))


# ---- geometry ------------------------------------------------------------------------


def test_geometry_from_the_profile(geometry: PageGeometry) -> None:
    assert geometry.text_width == pytest.approx(156 * MM)
    assert geometry.text_height == pytest.approx(225 * MM)
    assert geometry.line_pitch_pt == pytest.approx(225 * MM / 22)
    assert (geometry.text_left, geometry.text_top) == pytest.approx((28 * MM, 37 * MM))
    assert geometry.page_number_style == TextStyle("songti", 14)
    assert geometry.page_number_gap_pt == pytest.approx(7 * MM)


# ---- the flow ------------------------------------------------------------------------


def test_22_lines_fill_a_page_and_the_23rd_starts_page_2(geometry: PageGeometry) -> None:
    pages = layout(body_lines(23), geometry)
    assert len(pages) == 2
    first = [t for t in texts(pages[0]) if t.text == "正文第"]
    assert [line_index(t, geometry) for t in first] == pytest.approx(list(range(22)))
    assert lines(pages[1]) == ["正文第22行"]
    assert line_index(texts(pages[1])[0], geometry) == pytest.approx(0)


def test_a_long_paragraph_flows_across_pages(geometry: PageGeometry) -> None:
    pages = layout([Paragraph.plain("国" * 28 * 23, BODY)], geometry)
    assert [len(texts(page)) for page in pages] == [22, 1]


def test_keep_with_next_moves_a_heading_to_the_next_page(geometry: PageGeometry) -> None:
    heading = Paragraph.plain("一、总体要求", HEADING, keep_with_next=True)
    after = Paragraph.plain("正文。", BODY)
    kept = layout(body_lines(21) + [heading, after], geometry)
    assert texts(kept[1])[0].text == "一、总体要求"
    assert line_index(texts(kept[1])[0], geometry) == pytest.approx(0)
    loose = layout(body_lines(21) + [Paragraph.plain("一、总体要求", HEADING), after], geometry)
    assert texts(loose[0])[-1].text == "一、总体要求"


def test_keep_with_next_chains_two_headings(geometry: PageGeometry) -> None:
    h1 = Paragraph.plain("一、总体要求", HEADING, keep_with_next=True)
    h2 = Paragraph.plain("（一）指导思想", BODY, keep_with_next=True)
    pages = layout(body_lines(20) + [h1, h2, Paragraph.plain("正文。", BODY)], geometry)
    assert lines(pages[1]) == ["一、总体要求", "（一）指导思想", "正文。"]


def test_page_break_before_starts_a_new_page(geometry: PageGeometry) -> None:
    attachment = Paragraph.plain("附件1", HEADING, page_break_before=True)
    pages = layout(body_lines(3) + [attachment, Spacer(1), Paragraph.plain("标题", BODY)],
                   geometry)
    assert len(pages) == 2
    assert lines(pages[1]) == ["附件1", "标题"]
    assert line_index(texts(pages[1])[-1], geometry) == pytest.approx(2)  # the third line


def test_page_break_before_on_an_empty_first_page_adds_no_page(geometry: PageGeometry) -> None:
    pages = layout([Paragraph.plain("附件", BODY, page_break_before=True)], geometry)
    assert len(pages) == 1


def test_blank_lines_are_dropped_at_the_top_of_a_spilled_page(geometry: PageGeometry) -> None:
    pages = layout(body_lines(22) + [Spacer(1), Paragraph.plain("下一段", BODY)], geometry)
    assert line_index(texts(pages[1])[0], geometry) == pytest.approx(0)
    pages = layout(body_lines(2) + [Spacer(2), Paragraph.plain("下一段", BODY)], geometry)
    assert line_index(texts(pages[0])[-1], geometry) == pytest.approx(4)


def test_space_before_lines(geometry: PageGeometry) -> None:
    pages = layout(body_lines(1) + [Paragraph.plain("主送：", BODY, space_before_lines=1)],
                   geometry)
    assert line_index(texts(pages[0])[-1], geometry) == pytest.approx(2)


def test_a_rule_does_not_shift_the_grid(geometry: PageGeometry) -> None:
    blocks: list[Block] = [Paragraph.plain("南岸委办〔2022〕22号", BODY, align="center"),
              Rule(0.75, color=RED, offset_mm=4), Spacer(2),
              Paragraph.plain("标题", BODY, align="center")]
    (page,) = layout(blocks, geometry)
    number, title = texts(page)[0], texts(page)[-1]
    (rule,) = [item for item in page.items if isinstance(item, PlacedRule)]
    assert rule.y_pt == pytest.approx(number.baseline_y_pt + 4 * MM)
    assert rule.thickness_pt == pytest.approx(0.75 * MM) and rule.color == RED
    assert (rule.x1_pt, rule.x2_pt) == pytest.approx((geometry.text_left, geometry.text_right))
    assert line_index(title, geometry) == pytest.approx(3)


def test_taller_lines_take_more_grid_lines_and_the_grid_resumes(geometry: PageGeometry) -> None:
    blocks: list[Block] = [Paragraph.plain("国" * 50, BODY, line_pitch_lines=1.5), Paragraph.plain("后", BODY)]
    (page,) = layout(blocks, geometry)
    first, second, after = texts(page)
    assert second.baseline_y_pt - first.baseline_y_pt == pytest.approx(1.5 * geometry.line_pitch_pt)
    assert line_index(after, geometry) == pytest.approx(3)  # 2 × 1.5 = 3 lines
    big = layout([Paragraph.plain("国", TextStyle("xiaobiaosong", 36)), Paragraph.plain("后", BODY)],
                 geometry)[0]
    assert line_index(texts(big)[1], geometry) == pytest.approx(2)  # 36 pt needs 2 lines


def test_absolute_block_places_the_mark_35mm_below_the_text_top(geometry: PageGeometry) -> None:
    mark_style = TextStyle("xiaobiaosong", 36, color=RED)
    mark = Paragraph.plain("南岸区教育委员会文件", mark_style, align="center", fit_min_scale=0.5)
    blocks: list[Block] = [AbsoluteBlock(mark, 35), Spacer(2), Paragraph.plain("南岸委办〔2022〕22号", BODY)]
    (page,) = layout(blocks, geometry)
    mark_text, number = texts(page)[0], texts(page)[-1]
    assert mark_text.baseline_y_pt == pytest.approx(
        geometry.text_top + 35 * MM + geometry.em_ascent * 36)
    mark_bottom = 35 * MM + 36
    first_free = math.ceil(mark_bottom / geometry.line_pitch_pt)
    assert line_index(number, geometry) == pytest.approx(first_free + 2)


def test_image_is_scaled_to_the_text_width_and_takes_whole_lines(geometry: PageGeometry) -> None:
    caption = Paragraph.plain("图一", BODY, align="center")
    blocks: list[Block] = [ImageBlock("photo.png", 2 * geometry.text_width, 300, caption=caption), Paragraph.plain("后", BODY)]
    (page,) = layout(blocks, geometry)
    (image,) = [item for item in page.items if isinstance(item, PlacedImage)]
    assert image.width_pt == pytest.approx(geometry.text_width)
    assert image.height_pt == pytest.approx(150)
    lines = math.ceil(150 / geometry.line_pitch_pt)
    assert [line_index(t, geometry) for t in texts(page)] == pytest.approx([lines, lines + 1])


def test_split_line_puts_text_on_both_sides(geometry: PageGeometry) -> None:
    line = SplitLine((Run("南岸区教育委员会办公室", IMPRINT),), (Run("2022年11月4日印发", IMPRINT),),
                     left_indent_chars=1, right_indent_chars=1)
    (page,) = layout([line], geometry)
    left, *right = texts(page)
    assert left.x_pt == pytest.approx(geometry.text_left + 14)
    end = right[-1].x_pt + fake_measure(right[-1].text, IMPRINT)
    assert end == pytest.approx(geometry.text_right - 14)


def test_unsealed_signature(geometry: PageGeometry) -> None:
    pitch = geometry.char_pitch_pt
    signature = Signature(((Run("南岸区教育委员会", BODY),),), (Run("2022年11月4日", BODY),),
                          sealed=False, right_indent_chars=2, date_shift_chars=2)
    (page,) = layout([signature], geometry)
    name, *date = texts(page)
    assert name.x_pt == pytest.approx(geometry.text_right - 10 * pitch)  # 8 chars + 2 indent
    assert date[0].x_pt == pytest.approx(name.x_pt + 2 * pitch)
    assert line_index(date[0], geometry) == pytest.approx(line_index(name, geometry) + 1)
    assert name.tag == "signature.name" and date[0].tag == "signature.date"


def test_a_date_longer_than_the_name_takes_the_indent(geometry: PageGeometry) -> None:
    pitch = geometry.char_pitch_pt
    signature = Signature(((Run("教委", BODY),),), (Run("2022年11月4日", BODY),),
                          sealed=False, right_indent_chars=2, date_shift_chars=2)
    name, *date = texts(layout([signature], geometry)[0])
    date_width = 4 * 8 + pitch + 2 * 8 + pitch + 8 + pitch
    assert date[0].x_pt == pytest.approx(geometry.text_right - 2 * pitch - date_width)
    assert name.x_pt == pytest.approx(date[0].x_pt - 2 * pitch)


def test_sealed_signature_centres_the_name_on_the_date(geometry: PageGeometry) -> None:
    pitch = geometry.char_pitch_pt
    signature = Signature(((Run("教委", BODY),),), (Run("国国国国国国", BODY),), sealed=True,
                          right_indent_chars=4)
    name, date = texts(layout([signature], geometry)[0])
    assert date.x_pt == pytest.approx(geometry.text_right - 10 * pitch)
    assert name.x_pt == pytest.approx(date.x_pt + 2 * pitch)


# ---- the 版记 and page numbers --------------------------------------------------------


def _foot_texts(page: Page) -> list[PlacedText]:
    return [t for t in texts(page) if t.style == IMPRINT]


def _assert_foot_at_the_bottom(page: Page, geometry: PageGeometry) -> None:
    last = _foot_texts(page)[-1]
    assert last.baseline_y_pt == pytest.approx(
        geometry.line_top(21) + geometry.baseline_offset(14, 1))
    rules = [item for item in page.items if isinstance(item, PlacedRule)]
    assert rules[-1].y_pt == pytest.approx(geometry.text_bottom)  # under the 印发 line
    assert rules[0].y_pt == pytest.approx(geometry.line_top(20))  # above the 抄送 line


@pytest.mark.parametrize(("body", "numbers"), [
    (5, [1, None]),  # ends on odd page 1: the 版记 alone on page 2, unnumbered
    (30, [1, 2]),  # ends on even page 2 with room: the 版记 joins it
    (43, [1, 2, None, None]),  # page 2 too full: blank page 3, 版记 on page 4
    (44, [1, 2, None, None]),  # page 2 exactly full
    (50, [1, 2, 3, None]),  # ends on odd page 3
    (71, [1, 2, 3, 4]),  # ends on even page 4 with room
])
def test_the_foot_group_lands_at_the_foot_of_an_even_last_page(
        geometry: PageGeometry, body: int, numbers: list[int | None]) -> None:
    pages = layout(body_lines(body) + [foot("抄送：区委办。", "南岸区教育委员会办公室")], geometry)
    assert [page.number for page in pages] == numbers
    assert len(pages) % 2 == 0
    assert all(not _foot_texts(page) for page in pages[:-1])
    _assert_foot_at_the_bottom(pages[-1], geometry)
    for page in pages:
        if page.number is None and page is not pages[-1]:
            assert page.items == ()  # the inserted blank page is blank


def test_page_numbers_odd_right_even_left(geometry: PageGeometry) -> None:
    pages = layout(body_lines(30), geometry)
    numbers = [[t for t in page.items if isinstance(t, PlacedText) and t.tag == PAGE_NUMBER_TAG]
               for page in pages]
    (odd,), (even,) = numbers
    assert (odd.text, even.text) == ("— 1 —", "— 2 —")
    indent = 14  # one 四号 character
    assert odd.x_pt + fake_measure(odd.text, odd.style) == pytest.approx(
        geometry.text_right - indent)
    assert even.x_pt == pytest.approx(geometry.text_left + indent)
    # the dashes (mid em box) 7 mm under the 版心
    assert odd.baseline_y_pt - (geometry.em_ascent - 0.5) * 14 == pytest.approx(
        geometry.text_bottom + 7 * MM)


def test_first_page_unnumbered_for_letters(geometry: PageGeometry) -> None:
    pages = layout(body_lines(30), geometry, first_page_numbered=False)
    assert [page.number for page in pages] == [None, 2]


def test_the_foot_must_come_last(geometry: PageGeometry) -> None:
    with pytest.raises(LayoutError):
        layout([foot("抄送：区委办。"), *body_lines(1)], geometry)


def test_a_foot_taller_than_a_page_is_refused(geometry: PageGeometry) -> None:
    with pytest.raises(LayoutError):
        layout([foot(*["抄送"] * 23)], geometry)


def test_layout_is_deterministic(geometry: PageGeometry) -> None:
    blocks = body_lines(40) + [foot("抄送：区委办。", "南岸区教育委员会办公室")]
    assert layout(blocks, geometry) == layout(blocks, geometry)


def test_absolute_rule_is_placed_from_the_text_top_and_keeps_the_flow(
        geometry: PageGeometry) -> None:
    # 信函: a 170 mm double line under a mark 30 mm from the page top (7 mm above the 版心)
    blocks: list[Block] = [AbsoluteBlock(Rule(1.0, color=RED, width_mm=170), -7 + 20),
                           Paragraph.plain("正文", BODY)]
    (page,) = layout(blocks, geometry)
    (rule,) = [item for item in page.items if isinstance(item, PlacedRule)]
    assert rule.y_pt == pytest.approx(geometry.text_top + 13 * MM)
    assert rule.x2_pt - rule.x1_pt == pytest.approx(170 * MM)
    assert (rule.x1_pt + rule.x2_pt) / 2 == pytest.approx(
        (geometry.text_left + geometry.text_right) / 2)
    assert line_index(texts(page)[0], geometry) == pytest.approx(0)


def test_a_stacked_mark_is_condensed_by_its_widest_line(geometry: PageGeometry) -> None:
    mark = TextStyle("xiaobiaosong", 36, color=RED)
    stacked = Paragraph.plain("国国\n" + "国" * 14, mark, align="center", fit_min_scale=0.5,
                              line_pitch_lines=2)
    (page,) = layout([AbsoluteBlock(stacked, 35)], geometry)
    first, second = texts(page)
    # Scaled until it fits a word processor's line too (layout/fit.py).
    assert first.style.scale_x == pytest.approx(geometry.fit.line_width_pt / (14 * 36), rel=1e-4)
    assert second.baseline_y_pt - first.baseline_y_pt == pytest.approx(
        2 * geometry.line_pitch_pt)
