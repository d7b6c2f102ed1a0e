"""The same plans give the same bytes from any folder and whatever SOURCE_DATE_EPOCH says
(the PDF writer does not honour it: a document's date is its 成文日期)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hostile import ROOT, assert_clean, gongwen


def test_outputs_do_not_depend_on_the_folder_or_source_date_epoch(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "somewhere" / "much" / "deeper"
    for folder in (first, second):
        shutil.copytree(ROOT / "plans", folder / "plans")
    runs = [gongwen("render", "plans", "--to", "docx,pdf,xlsx", "-o", "out", "-j", "2", cwd=first),
            gongwen("render", str(second / "plans"), "--to", "docx,pdf,xlsx", "-o", str(second / "out"),
                    cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"})]
    for run in runs:
        assert_clean(run, exit_code=0)
    made = sorted(p.name for p in (first / "out").iterdir() if not p.name.startswith("."))
    assert {Path(name).suffix for name in made} == {".docx", ".pdf", ".xlsx"}
    assert any(name.startswith("qijiang") and name.endswith(".pdf") for name in made)  # the bulletin, with photos
    assert made == sorted(p.name for p in (second / "out").iterdir() if not p.name.startswith("."))
    different = [name for name in made if (first / "out" / name).read_bytes() != (second / "out" / name).read_bytes()]
    assert not different
