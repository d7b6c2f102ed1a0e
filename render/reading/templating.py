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
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import MAX_RANGE, SecurityError
from jinja2.utils import missing as JINJA_MISSING

from render.diagnostics import Diagnostic, PlanError
from render.inputs import DATA, PLAN, InputRefused, read_bytes
from render.reading.paths import outside_project
from render.reading.sandbox import BoundedSandbox, TemplateLimit, render_bounded
from render.reading.yamlsource import Mark, SourceMap, YamlSourceError, load_yaml_file

DATA_KEYS = ("data", "数据")
TEMPLATE_KEYS = ("template", "模板")  # in a data file: the template plan it fills
TEMPLATE_NAME = "<template>"  # the file name Jinja gives frames of templates built from strings
_MARKERS = ("{{", "{%", "{#")

# Set by `gongwen render --data`: the data file that replaces the plan's own `data:`.
_data_override: ContextVar[Path | None] = ContextVar("gongwen_data_override", default=None)

RawPath = tuple[str | int, ...]


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


# --- rendering ------------------------------------------------------------------------------

def render_templates(raw: dict[str, Any], data: dict[str, Any], data_source: str | None,
                     plan_path: str | Path, source: SourceMap | None = None) -> dict[str, Any]:
    """`raw` with every string value (except `data` itself) rendered over `data`.

    Raises PlanError listing every failing value: plan file and line, key path, data file."""
    context = _Context(Path(plan_path), data, data_source, source or SourceMap())
    rendered = {key: value if key in DATA_KEYS else context.render(value, (key,))
                for key, value in raw.items()}
    if context.problems:
        raise PlanError(context.problems)
    return rendered


@dataclass
class _Context:
    plan_path: Path
    data: dict[str, Any]
    data_source: str | None
    source: SourceMap

    def __post_init__(self) -> None:
        self.problems: list[Diagnostic] = []

    def render(self, value: Any, at: RawPath) -> Any:
        if isinstance(value, dict):
            return {key: self.render(child, (*at, key)) for key, child in value.items()}
        if isinstance(value, list):
            return [self.render(child, (*at, index)) for index, child in enumerate(value)]
        if isinstance(value, str) and any(marker in value for marker in _MARKERS):
            return self._render_text(value, at)
        return value

    def _render_text(self, text: str, at: RawPath) -> str:
        try:
            return render_bounded(_compile(text), data=self.data)
        except TemplateLimit as error:
            self._fail("E705", f"{error}（安全沙箱已拦截：模板的计算量有上限）", text, at, _template_line(error))
        except (MemoryError, RecursionError) as error:
            reason = "内存不足" if isinstance(error, MemoryError) else "递归过深（宏调用自身？）"
            self._fail("E708", f"模板计算{reason}，已中止", text, at, _template_line(error))
        except TemplateSyntaxError as error:
            self._fail("E703", f"模板语法错误：{_syntax_message(error.message or '')}", text, at, error.lineno)
        except SecurityError as error:
            self._fail("E705", _security_message(error), text, at, _template_line(error))
        except OverflowError as error:  # the sandbox's range() limit
            code = "E705" if "MAX_RANGE" in str(error) else "E706"
            message = _security_message(error) if code == "E705" else f"模板计算出错：{error}"
            self._fail(code, message, text, at, _template_line(error))
        except UndefinedError as error:
            self._fail("E704", str(error.message), text, at, _template_line(error))
        except Exception as error:  # noqa: BLE001 - any runtime error in user template code
            self._fail("E706", f"模板计算出错：{type(error).__name__}: {error}", text, at, _template_line(error))
        return text

    def _fail(self, code: str, message: str, text: str, at: RawPath, line: int | None) -> None:
        line = line or 1
        lines = text.splitlines() or [""]
        snippet = lines[min(line, len(lines)) - 1].strip()
        where = f"数据文件 {self.data_source}" if self.data_source else "此计划没有 data（数据），也没有用 --data 指定数据文件"
        detail = f"{message}（{where}；键 {_key_path(at)}；模板第 {line} 行：{snippet}）"
        plan_line, col = self._plan_position(at, line)
        self.problems.append(Diagnostic(code, detail, str(self.plan_path), plan_line, col))

    def _plan_position(self, at: RawPath, template_line: int) -> tuple[int, int]:
        """The plan file line of a template line: a block scalar (`|`, `>`) starts on the
        line after its indicator."""
        mark = self.source.mark(at)
        if mark is None:
            return 0, 0
        first = mark.line + 1 if _is_block_scalar(self.plan_path, mark) else mark.line
        line = first + template_line - 1
        return line, mark.col if line == mark.line else 1


# --- the sandbox ---------------------------------------------------------------------------

class _MissingValue(StrictUndefined):
    """StrictUndefined that names the missing key in Chinese."""

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = self._undefined_name
        if self._undefined_obj is JINJA_MISSING:
            return f"模板变量“{name}”未定义（数据请写成 data.{name}）"
        if isinstance(name, str):
            return f"数据中没有键“{name}”"
        return f"数据中没有第 {name} 项"


@cache
def _environment() -> BoundedSandbox:
    # trim/lstrip_blocks: a `{% for %}` line leaves no blank line, which would start a paragraph.
    return BoundedSandbox(undefined=_MissingValue, autoescape=False, trim_blocks=True,
                    lstrip_blocks=True, keep_trailing_newline=True)


@lru_cache(maxsize=4096)
def _compile(text: str) -> Template:
    """Compiled once per process: one template plan renders for many data files."""
    return _environment().from_string(text)


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _security_message(error: Exception) -> str:
    found = _UNSAFE_ATTRIBUTE.search(str(error))
    if found and found.group(1).startswith("_"):
        return f"模板不能访问内部属性“{found.group(1)}”（安全沙箱已拦截）"
    if found:
        return f"模板不能调用会修改数据的方法“{found.group(1)}”（安全沙箱已拦截）"
    if isinstance(error, OverflowError):
        return f"range() 的范围过大（安全沙箱已拦截，上限 {MAX_RANGE} 项）"
    return f"{error}（安全沙箱已拦截）"


# Jinja's syntax messages, in the words a template author understands; others stay as they are.
_SYNTAX_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No filter named '([^']*)'"), "没有名为“{0}”的过滤器"),
    (re.compile(r"No test named '([^']*)'"), "没有名为“{0}”的测试"),
    (re.compile(r"Unexpected end of template"), "模板提前结束：{{% for %}} 或 {{% if %}} 缺少对应的 {{% endfor %}} / {{% endif %}}？"),
    (re.compile(r"Encountered unknown tag '([^']*)'"), "不认识的标签“{0}”"),
    (re.compile(r"unexpected '([^']*)'"), "此处不应出现“{0}”"),
)


def _syntax_message(message: str) -> str:
    for pattern, chinese in _SYNTAX_HINTS:
        found = pattern.search(message)
        if found:
            return f"{chinese.format(*found.groups())}（{message.splitlines()[0]}）"
    return message


def _template_line(error: BaseException) -> int | None:
    """The template line an error came from: Jinja rewrites tracebacks so that frames of
    template code carry the template's own line numbers."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _key_path(at: RawPath) -> str:
    """`sections[1].items[2].text`, counting list entries from 1 as people do."""
    text = ""
    for part in at:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _is_block_scalar(plan_path: Path, mark: Mark) -> bool:
    try:
        with open(plan_path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if number == mark.line:
                    return line[mark.col - 1:mark.col] in ("|", ">")
    except OSError:
        pass
    return False
