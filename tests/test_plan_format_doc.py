"""docs/plan-format.md, the plan-format guide in Chinese, in step with the JSON Schema: each
model's table lists exactly its keys and their Chinese spellings, and every complete
example validates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from render.model import plan as plan_module
from render.model.schema import plan_schema
from render.reading.loader import load_plan_text

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "plan-format.md"
_TABLE = re.compile(r"<!-- 键表: (\w+) -->\n\| 键 \| 中文写法 \| 值 \|\n\| --- \| --- \| --- \|\n((?:\|.*\|\n)+)")
_ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \|")
_EXAMPLE = re.compile(r"```yaml\n(类型: .*?)```", re.S)


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _tables() -> dict[str, set[tuple[str, frozenset[str]]]]:
    tables: dict[str, set[tuple[str, frozenset[str]]]] = {}
    for model, rows in _TABLE.findall(_guide()):
        assert model not in tables, f"two tables for {model}"
        entries = set()
        for row in rows.splitlines():
            match = _ROW.match(row)
            assert match, f"{model}: a row the test cannot read: {row}"
            entries.add((match.group(1), frozenset(part.strip() for part in match.group(2).split("/"))))
        tables[model] = entries
    return tables


def _schema_keys() -> dict[str, set[tuple[str, frozenset[str]]]]:
    """Each model of the JSON Schema: its English keys with their Chinese spellings (x-zh)."""
    found: dict[str, set[tuple[str, frozenset[str]]]] = {}

    def visit(name: str, node: object) -> None:
        if isinstance(node, dict):
            for key, prop in (node.get("properties") or {}).items():
                if key.isascii() and isinstance(prop, dict) and "x-zh" in prop:
                    found.setdefault(name, set()).add((key, frozenset(str(prop["x-zh"]).split("/"))))
            for value in node.values():
                visit(name, value)
        elif isinstance(node, list):
            for value in node:
                visit(name, value)

    for name, definition in plan_schema()["$defs"].items():
        visit(name, definition)
    return found


def test_every_key_of_the_schema_is_in_the_guide_and_no_other() -> None:
    tables = _tables()
    for name, keys in _schema_keys().items():
        model = getattr(plan_module, name)
        # A model's keys are spread over the tables of its classes (共有的键, 工作要点的正文, …).
        documented = set().union(*(tables.get(cls.__name__, set()) for cls in model.__mro__))
        assert documented == keys, (
            f"{name}: missing from docs/plan-format.md {sorted(k for k, _ in keys - documented)}, "
            f"not in the schema {sorted(k for k, _ in documented - keys)}")
    known = {cls.__name__ for name in _schema_keys() for cls in getattr(plan_module, name).__mro__}
    assert set(tables) <= known, f"tables for models the schema does not have: {set(tables) - known}"


def test_every_document_type_has_a_complete_example() -> None:
    kinds = {load_plan_text(text).plan.kind for text in _EXAMPLE.findall(_guide())}  # type: ignore[union-attr]
    assert kinds == set(plan_module.PLAN_CLASSES)


@pytest.mark.parametrize("number", range(4))
def test_the_examples_validate(number: int, tmp_path: Path) -> None:
    example = _EXAMPLE.findall(_guide())[number]
    for name in re.findall(r"文件: (\S+)", example):  # the files an example names, as stand-ins
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith((".png", ".jpg")):  # a picture must be one (E113)
            Image.new("RGB", (40, 30), "white").save(tmp_path / name)
        else:
            (tmp_path / name).write_bytes(b"")
    result = load_plan_text(example, tmp_path / "example.yaml")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not result.diagnostics, [d.format() for d in result.diagnostics]


@pytest.mark.parametrize("number", range(4))
def test_editors_accept_the_examples_too(number: int) -> None:
    """What the guide shows, the JSON Schema (VS Code's completion and underlining) accepts."""
    import json

    import jsonschema
    import yaml

    data = yaml.safe_load(_EXAMPLE.findall(_guide())[number])
    data = json.loads(json.dumps(data, default=str))  # dates as the strings editors see
    errors = list(jsonschema.Draft7Validator(plan_schema()).iter_errors(data))
    assert not errors, [error.message for error in errors]
