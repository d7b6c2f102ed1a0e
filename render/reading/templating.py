"""Summary plans as templates: every text value is Jinja2 over the plan's `data:`.

A `summary` plan may carry `data:` (a mapping, or the path of a YAML/JSON file beside the
plan); `gongwen render --data FILE` swaps in another data file, so one template plan and a
folder of data files give one summary each; a data file that names its template
(`template: ../templates/summary/school.yaml`) can also be rendered as if it were a plan.
Templates run in Jinja2's immutable sandbox with StrictUndefined: a value missing from the
data is an error, never an empty string, and template code cannot reach Python internals
(`''.__class__` is refused).

Codes: E701 data file missing or unreadable, E702 data not a mapping, E703 template syntax,
E704 value missing from the data, E705 refused by the sandbox, E706 other error while
rendering, E707 --data for a plan that is not a summary, E708 a template that ran out of
memory or recursion. A template that would cost too much is refused by the sandbox too (E705:
render/reading/sandbox.py bounds widths, lengths, loop iterations and time).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from render.diagnostics import Diagnostic, PlanError
from render.inputs import DATA, PLAN, InputRefused, read_bytes
from render.reading.paths import outside_project
from render.reading.yamlsource import Mark, SourceMap, YamlSourceError, load_yaml_file

TEMPLATE_KEYS = ("template", "模板")  # in a data file: the template plan it fills

# Set by `gongwen render --data`: the data file that replaces the plan's own `data:`.
_data_override: ContextVar[Path | None] = ContextVar("gongwen_data_override", default=None)


@contextmanager
def data_override(path: Path | None) -> Iterator[None]:
    """Load plans inside this block with `path` as their data (None: the plan's own)."""
    token = _data_override.set(path)
    try:
        yield
    finally:
        _data_override.reset(token)


def data_file_of(data: Any, plan_path: Path) -> Path | None:
    """The data file a loaded summary read, or None for inline or absent data."""
    if isinstance(data, str) and data.strip():
        return plan_path.resolve().parent / data.strip()
    return None


_TYPE_LINE = re.compile(r"^(?:type|类型)\s*:", re.MULTILINE)
_TEMPLATE_LINE = re.compile(r"^(?:template|模板)\s*:", re.MULTILINE)


def template_of(path: Path) -> Path | None:
    """The template plan a data file names (`template: ../templates/summary/school.yaml`),
    so `gongwen render plans/ summaries/` renders each data file through its template;
    None for a plan, or a data file that names none. A quick look at the text first: most
    files are plans, and parsing every one twice would cost a large batch seconds."""
    try:
        text = read_bytes(path, PLAN).decode("utf-8-sig")
    except (InputRefused, UnicodeDecodeError):
        return None  # load_plan reports the file
    if _TYPE_LINE.search(text) or not _TEMPLATE_LINE.search(text):
        return None
    try:
        data, _ = load_yaml_file(path)
    except YamlSourceError:
        return None
    name = next((data[k] for k in TEMPLATE_KEYS if isinstance(data, dict) and isinstance(data.get(k), str)), None)
    return Path(os.path.normpath(path.parent / name)) if name else None


# --- the loader's hook --------------------------------------------------------------------

def expand_templates(raw: dict[str, Any], source: SourceMap, path: Path,
                     plan_class: type) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The plan with its templates rendered, or the problems found (the loader's one hook)."""
    override = _data_override.get()
    if getattr(plan_class, "kind", None) != "summary":
        if override is not None:
            return raw, [Diagnostic("E707", f"--data 只适用于总结（type: summary）模板，不能用于此计划（数据文件 {override}）",
                                    str(path))]
        return raw, []
    # Jinja2 is imported only here: a plan that is not a summary never pays for it.
    from render.reading.templatetext import DATA_KEYS, render_templates

    key = next((k for k in DATA_KEYS if k in raw), DATA_KEYS[0])
    if override is not None:
        # An absolute path, so `data_file_of` finds it whatever the plan's folder is.
        raw = {**raw, key: str(override.resolve())}
    spec = raw.get(key)
    if spec is not None and not isinstance(spec, (str, dict)):
        return raw, []  # the model reports the wrong type, with its position
    data_source: str | None
    try:
        if override is not None:
            data, data_source = load_data_file(override, str(override)), str(override)
        else:
            data, data_source = _plan_data(spec, key, source, path)
        return render_templates(raw, data, data_source, path, source), []
    except PlanError as error:
        return raw, error.diagnostics


def _plan_data(spec: str | dict[str, Any] | None, key: str, source: SourceMap,
               plan_path: Path) -> tuple[dict[str, Any], str | None]:
    """The plan's own `data:`: inline, a file beside the plan, or none."""
    if spec is None:
        return {}, None
    if isinstance(spec, dict):
        return spec, f"{plan_path}（内联 {key}）"
    file = data_file_of(spec, plan_path)
    assert file is not None
    mark = source.mark((key,)) or Mark(0, 0)
    outside = outside_project(spec.strip(), plan_path)
    if outside:
        raise PlanError([Diagnostic("E504", f"数据文件{outside}", str(plan_path), mark.line, mark.col)])
    if not os.path.lexists(file):
        raise PlanError([Diagnostic("E701", f"找不到数据文件“{spec}”", str(plan_path), mark.line, mark.col)])
    shown = os.path.normpath(plan_path.parent / spec)  # templates/summary/../../x.yaml → x.yaml
    return load_data_file(file, shown), shown


def load_data_file(file: Path, shown: str) -> dict[str, Any]:
    """A YAML or JSON data file as a mapping; problems are Diagnostics on the data file."""
    if not os.path.lexists(file):
        raise PlanError([Diagnostic("E701", "找不到数据文件", shown)])
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(read_bytes(file, DATA).decode("utf-8-sig"))
        except InputRefused as refused:
            raise PlanError([Diagnostic(refused.code, refused.message, shown)]) from None
        except RecursionError:
            raise PlanError([Diagnostic("E701", "JSON 嵌套过深，拒绝读取", shown)]) from None
        except UnicodeDecodeError:
            raise PlanError([Diagnostic("E108", "文件不是 UTF-8 编码，请另存为 UTF-8", shown)]) from None
        except json.JSONDecodeError as error:
            raise PlanError([Diagnostic("E701", f"JSON 语法错误：{error.msg}", shown, error.lineno, error.colno)]) from None
    else:
        try:
            data, _ = load_yaml_file(file, DATA)
        except YamlSourceError as error:
            raise PlanError([Diagnostic(error.diagnostic.code, error.diagnostic.message, shown,
                                        error.diagnostic.line, error.diagnostic.col)]) from None
    if not isinstance(data, dict):
        raise PlanError([Diagnostic("E702", "数据文件的顶层应为“键: 值”的映射", shown)])
    return data
