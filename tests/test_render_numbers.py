"""Rendering and the 发文字号 registry: `serial: auto` is stable per plan; an explicit number
held by another plan is refused unless duplicates are allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.diagnostics import PlanError
from render.document.source import prepare
from render.profile import Profile
from render.reading.loader import load_plan
from render.registry.claims import register_number

PLAN = """\
type: notice
issuers: 重庆市南岸区教育委员会
number: {number}
title: {title}
to: 各中小学校
body: 现将有关事项通知如下。
date: 2023-08-20
"""


def write_plan(folder: Path, name: str, number: str, title: str = "关于做好秋季学期开学工作的通知") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(PLAN.format(number=number, title=title), encoding="utf-8")
    return path


def number_of(path: Path, profile: Profile, registry: Path, **options: bool) -> str:
    source = prepare(register_number(load_plan(path), registry=str(registry), **options), profile)
    assert source.document.header is not None
    return str(source.document.header.number)


def test_auto_serial_is_reserved_once_per_plan(tmp_path: Path, profile: Profile) -> None:
    registry = tmp_path / "registry.sqlite"
    first = write_plan(tmp_path, "a", "{code: 南岸教委发, year: 2023, serial: auto}")
    second = write_plan(tmp_path, "b", "{code: 南岸教委发, year: 2023, serial: auto}")
    assert number_of(first, profile, registry) == "南岸教委发〔2023〕1号"
    assert number_of(first, profile, registry) == "南岸教委发〔2023〕1号"
    assert number_of(second, profile, registry) == "南岸教委发〔2023〕2号"


def test_explicit_number_held_by_another_plan(tmp_path: Path, profile: Profile) -> None:
    registry = tmp_path / "registry.sqlite"
    first = write_plan(tmp_path, "a", "南岸教委发〔2023〕5号")
    second = write_plan(tmp_path, "b", "南岸教委发〔2023〕5号", title="另一个通知")
    assert number_of(first, profile, registry) == "南岸教委发〔2023〕5号"
    with pytest.raises(PlanError) as caught:
        number_of(second, profile, registry)
    problem = caught.value.errors[0]
    assert (problem.code, problem.line) == ("E312", 3)
    assert "--allow-duplicate" in problem.message
    assert number_of(second, profile, registry, allow_duplicate=True) == "南岸教委发〔2023〕5号"


def test_no_registry_is_created_for_explicit_numbers(tmp_path: Path, profile: Profile,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GONGWEN_REGISTRY", raising=False)
    plan = write_plan(tmp_path, "a", "南岸教委发〔2023〕5号")
    prepare(register_number(load_plan(plan)), profile)
    assert not (tmp_path / ".gongwen").exists()


def test_auto_serial_without_the_registry_is_explained(tmp_path: Path, profile: Profile) -> None:
    plan = write_plan(tmp_path, "a", "{code: 南岸教委发, year: 2023, serial: auto}")
    with pytest.raises(PlanError) as caught:
        prepare(load_plan(plan), profile)
    assert (caught.value.errors[0].code, caught.value.errors[0].line) == ("E311", 3)
