"""Jinja2's immutable sandbox, with a bounded cost.

The sandbox keeps template code away from Python internals but not from work without end:
nested `range(100000)` loops, `'x'|center(10**9)`, `'%0999999999d'|format(1)`,
`'{:>999999999}'.format('a')`, `lipsum(n=10**7)`, a string doubled in a loop through
`namespace`, a macro that calls itself with its argument doubled. Here every way a template
can make something large is checked before the work is done (a width, a repeat count, a
replacement's result, a joined or summed length, a namespace value, any call's arguments
and result), loops over `range` draw on one iteration budget per template, the output is
counted as it streams, and a wall-clock budget ends whatever slipped past (on the main
thread, where a timer signal can be delivered). Each exceeded limit is a `TemplateLimit`,
a SecurityError with a message in 简体中文.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import update_wrapper
from itertools import islice
from types import FrameType
from typing import Any

from jinja2 import Template
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace, generate_lorem_ipsum
from msgspec import Struct

# Generous for a document, small enough that `{{ 'x' * 10**9 }}` cannot exhaust memory.
MAX_REPEAT = 100_000
MAX_EXPONENT = 64
MAX_POWER_BITS = 100_000            # the size of a number `**` may produce
MAX_WIDTH = 10_000                  # any width or precision: center, format, indent, {:>N}
MAX_TEXT = 1_000_000                # characters in any one value a template builds
MAX_OUTPUT = 1_000_000              # characters one template value may produce
MAX_ITERATIONS = 1_000_000          # range() items one template may loop over, all loops together
MAX_LIPSUM = 100                    # paragraphs of lipsum()
TIME_BUDGET_SECONDS = 10.0          # one template value's rendering


class TemplateLimit(SecurityError):
    """A template that would cost too much; the message is for the user (简体中文)."""


class _Budget(Struct):
    iterations: int = 0


_budget: ContextVar[_Budget | None] = ContextVar("gongwen_template_budget", default=None)


def _spend(count: int = 1) -> None:
    budget = _budget.get()
    if budget is None:
        return
    budget.iterations += count
    if budget.iterations > MAX_ITERATIONS:
        raise TemplateLimit(f"模板循环次数超过上限 {MAX_ITERATIONS}（range() 嵌套过多？）")


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() 的范围过大（上限 {MAX_RANGE} 项）")
    return _counted(numbers)


def _counted(numbers: range) -> Iterator[int]:
    for number in numbers:
        _spend()
        yield number


class _BoundedNamespace(Namespace):
    """`namespace()` whose values cannot grow beyond a document's size (a squaring loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value, "namespace 中的值")
        super().__setitem__(name, value)


def _check_size(value: Any, what: str) -> None:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise TemplateLimit(f"{what}过长（超过 {MAX_TEXT} 个字符）")
    if isinstance(value, (list, tuple, dict, set)) and len(value) > MAX_REPEAT:
        raise TemplateLimit(f"{what}的项数过多（超过 {MAX_REPEAT} 项）")


def _check_width(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise TemplateLimit(f"{what} {value} 过大（上限 {MAX_WIDTH}）")


# A width or precision in a %-format (`%0999999999d`, `%.*f`) or a {}-format (`{:>999999999}`).
_PERCENT_NUMBERS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_DIGITS = re.compile(r"\d+")


def _check_percent_format(text: str, args: Any) -> None:
    star = False
    for match in _PERCENT_NUMBERS.finditer(text):
        for group in match.groups():
            if group == "*":
                star = True
            elif group:
                _check_width(int(group), "格式中的宽度或精度")
    if star:
        for arg in args if isinstance(args, tuple) else (args,):
            _check_width(arg, "格式中的宽度或精度")


def _check_brace_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for spec in _BRACE_SPEC.findall(text):
        for digits in _DIGITS.findall(spec):
            _check_width(int(digits), "格式中的宽度或精度")
        if "{" in spec:  # a width taken from the arguments: `{:>{}}`
            for arg in (*args, *kwargs.values()):
                _check_width(arg, "格式中的宽度或精度")


def _guarded(name: str, original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    # A filter marked pass_eval_context/pass_environment gets that as its first argument.
    skip = 1 if getattr(original, "jinja_pass_arg", None) is not None else 0

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > skip and isinstance(args[skip], Iterator):
            # A generator (our range) has no length to check: taken into a list, with a bound.
            items = list(islice(args[skip], MAX_REPEAT + 1))
            _check_size(items, f"{name} 的输入")
            args = (*args[:skip], items, *args[skip + 1:])
        check(*args[skip:], **kwargs)
        return original(*args, **kwargs)

    return update_wrapper(guarded, original)


def _check_center(value: Any, width: Any = 80, *rest: Any, **kwargs: Any) -> None:
    _check_width(kwargs.get("width", width), "center 的宽度")


def _check_indent(value: Any, width: Any = 4, *rest: Any, **kwargs: Any) -> None:
    width = kwargs.get("width", width)
    _check_width(len(width) if isinstance(width, str) else width, "indent 的缩进")
    text = str(value)
    if isinstance(width, int) and (text.count("\n") + 1) * abs(width) > MAX_TEXT:
        raise TemplateLimit("indent 的结果过长")


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_percent_format(str(value), args or tuple(kwargs.values()))


def _check_replace(value: Any, old: Any = "", new: Any = "", count: Any = None, *rest: Any, **kwargs: Any) -> None:
    text, old_text, new_text = str(value), str(kwargs.get("old", old)), str(kwargs.get("new", new))
    times = text.count(old_text) if old_text else len(text) + 1
    if len(text) + times * max(0, len(new_text) - len(old_text)) > MAX_TEXT:
        raise TemplateLimit("replace 的结果过长")


def _check_join(value: Any, d: Any = "", *rest: Any, **kwargs: Any) -> None:
    items = value if isinstance(value, (list, tuple, str, dict, set, range)) else None
    separator = str(kwargs.get("d", d))
    if items is not None and len(separator) * max(0, len(items) - 1) > MAX_TEXT:
        raise TemplateLimit("join 的结果过长")


def _check_sum(iterable: Any, *rest: Any, **kwargs: Any) -> None:
    if isinstance(iterable, (list, tuple)):
        total = sum(len(item) for item in iterable if isinstance(item, (list, tuple, str)))
        if total > MAX_TEXT:
            raise TemplateLimit("sum 的结果过长")


def _check_wordwrap(value: Any, width: Any = 79, *rest: Any, **kwargs: Any) -> None:
    _check_width(kwargs.get("width", width), "wordwrap 的宽度")


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002 - Jinja's names
    if not all(isinstance(v, int) for v in (n, min, max)) or n > MAX_LIPSUM or max > 1000 or min > 1000:
        raise TemplateLimit(f"lipsum() 的段数或长度过大（最多 {MAX_LIPSUM} 段，每段 1000 词）")
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))


_STRING_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, also refusing work too large to be a document's text."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _lipsum
        self.globals["namespace"] = _BoundedNamespace
        for name, check in (("center", _check_center), ("indent", _check_indent), ("format", _check_format),
                            ("replace", _check_replace), ("join", _check_join), ("sum", _check_sum),
                            ("wordwrap", _check_wordwrap)):
            self.filters[name] = _guarded(name, self.filters[name], check)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool):
            if abs(right) > MAX_EXPONENT:
                raise TemplateLimit(f"模板中的指数 {right} 过大")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_POWER_BITS:
                raise TemplateLimit("模板中的乘方结果过大")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                    raise TemplateLimit("模板重复生成的内容过长")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
                raise TemplateLimit("模板中的乘积过大")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _check_size(left, "相加的结果")
            if len(left) + len(right) > MAX_TEXT:
                raise TemplateLimit(f"相加的结果过长（超过 {MAX_TEXT} 个字符或项）")
        if operator == "%" and isinstance(left, str):
            _check_percent_format(left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = str(value.__self__)
        is_map = value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            values = dict(args[0]) if is_map and args and isinstance(args[0], dict) else kwargs
            _check_brace_format(text, () if is_map else args, values)
            return wrapper(*args, **kwargs)

        return checked

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        name = getattr(__obj, "__name__", "")
        if name in _STRING_WIDTH_METHODS and isinstance(getattr(__obj, "__self__", None), str):
            for arg in (*args, *kwargs.values()):
                _check_width(arg, f"{name}() 的宽度")
        for arg in (*args, *kwargs.values()):
            _check_size(arg, "调用的参数")
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result, "调用的结果")
        return result


def render_bounded(template: Template, **context: Any) -> str:
    """The template's output, streamed and counted, within the iteration and time budgets."""
    token = _budget.set(_Budget())
    try:
        with _time_budget(TIME_BUDGET_SECONDS):
            parts: list[str] = []
            size = 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(f"模板生成的文字超过上限 {MAX_OUTPUT} 个字符")
                parts.append(chunk)
            return "".join(parts)
    finally:
        _budget.reset(token)


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """A timer signal that ends a template running past its budget (main thread only:
    elsewhere the iteration and size bounds are the guard)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TemplateLimit(f"模板计算超过 {seconds:g} 秒，已中止（循环过多？）")

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: it goes on, less the time spent here
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001), interval)
