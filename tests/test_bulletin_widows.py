"""Bulletins on made-up content (issue 14): no page opens with a paragraph's lone last line
(a widow such as "力。") and no page ends with a paragraph's lone first line (an orphan).
Paragraph lengths are swept so that paragraph ends fall on every line of a page."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from render.document.source import prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import pdf as pdf_writer

MM = 72 / 25.4
LEFT = 28 * MM
SENTENCE = "全区各校围绕立德树人根本任务，持续深化课堂教学改革，推动学生全面发展，取得了显著成效。"


def _bulletin(shift: int) -> str:
    paragraphs = [SENTENCE * (1 + (shift + k) % 4) + "力" * ((shift * 7 + k * 5) % 23) + "。" for k in range(14)]
    body = "\n\n".join(paragraphs)
    indented = "\n".join("      " + line for line in body.splitlines())
    return f"""\
type: bulletin
name: 北碚教育简报
issue: {shift + 1}
editor: 北碚区教育委员会办公室
date: 2024-06-20
articles:
  - title: 深化课堂教学改革
    body: |
{indented}
"""


def _body_lines(page: pdfplumber.page.Page) -> list[tuple[float, str]]:
    """(x0 of the first character, text) of each 16 pt body line, top to bottom."""
    rows: dict[float, list[dict]] = {}
    bottom = (297 - 35) * MM
    for char in page.chars:
        baseline = page.height - char["matrix"][5]
        if round(char["size"]) == 16 and baseline < bottom and char["text"].strip():
            rows.setdefault(round(baseline, 1), []).append(char)
    lines = [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]
    return [(line[0]["x0"], "".join(c["text"] for c in line)) for line in lines]


@pytest.mark.parametrize("shift", range(6))
def test_no_widow_or_orphan_at_a_page_break(tmp_path: Path, profile: Profile, shift: int) -> None:
    plan = tmp_path / "bulletin.yaml"
    plan.write_text(_bulletin(shift), encoding="utf-8")
    pdf_writer.write(prepare(load_plan(plan), profile), tmp_path / "bulletin.pdf")
    indent = LEFT + 2 * 16  # a paragraph's first line starts two characters in
    with pdfplumber.open(tmp_path / "bulletin.pdf") as pdf:
        pages = [_body_lines(page) for page in pdf.pages]
    assert len(pages) >= 3
    for number, (this, following) in enumerate(zip(pages, pages[1:]), 1):
        if not this or not following:
            continue
        last_x, _ = this[-1]
        first_x, first_text = following[0]
        continuing = abs(first_x - indent) > 2  # the next page opens inside a paragraph
        if continuing:
            assert abs(last_x - indent) > 2, f"page {number} ends with a paragraph's lone first line"
            opens_with_last = len(following) == 1 or abs(following[1][0] - indent) < 2
            assert not opens_with_last, f"page {number + 1} opens with a widow: {first_text}"
