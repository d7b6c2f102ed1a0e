"""`gongwen render plans/qijiang-2022-bulletin.yaml --to pdf`: the 綦江教育简报 as PDF,
measured with pdfplumber and pypdf."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from render.document.source import RenderInput
from render.writers import pdf
from test_pdf_writer import (
    A4,
    MM,
    PdfFacts,
    fonts_not_embedded,
    forbidden_line_edges,
    is_page_number,
)

PLAN = "qijiang-2022-bulletin"
MakeInput = Callable[[str], RenderInput]


def test_a_multi_page_a4_document(facts: PdfFacts) -> None:
    assert len(facts.pages) > 1
    assert all(size == pytest.approx(A4, abs=0.01) for size in facts.pages)


def test_every_font_is_embedded(rendered: Path) -> None:
    assert fonts_not_embedded(rendered) == []


def test_the_name_in_the_head_is_red(facts: PdfFacts) -> None:
    name = next(line for line in facts.lines if line.page == 1 and line.size >= 40)
    assert name.text == "綦江教育简报"
    assert "".join(char for char in facts.red_chars if char in name.text) == name.text
    assert all(char["non_stroking_color"] == name.chars[0]["non_stroking_color"]
               for char in name.chars)


def test_the_head_lines_under_the_name(facts: PdfFacts) -> None:
    first_page = [line.text for line in facts.lines if line.page == 1]
    assert "第12期（总第156期）" in first_page
    assert any(text.startswith("綦江区教育委员会办公室") and text.endswith("2023年1月10日")
               for text in first_page)


def test_article_titles_copy_out_of_the_pdf(facts: PdfFacts, source: RenderInput) -> None:
    text = "".join(facts.text.split())
    for article in source.document.articles:  # type: ignore[union-attr]
        assert "".join(article.title.split()) in text


def test_no_line_starts_or_ends_with_forbidden_punctuation(facts: PdfFacts) -> None:
    lines = tuple(line for line in facts.lines
                  if not is_page_number(line, facts.pages[line.page - 1][1]))
    assert len(lines) > 100
    assert forbidden_line_edges(lines) == []


def test_images_sit_inside_the_margins(facts: PdfFacts) -> None:
    assert len(facts.images) == 4
    width, height = A4
    for image in facts.images:
        assert image["x0"] >= 28 * MM - 0.01
        assert image["x1"] <= width - 26 * MM + 0.01
        assert image["top"] >= 37 * MM - 0.01
        assert image["bottom"] <= height - 35 * MM + 0.01
        assert image["x1"] - image["x0"] == pytest.approx(156 * MM, abs=0.01)  # the text width


def test_captions_follow_their_images(facts: PdfFacts, source: RenderInput) -> None:
    captions = [caption for article in source.document.articles  # type: ignore[union-attr]
                for _, caption in article.images]
    for image, caption in zip(facts.images, captions):
        below = next(line for line in facts.lines
                     if line.page == image["page"] and line.top > image["bottom"])
        assert "".join(below.text.split()) == "".join((caption or "").split())


def test_the_tail_closes_the_last_page(facts: PdfFacts) -> None:
    last = [line.text for line in facts.lines if line.page == len(facts.pages)]
    assert [text[:2] for text in last if text[:2] in ("报：", "送：", "发：")] == ["报：", "送：", "发："]
    assert "（共印60份）" in last


def test_page_numbers(facts: PdfFacts) -> None:
    numbers = [line for line in facts.lines if is_page_number(line, facts.pages[line.page - 1][1])]
    assert numbers and all(line.text == f"—{line.page}—" for line in numbers)


def test_the_same_plan_gives_the_same_bytes(source: RenderInput, rendered: Path,
                                           tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    pdf.write(source, again)
    assert again.read_bytes() == rendered.read_bytes()
