"""Which files a plan may name: those inside its project.

A plan received from someone else must not be able to embed the renderer's own files
(`units_file: ../../.ssh/id_rsa`, `images: [{file: /etc/passwd}]`) into the document that
is then sent on. So every file-valued key (`units_file`, a summary's `data`, images,
attachments) must resolve inside the plan's project: the nearest folder above the plan that
holds an office configuration (`gongwen.toml`), a `.gongwen/` folder or a `.git` checkout;
without one, the current folder if the plan lies in it, else the plan's own folder.
Symbolic links are resolved first, so a link cannot lead out either.

`gongwen validate/render --allow-outside-files` (or GONGWEN_ALLOW_OUTSIDE_FILES=1) lifts the
rule for plans the user trusts. Files named on the command line (`--data`) are the user's
own choice and are not confined; neither is a data file's `template:` (a plan, not content).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

PROJECT_MARKERS = ("gongwen.toml", ".gongwen", ".git")
ALLOW_ENV = "GONGWEN_ALLOW_OUTSIDE_FILES"

_allow_outside: ContextVar[bool] = ContextVar("gongwen_allow_outside_files", default=False)


@contextmanager
def allow_outside_files(allowed: bool = True) -> Iterator[None]:
    """Inside this block plans may name files outside their project."""
    token = _allow_outside.set(allowed)
    try:
        yield
    finally:
        _allow_outside.reset(token)


def outside_allowed() -> bool:
    return _allow_outside.get() or os.environ.get(ALLOW_ENV, "") not in ("", "0")


def project_root(plan_path: Path) -> Path:
    folder = plan_path.resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if folder == cwd or cwd in folder.parents else folder


def outside_project(name: str, plan_path: Path) -> str | None:
    """None if the file `name` (as written in the plan) may be read; else the reason, in Chinese."""
    if outside_allowed():
        return None
    root = project_root(plan_path)
    target = (plan_path.resolve().parent / name).resolve()
    if target == root or root in target.parents:
        return None
    how = "是绝对路径，" if Path(name).is_absolute() else ""
    return (f"“{name}”{how}在计划所在的项目文件夹 {root} 之外：为防止计划把本机的其他文件带进公文，"
            f"拒绝读取（确认可信时加 --allow-outside-files）")
