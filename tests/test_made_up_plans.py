"""Plans nobody tuned the layout for (tests/madeup.py): notices with 1 to 4 issuers, with and
without seal, 发文字号, 附件 and 版记, titles up to 120 characters, body text mixing Chinese
with numbers, Latin words, URLs, ranges and quotes; work points; bulletins with photos.

Each notice and work-points plan is rendered to PDF and to .docx, the .docx printed by
LibreOffice, and both are read back as a reader would: the same lines on the same pages in
both (one line rule, layout/fit.py), no glyph outside the 版心 (28–184 mm), no two glyphs
overlapping, the red rule on page 1, no page opening with a paragraph's lone short last
line. Bulletins (PDF only) are held to the same page checks."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

import madeup
from render.document.source import prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers import pdf as pdf_writer

pytestmark = pytest.mark.office

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, 184 * MM
TEXT_BOTTOM = (297 - 35) * MM
# Each case exercises a different corner: 1–4 issuers, seal or not, no 发文字号 (case 4),
# 附件说明 (1, 5), 版记 (1, 3, 5), titles of 30–120 characters.
NOTICES = [0, 1, 3, 4, 5, 10]
WORK_POINTS = [0, 3]
BULLETINS = [0, 1]


def _rows(page: pdfplumber.page.Page) -> list[list[dict]]:
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(page.height - char["matrix"][5], 0), []).append(char)
    return [sorted(rows[base], key=lambda c: c["x0"]) for base in sorted(rows)]


def body_lines(pdf: pdfplumber.PDF) -> list[tuple[int, str]]:
    """(page, text) of every line inside the 版心, spaces dropped (LibreOffice's autospace
    shows as spaces in its text)."""
    lines = []
    for number, page in enumerate(pdf.pages, 1):
        for row in _rows(page):
            if page.height - row[0]["matrix"][5] <= TEXT_BOTTOM + 1:
                lines.append((number, "".join(c["text"] for c in row).replace(" ", "")))
    return lines


def _overlaps(chars: list[dict]) -> list[str]:
    shrink = 0.4  # neighbours' glyph boxes may touch
    return [f"{a['text']}/{b['text']} at {a['x0'] / MM:.1f} mm" for a, b in combinations(chars, 2)
            if a["x0"] + shrink < b["x1"] - shrink and b["x0"] + shrink < a["x1"] - shrink
            and a["top"] + shrink < b["bottom"] - shrink and b["top"] + shrink < a["bottom"] - shrink]


def check_pages(path: Path, *, red_rule: bool) -> list[tuple[int, str]]:
    """The checks a reader makes of every page; returns the body lines."""
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        red = [r for r in first.lines + first.rects
               if r.get("stroking_color") and r["stroking_color"][0] > 0.8 and r["x1"] - r["x0"] > 150 * MM]
        assert red or not red_rule, f"{path.name}: no red rule on page 1"
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            outside = "".join(c["text"] for c in chars if c["x0"] < LEFT - 0.5 or c["x1"] > RIGHT + 0.5)
            assert not outside, f"{path.name} page {number}: glyphs outside the 版心: {outside}"
            overlapping = _overlaps(chars)
            assert not overlapping, f"{path.name} page {number}: {overlapping[:5]}"
        lines = body_lines(pdf)
    for (page, text), (next_page, next_text) in zip(lines, lines[1:]):
        # A short line opening a page right after a full one is a paragraph's widowed end.
        widowed = next_page > page and len(next_text) <= 3 and len(text) >= 24
        assert not widowed, f"{path.name}: page {next_page} opens with the lone line {next_text!r}"
    return lines


def _render(plan: dict, tmp_path: Path, name: str, profile: Profile) -> tuple[Path, Path]:
    source = prepare(load_plan(madeup.write(plan, tmp_path, name)), profile)
    pdf_writer.write(source, tmp_path / f"{name}.pdf")
    docx_writer.write(source, tmp_path / f"{name}.docx")
    return tmp_path / f"{name}.pdf", tmp_path / f"{name}.docx"


def _same_lines(ours: list[tuple[int, str]], office: list[tuple[int, str]], name: str) -> None:
    differ = [(a, b) for a, b in zip(ours, office) if a != b]
    assert not differ and len(ours) == len(office), (
        f"{name}: PDF and Word (LibreOffice) break differently, first at PDF {differ[:1]} "
        f"({len(ours)} lines in the PDF, {len(office)} in Word)")


@pytest.mark.parametrize("case", NOTICES)
def test_notice_breaks_alike_in_both_writers_and_stays_in_the_text_block(
        case: int, tmp_path: Path, profile: Profile, office_convert: Callable[[Path, str], Path]) -> None:
    pdf, docx = _render(madeup.notice(case), tmp_path, f"notice-{case}", profile)
    ours = check_pages(pdf, red_rule=True)
    office = check_pages(office_convert(docx, "pdf"), red_rule=True)
    _same_lines(ours, office, f"notice {case}")


@pytest.mark.parametrize("case", WORK_POINTS)
def test_work_points_break_alike_in_both_writers(
        case: int, tmp_path: Path, profile: Profile, office_convert: Callable[[Path, str], Path]) -> None:
    pdf, docx = _render(madeup.work_points(case), tmp_path, f"wp-{case}", profile)
    _same_lines(check_pages(pdf, red_rule=False), check_pages(office_convert(docx, "pdf"), red_rule=False),
                f"work points {case}")


@pytest.mark.parametrize("case", BULLETINS)
def test_bulletin_with_photos_stays_in_the_text_block(case: int, tmp_path: Path, profile: Profile) -> None:
    photos = []
    for number, size in enumerate([(800, 600), (600, 900), (1600, 500)]):
        path = tmp_path / f"photo-{number}.png"
        Image.new("RGB", size, (40 + 60 * number, 120, 200)).save(path)
        photos.append(path.name)
    source = prepare(load_plan(madeup.write(madeup.bulletin(case, photos), tmp_path, "bulletin")), profile)
    pdf_writer.write(source, tmp_path / "bulletin.pdf")
    check_pages(tmp_path / "bulletin.pdf", red_rule=True)
    with pdfplumber.open(tmp_path / "bulletin.pdf") as pdf:
        images = [image for page in pdf.pages for image in page.images]
    assert images and all(LEFT - 0.5 <= image["x0"] and image["x1"] <= RIGHT + 0.5 for image in images)
