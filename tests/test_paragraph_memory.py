"""The broken lines a process keeps (linebreak.Metrics.remembered): a bound across
documents, but never at the cost of the document being laid out. A work plan of 3,600
paragraphs was broken three times over by the Word writer's passes when the oldest kept
paragraph was always the next one needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from madeup import work_points, write
from render.document.source import prepare
from render.layout import Metrics, geometry_from_profile, linebreak
from render.profile import load_profile
from render.reading.loader import load_plan
from render.writers import writer_for


def _metrics() -> Metrics:
    return Metrics(lambda text, style: 16.0 * len(text), geometry_from_profile(load_profile()))


def test_a_document_longer_than_the_bound_computes_each_paragraph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linebreak, "_PARAGRAPHS_KEPT", 100)
    metrics, computed = _metrics(), []
    metrics.begin_document()
    for _ in range(3):  # three passes over 250 paragraphs
        for key in range(250):
            assert metrics.remembered(key, lambda key=key: computed.append(key) or f"lines {key}") == f"lines {key}"
    assert len(computed) == 250

    # The next document: the last one's surplus goes, the most recently used stay.
    metrics.begin_document()
    for key in range(150, 250):
        metrics.remembered(key, lambda key=key: computed.append(key) or f"lines {key}")
    assert len(computed) == 250
    for key in range(1000, 1100):  # new paragraphs push the previous document's out
        metrics.remembered(key, lambda key=key: computed.append(key) or f"lines {key}")
    assert len(computed) == 350
    metrics.begin_document()
    metrics.remembered(150, lambda: computed.append(150) or "lines 150")
    assert len(computed) == 351, "a paragraph of an earlier document outlived the bound"


def _long_work_plan(folder: Path) -> Path:
    plan = work_points(1)
    sections = plan["sections"]
    plan["sections"] = [dict(section, title=f"{section['title']}（第{copy + 1}组）")
                        for copy in range(12) for section in sections]
    return write(plan, folder, "long-work-plan")


def _render_counting(monkeypatch: pytest.MonkeyPatch, bound: int, source: object, target: Path) -> int:
    monkeypatch.setattr(linebreak, "_PARAGRAPHS_KEPT", bound)
    monkeypatch.setattr(linebreak, "_shared", {})  # a fresh process's memory
    calls = []
    prepare_lines = linebreak._prepare

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return prepare_lines(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(linebreak, "_prepare", counted)
    writer_for("docx")(source, target)  # type: ignore[arg-type]
    return len(calls)


def test_the_word_writer_breaks_a_long_plan_once_whatever_the_bound(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    source = prepare(load_plan(_long_work_plan(tmp_path)), load_profile())
    roomy = _render_counting(monkeypatch, 1 << 20, source, tmp_path / "roomy.docx")
    tight = _render_counting(monkeypatch, 16, source, tmp_path / "tight.docx")
    assert roomy > 100, "too few paragraphs to exceed the bound: the test proves nothing"
    assert tight == roomy
    assert (tmp_path / "tight.docx").read_bytes() == (tmp_path / "roomy.docx").read_bytes()
