"""Signatures on plans nobody tuned for (issue 14): 1 to 4 issuers with names of 6 to 20
characters, sealed and not, with and without 发文字号 and 成文日期. Each plan is rendered to
PDF and to .docx (printed by LibreOffice) and measured as a reader would: no glyph outside
the 版心 (28–184 mm), no two glyphs overlapping, every issuer's name whole on one line or
wrapped only inside its own column, the red rule on page 1."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import pdfplumber
import pytest

from render.document.source import prepare
from render.layout.signature import wrap_name
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers import pdf as pdf_writer

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, 184 * MM
NAMES = [
    "綦江区教育委员会",                      # 8
    "重庆市大渡口区教育委员会",              # 12
    "中共重庆市大渡口区委教育工作委员会",    # 17
    "重庆市大渡口区人民政府教育督导委员会办公室",  # 20
    "共青团重庆市大渡口区委员会",            # 13
    "北碚区科学技术协会",                    # 9 (with 6-character 区科协 below)
    "北碚区科协",
]
CASES = [
    # (issuers, sealed, number, type)
    (NAMES[3:4], True, True, "notice"),
    (NAMES[3:4], False, False, "notice"),
    (NAMES[1:3], True, True, "notice"),
    (NAMES[1:3], False, True, "notice"),
    (NAMES[0:3], True, False, "notice"),
    (NAMES[2:6], True, True, "notice"),
    (NAMES[1:5], False, True, "notice"),
    ([NAMES[6], NAMES[3]], True, True, "notice"),
    (NAMES[1:3], True, False, "work_points"),  # no 成文日期
]


def _plan(issuers: list[str], sealed: bool, number: bool, kind: str) -> str:
    lines = [f"type: {kind}", f"issuers: [{', '.join(issuers)}]", f"seal: {str(sealed).lower()}",
             "title: 关于做好2024年暑期中小学生安全教育和防溺水工作的通知"]
    if number:
        lines.append("number: {code: 渡教发, year: 2024, serial: 8}")
    if kind == "notice":
        lines += ["to: 各中小学校、幼儿园", "date: 2024-06-20", "body: 请认真贯彻执行，确保学生度过一个平安的假期。"]
    else:
        lines += ["sections:", "  - title: 加强安全教育", "    items:",
                  "      - title: 开展防溺水教育", "        text: 各校开展专题教育。"]
    return "\n".join(lines) + "\n"


def _lines(page: pdfplumber.page.Page) -> list[list[dict]]:
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(page.height - char["matrix"][5], 1), []).append(char)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def _overlaps(chars: list[dict]) -> list[str]:
    shrink = 0.4  # glyph boxes of neighbours on a line may touch
    found = []
    for a, b in combinations(chars, 2):
        if (a["x0"] + shrink < b["x1"] - shrink and b["x0"] + shrink < a["x1"] - shrink
                and a["top"] + shrink < b["bottom"] - shrink and b["top"] + shrink < a["bottom"] - shrink):
            found.append(f"{a['text']}/{b['text']} at {a['x0'] / MM:.1f} mm")
    return found


def _name_placed(name: str, lines: list[list[dict]], columns: int) -> bool:
    texts = ["".join(c["text"] for c in line) for line in lines]
    if any(name in text for text in texts):
        return True
    width = (RIGHT - LEFT) / columns
    for piece in wrap_name(name, 28 / columns - 1):
        placed = False
        for line, text in zip(lines, texts):
            at = text.find(piece)
            if at < 0:
                continue
            chars = line[at:at + len(piece)]
            placed = any(chars[0]["x0"] >= LEFT + k * width - 0.5 and chars[-1]["x1"] <= LEFT + (k + 1) * width + 0.5
                         for k in range(columns))
            if placed:
                break
        if not placed:
            return False
    return True


def _check(pdf_path: Path, issuers: list[str], sealed: bool, headed: bool) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        first = pdf.pages[0]
        red = [r for r in first.lines + first.rects if r.get("stroking_color") and r["stroking_color"][0] > 0.8
               and (r["x1"] - r["x0"]) > 150 * MM]
        assert red or not headed, "no red rule on page 1"
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            outside = [c["text"] for c in chars if c["x0"] < LEFT - 0.5 or c["x1"] > RIGHT + 0.5]
            assert not outside, f"page {number}: glyphs outside the 版心: {''.join(outside)}"
            assert not _overlaps(chars), f"page {number}: {_overlaps(chars)[:5]}"
        lines = [line for page in pdf.pages for line in _lines(page)]
    columns = min(2, len(issuers)) if sealed else 1
    for name in issuers:
        assert _name_placed(name, lines, columns), f"{name} is broken outside its column"


@pytest.mark.parametrize(("issuers", "sealed", "number", "kind"), CASES)
def test_signatures_stay_in_the_text_block_in_both_writers(
        tmp_path: Path, profile: Profile, office_convert: Callable[[Path, str], Path],
        issuers: list[str], sealed: bool, number: bool, kind: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(_plan(issuers, sealed, number, kind), encoding="utf-8")
    source = prepare(load_plan(plan), profile)
    pdf_writer.write(source, tmp_path / "plan.pdf")
    docx_writer.write(source, tmp_path / "plan.docx")
    headed = kind == "notice"  # work points go out under a notice's 版头, not their own
    _check(tmp_path / "plan.pdf", issuers, sealed, headed)
    _check(office_convert(tmp_path / "plan.docx", "pdf"), issuers, sealed, headed)
