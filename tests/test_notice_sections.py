"""A notice's own body with structure (部分, 结语): validated in either key spelling, numbered
and styled by both writers like work points, the 结语 after the last section."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from render.document.source import prepare
from render.profile import load_profile
from render.reading.loader import load_plan
from render.writers import writer_for

NOTICE = """类型: 通知
发文机关: 某县农业农村局
标题: 关于做好秋季农作物病虫害防治工作的通知
主送机关: [各乡镇人民政府, 县直有关单位]
正文: |
  为做好秋季病虫害防治工作，现将有关事项通知如下。
部分:
  - 标题: 加强监测预警
    内容: |
      各乡镇要加密田间调查，及时发布预警信息。
  - 标题: 抓好统防统治
    部分:
      - 标题: 组织专业队伍
        内容: 每个乡镇至少组建一支防治队。
结语: |
  特此通知。
附件:
  - 标题: 防治技术要点
成文日期: 2024-08-20
"""


@pytest.fixture
def plan_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GONGWEN_REGISTRY", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "notice.yaml"
    path.write_text(NOTICE, encoding="utf-8")
    return path


def _render(plan_path: Path, fmt: str) -> Path:
    target = plan_path.with_suffix(f".{fmt}")
    writer_for(fmt)(prepare(load_plan(plan_path), load_profile()), target)
    return target


def test_chinese_keys_validate(plan_path: Path) -> None:
    loaded = load_plan(plan_path)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    plan = loaded.plan
    assert [s.title for s in plan.sections] == ["加强监测预警", "抓好统防统治"]  # type: ignore[union-attr]
    assert plan.closing.strip() == "特此通知。"  # type: ignore[union-attr]


def test_word_numbers_the_sections_and_ends_with_the_closing(plan_path: Path) -> None:
    texts = [p.text for p in Document(str(_render(plan_path, "docx"))).paragraphs if p.text.strip()]
    lead = texts.index("为做好秋季病虫害防治工作，现将有关事项通知如下。")
    first, second = texts.index("一、加强监测预警"), texts.index("二、抓好统防统治")
    sub, closing = texts.index("（一）组织专业队伍"), texts.index("特此通知。")
    assert lead < first < second < sub < closing
    assert texts[closing + 1].startswith("附件")


def test_pdf_numbers_the_sections(plan_path: Path) -> None:
    with pdfplumber.open(_render(plan_path, "pdf")) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert text.index("一、加强监测预警") < text.index("二、抓好统防统治") < text.index("（一）组织专业队伍") < text.index("特此通知。")
