"""Imports of real documents (tests/corpus/, from public sources listed in SOURCES.md)
against the facts written down by hand from reading them (facts.yaml).

The corpus is 20 texts copied from government web pages (notices, joint and 印发 notices,
work points, a summary, announcements) and 10 Word files of five makers (Word for Windows,
WPS, Word for Mac over python-docx, a docx generator, a hand-built package), templates
among them. Every import must give a valid plan (or, for a file of nothing but
placeholders, a clear refusal) and at least 90% of the printed facts right.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corpus_facts import CORPUS, facts, score
from render.importers import import_document

MIN_RATIO = 0.90


@pytest.fixture(scope="module")
def scored() -> Any:
    return score()


def test_every_document_has_facts_and_a_source() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    files = {f"{p.parent.name}/{p.name}" for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".docx")}
    assert files == set(facts()), "every corpus file needs facts, every fact a file"
    assert len([f for f in files if f.startswith("web/")]) >= 10 and len([f for f in files if f.startswith("word/")]) >= 8
    missing = [name for name in files if Path(name).name not in sources]
    assert not missing, f"SOURCES.md does not say where these came from: {missing}"


def test_every_import_is_a_valid_plan(scored: Any) -> None:
    outcome, _ = scored
    assert not outcome.failures, "\n".join(outcome.failures)


def test_facts_right(scored: Any) -> None:
    outcome, _ = scored
    assert outcome.ratio >= MIN_RATIO, f"{outcome.table()}\n" + "\n".join(outcome.wrong)


def test_web_notice_fields_and_structure(scored: Any) -> None:
    """A notice copied from a web page: 发文字号 out of the page's text, 主送机关 in its field,
    the 一、 headings as sections, the 附件说明 as attachments, the attachment pages gone."""
    _, plans = scored
    plan = plans["web/xinjiang-zhijian-2012-24-notice.txt"]
    assert plan["number"] == "新质监办发〔2012〕24号"
    assert len(plan["to"]) == 3 and "主送" not in plan.get("body", "")
    assert [s["title"] for s in plan["sections"]][:2] == ["充分认识宣传工作的重要性和必要性", "突出信息宣传工作的重点和完善运行机制"]
    assert [a["title"] for a in plan["attachments"]] == [
        "自治区质监局各单位信息宣传联络员登记表", "自治区质监局各单位（部门）申请宣传申报单", "自治区质监局协助宣传报道通知单"]
    text = repr(plan)
    assert "填报单位" not in text and "法宝引证码" not in text and "原文链接" not in text


def test_each_drop_is_reported_with_its_line() -> None:
    result = import_document(CORPUS / "web/shandong-agri-2023-publicity.txt")
    messages = {d.code: d for d in result.diagnostics}
    assert messages["W713"].line > 0 and "网站页脚" in messages["W713"].message
    assert "附件页" in messages["W720"].message or "署名" in messages["W720"].message
    template = import_document(CORPUS / "word/wordwin-template-xx1-star.docx")
    placeholder = next(d for d in template.diagnostics if d.code == "W718")
    assert "模板占位符" in placeholder.message and placeholder.line > 0


def test_damaged_and_chinese_dates() -> None:
    wuhu = import_document(CORPUS / "web/wuhu-edu-2024-work-points.txt")
    assert str(wuhu.plan["date"]) == "2024-03-27"
    assert any(d.code == "W719" and "2024327" in d.message for d in wuhu.diagnostics)
    xinyu = import_document(CORPUS / "web/xinyu-2012-3-issuing-notice.txt")
    assert str(xinyu.plan["date"]) == "2012-01-09"
    assert any(d.code == "W711" for d in xinyu.diagnostics)


def test_ambiguous_damaged_date_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "n.txt"
    source.write_text("某区教育委员会\n关于开展某项工作的通知\n各学校：\n请认真做好有关工作。\n某区教育委员会\n2024111\n", encoding="utf-8")
    result = import_document(source)
    assert "date" not in result.plan
    assert any(d.code == "W719" and "2024-01-11" in d.message and "2024-11-01" in d.message for d in result.diagnostics)


def test_text_boxes_are_not_body_lines() -> None:
    """The ★ and the 发文机关标志 of Word templates sit in text boxes stored twice (DrawingML
    and a VML fallback): neither copy becomes a body line."""
    result = import_document(CORPUS / "word/wordwin-template-xx1-star.docx")
    assert "★" not in repr(result.plan)
    assert any(d.code == "W713" and "文本框" in d.message for d in result.diagnostics)


def test_joint_signature_on_one_line_and_contact_gap(tmp_path: Path) -> None:
    source = tmp_path / "joint.txt"
    source.write_text(
        "某市应急管理局 某市教育委员会\n关于开展校园消防演练的通知\n各区县应急管理局，各区县教委：\n"
        "请各地于5月底前完成演练。\n联系人：王小明  联系电话：023-61234567\n"
        "某市应急管理局      某市教育委员会\n2024年4月8日\n", encoding="utf-8")
    plan = import_document(source).plan
    assert plan["issuers"] == ["某市应急管理局", "某市教育委员会"]
    assert str(plan["date"]) == "2024-04-08" and "signature" not in plan
    assert "联系人：王小明  联系电话：023-61234567" in plan["body"]


def test_inline_sign_off_and_number_in_square_brackets(tmp_path: Path) -> None:
    source = tmp_path / "inline.txt"
    source.write_text(
        "关于公布第二批智慧校园试点学校名单的通知[某教办发［2023］12号]\n各区县教委：\n"
        "经评审，确定某某小学等十所学校为第二批智慧校园试点学校，请各地加强指导，认真总结推广试点经验，"
        "确保试点工作取得实效，各试点学校要按照方案要求扎实推进各项建设任务。 附件：试点学校名单 "
        "某市教育委员会办公室 2023年6月2日 |\n", encoding="utf-8")
    result = import_document(source)
    plan = result.plan
    assert plan["number"] == "某教办发〔2023〕12号"
    assert any(d.code == "W710" and "［2023］" in d.message for d in result.diagnostics), "the original spelling is named"
    assert plan["title"] == "关于公布第二批智慧校园试点学校名单的通知"
    assert (plan["issuers"], str(plan["date"])) == ("某市教育委员会办公室", "2023-06-02")
    assert plan["attachments"] == [{"title": "试点学校名单"}]


def test_header_set_as_a_picture_is_read_from_its_alt_text(tmp_path: Path) -> None:
    """Offices often paste the red 发文机关标志 as a picture; its alternative text names it."""
    from docx import Document
    from docx.shared import Mm
    from PIL import Image

    picture = tmp_path / "red.png"
    Image.new("RGB", (40, 10), (200, 0, 0)).save(picture)
    word = Document()
    word.add_picture(str(picture), width=Mm(150))
    word.inline_shapes[0]._inline.docPr.set("descr", "某市教育委员会文件")
    for text in ("某教发〔2024〕3号", "关于开展读书月活动的通知", "各区县教委：", "请认真组织开展读书月活动。",
                 "某市教育委员会", "2024年3月1日"):
        word.add_paragraph(text)
    source = tmp_path / "picture-header.docx"
    word.save(str(source))
    plan = import_document(source).plan
    assert plan["issuers"] == "某市教育委员会" and plan["number"] == "某教发〔2024〕3号"
    assert "某市教育委员会文件" not in plan.get("body", "")
