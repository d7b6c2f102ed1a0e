"""The importer's readers: line cleaning, broken lines joined, annotations, the header and
the tail, Markdown and Word input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document

from render.importers import ImportFailure, import_document
from render.importers.annotations import annotation, trailing_annotation
from render.importers.anomalies import Warnings
from render.importers.docx import docx_lines
from render.importers.markers import Level, parse_marker
from render.importers.normalise import chinese_quotes, clean_line
from render.importers.text import read_paragraphs, split_lines


def paragraphs(text: str) -> list[str]:
    return [p.text for p in read_paragraphs(split_lines(text), Warnings("t.txt"))]


def imported(tmp_path: Path, text: str, name: str = "doc.txt") -> dict:  # type: ignore[type-arg]
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return import_document(source).plan


# --- cleaning one line ----------------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("各有关单位:", "各有关单位："),
    ("比例达到75%(全市60%),吸纳", "比例达到75%（全市60%），吸纳"),
    ("(牵头单位:区委组织部;责任单位:区教委)", "（牵头单位：区委组织部；责任单位：区教委）"),
    ("重庆市教育学会 2022 年工作要点", "重庆市教育学会2022年工作要点"),
    ("持续 加强党的 领导,深化改革。", "持续加强党的领导，深化改革。"),
    ("深化改革 不断激发教育活力", "深化改革 不断激发教育活力"),   # a headline keeps its gap
    ("一、深化改革 不断激发教育活力", "一、深化改革 不断激发教育活力"),
    ("共1,000人，10:30开会", "共1,000人，10:30开会"),
    ("课程领导力3.0行动", "课程领导力3.0行动"),
    ("一.加强领导", "一.加强领导"),
    ("\ufeff\u3000\u3000坚持以美育人", "坚持以美育人"),
])
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_brackets_of_a_pair_are_widened_together() -> None:
    assert clean_line("某市教委发(2023)7号") == "某市教委发（2023）7号"


def test_straight_quotes_become_chinese_quotes() -> None:
    assert chinese_quotes('写好"奋进之笔",推进"双减"') == "写好“奋进之笔”,推进“双减”"


# --- joining lines broken by the page ---------------------------------------------------------

def test_sentence_cut_by_a_page_break_is_joined() -> None:
    text = "1.加强党建。围绕“坚定\n\n— 2 —\n\n不移跟党走”主题，开展活动。\n\n2.举办年会。内容。"
    assert paragraphs(text) == ["1.加强党建。围绕“坚定不移跟党走”主题，开展活动。", "2.举办年会。内容。"]


def test_titles_names_and_dates_are_not_joined() -> None:
    text = "重庆市教育学会2022年工作要点\n\n2022年工作总体要求：办好教育。\n\n重庆市教育学会\n\n2022年2月22日"
    assert len(paragraphs(text)) == 4


def test_title_broken_inside_book_title_marks_is_joined() -> None:
    assert paragraphs("印发《关于推进教育事业高质量\n发展的实施意见》的通知") == ["印发《关于推进教育事业高质量发展的实施意见》的通知"]


def test_hard_wrapped_pdf_text_is_joined_at_the_margin() -> None:
    lines = [f"坚持党对教育工作的全面领导推动完善党委统一领导党政齐抓第{n}行"[-28:] for n in range(9)]
    body = "\n".join(lines) + "\n共管。"   # 28 characters a line, no punctuation at the breaks
    text = f"一、总体要求\n{body}\n二、主要任务\n{body}"
    found = paragraphs(text)
    assert len(found) == 4
    assert found[1] == "".join(lines) + "共管。"


def test_heading_and_its_text_stay_apart() -> None:
    assert paragraphs("（一）总体目标\n高起点谋划，高水平推进。") == ["（一）总体目标", "高起点谋划，高水平推进。"]


def test_running_heads_repeated_on_every_page_are_dropped() -> None:
    warnings = Warnings("t.txt")
    text = "\n".join(f"某区教育工作要点\n{n}.事项{n}。内容。" for n in range(1, 5))
    found = read_paragraphs(split_lines(text), warnings)
    assert [p.text for p in found][0] == "某区教育工作要点" and len(found) == 5
    assert [(d.code, d.line) for d in warnings.sorted()] == [("W713", 3)]


# --- numbers and annotations --------------------------------------------------------------

@pytest.mark.parametrize("text, level, number", [
    ("一、指导思想", Level.SECTION, 1), ("十二、其他", Level.SECTION, 12),
    ("（三）加强督导", Level.SUBSECTION, 3), ("(三)加强督导", Level.SUBSECTION, 3),
    ("1.加强党建。", Level.ITEM, 1), ("12、加强党建。", Level.ITEM, 12), ("3．加强党建。", Level.ITEM, 3),
    ("（2）分项", Level.POINT, 2),
])
def test_markers(text: str, level: Level, number: int) -> None:
    marker = parse_marker(text)
    assert marker is not None and (marker.level, marker.number) == (level, number)


@pytest.mark.parametrize("text", ["3.0行动", "2022.11.4", "一是加强", "一、", "二〇二二年十一月四日"])
def test_not_markers(text: str) -> None:
    assert parse_marker(text) is None


@pytest.mark.parametrize("text, lead, units", [
    ("（牵头单位：区教委、区委宣传部；责任单位：区委文明办、团区委）", ["区教委", "区委宣传部"], ["区委文明办", "团区委"]),
    ("(牵头单位:区教委;责任单位:区委文明办,团区委)", ["区教委"], ["区委文明办", "团区委"]),
    ("（牵头单位：区教委，区科技局；责任单位：“双减”工作专门协调机制成员单位）", ["区教委", "区科技局"], ["“双减”工作专门协调机制成员单位"]),
    ("（牵头单位：区委组织部）", ["区委组织部"], []),
    ("（责任单位：各镇街、在区高校）", [], ["各镇街", "在区高校"]),
    ("牵头单位：区教委；配合单位：区财政局", ["区教委"], ["区财政局"]),
])
def test_responsibility_annotations(text: str, lead: list[str], units: list[str]) -> None:
    found = annotation(clean_line(text))
    assert found is not None and (found.lead, found.units) == (lead, units)


def test_annotation_with_a_due_date() -> None:
    found = annotation("（牵头单位：区教委；完成时限：2023年12月31日）")
    assert found is not None and found.due == dt.date(2023, 12, 31)
    found = annotation("（牵头单位：区教委；完成时限：长期坚持）")
    assert found is not None and found.due == "长期坚持"


def test_annotation_at_the_end_of_an_item() -> None:
    split = trailing_annotation("加强体育。每天锻炼1小时。（牵头单位：区教委；责任单位：区体育局）")
    assert split is not None
    assert split[0] == "加强体育。每天锻炼1小时。" and split[1].units == ["区体育局"]


def test_item_with_trailing_annotation_in_a_plan(tmp_path: Path) -> None:
    plan = imported(tmp_path, "某区工作要点\n一、甲\n1.加强体育。每天锻炼。（牵头单位：区教委；完成时限：2023年6月30日）\n")
    item = plan["sections"][0]["items"][0]
    assert item == {"title": "加强体育", "text": "每天锻炼。\n", "lead": ["区教委"], "due": dt.date(2023, 6, 30)}


def test_item_points(tmp_path: Path) -> None:
    plan = imported(tmp_path, "某区工作要点\n一、甲\n1.加强体育。内容如下：\n（1）晨跑；\n（2）课间操。\n2.乙。内容。\n")
    first = plan["sections"][0]["items"][0]
    assert first["points"] == ["晨跑；", "课间操。"]


# --- the header and the tail --------------------------------------------------------------

NOTICE = """000123
机密★1年
特急
某市教育委员会文件
某市教委发(2023)7号    签发人:张三
关于做好2023年招生工作的通知
各区县教委，两江新区社发局：
现将有关事项通知如下。
附件：招生计划表
某市教育委员会
二〇二三年三月五日
（此件公开发布）
抄送：市政府办公厅，市招生考试院。
某市教育委员会办公室 2023年3月6日印发
"""


def test_notice_header_and_tail(tmp_path: Path) -> None:
    source = tmp_path / "notice.txt"
    source.write_text(NOTICE, encoding="utf-8")
    result = import_document(source)
    plan = result.plan
    assert plan["type"] == "notice"
    assert (plan["copy_no"], plan["secrecy"], plan["urgency"]) == ("000123", "机密★1年", "特急")
    assert plan["issuers"] == "某市教育委员会"
    assert plan["number"] == "某市教委发〔2023〕7号" and plan["signer"] == "张三"
    assert plan["to"] == ["各区县教委", "两江新区社发局"]
    assert plan["date"] == dt.date(2023, 3, 5) and plan["note"] == "此件公开发布"
    assert plan["cc"] == ["市政府办公厅", "市招生考试院"]
    assert (plan["printed_by"], plan["printed_on"]) == ("某市教育委员会办公室", dt.date(2023, 3, 6))
    assert plan["seal"] is True
    assert {d.code for d in result.diagnostics} == {"W710", "W711"}


def test_issuer_and_date_under_the_title(tmp_path: Path) -> None:
    plan = imported(tmp_path, "某学会2023年工作要点\n某学会\n（2023年2月10日）\n总体要求：办好教育。\n一、甲\n1.做甲。内容。\n")
    assert (plan["issuers"], plan["date"]) == ("某学会", dt.date(2023, 2, 10))
    assert plan["preamble"] == "总体要求：办好教育。\n"


def test_issuing_notice_without_its_own_sign_off(tmp_path: Path) -> None:
    text = "关于印发《某区工作要点》的通知\n各学校：\n现将《某区工作要点》印发给你们，请认真贯彻落实。\n某区工作要点\n一、甲\n1.做甲。内容。\n"
    plan = imported(tmp_path, text)
    assert plan["body"] == "现将《某区工作要点》印发给你们，请认真贯彻落实。\n"
    assert plan["issued_document"]["title"] == "某区工作要点"
    assert plan["issued_document"]["sections"][0]["items"][0]["title"] == "做甲"


def test_type_can_be_forced(tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("某区工作要点\n一、甲\n1.做甲。内容。\n", encoding="utf-8")
    assert import_document(source, kind="summary").plan["type"] == "summary"
    notice = import_document(source, kind="notice").plan
    # A notice's own body keeps its structure: 一、 and 1. become sections and items.
    assert notice["type"] == "notice" and notice["sections"][0]["items"][0]["title"] == "做甲"
    with pytest.raises(ImportFailure):
        import_document(source, kind="bulletin")


# --- other inputs ----------------------------------------------------------------------------

def test_markdown(tmp_path: Path) -> None:
    text = "# 某区2023年工作要点\n\n总体要求：**办好**人民满意的教育。\n\n## 一、甲\n\n**1.做甲。**内容，见[附表](x.md)。\n\n---\n"
    plan = imported(tmp_path, text, "doc.md")
    assert plan["title"] == "某区2023年工作要点"
    assert plan["preamble"] == "总体要求：办好人民满意的教育。\n"
    assert plan["sections"][0]["items"][0] == {"title": "做甲", "text": "内容，见附表。\n"}


def test_gb18030_text_file(tmp_path: Path) -> None:
    source = tmp_path / "old.txt"
    source.write_bytes("某区工作要点\n一、甲\n1.做甲。内容。\n".encode("gb18030"))
    assert import_document(source).plan["title"] == "某区工作要点"


def test_unsupported_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="不支持的文件格式"):
        import_document(tmp_path / "doc.pdf")
    with pytest.raises(ImportFailure, match="找不到文件"):
        import_document(tmp_path / "none.txt")


def test_docx_reader_reads_tables_and_breaks(tmp_path: Path) -> None:
    document = Document()
    title = document.add_paragraph("关于推进教育事业")
    title.add_run().add_break()
    title.add_run("高质量发展的实施意见")
    lead = document.add_paragraph()
    lead.add_run("1.加强党建。").bold = True
    lead.add_run("坚持党的领导。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "中共某区委办公室"
    table.cell(0, 1).text = "2022年11月4日印发"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "只读一次"
    path = tmp_path / "t.docx"
    document.save(str(path))
    assert [(line.text, line.line) for line in docx_lines(path)] == [
        ("关于推进教育事业", 1), ("高质量发展的实施意见", 1), ("1.加强党建。坚持党的领导。", 2),
        ("中共某区委办公室", 3), ("2022年11月4日印发", 4), ("只读一次", 5),
    ]


def test_printed_line_in_two_table_cells(tmp_path: Path) -> None:
    document = Document()
    for text in ("关于某事的通知", "各学校：", "请做好某事。", "某区教委", "2023年1月5日"):
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "某区教委办公室"
    table.cell(0, 1).text = "2023年1月5日印发"
    path = tmp_path / "notice.docx"
    document.save(str(path))
    plan = import_document(path).plan
    assert plan["printed_by"] == "某区教委办公室" and plan["body"] == "请做好某事。\n"


NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>"""
NUM = """<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">
  <w:abstractNumId w:val="90"/>
</w:num>"""


def test_word_automatic_numbering_is_read_as_text(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(NUM))
    for text, level in [("某区工作要点", None), ("甲方面", 0), ("做一。内容。", 1), ("做二。内容。", 1),
                        ("乙方面", 0), ("做三。内容。", 1)]:
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_numId().val = 90
            num_pr.get_or_add_ilvl().val = level
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert [line.text for line in docx_lines(path)] == [
        "某区工作要点", "一、甲方面", "1.做一。内容。", "2.做二。内容。", "二、乙方面", "1.做三。内容。"]
    plan = import_document(path).plan
    assert plan["numbering"] == "per_section"
    assert [len(s["items"]) for s in plan["sections"]] == [2, 1]


TEXT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
      <w:p><w:r><w:t>框中文字</w:t></w:r></w:p>
    </w:txbxContent></wps:txbx></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>框中文字</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def test_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph("正文")
    paragraph._p.append(parse_xml(TEXT_BOX))
    document.add_paragraph("下一段")
    path = tmp_path / "box.docx"
    document.save(str(path))
    assert [line.text for line in docx_lines(path)] == ["正文", "框中文字", "下一段"]
