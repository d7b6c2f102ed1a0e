"""The .docx as a real word processor lays it out: LibreOffice headless converts it to PDF,
pdfplumber measures the PDF. This is the check that the file looks right to an office
suite, not only to python-docx.

Conversions are shared per module: the 南岸 notice once, and one short notice whose text
ends low on an even page (so the 版记 needs the blank page the standard allows)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml

from render.document.source import RenderInput, prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers.docx.imprint import Placement

pytestmark = pytest.mark.office

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, (210 - 26) * MM, 37 * MM, (297 - 35) * MM
LINE = 225 * MM / 22            # the grid line pitch
BODY, NUMBER_SIZE = 16.0, 14.0  # 三号, 四号


@dataclass(frozen=True)
class Line:
    baseline: float
    chars: tuple[dict, ...]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def size(self) -> float:
        return round(self.chars[0]["size"], 1)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]


def lines_of(page: pdfplumber.page.Page) -> list[Line]:
    """Text lines by baseline (top-left origin), characters left to right."""
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(page.height - char["matrix"][5], 1), []).append(char)
    return [Line(base, tuple(sorted(rows[base], key=lambda c: c["x0"]))) for base in sorted(rows)]


def page_number(page: pdfplumber.page.Page) -> Line | None:
    below = [line for line in lines_of(page) if line.baseline > BOTTOM and line.size == NUMBER_SIZE]
    return below[0] if below else None


def text_lines(page: pdfplumber.page.Page) -> list[Line]:
    return [line for line in lines_of(page) if line.baseline <= BOTTOM + 1]


def convert(source: RenderInput, tmp: Path, office_convert: Callable[[Path, str], Path]) -> pdfplumber.PDF:
    target = tmp / f"{source.plan_path.stem}.docx"
    docx_writer.write(source, target)
    return pdfplumber.open(office_convert(target, "pdf"))


@pytest.fixture(scope="module")
def nanan(plan_input: Callable[[str], RenderInput], office_convert: Callable[[Path, str], Path],
          tmp_path_factory: pytest.TempPathFactory) -> pdfplumber.PDF:
    return convert(plan_input("nanan-2022-22-notice"), tmp_path_factory.mktemp("nanan"), office_convert)


@pytest.fixture(scope="module")
def after_blank(profile: Profile, office_convert: Callable[[Path, str], Path],
                tmp_path_factory: pytest.TempPathFactory) -> pdfplumber.PDF:
    """A notice whose text ends on an even page with no room left for the 版记: the
    shortest of a growing series."""
    tmp = tmp_path_factory.mktemp("blank")
    paragraph = "为深入贯彻落实党的二十大精神，推进教育事业高质量发展，结合我区实际，现就有关事项通知如下，请认真抓好落实。"
    for count in range(3, 60):
        for extra in range(4):
            data = {"type": "notice", "issuers": "重庆市南岸区教育委员会", "number": "南岸教委〔2023〕5号",
                    "title": "关于做好2023年教育工作的通知", "to": ["各中小学校", "各幼儿园"],
                    "body": "\n\n".join([paragraph] * count + ["特此通知。" * (1 + extra)]),
                    "date": "2023-03-01", "cc": ["区委办公室", "区政府办公室"],
                    "printed_by": "重庆市南岸区教育委员会办公室", "printed_on": "2023-03-02"}
            path = tmp / "blank.yaml"
            path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
            source = prepare(load_plan(path), profile)
            if docx_writer.build(source.document, profile, source.plan).placement is Placement.AFTER_BLANK:
                return convert(source, tmp, office_convert)
    raise AssertionError("no notice length gave a text ending on a full even page")


def test_a4_pages(nanan: pdfplumber.PDF) -> None:
    for page in nanan.pages:
        assert page.width == pytest.approx(PAGE_W, abs=1) and page.height == pytest.approx(PAGE_H, abs=1)


def test_text_starts_28_mm_from_the_left_edge(nanan: pdfplumber.PDF) -> None:
    starts = [line.x0 for page in nanan.pages[2:-2] for line in text_lines(page) if line.size == BODY]
    assert min(starts) / MM == pytest.approx(28, abs=1)
    assert Counter(round(x / MM) for x in starts).most_common(1)[0][0] == 28


def test_22_lines_on_a_full_page_on_the_grid(nanan: pdfplumber.PDF) -> None:
    counts = [len(text_lines(page)) for page in nanan.pages]
    assert max(counts) == 22
    assert counts.count(22) >= len(counts) // 2
    for page in nanan.pages[2:-2]:
        baselines = [line.baseline for line in text_lines(page)]
        # Every line on the grid: baselines whole line pitches apart (blank lines skip one).
        steps = [(b - a) / LINE for a, b in zip(baselines, baselines[1:], strict=False)]
        assert all(step == pytest.approx(round(step), abs=0.02) and round(step) >= 1 for step in steps), steps
        assert baselines[-1] < BOTTOM


def test_28_characters_on_a_full_line(nanan: pdfplumber.PDF) -> None:
    full = [line for page in nanan.pages for line in text_lines(page)
            if line.size == BODY and line.x1 > RIGHT - 3 and line.x0 < LEFT + 2
            and all(not c["text"].isascii() for c in line.chars)]
    assert len(full) > 100
    assert Counter(len(line.chars) for line in full).most_common(1)[0][0] == 28
    assert max(len(line.chars) for line in full) == 28
    for line in full:
        assert line.x1 <= RIGHT + 0.5  # no punctuation hangs into the margin


def test_page_numbers_alternate_right_and_left(nanan: pdfplumber.PDF) -> None:
    numbered = 0
    for index, page in enumerate(nanan.pages, 1):
        line = page_number(page)
        if line is None:
            continue
        numbered += 1
        assert line.text.replace(" ", "") == f"—{index}—"
        # 一字线 7 mm under the 版心 (the middle of the 四号 line), one character in.
        assert (line.baseline - 0.38 * NUMBER_SIZE - BOTTOM) / MM == pytest.approx(7, abs=1.2)
        if index % 2:
            assert (RIGHT - line.x1) / MM == pytest.approx(NUMBER_SIZE / MM, abs=1)
        else:
            assert (line.x0 - LEFT) / MM == pytest.approx(NUMBER_SIZE / MM, abs=1)
    imprint_only = not any(line.size == BODY for line in text_lines(nanan.pages[-1]))
    assert numbered == len(nanan.pages) - (1 if imprint_only else 0)  # all but a 版记-only page


def test_imprint_at_the_foot_of_an_even_last_page(nanan: pdfplumber.PDF) -> None:
    last = nanan.pages[-1]
    assert len(nanan.pages) % 2 == 0
    lines = text_lines(last)
    assert lines[-1].text.endswith("2022年11月4日印发") and lines[-1].text.startswith("中共重庆市南岸区委办公室")
    assert lines[-1].size == NUMBER_SIZE
    # On the 版心's last grid line: the same baseline as the last body line of a full page.
    full_page_last = text_lines(nanan.pages[5])[-1].baseline
    assert lines[-1].baseline == pytest.approx(full_page_last, abs=1.5)
    # A page holding nothing but the 版记 has no number; one it shares with text has.
    imprint_only = not any(line.size == BODY for line in lines)
    assert (page_number(last) is None) == imprint_only
    rules = sorted(last.lines + last.rects, key=lambda r: r["top"])
    assert len(rules) >= 2
    assert rules[-1]["top"] / MM == pytest.approx(262, abs=1)
    for rule in rules:
        assert (rule["x1"] - rule["x0"]) / MM == pytest.approx(156, abs=1)


def test_first_page_red_header_number_title_and_addressees(nanan: pdfplumber.PDF) -> None:
    page = nanan.pages[0]
    lines = text_lines(page)
    marks = [line for line in lines if line.size > 30]
    assert [line.text for line in marks] == ["中共重庆市南岸区委办公室", "文件", "重庆市南岸区人民政府办公室"]
    for char in (c for line in marks for c in line.chars):
        red, green, blue = char["non_stroking_color"][:3]
        assert red > 0.8 and green < 0.1 and blue < 0.2
    wenjian = marks[1]
    assert wenjian.x0 > max(marks[0].x1, marks[2].x1)  # right of the stack…
    assert wenjian.baseline == pytest.approx((marks[0].baseline + marks[2].baseline) / 2, abs=1)  # …centred on it
    top_of_mark = (marks[0].baseline - 0.88 * marks[0].size - TOP) / MM
    assert top_of_mark == pytest.approx(35, abs=1.5)
    number = next(line for line in lines if "〔2022〕" in line.text)
    assert (number.x0 + number.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2)
    red_rules = [r for r in page.lines + page.rects if r.get("stroking_color") and r["stroking_color"][0] > 0.8]
    assert red_rules and (red_rules[0]["x1"] - red_rules[0]["x0"]) / MM == pytest.approx(156, abs=1)
    assert (red_rules[0]["top"] - number.baseline) / MM == pytest.approx(4, abs=1.5)
    titles = [line for line in lines if line.size == 22]
    assert [line.text for line in titles] == ["印发《关于推进新时代南岸教育事业", "高质量发展的实施意见》的通知"]
    assert len(titles[0].chars) >= len(titles[1].chars)  # 梯形: the longer line on top
    addressees = next(line for line in lines if line.text.startswith("各镇党委"))
    assert addressees.x0 / MM == pytest.approx(28, abs=1)


def test_fonts_differ_by_role(nanan: pdfplumber.PDF) -> None:
    def font(text: str) -> str:
        for page in nanan.pages:
            for line in text_lines(page):
                if line.text.startswith(text):
                    return line.chars[0]["fontname"].split("+")[-1]
        raise AssertionError(text)

    body, heading1, heading2, title = font("教育是国之大计"), font("一、指导思想"), font("（一）总体目标"), \
        font("关于推进新时代南岸教育事业")
    assert len({body, heading1, heading2, title}) == 4


def test_blank_page_before_the_imprint_page_has_no_number(after_blank: pdfplumber.PDF) -> None:
    pages = after_blank.pages
    assert len(pages) % 2 == 0
    blank, last = pages[-2], pages[-1]
    assert not [c for c in blank.chars if c["text"].strip()]
    assert page_number(last) is None and "印发" in text_lines(last)[-1].text
    text_page = pages[-3]
    # The text ends on an even, numbered page too full for the 版记 and a blank line above it.
    assert page_number(text_page) is not None
    assert text_lines(text_page)[-1].baseline > BOTTOM - 3 * LINE


def test_predicted_text_end_is_where_libreoffice_ends_the_text(
        nanan: pdfplumber.PDF, plan_input: Callable[[str], RenderInput], profile: Profile) -> None:
    """The writer predicts where the text ends to place the 版记; LibreOffice agrees."""
    source = plan_input("nanan-2022-22-notice")
    built = docx_writer.build(source.document, profile, source.plan)
    body_pages = [index for index, page in enumerate(nanan.pages, 1)
                  if any(line.size == BODY for line in text_lines(page))]
    assert body_pages[-1] == built.text_end.page
    last_line = [line for line in text_lines(nanan.pages[built.text_end.page - 1]) if line.size == BODY][-1]
    used_lines = round(built.text_end.used_twips / (225 * 1440 / 25.4 / 22))
    assert (last_line.baseline - TOP) / LINE == pytest.approx(used_lines - 0.2, abs=0.5)
