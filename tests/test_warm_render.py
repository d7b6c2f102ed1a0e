"""A process that has rendered before (a batch worker, `gongwen serve`) reuses what it
measured and broke (render/layout/linebreak.shared_metrics): its documents must be byte for
byte those of a fresh process, also after a paragraph is edited, on made-up plans."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from madeup import notice, work_points, write
from render.document.source import prepare
from render.profile import load_profile
from render.reading.loader import load_plan
from render.writers import writer_for

FORMATS = ("docx", "pdf", "ofd")


def _render_here(plan: Path, out: Path) -> dict[str, bytes]:
    source = prepare(load_plan(plan), load_profile())
    made = {}
    for fmt in FORMATS:
        target = out / f"{plan.stem}.{fmt}"
        writer_for(fmt)(source, target)
        made[fmt] = target.read_bytes()
    return made


def _edited(plan: dict) -> dict:
    """The same plan with one body paragraph changed and one added: the rest is unchanged."""
    changed = copy.deepcopy(plan)
    if "number" in changed:  # another document: another number
        changed["number"]["serial"] += 100
    body = changed.get("body") or changed["sections"][0]["items"][0]
    if isinstance(body, str):
        changed["body"] = body.replace("。", "，并于2026年底前完成验收。", 1) + "\n\n另请各校报送联系人名单（含电话）。"
    else:
        body["text"] = body["text"] + "确保2026年完成率达到98.5%。"
    return changed


@pytest.mark.parametrize("case", [3, 17])
def test_warm_renders_are_a_fresh_process_renders(tmp_path: Path, case: int) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    first = write(notice(case), plans, "first")
    second = write(work_points(case), plans, "second")
    edited = write(_edited(notice(case)), plans, "edited")
    here = tmp_path / "here"
    here.mkdir()
    # One process, one after another: the second and third reuse the first's paragraphs.
    warm = {path.stem: _render_here(path, here) for path in (first, second, first, edited)}
    fresh = tmp_path / "fresh"
    # Not the hostile-input memory cap: three plans to OFD legitimately take half a gigabyte.
    run = subprocess.run([sys.executable, "-m", "render", "render", str(plans), "--to", ",".join(FORMATS),
                          "-o", str(fresh)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "GONGWEN_REGISTRY": str(tmp_path / "registry.sqlite")})
    assert run.returncode == 0, run.stdout + run.stderr
    for stem, made in warm.items():
        for fmt, data in made.items():
            assert data == (fresh / f"{stem}.{fmt}").read_bytes(), f"{stem}.{fmt} differs from a fresh process's"
