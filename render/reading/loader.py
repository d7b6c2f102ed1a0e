"""Load a plan file into the model; every problem comes back as a Diagnostic with file:line:col.

This is the one entry point readers of plan files use (the CLI, writers, the batch runner).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from pydantic import ValidationError

from render.diagnostics import Diagnostic, PlanError, Severity
from render.inputs import ATTACHMENT, IMAGE, InputRefused, Limit, check_file, check_image
from render.model.checks import Finding, check_plan
from render.model.keys import model_in
from render.model.plan import PLAN_CLASSES, BulletinPlan, DocumentBase, PlanNode, normalise_type
from render.model.units import UnitRegistry
from render.reading.orgunits import load_unit_registry
from render.reading.paths import outside_project
from render.reading.templating import expand_templates
from render.reading.yamlsource import Mark, SourceMap, YamlSourceError, load_yaml_file, load_yaml_text
from render.text.chars import unsafe_chars

RawPath = tuple[str | int, ...]


class LoadResult(Struct):
    path: Path
    plan: DocumentBase | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    units: UnitRegistry | None = None
    source: SourceMap | None = None

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(d.is_error for d in self.diagnostics)

    @property
    def base_dir(self) -> Path:
        return self.path.resolve().parent

    def diagnostic_at(self, keys: tuple[str, ...], code: str, message: str) -> Diagnostic:
        """A diagnostic at the first of `keys` (spellings of one top-level key) the plan has."""
        mark = None
        if self.source is not None:
            mark = next((self.source.keys[(key,)] for key in keys if (key,) in self.source.keys), None)
        return Diagnostic(code, message, str(self.path), mark.line if mark else 0, mark.col if mark else 0)

    def require(self) -> DocumentBase:
        if not self.ok or self.plan is None:
            raise PlanError(self.diagnostics)
        return self.plan


def load_plan(path: str | Path) -> LoadResult:
    path = Path(path)
    try:
        raw, source = load_yaml_file(path)
    except YamlSourceError as error:
        return LoadResult(path, None, [error.diagnostic])
    return _load(raw, source, path)


def load_plan_text(text: str, path: str | Path = "<输入>") -> LoadResult:
    path = Path(path)
    try:
        raw, source = load_yaml_text(text, str(path))
    except YamlSourceError as error:
        return LoadResult(path, None, [error.diagnostic])
    return _load(raw, source, path)


def _load(raw: Any, source: SourceMap, path: Path) -> LoadResult:
    locate = _Locator(str(path), source)
    if not isinstance(raw, dict):
        return LoadResult(path, None, [locate.at((), "E200", "计划文件的顶层应为“键: 值”的映射")])
    unsafe = _unsafe_characters(raw, (), locate)
    if unsafe:
        return LoadResult(path, None, unsafe)
    plan_class = _plan_class(raw, locate)
    if isinstance(plan_class, Diagnostic):
        return LoadResult(path, None, [plan_class])
    raw, template_problems = expand_templates(raw, source, path, plan_class)  # summary: Jinja2 over data
    if template_problems:
        return LoadResult(path, None, template_problems)
    unsafe = _unsafe_characters(raw, (), locate, rendered=True)  # a template can produce them from data
    if unsafe:
        return LoadResult(path, None, unsafe)
    try:
        plan = plan_class.model_validate(raw)
    except ValidationError as error:
        diagnostics = [_translate(e, plan_class, raw, locate) for e in error.errors()]
        return LoadResult(path, None, sorted(diagnostics, key=lambda d: (d.line, d.col)))
    units, diagnostics = _units(plan, path, raw, locate)
    for finding in [*check_plan(plan, units), *_missing_files(plan, path)]:
        diagnostics.append(_from_finding(finding, plan_class, raw, locate))
    return LoadResult(path, plan, sorted(diagnostics, key=lambda d: (d.line, d.col)), units, source)


# --- characters no document can hold ----------------------------------------------------

def _unsafe_characters(value: Any, at: RawPath, locate: _Locator, rendered: bool = False) -> list[Diagnostic]:
    """Control characters (YAML escapes such as "\\x01" carry them), U+FFFE/U+FFFF and lone
    surrogates, at the line they stand on: no writer can put them into a document."""
    found: list[Diagnostic] = []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _unsafe_characters(key, (*at, key), locate, rendered)
            found += _unsafe_characters(child, (*at, key), locate, rendered)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _unsafe_characters(child, (*at, index), locate, rendered)
    elif isinstance(value, str) and (match := unsafe_chars().search(value)):
        mark = locate.source.mark(at) or Mark(0, 0)
        # In a `|` block the value's lines are the file's (a control character there came in
        # raw... or through a template); elsewhere the value's own line is the best we know.
        below = value.count("\n", 0, match.start()) + 1 if at in locate.source.literal else 0
        line = mark.line + below if mark.line else 0
        where = "模板生成的文字里" if rendered else "文字里"
        found.append(Diagnostic(
            "E209", f"{where}有不能写入公文的字符 U+{ord(match.group()):04X}（第 {match.start() + 1} 个字符；"
                    "控制字符、U+FFFE/U+FFFF 或不成对的代理字符），请删去", locate.path, line, mark.col if not below else 1))
    return found


# --- choosing the document type ----------------------------------------------------------

def _plan_class(raw: dict[str, Any], locate: _Locator) -> type[DocumentBase] | Diagnostic:
    if "type" in raw and "类型" in raw:
        return locate.at(("类型",), "E202", "“类型”和“type”是同一个键的两种写法，只能写一个", key=True)
    key = "type" if "type" in raw else "类型"
    if key not in raw:
        return locate.at((), "E203", "缺少必填的键“type”（类型）：notice、work_points、bulletin 或 summary")
    kind = normalise_type(raw[key])
    if kind not in PLAN_CLASSES:
        choices = "notice（通知）、work_points（工作要点）、bulletin（简报）、summary（总结）"
        from difflib import get_close_matches  # only when a name is unknown
        guess = get_close_matches(str(raw[key]), list(PLAN_CLASSES), n=1, cutoff=0.5)
        hint = f"，是否想写“{guess[0]}”？" if guess else ""
        return locate.at((key,), "E205", f"未知的文件类型“{raw[key]}”，应为 {choices}{hint}")
    return PLAN_CLASSES[kind]


# --- the unit registry -------------------------------------------------------------------

def _units(plan: DocumentBase, path: Path, raw: dict[str, Any], locate: _Locator) -> tuple[UnitRegistry | None, list[Diagnostic]]:
    if not plan.units_file:
        return None, []
    raw_key = "units_file" if "units_file" in raw else "单位表"
    outside = outside_project(plan.units_file, path)
    if outside:
        return None, [locate.at((raw_key,), "E504", f"单位表{outside}")]
    registry_path = (path.resolve().parent / plan.units_file)
    try:
        return load_unit_registry(registry_path), []
    except YamlSourceError as error:
        if error.diagnostic.code == "E100":
            return None, [locate.at((raw_key,), "E502", f"找不到单位表文件“{plan.units_file}”")]
        if error.diagnostic.code in ("E110", "E111", "E112"):
            return None, [locate.at((raw_key,), error.diagnostic.code,
                                    f"单位表“{plan.units_file}”：{error.diagnostic.message}")]
        return None, [error.diagnostic]


# --- files a plan names ---------------------------------------------------------------

def _named_files(plan: DocumentBase) -> list[tuple[tuple[str | int, ...], str, Limit]]:
    """(data path, file, what it is) of every image and attachment file the plan names."""
    named: list[tuple[tuple[str | int, ...], str, Limit]] = []
    if isinstance(plan, BulletinPlan):
        for i, article in enumerate(plan.articles):
            named += [(("articles", i, "images", j, "file"), image.file, IMAGE) for j, image in enumerate(article.images)]
    named += [(("attachments", i, "file"), attachment.file, ATTACHMENT)
              for i, attachment in enumerate(plan.attachments) if attachment.file]
    return named


def _missing_files(plan: DocumentBase, path: Path) -> list[Finding]:
    """Named files that cannot be read (missing, outside the project, not a regular file,
    too large, an image too large to decode) are found at `validate`, with the key's
    position, not later by a writer."""
    base = path.resolve().parent
    findings = []
    for data_path, name, limit in _named_files(plan):
        target = base / name
        outside = outside_project(name, path)
        if outside:
            findings.append(Finding(data_path, "E504", f"{limit.what}{outside}", Severity.ERROR))
        elif not os.path.lexists(target):
            findings.append(Finding(data_path, "E503", f"找不到{limit.what}文件“{name}”（相对于计划所在的文件夹）",
                                    Severity.ERROR))
        else:
            try:
                check_image(target, limit) if limit is IMAGE else check_file(target, limit)
            except InputRefused as refused:
                findings.append(Finding(data_path, refused.code, f"{limit.what}“{name}”：{refused.message}",
                                        Severity.ERROR))
    return findings


# --- from pydantic locations to file positions -------------------------------------------

class _Locator:
    def __init__(self, path: str, source: SourceMap):
        self.path = path
        self.source = source

    def at(self, raw_path: RawPath, code: str, message: str,
           severity: Severity = Severity.ERROR, key: bool = False) -> Diagnostic:
        mark = self.source.mark(raw_path, prefer_key=key) or Mark(0, 0)
        return Diagnostic(code, message, self.path, mark.line, mark.col, severity)


class _Step(Struct):
    raw_key: str | int
    container: type[PlanNode] | None


def _walk_loc(root: type[PlanNode], raw: Any, loc: tuple[Any, ...]) -> list[_Step]:
    """Follow a pydantic error location through the raw data, mapping English field names
    back to the spelling the user wrote; pydantic's own union branch names are skipped."""
    steps: list[_Step] = []
    model: type[PlanNode] | None = root
    node = raw
    for part in loc:
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                steps.append(_Step(part, model))
                node = node[part]
            continue
        if not isinstance(node, dict):
            continue
        raw_key = _raw_key(node, part, model)
        if raw_key is None:
            steps.append(_Step(part, model))
            break
        steps.append(_Step(raw_key, model))
        node = node[raw_key]
        field_info = model.model_fields.get(part) if model else None
        model = model_in(field_info.annotation) if field_info else None
    return steps


def _raw_key(node: dict[str, Any], part: str, model: type[PlanNode] | None) -> str | None:
    if part in node:
        return part
    if model is None:
        return None
    return next((zh for zh, en in model.zh_aliases().items() if en == part and zh in node), None)


_TYPE_NAMES = {str: "文字", int: "整数", float: "数字", bool: "布尔值", list: "列表", dict: "映射",
               type(None): "空值"}
_TYPE_MESSAGES = {
    "string_type": "应为文字",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false（也可写 是 或 否）", "bool_parsing": "应为 true 或 false（也可写 是 或 否）",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为“键: 值”的映射", "model_type": "应为“键: 值”的映射",
    "model_attributes_type": "应为“键: 值”的映射",
    "float_type": "应为数字", "float_parsing": "应为数字",
}
_OWN_CODE = re.compile(r"^[EW]\d{3}$")


def _translate(error: Any, root: type[PlanNode], raw: Any, locate: _Locator) -> Diagnostic:
    steps = _walk_loc(root, raw, tuple(error["loc"]))
    raw_path = tuple(step.raw_key for step in steps)
    key = next((str(s.raw_key) for s in reversed(steps) if isinstance(s.raw_key, str)), "")
    container = steps[-1].container if steps else root
    kind = error["type"]
    if _OWN_CODE.match(kind):
        return locate.at(raw_path, kind, error["msg"])
    if kind == "missing":
        zh = _zh_of(container, key)
        return locate.at(raw_path[:-1], "E203", f"缺少必填的键“{key}”{zh}")
    if kind == "extra_forbidden":
        return locate.at(raw_path, *_extra_key_message(key, container, raw, raw_path), key=True)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return locate.at(raw_path, "E205", f"“{key}”的取值“{error['input']}”不对，只能是 {expected}")
    if kind in _TYPE_MESSAGES:
        got = _TYPE_NAMES.get(type(error["input"]), type(error["input"]).__name__)
        return locate.at(raw_path, "E204", f"“{key}”{_TYPE_MESSAGES[kind]}，而这里是{got}")
    return locate.at(raw_path, "E299", f"“{key}”：{error['msg']}")


def _zh_of(model: type[PlanNode] | None, key: str) -> str:
    if model is None:
        return ""
    zh = [k for k, v in model.zh_aliases().items() if v == key]
    return f"（{zh[0]}）" if zh else ""


def _extra_key_message(key: str, model: type[PlanNode] | None, raw: Any,
                       raw_path: RawPath) -> tuple[str, str]:
    if model is None:
        return "E201", f"未知的键“{key}”"
    aliases = model.zh_aliases()
    english = aliases.get(key)
    if english is not None:
        node = _node_at(raw, raw_path[:-1])
        # The other spelling written beside it: the English key, or another Chinese alias.
        other = next((k for k in node if k != key and (k == english or aliases.get(k) == english)), english) \
            if isinstance(node, dict) else english
        return "E202", f"“{key}”和“{other}”是同一个键的两种写法，只能写一个"
    valid = [*model.model_fields, *aliases]
    from difflib import get_close_matches  # only when a name is unknown
    guess = get_close_matches(key, valid, n=1, cutoff=0.5)
    hint = f"，是否想写“{guess[0]}”？" if guess else f"；可用的键：{'、'.join(model.model_fields)}"
    return "E201", f"未知的键“{key}”{hint}"


def _node_at(raw: Any, raw_path: RawPath) -> Any:
    for part in raw_path:
        if isinstance(raw, dict) and part in raw:
            raw = raw[part]
        elif isinstance(raw, list) and isinstance(part, int) and 0 <= part < len(raw):
            raw = raw[part]
        else:
            return None
    return raw


def _from_finding(finding: Finding, root: type[PlanNode], raw: Any, locate: _Locator) -> Diagnostic:
    steps = _walk_loc(root, raw, finding.path)
    return locate.at(tuple(s.raw_key for s in steps), finding.code, finding.message, finding.severity)

