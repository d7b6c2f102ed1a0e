"""Every writer takes its layout numbers from the profile: a notice rendered with a modified
profile (30 mm left margin, 15 pt body, xlsx body 13 pt and 30 mm left margin) through
`gongwen render --profile`, then measured as a reader would: the .docx as LibreOffice lays
it out, the PDF as drawn, the workbook as openpyxl reads it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.shared import Mm, Pt

from render.cli.main import main
from render.profile import DEFAULT_PROFILE

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "nanan-2022-22-notice.yaml"
MM = 72 / 25.4
LEFT_MM, RIGHT_MM, BODY_PT = 30.0, 26.0, 15.0
XLSX_BODY_PT, XLSX_LEFT_MM = 13.0, 30.0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("profiled")
    data = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    data["margins"]["left"] = LEFT_MM
    for name in ("body", "heading3", "heading4", "to", "signature", "date", "responsibility"):
        data["elements"][name]["size"] = BODY_PT
    data["xlsx"]["body"]["size"] = XLSX_BODY_PT
    data["xlsx"]["margins"]["left"] = XLSX_LEFT_MM
    profile = folder / "local.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["render", str(PLAN), "--to", "docx,pdf,xlsx", "--profile", str(profile),
                                       "-o", str(out), "--force"],
                                env={"GONGWEN_REGISTRY": str(folder / "registry.sqlite")})
    assert result.exit_code == 0, result.output
    return out


def _body_lines(pdf: pdfplumber.PDF) -> list[list[dict]]:
    """Lines of body-size text inside the 版心 (page numbers excluded), characters in order."""
    rows: dict[tuple[int, float], list[dict]] = {}
    bottom = (297 - 35) * MM
    for index, page in enumerate(pdf.pages):
        for char in page.chars:
            baseline = page.height - char["matrix"][5]
            if char["text"].strip() and round(char["size"], 1) == BODY_PT and baseline <= bottom + 1:
                rows.setdefault((index, round(baseline, 1)), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


def _assert_text_block_follows(pdf: pdfplumber.PDF) -> None:
    lines = _body_lines(pdf)
    assert len(lines) > 100, "the body is no longer set in the profile's 15 pt"
    starts = Counter(round(line[0]["x0"] / MM) for line in lines)
    assert starts.most_common(1)[0][0] == LEFT_MM  # continuation lines start at the margin
    assert min(line[0]["x0"] for line in lines) >= LEFT_MM * MM - 0.5
    right = (210 - RIGHT_MM) * MM
    assert max(line[-1]["x1"] for line in lines) <= right + 0.5
    full = [line for line in lines if line[-1]["x1"] > right - 3 and all(not c["text"].isascii() for c in line)]
    assert Counter(len(line) for line in full).most_common(1)[0][0] == 28  # the 28-character grid kept


def test_docx_follows_the_profile(rendered: Path, office_convert: Callable[[Path, str], Path]) -> None:
    target = rendered / "nanan-2022-22-notice.docx"
    section = Document(str(target)).sections[0]
    assert abs(section.left_margin - Mm(LEFT_MM)) < Mm(0.01)
    assert Document(str(target)).styles["Normal"].font.size == Pt(BODY_PT)
    with pdfplumber.open(office_convert(target, "pdf")) as pdf:
        _assert_text_block_follows(pdf)


def test_pdf_follows_the_profile(rendered: Path) -> None:
    with pdfplumber.open(rendered / "nanan-2022-22-notice.pdf") as pdf:
        _assert_text_block_follows(pdf)


def test_xlsx_follows_the_profile(rendered: Path) -> None:
    book = openpyxl.load_workbook(rendered / "nanan-2022-22-notice.xlsx")
    sheet = book.worksheets[0]
    assert sheet.page_margins.left == pytest.approx(XLSX_LEFT_MM / 25.4)
    sizes = Counter(cell.font.sz for row in sheet.iter_rows(min_row=3) for cell in row if cell.value)
    assert sizes.most_common(1)[0][0] == XLSX_BODY_PT
