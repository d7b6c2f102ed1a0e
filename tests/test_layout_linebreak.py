"""Line breaking on the 28-character grid: 避头尾, unbreakable numbers, justification."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from render.layout import (
    Line,
    Metrics,
    PageGeometry,
    Paragraph,
    Run,
    TextStyle,
    break_paragraph,
    geometry_from_profile,
)
from render.profile import load_profile
from render.text.chars import CLOSING, OPENING

PROFILE = Path(__file__).resolve().parent.parent / "templates" / "profiles" / "gbt9704.yaml"
BODY = TextStyle("fangsong", 16)
BOLD = TextStyle("fangsong", 16, bold=True)


def fake_measure(text: str, style: TextStyle) -> float:
    """Monospace: an ideograph (any non-ASCII character) is one em, ASCII half an em."""
    return sum(style.size_pt if ord(ch) > 127 else style.size_pt / 2 for ch in text)


@pytest.fixture(scope="module")
def geometry() -> PageGeometry:
    return geometry_from_profile(load_profile(PROFILE))


def lines_of(text: str, geometry: PageGeometry, **options: object) -> list[Line]:
    paragraph = Paragraph.plain(text, BODY, **options)
    return break_paragraph(paragraph, geometry, Metrics(fake_measure, geometry))


def test_a_full_line_holds_exactly_28_ideographs(geometry: PageGeometry) -> None:
    assert [line.text for line in lines_of("国" * 28, geometry)] == ["国" * 28]
    lines = lines_of("国" * 29, geometry)
    assert [len(line.text) for line in lines] == [28, 1]
    assert lines[0].right == pytest.approx(geometry.text_width, abs=1e-6)


def test_grid_pitch_is_the_text_width_over_28(geometry: PageGeometry) -> None:
    (line,) = lines_of("国" * 28, geometry)
    (segment,) = line.segments  # one draw call for an evenly spaced line
    assert geometry.char_pitch_pt == pytest.approx(156 / 28 * 72 / 25.4)
    # the 16 pt glyphs advance by the 15.79 pt grid: condensed by the difference
    assert segment.char_spacing == pytest.approx(geometry.char_pitch_pt - 16)


def test_two_character_first_line_indent(geometry: PageGeometry) -> None:
    lines = lines_of("国" * 60, geometry, first_indent_chars=2)
    assert [len(line.text) for line in lines] == [26, 28, 6]
    assert lines[0].left == pytest.approx(2 * geometry.char_pitch_pt)
    assert lines[1].left == pytest.approx(0)


def test_hanging_indent_aligns_wrapped_lines_after_the_colon(geometry: PageGeometry) -> None:
    lines = lines_of("抄送：" + "国" * 60, geometry, left_indent_chars=4,
                     first_indent_chars=-3, right_indent_chars=1)
    pitch = geometry.char_pitch_pt
    assert lines[0].left == pytest.approx(pitch)
    assert all(line.left == pytest.approx(4 * pitch) for line in lines[1:])
    assert len(lines[0].text) == 28 - 2
    assert len(lines[1].text) == 28 - 5


def test_closing_punctuation_pulls_the_previous_character_down(geometry: PageGeometry) -> None:
    lines = lines_of("国" * 27 + "家。" + "国" * 5, geometry)
    assert lines[0].text == "国" * 27
    assert lines[1].text.startswith("家。")
    # the short line is still justified to the right edge
    assert lines[0].right == pytest.approx(geometry.text_width, abs=0.01)


def test_a_run_of_closing_marks_moves_down_with_its_character(geometry: PageGeometry) -> None:
    lines = lines_of("国" * 26 + "家。”）" + "国" * 5, geometry)
    assert lines[0].text == "国" * 26
    assert lines[1].text.startswith("家。”）")


def test_opening_punctuation_moves_to_the_next_line(geometry: PageGeometry) -> None:
    lines = lines_of("国" * 27 + "《家》" + "国" * 5, geometry)
    assert lines[0].text == "国" * 27
    assert lines[1].text.startswith("《家》")


@pytest.mark.parametrize("token", ["2022", "3.0", "100%", "1—2", "3+2", "Python", "1,000"])
@pytest.mark.parametrize("before", [24, 25, 26, 27])
def test_numbers_and_words_are_never_split(geometry: PageGeometry, token: str,
                                           before: int) -> None:
    lines = lines_of("国" * before + token + "国" * 10, geometry)
    assert any(token in line.text for line in lines), [line.text for line in lines]


def test_justification_fills_non_last_lines_to_the_edge(geometry: PageGeometry) -> None:
    text = "依据GB/T 9704-2012标准，2022年共完成3.0版本的100%测试。" * 6
    lines = lines_of(text, geometry, first_indent_chars=2)
    assert len(lines) > 2
    for line in lines[:-1]:
        assert line.right == pytest.approx(geometry.text_width, abs=0.01)
    assert lines[-1].right < geometry.text_width - 1  # the last line is left-aligned
    assert lines[-1].left == pytest.approx(0)


def test_latin_spaces_are_not_drawn_and_not_left_at_line_ends(geometry: PageGeometry) -> None:
    lines = lines_of("word " * 40, geometry)
    assert all(" " not in line.text for line in lines)
    assert "".join(line.text for line in lines) == "word" * 40


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment(geometry: PageGeometry, align: str) -> None:
    (line,) = lines_of("国" * 10, geometry, align=align)
    slack = geometry.text_width - 10 * geometry.char_pitch_pt
    expected = {"left": 0, "center": slack / 2, "right": slack}[align]
    assert line.left == pytest.approx(expected)


def test_a_newline_breaks_the_line_without_justifying_it(geometry: PageGeometry) -> None:
    lines = lines_of("关于印发\n工作要点的通知", geometry, align="center")
    assert [line.text for line in lines] == ["关于印发", "工作要点的通知"]


def test_style_changes_start_a_new_segment(geometry: PageGeometry) -> None:
    paragraph = Paragraph((Run("1.加强党的建设。", BOLD), Run("坚持" * 5, BODY)))
    (line,) = break_paragraph(paragraph, geometry, Metrics(fake_measure, geometry))
    assert [(segment.text, segment.style.bold) for segment in line.segments] == [
        ("1", True), (".", True), ("加强党的建设。", True), ("坚持" * 5, False)]
    assert line.text == "1.加强党的建设。" + "坚持" * 5


def test_fit_min_scale_condenses_a_wide_mark(geometry: PageGeometry) -> None:
    mark = TextStyle("xiaobiaosong", 36, color="E60012")
    metrics = Metrics(fake_measure, geometry)
    wide = Paragraph.plain("国" * 14, mark, align="center", fit_min_scale=0.5)
    (line,) = break_paragraph(wide, geometry, metrics)
    # Scaled until it fits a word processor's line too (layout/fit.py), 0.6 mm short of the 版心.
    width = min(geometry.text_width, geometry.fit.line_width_pt)
    assert line.segments[0].style.scale_x == pytest.approx(width / (14 * 36), rel=1e-4)
    assert line.right - line.left == pytest.approx(width, rel=1e-4)
    too_wide = Paragraph.plain("国" * 30, mark, align="center", fit_min_scale=0.5)
    lines = break_paragraph(too_wide, geometry, metrics)
    assert lines[0].segments[0].style.scale_x == 0.5 and len(lines) == 2


# ---- randomized corpus ---------------------------------------------------------------

_HANZI = st.sampled_from("党政机关公文格式国家标准规定版心行字发文字号标题主送正文附件")
_NUMBERS = st.sampled_from(["2022", "3.0", "100%", "1—2", "3+2", "15", "GB", "Python3"])
_CLOSING = "，。、；：？！）》」』”’％…—·"
_OPENING = "（《「『“‘"


@st.composite
def _phrase(draw: st.DrawFn) -> str:
    """An opening mark, some characters or a number, then closing marks: real Chinese
    text has a break opportunity at least every few characters."""
    head = draw(st.sampled_from(["", ""] + list(_OPENING)))
    body = "".join(draw(st.lists(st.one_of(_HANZI, _HANZI, _NUMBERS), min_size=1, max_size=6)))
    tail = "".join(draw(st.lists(st.sampled_from(_CLOSING), max_size=3)))
    return head + body + tail


_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[.+—,][A-Za-z0-9]+)*%?")


def _boundaries(lines: list[Line]) -> set[int]:
    ends, total = set(), 0
    for line in lines[:-1]:
        total += len(line.text)
        ends.add(total)
    return ends


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(_phrase(), min_size=1, max_size=60),
       indent=st.sampled_from([0, 2]))
def test_randomized_corpus_obeys_the_line_rules(geometry: PageGeometry, phrases: list[str],
                                                indent: int) -> None:
    text = "".join(phrases)
    lines = lines_of(text, geometry, first_indent_chars=indent)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    for line in lines[1:]:
        assert line.text[0] not in CLOSING, [x.text for x in lines]
    # Phrases glued together can make one Latin/number token nearly a line long. A token
    # that does not fit the (indented) first line is split by character, and a single
    # character left before one has no gap to justify: no typesetter can do better.
    first_width = geometry.text_width - indent * geometry.char_pitch_pt
    for line in lines[:-1]:
        assert line.text[-1] not in OPENING, [x.text for x in lines]
        if len(line.text) > 1:
            assert line.right == pytest.approx(geometry.text_width, abs=0.01)
    ends = _boundaries(lines)
    for match in _WORD_RE.finditer(text):
        if fake_measure(match.group(), BODY) <= first_width:
            assert not any(match.start() < end < match.end() for end in ends), match.group()


def test_a_150_page_paragraph_breaks_into_full_lines(geometry: PageGeometry) -> None:
    # Speed is measured in bench/, never asserted here: a loaded machine must not fail a test.
    text = "依据GB/T 9704标准，2022年完成（试点）工作的100%。" * 4000
    lines = lines_of(text, geometry, first_indent_chars=2)
    assert len(lines) > 3000
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")


def test_the_blocks_scans_skip_are_grid_characters_throughout() -> None:
    """held_together() looks for words, and text_ems() for narrow characters, only outside
    the full-width blocks they skip in C; a character there that is not a grid character
    would be missed (a number glued wrongly, a column too narrow)."""
    from render.text.chars import is_grid_char, outside_surely_grid, text_ems

    missed = [hex(code) for code in range(0x10000)
              if not 0xD800 <= code <= 0xDFFF and not is_grid_char(chr(code))
              and not list(outside_surely_grid(chr(code)))]
    assert missed == []
    assert list(outside_surely_grid("中A文1")) == [1, 3] and list(outside_surely_grid("\U00020000中")) == [0]
    assert text_ems("抄送：") == 3 and text_ems("1.") == 1 and text_ems("2024年“好”") == 6


# Each block's edges and what lies just outside them, other scripts, astral characters.
_EDGE_CHARACTERS = st.sampled_from(
    [chr(c) for first, last in ((0x2FF0, 0x3050), (0x33F0, 0x3410), (0x4DB0, 0x4E10), (0x9FF0, 0xA010),
                                (0xFEF0, 0xFF70), (0x2010, 0x2030))
     for c in range(first, last)] + list("Aa1.,;（）“”—…·×°①Ⅱ\u00a0\t") + ["\U00020000", "\U0001F600"])


@settings(max_examples=2000, deadline=None)
@given(st.text(_EDGE_CHARACTERS, max_size=30))
def test_a_text_is_as_wide_as_its_characters(text: str) -> None:
    """text_ems() skips the full-width blocks in C: the sum must still be each character's own
    width, on the blocks' edges too."""
    from render.text.chars import em_width, text_ems

    assert text_ems(text) == sum(em_width(ch) for ch in text)
