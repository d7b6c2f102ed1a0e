"""The red 版头分隔线 is drawn whether or not the notice has a 发文字号 (issue 14): without one,
the number's line stays empty, so the rule and the 标题 keep the places they have with one.
Measured on the PDF and on LibreOffice's print of the .docx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from render.document.source import prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers import pdf as pdf_writer

MM = 72 / 25.4
PLAN = """\
type: notice
issuers: [{issuers}]
{number}title: 关于做好2024年暑期中小学生安全教育和防溺水工作的通知
to: 各中小学校
date: 2024-06-20
body: 请认真贯彻执行。
"""
ISSUERS = ["重庆市大渡口区教育委员会", "中共重庆市大渡口区委教育工作委员会", "重庆市大渡口区财政局"]


def _measure(pdf_path: Path) -> tuple[list[float], float]:
    """Tops (mm) of the red rules on page 1, and the top of the 标题's first line."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        rules = sorted({round(r["top"] / MM, 1) for r in page.lines + page.rects
                        if r.get("stroking_color") and r["stroking_color"][0] > 0.8
                        and (r["x1"] - r["x0"]) / MM > 150})
        title = min(c["top"] for c in page.chars if round(c["size"]) == 22) / MM
    return rules, title


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_red_rule_is_drawn_with_and_without_a_number(tmp_path: Path, count: int, profile: Profile,
                                                         office_convert: Callable[[Path, str], Path]) -> None:
    places = {}
    for label, number in (("with", "number: {code: 渡教发, year: 2024, serial: 3}\n"), ("without", "")):
        plan = tmp_path / f"{label}.yaml"
        plan.write_text(PLAN.format(issuers=", ".join(ISSUERS[:count]), number=number), encoding="utf-8")
        source = prepare(load_plan(plan), profile)
        pdf_writer.write(source, tmp_path / f"{label}.pdf")
        docx_writer.write(source, tmp_path / f"{label}.docx")
        places[label, "pdf"] = _measure(tmp_path / f"{label}.pdf")
        places[label, "docx"] = _measure(office_convert(tmp_path / f"{label}.docx", "pdf"))
    for fmt in ("pdf", "docx"):
        (with_rules, with_title), (without_rules, without_title) = places["with", fmt], places["without", fmt]
        assert without_rules, f"{fmt}: no red rule without a 发文字号"
        assert without_rules[0] == pytest.approx(with_rules[0], abs=0.3)
        assert without_title == pytest.approx(with_title, abs=0.3)
    # …and both writers put them in the same place.
    assert places["without", "docx"][0][0] == pytest.approx(places["without", "pdf"][0][0], abs=1.5)
    assert places["without", "docx"][1] == pytest.approx(places["without", "pdf"][1], abs=1.5)
