"""Titles nobody tuned for (issue 14): up to 200 characters, in both writers. The 标题 stays
on page 1 under the 版头 (GB/T 9704 7.3.1) however long it is, broken into lines of at most
20 characters at word boundaries, the same lines in the PDF and in LibreOffice's print of
the .docx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from render.document.source import RenderInput, prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers import pdf as pdf_writer

PHRASE = "关于进一步加强和改进新时代中小学校思想政治工作推动立德树人根本任务落实"
PLAN = """\
type: notice
issuers: 重庆市綦江区教育委员会
number: {{code: 綦教发, year: 2024, serial: 31}}
title: {title}
to: 各中小学校、幼儿园
date: 2024-05-06
body: 请认真贯彻执行。
"""


def _title_lines(pdf: pdfplumber.PDF, page: int) -> list[str]:
    rows: dict[float, list[dict]] = {}
    for char in pdf.pages[page].chars:
        if round(char["size"]) == 22:
            rows.setdefault(round(char["top"]), []).append(char)
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for _, row in sorted(rows.items())]


def _source(tmp_path: Path, title: str, profile: Profile) -> RenderInput:
    plan = tmp_path / "notice.yaml"
    plan.write_text(PLAN.format(title=title), encoding="utf-8")
    return prepare(load_plan(plan), profile)


@pytest.mark.parametrize("length", [60, 120, 200])
def test_a_long_title_stays_on_page_one_in_both_writers(tmp_path: Path, length: int, profile: Profile,
                                                      office_convert: Callable[[Path, str], Path]) -> None:
    title = (PHRASE * 6)[: length - 3] + "的通知"
    source = _source(tmp_path, title, profile)
    pdf_writer.write(source, tmp_path / "notice.pdf")
    docx_writer.write(source, tmp_path / "notice.docx")
    with pdfplumber.open(tmp_path / "notice.pdf") as ours, \
            pdfplumber.open(office_convert(tmp_path / "notice.docx", "pdf")) as office:
        pdf_lines, office_lines = _title_lines(ours, 0), _title_lines(office, 0)
    assert "".join(pdf_lines) == title
    assert all(len(line) <= 20 for line in pdf_lines)
    assert office_lines == pdf_lines
