"""Hostile paths in plans and on the command line: devices, FIFOs, folders, files too large,
images too large to decode, files outside the plan's project. Each is refused before it is
read, with a Chinese message, a code and (for a plan key) the key's line; nothing hangs."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from hostile import BULLETIN, NOTICE, WORK_POINTS, assert_clean, gongwen


def _png_header(path: Path, width: int, height: int) -> None:
    """A PNG that claims `width` × `height` pixels (a "decompression bomb"): only its header
    is real, as an attacker's would be; decoding it would take gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))


def test_plan_keys_naming_devices_fifos_and_folders_are_refused_at_their_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "folder.png").mkdir()
    # units_file a FIFO (it used to hang), and /dev/zero (it used to take gigabytes).
    (tmp_path / "units-fifo.yaml").write_text(NOTICE + "units_file: fifo.yaml\n", encoding="utf-8")
    (tmp_path / "units-zero.yaml").write_text(NOTICE + "units_file: /dev/zero\n", encoding="utf-8")
    (tmp_path / "image-zero.yaml").write_text(BULLETIN.format(image="/dev/zero"), encoding="utf-8")
    (tmp_path / "image-folder.yaml").write_text(BULLETIN.format(image="folder.png"), encoding="utf-8")
    run = gongwen("validate", "--allow-outside-files", "units-fifo.yaml", "units-zero.yaml", "image-zero.yaml",
                  "image-folder.yaml", cwd=tmp_path)
    assert_clean(run, "E110")
    lines = run.text.splitlines()
    assert any(line.startswith("units-fifo.yaml:7:") and "E110" in line and "FIFO" in line for line in lines), run.text
    assert any(line.startswith("units-zero.yaml:7:") and "E110" in line and "设备" in line for line in lines), run.text
    assert any(line.startswith("image-zero.yaml:9:") and "E110" in line for line in lines), run.text
    assert any(line.startswith("image-folder.yaml:9:") and "文件夹" in line for line in lines), run.text


def test_plans_named_on_the_command_line_that_are_devices_or_fifos(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    run = gongwen("validate", "/dev/zero", "fifo.yaml", cwd=tmp_path)
    assert_clean(run, "E110")
    assert "/dev/zero: E110" in run.text and "fifo.yaml: E110" in run.text
    # The same through render: every plan fails alone, nothing is written; a --profile FIFO too.
    (tmp_path / "plan.yaml").write_text(NOTICE, encoding="utf-8")
    run = gongwen("render", "fifo.yaml", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E110")
    assert not (tmp_path / "out" / "fifo.docx").exists() and (tmp_path / "out" / "plan.docx").is_file()
    run = gongwen("render", "plan.yaml", "--profile", "fifo.yaml", "-o", "out2", cwd=tmp_path)
    assert_clean(run, "E110")
    assert not (tmp_path / "out2").exists()


def test_a_data_file_whose_template_is_a_device(tmp_path: Path) -> None:
    (tmp_path / "school.yaml").write_text("template: /dev/zero\nschool: 某某县实验小学\n", encoding="utf-8")
    os.mkfifo(tmp_path / "tpl.yaml")
    (tmp_path / "other.yaml").write_text("template: tpl.yaml\nschool: 某某县第二中学\n", encoding="utf-8")
    run = gongwen("validate", "school.yaml", "other.yaml", cwd=tmp_path)
    assert_clean(run, "E110")
    assert "/dev/zero: E110" in run.text and "tpl.yaml: E110" in run.text


def test_a_summary_data_file_that_is_a_fifo_or_too_large(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "data.yaml")
    summary = "type: summary\nissuers: [某某县实验小学]\ntitle: '{{ data.school }}工作总结'\ndate: 2025-01-10\n" \
              "preamble: 本年度工作总结如下。\n"
    (tmp_path / "s1.yaml").write_text(summary + "data: data.yaml\n", encoding="utf-8")
    with open(tmp_path / "big.json", "wb") as big:
        big.truncate(6_000_000)  # sparse: no disk used, but over the 5 MB data limit
    (tmp_path / "s2.yaml").write_text(summary + "data: big.json\n", encoding="utf-8")
    run = gongwen("validate", "s1.yaml", "s2.yaml", cwd=tmp_path)
    assert_clean(run, "E110", "E111")


def test_a_plan_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    with open(tmp_path / "huge.yaml", "wb") as huge:
        huge.truncate(50_000_000)
    run = gongwen("validate", "huge.yaml", cwd=tmp_path)
    assert_clean(run, "E111")


def test_a_decompression_bomb_image_is_refused_at_validate(tmp_path: Path) -> None:
    _png_header(tmp_path / "bomb.png", 40000, 40000)
    _png_header(tmp_path / "wide.png", 12000, 8000)  # 96 million pixels: over the limit, under Pillow's
    (tmp_path / "b1.yaml").write_text(BULLETIN.format(image="bomb.png"), encoding="utf-8")
    (tmp_path / "b2.yaml").write_text(BULLETIN.format(image="wide.png"), encoding="utf-8")
    run = gongwen("validate", "b1.yaml", "b2.yaml", cwd=tmp_path)
    assert_clean(run, "E113")
    assert "b1.yaml:9:" in run.text and "b2.yaml:9:" in run.text and "像素" in run.text
    run = gongwen("render", "b1.yaml", "--to", "pdf", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E113")
    assert not (tmp_path / "out" / "b1.pdf").exists()


def test_files_outside_the_plans_project_are_refused_unless_allowed(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "office", tmp_path / "elsewhere"
    (project / ".gongwen").mkdir(parents=True)
    (project / "plans").mkdir()
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text("区教委: 不该被读到的内容\n", encoding="utf-8")
    (project / "units.yaml").write_text("办公室: 某某县教育和体育局办公室\n", encoding="utf-8")
    (project / "plans" / "up.yaml").write_text(WORK_POINTS + "units_file: ../../elsewhere/secret.yaml\n",
                                              encoding="utf-8")
    (project / "plans" / "abs.yaml").write_text(WORK_POINTS + f"units_file: {elsewhere / 'secret.yaml'}\n",
                                               encoding="utf-8")
    (project / "plans" / "inside.yaml").write_text(WORK_POINTS + "units_file: ../units.yaml\n", encoding="utf-8")
    summary = "type: summary\nissuers: [某某县实验小学]\ntitle: '{{ data.school }}'\ndate: 2025-01-10\n" \
              "preamble: 总结如下。\ndata: ../../elsewhere/secret.yaml\n"
    (project / "plans" / "data.yaml").write_text(summary, encoding="utf-8")
    run = gongwen("validate", "plans/up.yaml", "plans/abs.yaml", "plans/data.yaml", cwd=project)
    assert_clean(run, "E504")
    assert "plans/up.yaml:11:" in run.text and "plans/abs.yaml:11:" in run.text and "plans/data.yaml:6:" in run.text
    assert "绝对路径" in run.text and "--allow-outside-files" in run.text and "不该被读到" not in run.text
    assert_clean(gongwen("validate", "plans/inside.yaml", cwd=project), exit_code=0)
    # Refused by render too, from another folder; allowed when the user says so.
    run = gongwen("render", str(project / "plans" / "up.yaml"), "-o", str(tmp_path / "out"), cwd=elsewhere)
    assert_clean(run, "E504")
    assert not (tmp_path / "out" / "up.docx").exists()
    run = gongwen("render", "plans/up.yaml", "--allow-outside-files", "-o", str(tmp_path / "out"), cwd=project)
    assert_clean(run, exit_code=0)
    assert (tmp_path / "out" / "up.docx").is_file()


@pytest.mark.parametrize("command", ["validate", "render"])
def test_a_directory_or_missing_file_is_a_chinese_message(tmp_path: Path, command: str) -> None:
    (tmp_path / "in.docx").mkdir()
    run = gongwen("import", "in.docx", cwd=tmp_path)
    assert_clean(run, "E110")
    assert "is a directory" not in run.text and "文件夹" in run.text
    run = gongwen(command, "missing.yaml", cwd=tmp_path)
    assert_clean(run, "E100")
