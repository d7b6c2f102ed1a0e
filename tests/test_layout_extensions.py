"""Engine blocks added for the PDF writer: the joint 发文机关标志 (StackedMark), joint sealed
署名 side by side, floating images, and a foot group that need not end on an even page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from render.layout import (
    MM,
    Block,
    FootBlock,
    ImageBlock,
    Page,
    PageGeometry,
    Paragraph,
    PlacedImage,
    PlacedText,
    Rule,
    Run,
    Signature,
    StackedMark,
    TextStyle,
    geometry_from_profile,
    layout_document,
)
from render.layout.pages import PAGE_NUMBER_TAG
from render.profile import load_profile

PROFILE = Path(__file__).resolve().parent.parent / "templates" / "profiles" / "gbt9704.yaml"
BODY = TextStyle("fangsong", 16)
MARK = TextStyle("xiaobiaosong", 36, color="E60012")
CAPTION = TextStyle("kaiti", 14)


def fake_measure(text: str, style: TextStyle) -> float:
    return sum(style.size_pt if ord(ch) > 127 else style.size_pt / 2 for ch in text)


@pytest.fixture(scope="module")
def geometry() -> PageGeometry:
    return geometry_from_profile(load_profile(PROFILE))


def layout(blocks: Sequence[Block], geometry: PageGeometry) -> list[Page]:
    return layout_document(blocks, geometry, fake_measure)


def texts(page: Page, tag: str | None = None) -> list[PlacedText]:
    return [item for item in page.items if isinstance(item, PlacedText)
            and item.tag != PAGE_NUMBER_TAG and (tag is None or item.tag == tag)]


def drawn_width(text: PlacedText) -> float:
    """Where the pen ends: natural widths scaled, plus the spacing between characters."""
    natural = fake_measure(text.text, text.style) * text.style.scale_x
    return natural + text.char_spacing_pt * (len(text.text) - 1)


def line_count(page: Page) -> int:
    return len({round(t.baseline_y_pt, 3) for t in texts(page)})


def body_lines(count: int) -> list[Block]:
    return [Paragraph.plain(f"正文第{i}行", BODY) for i in range(count)]


# ---- the joint 标志 --------------------------------------------------------------------


def joint_mark(**options: object) -> StackedMark:
    options.setdefault("suffix_gap_chars", 0)
    return StackedMark((Run("国" * 12, MARK), Run("国" * 13, MARK)), Run("文件", MARK), 35,
                       **options)  # type: ignore[arg-type]


def test_stacked_names_share_one_width_and_the_group_fits_the_text_width(
        geometry: PageGeometry) -> None:
    (page,) = layout([joint_mark(max_width_mm=156, min_scale=0.5, tag="mark")], geometry)
    first, second, suffix = texts(page, "mark")
    scale = geometry.text_width / (13 * 36 + 72)  # 13 characters + 文件, no gap
    assert first.style.scale_x == pytest.approx(scale)
    assert drawn_width(first) == pytest.approx(drawn_width(second)) == pytest.approx(13 * 36 * scale)
    assert first.x_pt == pytest.approx(geometry.text_left)
    assert suffix.x_pt + drawn_width(suffix) == pytest.approx(geometry.text_right)


def test_the_suffix_is_centred_vertically_on_the_stack(geometry: PageGeometry) -> None:
    (page,) = layout([joint_mark(line_pitch_em=1.25, max_width_mm=156, min_scale=0.5)], geometry)
    first, second, suffix = texts(page)
    assert first.baseline_y_pt == pytest.approx(geometry.text_top + 35 * MM + geometry.em_ascent * 36)
    assert second.baseline_y_pt - first.baseline_y_pt == pytest.approx(1.25 * 36)
    assert suffix.baseline_y_pt == pytest.approx((first.baseline_y_pt + second.baseline_y_pt) / 2)


def test_a_narrow_mark_is_centred_unscaled_with_its_gap(geometry: PageGeometry) -> None:
    mark = StackedMark((Run("国国", MARK), Run("国国国", MARK)), Run("文件", MARK), 35,
                       suffix_gap_chars=0.5)
    (page,) = layout([mark], geometry)
    first, _, suffix = texts(page)
    width = 3 * 36 + 18 + 72
    assert first.style.scale_x == 1.0
    assert first.x_pt == pytest.approx(geometry.text_left + (geometry.text_width - width) / 2)
    assert suffix.x_pt == pytest.approx(first.x_pt + 3 * 36 + 18)


def test_the_min_scale_is_a_floor(geometry: PageGeometry) -> None:
    (page,) = layout([joint_mark(max_width_mm=100, min_scale=0.9)], geometry)
    assert texts(page)[0].style.scale_x == pytest.approx(0.9)


def test_the_flow_resumes_under_the_stack(geometry: PageGeometry) -> None:
    (page,) = layout([joint_mark(max_width_mm=156, min_scale=0.5), Paragraph.plain("文号", BODY)],
                     geometry)
    number = texts(page)[-1]
    bottom = 35 * MM + 36 + 36  # two one-em rows
    first_free = math.ceil(bottom / geometry.line_pitch_pt)
    assert number.baseline_y_pt == pytest.approx(geometry.grid_baseline(first_free))


# ---- joint sealed 署名 -----------------------------------------------------------------


def test_joint_sealed_names_sit_side_by_side_the_last_over_the_date(
        geometry: PageGeometry) -> None:
    pitch = geometry.char_pitch_pt
    names = ((Run("国" * 6, BODY),), (Run("国" * 8, BODY),))
    signature = Signature(names, (Run("国" * 6, BODY),), sealed=True, right_indent_chars=4,
                          columns=2)
    (page,) = layout([signature], geometry)
    first, second, date = texts(page)
    assert first.baseline_y_pt == second.baseline_y_pt < date.baseline_y_pt
    date_centre = geometry.text_right - 4 * pitch - 3 * pitch
    assert second.x_pt + 4 * pitch == pytest.approx(date_centre)  # centred on the date
    assert first.x_pt + 3 * pitch == pytest.approx(date_centre - geometry.text_width / 2)
    assert first.tag == second.tag == "signature.name"


def test_three_joint_names_fill_rows_in_order_the_short_row_last_over_the_date(geometry: PageGeometry) -> None:
    """The 主办机关 first (GB/T 9704 7.3.5.1), in equal columns; the third organ stands alone
    in the right column, over the date."""
    names = tuple((Run(name, BODY),) for name in ("甲单位", "乙单位", "丙单位"))
    signature = Signature(names, (Run("日期", BODY),), sealed=True, right_indent_chars=4,
                          columns=2)
    (page,) = layout([signature], geometry)
    left, right, alone, date = texts(page)
    assert (left.text, right.text, alone.text) == ("甲单位", "乙单位", "丙单位")
    assert left.baseline_y_pt == right.baseline_y_pt < alone.baseline_y_pt < date.baseline_y_pt
    assert alone.x_pt == pytest.approx(right.x_pt)
    column = geometry.text_width / 2
    assert left.x_pt - geometry.text_left == pytest.approx(right.x_pt - geometry.text_left - column)


# ---- floating images -------------------------------------------------------------------


def photo(floating: bool) -> ImageBlock:
    caption = Paragraph.plain("图注", CAPTION, align="center")
    return ImageBlock("photo.png", 400, 10 * 28.9, caption=caption, floating=floating)


def test_a_floating_image_that_does_not_fit_waits_for_the_next_page(
        geometry: PageGeometry) -> None:
    blocks = body_lines(15) + [photo(True)] + body_lines(5)
    first, second = layout(blocks, geometry)
    assert line_count(first) == 20  # the five lines after the photo fill page 1
    assert not [item for item in first.items if isinstance(item, PlacedImage)]
    (image,) = [item for item in second.items if isinstance(item, PlacedImage)]
    assert image.y_top_pt < geometry.text_top + geometry.line_pitch_pt
    assert [t.text for t in texts(second)] == ["图注"]


def test_a_fixed_image_moves_with_the_text(geometry: PageGeometry) -> None:
    first, second = layout(body_lines(15) + [photo(False)] + body_lines(5), geometry)
    assert line_count(first) == 15
    assert line_count(second) == 6  # the caption and the five lines


def test_a_floating_image_that_fits_stays_in_place(geometry: PageGeometry) -> None:
    (page,) = layout(body_lines(2) + [photo(True)] + body_lines(2), geometry)
    image = next(item for item in page.items if isinstance(item, PlacedImage))
    after = texts(page)[-2]
    assert geometry.text_top + 2 * geometry.line_pitch_pt <= image.y_top_pt < after.baseline_y_pt


def test_floats_keep_their_order(geometry: PageGeometry) -> None:
    one = ImageBlock("one.png", 400, 300, floating=True)
    two = ImageBlock("two.png", 400, 60, floating=True)
    pages = layout(body_lines(15) + [one, two] + body_lines(1), geometry)
    placed = [(page.index, item.path) for page in pages for item in page.items
              if isinstance(item, PlacedImage)]
    assert placed == [(2, "one.png"), (2, "two.png")]


# ---- a foot group on any page ----------------------------------------------------------


def tail() -> FootBlock:
    return FootBlock((Rule(0.35, anchor="grid"), Paragraph.plain("报：区委。", BODY),
                      Rule(0.25, anchor="grid")), even_page=False)


def test_a_tail_joins_an_odd_last_page(geometry: PageGeometry) -> None:
    (page,) = layout(body_lines(5) + [tail()], geometry)
    assert page.number == 1
    assert texts(page)[-1].baseline_y_pt == pytest.approx(geometry.grid_baseline(21))


def test_a_tail_that_does_not_fit_takes_the_next_page(geometry: PageGeometry) -> None:
    pages = layout(body_lines(22) + [tail()], geometry)
    assert [page.number for page in pages] == [1, None]
    assert [t.text for t in texts(pages[1])] == ["报：区委。"]
