"""Each anomaly the importer reports, on a small made-up document: the warning carries the
source line, and the plan written renumbers cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from render.importers import ImportResult, import_document
from render.reading.loader import load_plan_text
from render.reading.planyaml import plan_yaml

HEAD = "某区教育委员会2023年工作要点\n2023年全区教育工作的总体要求是：办好人民满意的教育。\n"


def run(tmp_path: Path, text: str, name: str = "doc.txt") -> ImportResult:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    result = import_document(source)
    loaded = load_plan_text(plan_yaml(result.plan))
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    return result


def codes(result: ImportResult) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in result.diagnostics]


def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for section in (plan.get("issued_document") or plan)["sections"]:
        for sub in section.get("sections", []):
            found += sub.get("items", [])
        found += section.get("items", [])
    return found


def test_section_numbers_that_skip(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做甲。内容。\n二、乙\n2.做乙。内容。\n四、丁\n3.做丁。内容。\n")
    assert codes(result) == [("W701", 7)]
    assert "缺少 三" in result.diagnostics[0].message
    assert [s["title"] for s in result.plan["sections"]] == ["甲", "乙", "丁"]


def test_repeated_item_number(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。内容。\n2.做二。内容。\n2.再做二。内容。\n3.做三。内容。\n")
    assert codes(result) == [("W702", 6)]
    assert [i["title"] for i in items(result.plan)] == ["做一", "做二", "再做二", "做三"]


def test_items_out_of_order(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。内容。\n3.做三。内容。\n2.做二。内容。\n4.做四。内容。\n")
    assert ("W704", 6) in codes(result)
    assert ("W701", 5) in codes(result)   # 1 → 3 skips 2 first
    assert len(items(result.plan)) == 4


def test_subsection_heading_that_lost_its_number(tmp_path: Path) -> None:
    text = HEAD + (
        "一、工作举措\n（一）第一方面\n1.甲。内容。\n（二）第二方面\n2.乙。内容。\n（三）第三方面\n3.丙。内容。\n"
        "推进教育协调发展，书写新篇章\n4.丁。内容。\n（五）第五方面\n5.戊。内容。\n"
    )
    result = run(tmp_path, text)
    assert codes(result) == [("W703", 10)]
    assert "（四）" in result.diagnostics[0].message
    subsections = result.plan["sections"][0]["sections"]
    assert [s["title"] for s in subsections] == ["第一方面", "第二方面", "第三方面", "推进教育协调发展，书写新篇章", "第五方面"]
    assert subsections[3]["items"][0]["title"] == "丁"


def test_section_heading_that_lost_its_number(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做甲。内容。\n乙方面的工作\n2.做乙。内容。\n三、丙\n3.做丙。内容。\n")
    assert codes(result) == [("W703", 5)]
    assert [s["title"] for s in result.plan["sections"]] == ["甲", "乙方面的工作", "丙"]


def test_mixed_item_marks(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。内容。\n2、做二。内容。\n3．做三。内容。\n")
    assert codes(result) == [("W705", 5), ("W705", 6)]


def test_items_numbered_per_section_are_not_gaps(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。内容。\n2.做二。内容。\n二、乙\n1.做三。内容。\n2.做四。内容。\n")
    assert codes(result) == []
    assert result.plan["numbering"] == "per_section"


def test_item_before_any_heading(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "1.做一。内容。\n2.做二。内容。\n")
    assert codes(result) == [("W706", 3)]
    assert len(result.plan["sections"][0]["items"]) == 2


def test_responsibility_line_without_an_item(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n（牵头单位：区教委）\n1.做一。内容。\n")
    assert codes(result) == [("W707", 4)]


def test_document_number_with_wrong_brackets(tmp_path: Path) -> None:
    text = "某区教育委员会\n渝教〔2022〕5号\n关于做好某项工作的通知\n各学校：\n现将有关事项通知如下。\n某区教育委员会\n2022年3月1日\n"
    result = run(tmp_path, text.replace("〔2022〕", "[2022]"))
    assert codes(result) == [("W710", 2)]
    assert result.plan["number"] == "渝教〔2022〕5号"
    assert "〔〕" in result.diagnostics[0].message


def test_date_in_chinese_numerals(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。内容。\n某区教育委员会\n二〇二二年十一月四日\n")
    assert codes(result) == [("W711", 6)]
    assert str(result.plan["date"]) == "2022-11-04"


def test_missing_title_is_made_up_and_reported(tmp_path: Path) -> None:
    result = run(tmp_path, "2023年全区教育工作的总体要求是：办好教育。\n一、甲\n1.做一。内容。\n某区教委\n2023年4月12日\n")
    assert codes(result) == [("W712", 1)]
    assert result.plan["title"] == "2023年全区教育工作要点"


def test_page_furniture_is_dropped_and_reported(tmp_path: Path) -> None:
    text = HEAD + "一、甲\n1.做一。内容写到\n— 3 —\n下一页。\n版权所有：某区人民政府\n"
    result = run(tmp_path, text)
    assert codes(result) == [("W713", 5), ("W713", 7)]
    assert items(result.plan)[0]["text"] == "内容写到下一页。\n"


def test_text_after_the_imprint_is_dropped(tmp_path: Path) -> None:
    text = "关于某事的通知\n各学校：\n请做好某事。\n某区教委\n2023年1月5日\n某区教委办公室 2023年1月5日印发\n点击返回首页看看\n"
    result = run(tmp_path, text)
    assert codes(result) == [("W714", 7)]
    assert result.plan["printed_by"] == "某区教委办公室"


def test_no_numbered_heading_at_all(tmp_path: Path) -> None:
    result = run(tmp_path, "年终特稿\n\n导语一段，说明情况。\n\n党建引领 发展航向\n\n正文一段，讲党建。\n\n深化改革 激发活力\n\n正文二段，讲改革。\n")
    assert codes(result) == [("W715", 5)]
    assert result.plan["preamble"] == "导语一段，说明情况。\n"
    assert [s["title"] for s in result.plan["sections"]] == ["党建引领 发展航向", "深化改革 激发活力"]


def test_stray_latin_word(tmp_path: Path) -> None:
    result = run(tmp_path, HEAD + "一、甲\n1.做一。完善财务、档案管理 etc 制度。\n")
    assert codes(result) == [("W717", 4)]
