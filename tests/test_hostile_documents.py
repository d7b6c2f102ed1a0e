"""Broken and hostile documents given to `gongwen import` and `gongwen collect`: each is a
Chinese refusal with a code (exit 1), read within memory and without unbounded inflation."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from hostile import assert_clean, gongwen

NOTICE_TEXT = "某某县教育和体育局\n关于做好春季学期开学工作的通知\n各乡镇中心校、县直各学校：\n" \
              "请认真做好春季学期开学准备工作。\n某某县教育和体育局\n2025年2月10日\n"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.docx"
    document = docx.Document()
    for line in NOTICE_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _with_body(good: Path, target: Path, xml: str | None = None, stream: bool = False) -> Path:
    """`good` with its document.xml replaced (or, with `stream`, inflating to 1 GB)."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info.filename))
            elif stream:
                with out.open("word/document.xml", "w", force_zip64=True) as member:
                    member.write(f"<w:document {W}><w:body><w:p><w:r><w:t>".encode())
                    block = b"a" * (1 << 20)
                    for _ in range(1024):
                        member.write(block)
                    member.write(b"</w:t></w:r></w:p></w:body></w:document>")
            else:
                out.writestr(info.filename, xml if xml is not None else source.read(info.filename))
    return target


def _laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i + 1} "{("&lol" + (str(i) if i else "") + ";") * 10}">' for i in range(9))
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document {W}><w:body><w:p><w:r>'
            f"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


def test_broken_and_hostile_word_documents(tmp_path: Path, good_docx: Path) -> None:
    (tmp_path / "text.docx").write_text("这其实是一个文本文件。", encoding="utf-8")
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "truncated.docx").write_bytes(good_docx.read_bytes()[:2000])
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "工作事项"])
    workbook.save(tmp_path / "sheet.docx")  # an .xlsx renamed
    _with_body(good_docx, tmp_path / "malformed.docx", f"<w:document {W}><w:body><w:p>")
    _with_body(good_docx, tmp_path / "laughs.docx", _laughs())
    deep = f"<w:document {W}><w:body>" + "<w:tbl><w:tr><w:tc>" * 5000 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 5000
    _with_body(good_docx, tmp_path / "deep.docx", deep + "</w:body></w:document>")
    _with_body(good_docx, tmp_path / "wide.docx", f"<w:document {W}><w:body>" + "<w:p/>" * 1_100_000
               + "</w:body></w:document>")  # python-docx would hold 1.1 million elements: about 1 GB
    _with_body(good_docx, tmp_path / "bomb.docx", stream=True)
    assert (tmp_path / "bomb.docx").stat().st_size < 10_000_000  # 1 GB inflated, a few MB on disk
    expected = {"text": "E801", "empty": "E801", "truncated": "E801", "sheet": "E806", "malformed": "E803",
                "laughs": "E804", "deep": "E805", "wide": "E805", "bomb": "E802"}
    for name, code in expected.items():
        run = gongwen("import", f"{name}.docx", cwd=tmp_path)
        assert_clean(run, code)
        assert f"{name}.docx: {code}" in run.text
        assert not (tmp_path / f"{name}.yaml").exists()


def test_the_good_document_still_imports(tmp_path: Path, good_docx: Path) -> None:
    run = gongwen("import", str(good_docx), "-o", "good.yaml", cwd=tmp_path)
    assert_clean(run, exit_code=0)
    assert (tmp_path / "good.yaml").is_file()


def test_text_files_too_large_for_a_plan(tmp_path: Path) -> None:
    with open(tmp_path / "huge.txt", "wb") as huge:
        huge.truncate(100_000_000)  # sparse: refused by its size, never read
    (tmp_path / "one-line.txt").write_text("关于开展工作的通知" + "各学校认真开展工作，" * 700_000, encoding="utf-8")
    for name in ("huge.txt", "one-line.txt"):
        run = gongwen("import", name, cwd=tmp_path)
        assert_clean(run, "E111")
        assert "导入程序的缺陷" not in run.text
    # Under the file limit but more text than a plan may hold (GB18030: two bytes a character).
    (tmp_path / "dense.txt").write_bytes(("关于开展工作的通知\n" + "各学校认真开展工作。" * 130_000).encode("gb18030"))
    run = gongwen("import", "dense.txt", cwd=tmp_path)
    assert_clean(run, "E808")


def test_control_characters_in_an_imported_text_are_dropped(tmp_path: Path) -> None:
    text = NOTICE_TEXT.replace("请认真", "\x01请认真\x0c") + "\x1a"
    (tmp_path / "old.txt").write_bytes(text.encode("gb18030"))
    run = gongwen("import", "old.txt", cwd=tmp_path)
    assert_clean(run, exit_code=0)
    assert "\\x01" not in (tmp_path / "old.yaml").read_text(encoding="utf-8")
    assert_clean(gongwen("validate", "old.yaml", cwd=tmp_path), exit_code=0)


def test_broken_workbooks_given_to_collect(tmp_path: Path) -> None:
    plan = ("type: work_points\nissuers: [某某县教育和体育局]\ntitle: 某某县教育和体育局2025年工作要点\n"
            "date: 2025-02-10\nsections:\n  - title: 加强党的建设\n    items:\n"
            "      - title: 深入学习宣传贯彻党的二十届三中全会精神\n        lead: [办公室]\n")
    (tmp_path / "p.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "办公室.xlsx").write_text("不是工作簿", encoding="utf-8")
    run = gongwen("collect", "p.yaml", "办公室.xlsx", "-o", "s.yaml", cwd=tmp_path)
    assert_clean(run, "E801")
    assert not (tmp_path / "s.yaml").exists()
