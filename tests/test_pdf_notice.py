"""`gongwen render plans/nanan-2022-22-notice.yaml --to pdf`: 南岸委办〔2022〕22号 as PDF,
with the Word writer's numbers (GB/T 9704: 28 mm 订口, 22 lines × 28 characters, `— N —`
page numbers outside), measured with pdfplumber and pypdf."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from render.document.source import RenderInput
from render.writers import pdf
from test_pdf_writer import (
    A4,
    MM,
    PdfFacts,
    TextLine,
    fonts_not_embedded,
    forbidden_line_edges,
    is_page_number,
    is_red,
)

PLAN = "nanan-2022-22-notice"
MakeInput = Callable[[str], RenderInput]
LEFT, RIGHT = 28 * MM, A4[0] - 26 * MM
TOP, BOTTOM = 37 * MM, A4[1] - 35 * MM
BODY_SIZE = 16  # 三号
CHAR = 14  # one 四号 character: the page number's indent


def text_lines(facts: PdfFacts) -> list[TextLine]:
    return [line for line in facts.lines if not is_page_number(line, A4[1])]


def body_lines(facts: PdfFacts, page: int) -> list[TextLine]:
    return [line for line in text_lines(facts)
            if line.page == page and line.size == pytest.approx(BODY_SIZE)]


def test_a4_pages_and_embedded_fonts(facts: PdfFacts, rendered: Path) -> None:
    assert all(size == pytest.approx(A4, abs=0.01) for size in facts.pages)
    assert fonts_not_embedded(rendered) == []


def test_the_left_margin_is_28mm(facts: PdfFacts) -> None:
    assert min(line.x0 for line in text_lines(facts)) == pytest.approx(LEFT, abs=0.5)
    assert max(line.x1 for line in text_lines(facts)) <= RIGHT + 0.5


def test_a_full_page_holds_22_lines_on_the_grid(facts: PdfFacts) -> None:
    counts = [len(body_lines(facts, page)) for page in range(1, len(facts.pages) + 1)]
    assert max(counts) == 22
    assert counts.count(22) >= 5
    full = next(page for page, count in enumerate(counts, 1) if count == 22)
    tops = [line.top for line in body_lines(facts, full)]
    pitch = 225 * MM / 22
    assert [b - a for a, b in zip(tops, tops[1:])] == pytest.approx([pitch] * 21, abs=0.1)
    assert tops[0] >= TOP and tops[-1] + BODY_SIZE <= BOTTOM


def test_a_full_line_holds_28_characters(facts: PdfFacts) -> None:
    """Lines of full-width characters from margin to margin hold 28, one every 156/28 mm;
    only a line that 避头尾 shortened holds 27, spread over the same width."""
    full = [line for line in text_lines(facts)
            if line.size == pytest.approx(BODY_SIZE) and line.x0 == pytest.approx(LEFT, abs=0.5)
            and line.x1 == pytest.approx(RIGHT, abs=1.0) and all(ord(c) > 0x2E80 for c in line.text)]
    lengths = Counter(len(line.text) for line in full)
    assert set(lengths) <= {27, 28} and lengths[28] > 0.8 * len(full) > 100
    pitch = 156 * MM / 28
    for line in full:
        if len(line.text) == 28:
            steps = [b["x0"] - a["x0"] for a, b in zip(line.chars, line.chars[1:])]
            assert steps == pytest.approx([pitch] * 27, abs=0.01)


def test_page_numbers_odd_right_even_left(facts: PdfFacts) -> None:
    numbers = {line.page: line for line in facts.lines if is_page_number(line, A4[1])}
    assert len(numbers) >= len(facts.pages) - 1
    for page, line in numbers.items():
        assert line.text == f"—{page}—"  # the spaces are blanks pdfplumber does not keep
        assert line.size == pytest.approx(14)  # 四号
        if page % 2:
            assert line.x1 == pytest.approx(RIGHT - CHAR, abs=0.5)
        else:
            assert line.x0 == pytest.approx(LEFT + CHAR, abs=0.5)
        assert line.top > BOTTOM
    assert "— 1 —" in facts.text


def test_the_imprint_ends_an_even_page_numbered_only_if_it_holds_text(facts: PdfFacts) -> None:
    last = len(facts.pages)
    assert last % 2 == 0
    lines = [line for line in facts.lines if line.page == last]
    # Numbered when it shares the page with text; a page of its own carries no number.
    imprint_only = all(line.size != 16 for line in lines if not is_page_number(line, A4[1]))
    assert any(is_page_number(line, A4[1]) for line in lines) != imprint_only
    text = [line for line in lines if not is_page_number(line, A4[1])]
    assert text[-1].text.startswith("中共重庆市南岸区委办公室")
    assert text[-1].text.endswith("2022年11月4日印发")


def test_the_red_joint_mark_and_rule(facts: PdfFacts, rendered: Path) -> None:
    first = [line for line in facts.lines if line.page == 1]
    names, suffix = [line for line in first if line.size >= 30 and line.text != "文件"], \
        next(line for line in first if line.text == "文件")
    assert [line.text for line in names] == ["中共重庆市南岸区委办公室", "重庆市南岸区人民政府办公室"]
    assert all(is_red(char["non_stroking_color"]) for line in (*names, suffix) for char in line.chars)
    assert names[0].x1 == pytest.approx(names[1].x1, abs=0.5)  # spread to one width
    assert suffix.top == pytest.approx((names[0].top + names[1].top) / 2, abs=0.5)
    assert LEFT - 0.5 <= names[0].x0 and suffix.x1 <= RIGHT + 0.5
    number = next(line for line in first if line.text == "南岸委办〔2022〕22号")
    with pdfplumber.open(rendered) as document:
        rules = [rule for rule in document.pages[0].lines if is_red(rule["stroking_color"])]
    (rule,) = rules
    assert rule["x1"] - rule["x0"] == pytest.approx(156 * MM, abs=0.1)
    baseline = number.chars[0]["bottom"] - 0.12 * BODY_SIZE  # FandolFang's descent
    assert rule["top"] - baseline == pytest.approx(4 * MM, abs=0.5)


def test_titles_copy_out_of_the_pdf(facts: PdfFacts, source: RenderInput) -> None:
    text = "".join(facts.text.split())
    document = source.document
    assert "".join(document.title_lines) in text  # type: ignore[union-attr]
    assert "".join(document.issued.title_lines) in text  # type: ignore[union-attr]
    assert "一、指导思想" in text


def test_no_line_starts_or_ends_with_forbidden_punctuation(facts: PdfFacts) -> None:
    assert forbidden_line_edges(tuple(text_lines(facts))) == []


def test_the_same_plan_gives_the_same_bytes(source: RenderInput, rendered: Path,
                                           tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    pdf.write(source, again)
    assert again.read_bytes() == rendered.read_bytes()
