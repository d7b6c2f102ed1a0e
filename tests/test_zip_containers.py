"""The .docx and .xlsx containers are written by python-docx and openpyxl straight into a zip
that fixes every entry's time and mode (render/atomic.py, render/ooxml/package.py), not
saved and then unpacked and compressed again. The bytes must be what the old way gave,
and the files must open."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from madeup import notice, work_points, write
from render.atomic import FIXED_ZIP_TIME, FixedZipFile, normalise_zip
from render.document.source import prepare
from render.ooxml import package as ooxml_package
from render.profile import load_profile
from render.reading.loader import load_plan
from render.writers import writer_for


def _entries_fixed(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert infos and archive.testzip() is None
        for info in infos:
            assert info.date_time == FIXED_ZIP_TIME, info.filename
            assert info.external_attr == 0o644 << 16, info.filename
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename


@pytest.mark.parametrize("case", [3, 11])
def test_docx_written_into_our_zip_is_what_saving_and_rewriting_gave(case: int, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    plan = write(notice(case) if case % 2 else work_points(case), tmp_path, f"case{case}")
    source = prepare(load_plan(plan), load_profile())
    direct, fallback = tmp_path / "direct.docx", tmp_path / "fallback.docx"
    assert ooxml_package.writes_packages()  # this python-docx has the steps the fast path takes
    writer_for("docx")(source, direct)
    monkeypatch.setattr(ooxml_package, "writes_packages", lambda: False)
    writer_for("docx")(source, fallback)
    assert direct.read_bytes() == fallback.read_bytes()
    _entries_fixed(direct)
    text = "".join(paragraph.text for paragraph in docx.Document(str(direct)).paragraphs)
    assert (source.plan.title or "")[:10] in text and source.plan.title
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob("*.scratch"))


def test_xlsx_container_is_already_normal(tmp_path: Path) -> None:
    plan = write(work_points(5), tmp_path, "points")
    source = prepare(load_plan(plan), load_profile())
    target = tmp_path / "matrix.xlsx"
    writer_for("xlsx")(source, target)
    _entries_fixed(target)
    again = tmp_path / "again.xlsx"
    normalise_zip(target, again)  # the old way's last step changes nothing now
    assert again.read_bytes() == target.read_bytes()
    book = openpyxl.load_workbook(target)
    assert book.worksheets[0].max_row > 3


def test_a_file_added_by_path_is_the_same_entry_as_its_bytes(tmp_path: Path) -> None:
    """openpyxl adds each worksheet from a temporary file (`ZipFile.write`)."""
    scratch = tmp_path / "sheet.xml"
    scratch.write_bytes("<工作表>".encode() * 500)
    scratch.chmod(0o600)
    by_path, by_bytes = tmp_path / "a.zip", tmp_path / "b.zip"
    with FixedZipFile(by_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(scratch, "xl/worksheets/sheet1.xml")
    with FixedZipFile(by_bytes, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", scratch.read_bytes())
    assert by_path.read_bytes() == by_bytes.read_bytes()
    _entries_fixed(by_path)
