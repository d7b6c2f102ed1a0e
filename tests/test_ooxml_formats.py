"""Run and paragraph formats are built once per distinct format and copied onto each new
run or paragraph (render/ooxml/write.py): the copies must be independent of each other and
of the template, and an element that already has properties is edited in place."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from render.ooxml import write as ooxml


def _xml(element: object) -> bytes:
    from lxml import etree

    return etree.tostring(element)


def test_copies_of_one_format_are_independent() -> None:
    word = docx.Document()
    first, second = (word.add_paragraph().add_run(text) for text in ("第一段", "第二段"))
    for run in (first, second):
        ooxml.set_run_format(ooxml.run_pr(run), family="方正仿宋_GBK", size_pt=16, spacing_twips=-4)
    assert _xml(ooxml.run_pr(first)) == _xml(ooxml.run_pr(second))
    # Editing one run's properties leaves the other, and the next run formatted alike, as they were.
    ooxml.set_child(ooxml.run_pr(first), "sz", ooxml.RPR_ORDER, val="44")
    third = word.add_paragraph().add_run("第三段")
    ooxml.set_run_format(ooxml.run_pr(third), family="方正仿宋_GBK", size_pt=16, spacing_twips=-4)
    for run in (second, third):
        assert ooxml.run_pr(run).find(qn("w:sz")).get(qn("w:val")) == "32"
    assert ooxml.run_pr(first).find(qn("w:sz")).get(qn("w:val")) == "44"
    fonts = ooxml.run_pr(third).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正仿宋_GBK" and fonts.getparent() is ooxml.run_pr(third)


def test_a_format_set_on_existing_properties_edits_them_in_place() -> None:
    word = docx.Document()
    paragraph = word.add_paragraph()
    ppr = ooxml.paragraph_pr(paragraph)
    ooxml.set_child(ppr, "jc", ooxml.PPR_ORDER, val="right")
    ooxml.set_paragraph_format(ppr, line_twips=580, align="center", first_line_twips=640)
    assert len(ppr.findall(qn("w:jc"))) == 1 and ppr.find(qn("w:jc")).get(qn("w:val")) == "center"
    fresh = ooxml.paragraph_pr(word.add_paragraph())
    ooxml.set_paragraph_format(fresh, line_twips=580, align="center", first_line_twips=640)
    assert _xml(fresh) == _xml(ppr)  # the copy is what building in place gives
    spacing = fresh.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "580" and spacing.get(qn("w:lineRule")) == "exact"
    assert fresh.find(qn("w:ind")).get(qn("w:firstLine")) == "640"
