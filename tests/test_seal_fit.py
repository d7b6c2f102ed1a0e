"""GB/T 9704 7.3.5.1 on the 南岸 notice (issue 14): the seal needs one line more than page 1
has, so the blank line above it gives way (profile signature.seal_lines_above_min) instead
of carrying the whole body to page 2. Page 1 then holds the body text, the 署名 and the
date, in the PDF and in LibreOffice's print of the .docx alike. When even that is not
enough, the last paragraphs tighten their line pitch before any text is carried over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber

import madeup
from render.document.source import RenderInput, prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers import pdf as pdf_writer


def _first_page(pdf_path: Path) -> str:
    with pdfplumber.open(pdf_path) as pdf:
        return (pdf.pages[0].extract_text() or "").replace(" ", "")


def test_page_one_holds_body_signature_and_date(tmp_path: Path, plan_input: Callable[[str], RenderInput],
                                                office_convert: Callable[[Path, str], Path]) -> None:
    source = plan_input("nanan-2022-22-notice")
    pdf_writer.write(source, tmp_path / "nanan.pdf")
    docx_writer.write(source, tmp_path / "nanan.docx")
    for text in (_first_page(tmp_path / "nanan.pdf"), _first_page(office_convert(tmp_path / "nanan.docx", "pdf"))):
        assert "现印发给你们" in text and "彻落实。" in text
        assert "重庆市南岸区人民政府办公室\n2022年11月4日" in text


def _date_page_and_pitches(pdf_path: Path, date: str, last_words: str) -> tuple[int, int, list[float]]:
    """(page of the 成文日期, page of the body's last line, the line pitches above it)."""
    with pdfplumber.open(pdf_path) as pdf:
        pages = [(number, page.extract_text_lines()) for number, page in enumerate(pdf.pages, 1)]
    date_page = next(n for n, lines in pages for line in lines if line["text"].replace(" ", "") == date)
    end_page, lines = next((n, lines) for n, lines in pages
                           if any(line["text"].replace(" ", "").endswith(last_words) for line in lines))
    tops = [line["top"] for line in lines]
    return date_page, end_page, [b - a for a, b in zip(tops, tops[1:])]


def test_the_last_paragraphs_tighten_before_the_text_is_carried(
        tmp_path: Path, profile: Profile, office_convert: Callable[[Path, str], Path]) -> None:
    """A made-up notice with four sealed issuers whose 署名 block is a line too tall for the
    page its text ends on: the last paragraphs take a tighter line pitch (profile
    signature.tight_line_pitch), in both writers, and the 署名 and date stay on that page.
    Without the tightening the text's end goes over to the next page with them."""
    plan = madeup.notice(19)
    date = "2025年8月20日"
    source = prepare(load_plan(madeup.write(plan, tmp_path, "notice")), profile)
    pdf_writer.write(source, tmp_path / "notice.pdf")
    docx_writer.write(source, tmp_path / "notice.docx")
    grid = 225 * 72 / 25.4 / 22
    pages = set()
    for printed in (tmp_path / "notice.pdf", office_convert(tmp_path / "notice.docx", "pdf")):
        date_page, end_page, pitches = _date_page_and_pitches(printed, date, "到95%以上。")
        assert date_page == end_page, f"{printed.name}: the 署名 left the text's page"
        assert min(pitches) < 0.95 * grid, f"{printed.name}: no line tightened ({min(pitches):.1f} pt)"
        pages.add(date_page)
    assert len(pages) == 1, "the PDF and Word put the 署名 on different pages"
    loose = profile.model_copy(update={"signature": profile.signature.model_copy(update={"tight_paragraphs": 0})})
    pdf_writer.write(prepare(load_plan(tmp_path / "notice.yaml"), loose), tmp_path / "loose.pdf")
    date_page, _, pitches = _date_page_and_pitches(tmp_path / "loose.pdf", date, "到95%以上。")
    assert date_page == pages.pop() + 1 and min(pitches) > 0.95 * grid
