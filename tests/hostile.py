"""Running the real `gongwen` command on hostile input: a time limit per run (a hang guard,
not a speed check), peak memory measured, and the shape every refusal must have."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD_SECONDS = 120
PEAK_LIMIT_MB = 500
ADDRESS_SPACE_CAP = 3 * 1024**3  # a run gone wild fails on its own instead of taking the machine down
CODE = re.compile(r"\b[EW]\d{3}\b")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Run:
    code: int | None     # None: killed by the hang guard
    out: str
    err: str
    peak_mb: float

    @property
    def text(self) -> str:
        return self.out + self.err


def gongwen(*args: str, cwd: Path, env: dict[str, str] | None = None,
            limits: Callable[[], None] | None = None) -> Run:
    """`python -m render ARGS` in `cwd`, waited for with wait4 so its own peak memory
    (ru_maxrss, with its waited-for workers) is known."""
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
        if limits is not None:
            limits()

    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("GONGWEN_DEBUG", None)
    out_path, err_path = cwd / f".run-{time.monotonic_ns()}.out", cwd / f".run-{time.monotonic_ns()}.err"
    with open(out_path, "w+b") as out, open(err_path, "w+b") as err:
        process = subprocess.Popen([sys.executable, "-m", "render", *args], cwd=cwd, env=environment,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=preexec)
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        code: int | None = None
        usage = None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        process.returncode = code if code is not None else -9
        out.seek(0)
        err.seek(0)
        run = Run(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                  usage.ru_maxrss / 1024)
    out_path.unlink()
    err_path.unlink()
    return run


def assert_clean(run: Run, *codes: str, exit_code: int = 1) -> None:
    """Ended by itself with `exit_code` (0 or 1, never 2), a Chinese message carrying each
    of `codes`, no traceback, no internal error, within the memory limit."""
    assert run.code is not None, f"hang guard: killed after {HANG_GUARD_SECONDS} s\n{run.text}"
    assert run.code == exit_code, f"exit {run.code}, expected {exit_code}:\n{run.text}"
    assert "Traceback" not in run.text and "Exception ignored" not in run.text, run.text
    assert "内部错误" not in run.text, run.text
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak memory {run.peak_mb:.0f} MB"
    if exit_code:
        assert CHINESE.search(run.text) and CODE.search(run.text), run.text
    for code in codes:
        assert code in run.text, f"{code} missing:\n{run.text}"


NOTICE = """\
type: notice
issuers: [某某县教育和体育局]
title: 关于做好寒假期间校园安全工作的通知
to: [各乡镇中心校, 县直各学校]
body: 请各校认真做好寒假期间的校园安全工作。
date: 2025-01-06
"""

WORK_POINTS = """\
type: work_points
issuers: [某某县教育和体育局]
title: 某某县教育和体育局2025年工作要点
date: 2025-02-10
sections:
  - title: 加强党的建设
    items:
      - title: 深入学习宣传贯彻党的二十届三中全会精神
        lead: [办公室]
        units: [各学校]
"""

BULLETIN = """\
type: bulletin
name: 某某教育简报
issue: 2
date: 2025-03-01
articles:
  - title: 全县中小学开展春季开学安全大检查
    body: 开学前夕，县教体局组织开展安全大检查。
    images:
      - file: {image}
"""
