"""GB/T 9704 7.3.5.1 on the 南岸 notice (issue 14): the seal needs one line more than page 1
has, so the blank line above it gives way (profile signature.seal_lines_above_min) instead
of carrying the whole body to page 2. Page 1 then holds the body text, the 署名 and the
date, in the PDF and in LibreOffice's print of the .docx alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber

from render.document.source import RenderInput
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
