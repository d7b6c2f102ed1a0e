"""`gongwen number …`: the 发文字号 registry from the command line.

Every failure prints one line of 中文 on stderr and exits 1, never a traceback.

`check` exits 0 for a well-formed number that is free or held (reserved or issued: checking
one's own document's number is the usual case), and 1 for a malformed or void number.
Exit 1 therefore means "this number must not go on a new document".
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from render.cli.office import REGISTRY_HELP, describe, find_place
from render.registry.settings import DEFAULT_BUSY_TIMEOUT

if TYPE_CHECKING:  # the registry and its SQLite are imported by the command that uses them
    from render.registry import NumberStore, RegistryPlace
    from render.registry.store import Entry

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _reports_errors(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from render.model.docnumber import DocNumberError
        from render.registry import RegistryError

        try:
            return command(*args, **kwargs)
        except (RegistryError, DocNumberError) as exc:
            _fail(exc.message)

    return wrapper  # type: ignore[return-value]


def _registry_options(command: F) -> F:
    command = click.option(
        "--wait",
        type=float,
        default=DEFAULT_BUSY_TIMEOUT,
        show_default=True,
        metavar="秒",
        help="登记簿被其他进程（或其他同事）占用时最多等待的秒数",
    )(command)
    return click.option("--registry", metavar="位置", help=REGISTRY_HELP)(command)


def _store(place: RegistryPlace, wait: float) -> closing[NumberStore]:
    from render.registry import open_store
    from render.registry.claims import announce_new

    store = open_store(place, busy_timeout=wait)
    announce_new(store, place, lambda line: click.echo(line, err=True))
    return closing(store)


def _nothing_registered(place: RegistryPlace) -> bool:
    """A registry file that does not exist yet holds nothing: `list` and `check` only read,
    so they must not create one."""
    return not place.exists()


def _year(text: str | None) -> int:
    if text is None:
        return date.today().year
    if not re.fullmatch(r"\d{4}", text.strip()):
        from render.model.docnumber import DocNumberError

        raise DocNumberError("E302", f"年份“{text}”应为 4 位数字")
    return int(text)


@click.group("number")
def number_group() -> None:
    """发文字号登记簿：分配、列出、作废、查询发文字号。"""


@number_group.command("next")
@click.argument("code")
@click.option("--year", metavar="年份", help="年份（默认为今年）")
@click.option("--title", default="", metavar="标题", help="文件标题，登记备查")
@_registry_options
@_reports_errors
def next_command(code: str, year: str | None, title: str, registry: str | None,
                 wait: float) -> None:
    """分配 CODE 的下一个发文字号并打印，如 南岸委办〔2024〕1号。"""
    from render.model.docnumber import doc_number_from_parts

    code, year_value = code.strip(), _year(year)
    doc_number_from_parts(code, year_value, 1)  # refuse a bad code before touching the file
    with _store(find_place(registry), wait) as store:
        entry = store.allocate(code, year_value, title.strip())
    click.echo(str(entry.number))


@number_group.command("list")
@click.argument("code", required=False)
@click.option("--year", metavar="年份", help="只列出这一年的发文字号")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, help="输出格式")
@_registry_options
@_reports_errors
def list_command(code: str | None, year: str | None, fmt: str, registry: str | None,
                 wait: float) -> None:
    """列出登记簿中的发文字号（可按机关代字 CODE 和年份筛选），时间为本机时区。

    \b
    状态：
      已预留  渲染写了 serial: auto 的计划时为它取的号；同一计划再次渲染仍用此号
      已使用  用 gongwen number next 分配的号，或计划中直接写明、渲染时登记的号
      已作废  用 gongwen number void 作废的号；作废的序号不会再分配"""
    from render.registry.listing import to_csv, to_table

    code_filter = code.strip() if code else None
    year_filter = _year(year) if year is not None else None
    place = find_place(registry)
    if _nothing_registered(place):
        entries = []
    else:
        with _store(place, wait) as store:
            entries = store.list(code_filter, year_filter)
    click.echo(to_csv(entries) if fmt == "csv" else to_table(entries), nl=False)


@number_group.command("void")
@click.argument("number")
@click.option("--reason", default="", metavar="原因", help="作废原因（必填）")
@_registry_options
@_reports_errors
def void_command(number: str, reason: str, registry: str | None, wait: float) -> None:
    """作废发文字号 NUMBER；作废的序号不会再分配。"""
    from render.model.docnumber import parse_doc_number
    from render.registry import RegistryError

    parsed = parse_doc_number(number)
    if not reason.strip():
        raise RegistryError("作废发文字号必须用 --reason 说明原因", "invalid")
    place = find_place(registry)
    if _nothing_registered(place):  # nothing to void, and no empty registry made for it
        raise RegistryError(f"{parsed} 未登记，无法作废（登记簿 {place.shown()} 尚未建立）", "missing")
    with _store(place, wait) as store:
        entry = store.void(parsed, reason)
    click.echo(f"已作废：{entry.number}（原因：{entry.reason}）")


@number_group.command("check")
@click.argument("number")
@_registry_options
@_reports_errors
def check_command(number: str, registry: str | None, wait: float) -> None:
    """检查 NUMBER 的写法，并查询它是否已被占用、被谁占用。"""
    from render.model.docnumber import parse_doc_number
    from render.registry.store import State

    parsed = parse_doc_number(number)
    entry = None
    place = find_place(registry)
    if not _nothing_registered(place):
        with _store(place, wait) as store:
            entry = store.lookup(parsed)
    if entry is None:
        click.echo(f"{parsed} 写法正确，未登记，可用")
    elif entry.state is State.VOID:
        _fail(_void_line(entry))
    else:
        click.echo(_taken_line(entry))


@number_group.command("where")
@click.option("--registry", metavar="位置", help=REGISTRY_HELP)
def where_command(registry: str | None) -> None:
    """说明当前使用哪个登记簿、为什么是它，以及计划在其中的登记名。"""
    for line in describe(find_place(registry)):
        click.echo(line)


def _taken_line(entry: Entry) -> str:
    from render.registry.listing import local_time

    return (f"{entry.number} 已登记（{entry.state.label}）：{entry.holder()}，"
            f"登记于 {local_time(entry.created_at)}")


def _void_line(entry: Entry) -> str:
    from render.registry.listing import local_time

    was = f"；原为{entry.holder()}" if entry.title or entry.plan else ""
    return (f"{entry.number} 已作废（原因：{entry.reason}{was}），"
            f"作废于 {local_time(entry.updated_at)}，不能再用")
