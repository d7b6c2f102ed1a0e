"""Write an imported plan as readable YAML, and only a plan that validates.

Long text as `|` block scalars, unit lists on one line (`lead: [区教委, 区委宣传部]`), keys in
the order the importer built them (the plan-format order), Chinese as is (UTF-8, never
`\\uXXXX`). The text is validated with the loader before anything is written, and written
atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from render.atomic import write_bytes_atomic
from render.diagnostics import PlanError
from render.reading.loader import LoadResult, load_plan_text

_BLOCK_MIN_CHARS = 60
_FLOW_KEYS = frozenset({"lead", "units", "cc", "牵头单位", "责任单位", "抄送"})


class _FlowList(list):  # type: ignore[type-arg]
    """A list written on one line: `[区教委, 区委宣传部]`."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the hand-written plans do.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value or len(value) > _BLOCK_MIN_CHARS:
        text = value if value.endswith("\n") else value + "\n"
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _styled(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _styled(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_styled(v) for v in node]
        return _FlowList(items) if key in _FLOW_KEYS else items
    return node


def plan_yaml(plan: dict[str, Any], source: str | None = None, notes: list[str] | tuple[str, ...] = (),
              chinese: bool = False) -> str:
    """The plan as YAML text: the one emitter, for `gongwen import` and `gongwen collect`
    alike. `source` names the imported file in a first comment; `notes` become comments too;
    `chinese` writes the Chinese spelling of every key (the plan is built with English keys)."""
    if chinese:
        from render.model.keys import chinese_keys

        plan = chinese_keys(plan)
    lines = [f"由 gongwen import 从 {source} 导入；编号由程序生成，请核对标题、责任单位和日期。"] if source else []
    header = "".join(f"# {line}\n" for line in (*lines, *notes))
    body = yaml.dump(_styled(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=120, indent=2)
    return header + str(body)


def written_in_chinese(path: Path) -> bool:
    """Whether a plan file spells its keys in Chinese (most of its top-level keys), so what
    is generated from it can do the same; a file that cannot be read counts as English."""
    from render.reading.yamlsource import YamlSourceError, load_yaml_file

    try:
        raw, _ = load_yaml_file(path)
    except YamlSourceError:
        return False
    if not isinstance(raw, dict):
        return False
    keys = [key for key in raw if isinstance(key, str)]
    chinese = sum(1 for key in keys if not key.isascii())
    return chinese > len(keys) - chinese


def write_plan(plan: dict[str, Any], target: Path, source: str | None = None,
               overwrite: bool = False) -> LoadResult:
    """Validate the YAML of `plan` as `gongwen validate` would, then write it to `target`.

    Raises PlanError (nothing written) if the plan does not validate, FileExistsError if
    `target` exists and `overwrite` is false."""
    text = plan_yaml(plan, source)
    result = load_plan_text(text, target)
    if not result.ok:
        raise PlanError(result.diagnostics)
    if target.exists() and not overwrite:
        raise FileExistsError(str(target))
    write_bytes_atomic(target, text.encode("utf-8"))
    return result
