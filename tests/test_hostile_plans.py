"""Broken or hostile plan text: the user's mistake is a Chinese error with a code and the
line (exit 1), never "内部错误" (exit 2), and no writer ever meets what it cannot hold."""

from __future__ import annotations

from pathlib import Path

from hostile import NOTICE, WORK_POINTS, assert_clean, gongwen


def test_a_raw_nul_byte_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "nul.yaml").write_bytes(NOTICE.encode("utf-8") + b"note: \xe9\x99\x84\x00\xe6\xb3\xa8\n")
    (tmp_path / "esc.yaml").write_bytes(NOTICE.encode("utf-8") + b"note: \x1b[31m\n")
    run = gongwen("validate", "nul.yaml", "esc.yaml", cwd=tmp_path)
    assert_clean(run, "E109")
    assert "nul.yaml:7:8: E109" in run.text and "U+0000" in run.text and "esc.yaml:7:7: E109" in run.text


ESCAPES = ("\\x01", "\\x0b", "\\x1b", "\\x7f", "\\uFFFE", "\\uFFFF", "\\ud800")


def test_control_characters_from_yaml_escapes_are_refused_before_any_writer(tmp_path: Path) -> None:
    names = []
    for index, escape in enumerate(ESCAPES):
        plan = WORK_POINTS.replace("        units: [各学校]\n",
                                   f'        units: [各学校]\n        text: "第一句。{escape}第二句。"\n')
        (tmp_path / f"plan{index}.yaml").write_text(plan, encoding="utf-8")
        names.append(f"plan{index}.yaml")
    run = gongwen("validate", *names, cwd=tmp_path)
    assert_clean(run, "E209")
    for name, escape in zip(names, ESCAPES):
        code = escape[2:].upper().rjust(4, "0")
        assert any(line.startswith(f"{name}:11:") and f"U+{code}" in line for line in run.text.splitlines()), run.text
    # The work-points .docx and the per-unit workbooks used to fail on these with an internal error.
    run = gongwen("render", names[0], names[6], "--to", "docx,xlsx", "--split-by-unit", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E209")
    assert not (tmp_path / "out").exists() or not any(p.is_file() and not p.name.startswith(".")
                                                      for p in (tmp_path / "out").rglob("*"))


def test_control_characters_a_template_produces_from_its_data(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text('{"school": "某某县\\u0001实验小学"}', encoding="utf-8")
    (tmp_path / "s.yaml").write_text("type: summary\nissuers: [某某县实验小学]\ntitle: '{{ data.school }}工作总结'\n"
                                     "date: 2025-01-10\ndata: data.json\npreamble: 总结如下。\n", encoding="utf-8")
    run = gongwen("validate", "s.yaml", cwd=tmp_path)
    assert_clean(run, "E209")
    assert "s.yaml:3:" in run.text and "模板生成" in run.text


def test_nesting_a_hundred_thousand_deep(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(NOTICE + "note: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    (tmp_path / "block.yaml").write_text(NOTICE + "note:\n" + "".join(" " * i + "- \n" for i in range(0, 3000, 1)),
                                         encoding="utf-8")
    sections = "sections:\n" + "".join("  " * (2 * i) + "- title: 部分\n" + "  " * (2 * i + 1) + "sections:\n"
                                       for i in range(300))
    (tmp_path / "sections.yaml").write_text(WORK_POINTS.split("sections:")[0] + sections + "  " * 601 + "[]\n",
                                            encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "s.yaml").write_text("type: summary\nissuers: [某某县实验小学]\ntitle: 工作总结\n"
                                     "date: 2025-01-10\ndata: deep.json\npreamble: 总结如下。\n", encoding="utf-8")
    run = gongwen("validate", "flow.yaml", "block.yaml", "sections.yaml", "s.yaml", cwd=tmp_path)
    assert_clean(run)
    lines = run.text.splitlines()
    for name in ("flow.yaml", "block.yaml", "sections.yaml", "deep.json"):
        assert any(line.startswith(name) and ("E109" in line or "E701" in line) and "嵌套过深" in line
                   for line in lines), f"{name}:\n{run.text}"


def test_a_thousand_items_in_one_section_and_a_thousand_sections(tmp_path: Path) -> None:
    items = "".join(f"      - title: 第{i}项工作\n" for i in range(1, 1001))
    (tmp_path / "items.yaml").write_text(WORK_POINTS.split("    items:")[0] + "    items:\n" + items,
                                         encoding="utf-8")
    sections = "".join(f"  - title: 第{i}部分\n    text: 内容。\n" for i in range(1, 1001))
    (tmp_path / "sections.yaml").write_text(WORK_POINTS.split("sections:")[0] + "sections:\n" + sections,
                                            encoding="utf-8")
    run = gongwen("render", "items.yaml", "sections.yaml", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E414")
    assert "items.yaml:8:" in run.text and "sections.yaml:6:" in run.text and "999" in run.text
    assert not (tmp_path / "out" / "items.docx").exists()


def test_serial_year_title_and_name_bounds(tmp_path: Path) -> None:
    (tmp_path / "serial.yaml").write_text(NOTICE + "number: 某教体发〔2025〕" + "9" * 30 + "号\n", encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(NOTICE + "number: {code: 某教体发, year: 2025, serial: " + "9" * 30 + "}\n",
                                           encoding="utf-8")
    (tmp_path / "title.yaml").write_text(NOTICE.replace("关于做好寒假期间校园安全工作的通知", "关于" * 300),
                                         encoding="utf-8")
    (tmp_path / "name.yaml").write_text(NOTICE.replace("[某某县教育和体育局]", "[" + "某" * 500 + "]"),
                                        encoding="utf-8")
    (tmp_path / "year.yaml").write_text(NOTICE + "number: 某教体发〔9999〕1号\n", encoding="utf-8")
    run = gongwen("validate", "serial.yaml", "mapping.yaml", "title.yaml", "name.yaml", "year.yaml", cwd=tmp_path)
    assert_clean(run, "E313", "E415", "E416", "E303")
    assert "serial.yaml:7:" in run.text and "mapping.yaml:7:" in run.text
    # Through render and the registry (the SQLite integer used to overflow).
    run = gongwen("render", "serial.yaml", "--registry", "r.sqlite", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E313")
    assert not (tmp_path / "out" / "serial.docx").exists()
