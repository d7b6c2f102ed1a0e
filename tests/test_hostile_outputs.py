"""Outputs: a device node, FIFO or folder under the output's name is never replaced, a
command never overwrites its own input (even with --force), killed runs' temporary files
are swept without touching anyone else's, long names fit, a full disk is a Chinese error."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import NOTICE, ROOT, WORK_POINTS, assert_clean, gongwen


def _specials(folder: Path, stem: str) -> dict[str, Path]:
    """A FIFO, a folder and (as root) a character device node, each named like an output."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {"fifo": folder / f"{stem}-fifo", "folder": folder / f"{stem}-folder"}
    os.mkfifo(made["fifo"])
    made["folder"].mkdir()
    if os.geteuid() == 0:
        made["device"] = folder / f"{stem}-device"
        os.mknod(made["device"], stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    return made


def _unchanged(path: Path, kind: str) -> bool:
    mode = os.lstat(path).st_mode
    return {"fifo": stat.S_ISFIFO, "folder": stat.S_ISDIR, "device": stat.S_ISCHR}[kind](mode)


def test_render_never_replaces_a_device_fifo_or_folder(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(NOTICE, encoding="utf-8")
    for kind, special in _specials(tmp_path / "out", "x").items():
        target = special.with_name(special.name + ".docx")
        special.rename(target)
        run = gongwen("render", "plan.yaml", "-o", str(target), cwd=tmp_path)
        assert_clean(run, "E902")
        assert _unchanged(target, kind), kind
    # The same special files under the name a plan renders to in an output folder.
    for kind, special in _specials(tmp_path / "folder-out", "y").items():
        (tmp_path / f"{special.name}.yaml").write_text(NOTICE, encoding="utf-8")
        special.rename(special.with_name(special.name + ".docx"))
        run = gongwen("render", f"{special.name}.yaml", "-o", "folder-out", cwd=tmp_path)
        assert_clean(run, "E902")
        assert _unchanged(tmp_path / "folder-out" / f"{special.name}.docx", kind), kind


def test_import_collect_and_schema_never_replace_a_special_file(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("某某县教育和体育局\n关于做好春季学期开学工作的通知\n各学校：\n请做好开学工作。\n"
                                     "某某县教育和体育局\n2025年2月10日\n", encoding="utf-8")
    for kind, special in _specials(tmp_path / "out", "z").items():
        for args in (("import", "in.txt", "-o", str(special), "--force"), ("schema", "-o", str(special))):
            run = gongwen(*args, cwd=tmp_path)
            assert_clean(run, "E902")
            assert _unchanged(special, kind), (kind, args)


def test_a_command_never_overwrites_its_own_input(tmp_path: Path) -> None:
    text = "某某县教育和体育局\n关于做好春季学期开学工作的通知\n各学校：\n请做好开学工作。\n某某县教育和体育局\n2025年2月10日\n"
    (tmp_path / "in.txt").write_text(text, encoding="utf-8")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "in.txt")
    for output in ("in.txt", "alias.txt", "./sub/../in.txt"):
        run = gongwen("import", "in.txt", "-o", output, "--force", cwd=tmp_path)
        assert_clean(run, "E903")
        assert (tmp_path / "in.txt").read_text(encoding="utf-8") == text
    (tmp_path / "sub").mkdir()
    (tmp_path / "p.yaml").write_text(WORK_POINTS, encoding="utf-8")
    plan = (tmp_path / "p.yaml").read_bytes()
    run = gongwen("render", "p.yaml", "--to", "xlsx", "-o", "办公室.xlsx", cwd=tmp_path)
    assert_clean(run, exit_code=0)
    workbook = (tmp_path / "办公室.xlsx").read_bytes()
    run = gongwen("render", "p.yaml", "-o", "p.yaml", "--force", cwd=tmp_path)
    assert_clean(run, "E904")
    for output in ("p.yaml", "办公室.xlsx"):
        run = gongwen("collect", "p.yaml", "办公室.xlsx", "-o", output, "--force", "--date", "2025-12-20", cwd=tmp_path)
        assert_clean(run, "E903")
    assert (tmp_path / "p.yaml").read_bytes() == plan and (tmp_path / "办公室.xlsx").read_bytes() == workbook


def test_an_empty_output_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(NOTICE, encoding="utf-8")
    run = gongwen("render", "plan.yaml", "-o", "", cwd=tmp_path)
    assert_clean(run, "E900")
    assert not (tmp_path / "outputs").exists()
    run = gongwen("import", "plan.yaml", "-o", "", cwd=tmp_path)
    assert_clean(run)


def test_a_killed_runs_temporary_files_are_swept_and_nobody_elses(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A writer killed mid-file, with the real temporary naming.
    killed = subprocess.run(
        [sys.executable, "-c", "import os, pathlib; from render.atomic import atomic_path\n"
         f"with atomic_path(pathlib.Path({str(out / 'plan.docx')!r})) as tmp:\n"
         "    tmp.write_bytes(b'half a document'); os.kill(os.getpid(), 9)"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    [litter] = [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not (out / "plan.docx").exists()
    # A running gongwen's temporary file (this test's own process is alive), and files of others.
    alive = out / f".plan.pdf.gongwen-{os.getpid()}-abcd1234.tmp"
    others = [out / ".plan.docx.swp", out / "notes.tmp", out / ".hidden"]
    for path in (alive, *others):
        path.write_bytes(b"keep")
    (tmp_path / "plan.yaml").write_text(NOTICE, encoding="utf-8")
    run = gongwen("render", "plan.yaml", "-o", "out", cwd=tmp_path)
    assert_clean(run, exit_code=0)
    assert not litter.exists() and (out / "plan.docx").is_file()
    assert alive.exists() and all(path.exists() for path in others)


def test_a_long_plan_name_fits_its_temporary_name(tmp_path: Path) -> None:
    stem = "某某县教育和体育局关于做好二〇二五年春季学期开学工作暨校园安全隐患排查整治专项行动的通知" * 2
    stem = stem[:80]
    assert len(f"{stem}.docx".encode()) < 255
    (tmp_path / f"{stem}.yaml").write_text(NOTICE, encoding="utf-8")
    run = gongwen("render", f"{stem}.yaml", "--to", "docx,pdf", "-o", "out", cwd=tmp_path)
    assert_clean(run, exit_code=0)
    assert (tmp_path / "out" / f"{stem}.docx").is_file() and (tmp_path / "out" / f"{stem}.pdf").is_file()


def _small_disk() -> None:
    """Writes beyond 3 KB fail (EFBIG), as on a full disk; the signal that would kill is ignored.
    At this size python-docx's ZipFile fails again in its __del__, which Python reports as
    "Exception ignored in: <function ZipFile.__del__>" with a traceback unless gongwen stops it."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3_000, 3_000))


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_a_full_disk_is_a_chinese_error_without_traceback(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "plan.yaml").write_text(WORK_POINTS, encoding="utf-8")
    run = gongwen("render", "plan.yaml", "--to", fmt, "-o", "out", cwd=tmp_path, limits=_small_disk)
    assert_clean(run, "E910")
    assert "文件超过系统允许的大小" in run.text
    assert not (tmp_path / "out" / f"plan.{fmt}").exists()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith((".tmp", ".scratch"))]
