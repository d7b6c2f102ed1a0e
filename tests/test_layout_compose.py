"""Lowered documents → layout blocks (render/layout/compose*.py): which block each element of
a 公文 and a 简报 becomes, with the profile's numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from render.document.lower import Bulletin, Document
from render.document.source import RenderInput
from render.layout import (
    AbsoluteBlock,
    FootBlock,
    ImageBlock,
    Paragraph,
    Rule,
    Signature,
    Spacer,
    StackedMark,
)
from render.layout.compose import compose_document
from render.layout.compose_bulletin import NAME_TAG, compose_bulletin
from render.profile import Profile

MakeInput = Callable[[str], RenderInput]


def fixed_size(_: Path) -> tuple[float, float]:
    return 1200.0, 800.0


@pytest.fixture(scope="module")
def notice(plan_input: MakeInput) -> Document:
    document = plan_input("nanan-2022-22-notice").document
    assert isinstance(document, Document)
    return document


def test_a_joint_notice_opens_with_the_stacked_mark_number_and_red_rule(
        notice: Document, profile: Profile) -> None:
    mark, gap, number, rule, space, title = compose_document(notice, profile)[:6]
    assert isinstance(mark, StackedMark)
    assert [run.text for run in mark.names] == ["中共重庆市南岸区委办公室", "重庆市南岸区人民政府办公室"]
    assert mark.suffix is not None and mark.suffix.text == "文件"
    assert mark.top_mm == profile.header.mark_top
    assert mark.min_scale == pytest.approx(profile.header.mark_min_scale / 100)
    assert mark.names[0].style.color == profile.color("red")
    assert gap == Spacer(profile.header.mark_line_gap)
    assert isinstance(number, Paragraph) and number.runs[0].text == "南岸委办〔2022〕22号"
    assert isinstance(rule, Rule) and rule.color == profile.color("red")
    assert rule.offset_mm == profile.header.rule_below_number
    assert space == Spacer(profile.title.lines_above)
    assert isinstance(title, Paragraph) and title.align == "center"
    assert title.runs[0].style.size_pt == profile.size_pt("二号")


def test_the_notice_ends_with_a_joint_sealed_signature_the_issued_part_and_the_imprint(
        notice: Document, profile: Profile) -> None:
    blocks = compose_document(notice, profile)
    (signature,) = [block for block in blocks if isinstance(block, Signature)]
    assert signature.sealed and signature.columns == profile.fixed_layout.signature_columns
    assert signature.right_indent_chars == profile.signature.sealed_date_right_indent_chars
    issued_title = next(block for block in blocks if isinstance(block, Paragraph)
                        and block.page_break_before)
    assert issued_title.runs[0].text == "\n".join(notice.issued.title_lines)  # type: ignore[union-attr]
    foot = blocks[-1]
    assert isinstance(foot, FootBlock) and foot.even_page
    rules = [block for block in foot.blocks if isinstance(block, Rule)]
    assert [rule.thickness_mm for rule in rules] == [profile.imprint.thick_rule] * 2


def test_item_leads_are_bold_and_headings_keep_with_the_next_line(
        notice: Document, profile: Profile) -> None:
    paragraphs = [block for block in compose_document(notice, profile) if isinstance(block, Paragraph)]
    item = next(p for p in paragraphs if p.runs[0].text.startswith("1."))
    assert item.runs[0].style.bold and not item.runs[1].style.bold
    heading = next(p for p in paragraphs if p.runs[0].text == "一、指导思想")
    assert heading.keep_with_next and heading.runs[0].style.font_role == "heiti"


def test_work_points_without_a_number_have_no_red_header(plan_input: MakeInput,
                                                         profile: Profile) -> None:
    document = plan_input("shapingba-2023-work-points").document
    assert isinstance(document, Document)
    blocks = compose_document(document, profile)
    assert not any(isinstance(block, (StackedMark, AbsoluteBlock, Rule)) for block in blocks)
    assert isinstance(blocks[0], Paragraph) and blocks[0].runs[0].text == document.title


def test_the_bulletin_head_photos_and_tail(plan_input: MakeInput, profile: Profile) -> None:
    bulletin = plan_input("qijiang-2022-bulletin").document
    assert isinstance(bulletin, Bulletin)
    blocks = compose_bulletin(bulletin, profile, fixed_size)
    name = next(b for b in blocks if isinstance(b, Paragraph) and b.tag == NAME_TAG)
    assert name.runs[0].text == "綦江教育简报"
    assert name.runs[0].style.color == profile.color(profile.bulletin.name_color)
    assert name.runs[0].style.size_pt == profile.size_pt(profile.bulletin.name_size)
    images = [b for b in blocks if isinstance(b, ImageBlock)]
    assert len(images) == 4 and all(image.floating and image.caption for image in images)
    width = profile.text_width_mm * 72 / 25.4
    assert images[0].width_pt == pytest.approx(width)
    assert images[0].height_pt == pytest.approx(width * 800 / 1200)
    tail = blocks[-1]
    assert isinstance(tail, FootBlock) and not tail.even_page
    texts = [b.runs[0].text for b in tail.blocks if isinstance(b, Paragraph)]
    assert [text[:2] for text in texts[:3]] == ["报：", "送：", "发："]
    assert texts[-1] == "（共印60份）"


def test_a_tall_photo_is_limited_to_the_profile_height(plan_input: MakeInput,
                                                       profile: Profile) -> None:
    bulletin = plan_input("qijiang-2022-bulletin").document
    assert isinstance(bulletin, Bulletin)
    blocks = compose_bulletin(bulletin, profile, lambda _: (800.0, 1600.0))
    image = next(b for b in blocks if isinstance(b, ImageBlock))
    assert image.height_pt == pytest.approx(profile.bulletin.image_max_lines * profile.line_pitch_pt)
    assert image.width_pt == pytest.approx(image.height_pt / 2)
