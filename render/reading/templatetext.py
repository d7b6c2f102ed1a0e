"""A summary's text values rendered as Jinja2 over its data, in the bounded sandbox, with
every failure a Diagnostic at the plan's line (render/reading/templating.py says when)."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import MAX_RANGE, SecurityError
from jinja2.utils import missing as JINJA_MISSING
from msgspec import Struct, field

from render.diagnostics import Diagnostic, PlanError
from render.reading.sandbox import BoundedSandbox, TemplateLimit, render_bounded
from render.reading.yamlsource import Mark, SourceMap

DATA_KEYS = ("data", "数据")
TEMPLATE_NAME = "<template>"  # the file name Jinja gives frames of templates built from strings
TEMPLATE_MARKERS = ("{{", "{%", "{#")
RawPath = tuple[str | int, ...]

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


class _Context(Struct):
    plan_path: Path
    data: dict[str, Any]
    data_source: str | None
    source: SourceMap
    problems: list[Diagnostic] = field(default_factory=list)

    def render(self, value: Any, at: RawPath) -> Any:
        if isinstance(value, dict):
            return {key: self.render(child, (*at, key)) for key, child in value.items()}
        if isinstance(value, list):
            return [self.render(child, (*at, index)) for index, child in enumerate(value)]
        if isinstance(value, str) and any(marker in value for marker in TEMPLATE_MARKERS):
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
