"""What rendering and validating ask of the registry: the plan's 发文字号 taken, or checked.

Rendering takes (`serial: auto`) or claims (an explicit number) through `register_number`;
`validate` only reads, through `check_number`. Both speak of the plan in its own file and
line, and tell what they did through `notify` (the CLI prints it): the number taken, a new
registry made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec.structs import replace

from render.diagnostics import Diagnostic, PlanError, Severity
from render.registry import RegistryError, RegistryPlace, find_registry, number_for_plan
from render.registry.store import Entry, NumberStore, refusal

if TYPE_CHECKING:  # the plan model is imported where a number is resolved: `gongwen --help` imports this
    from render.reading.loader import LoadResult

Notify = Callable[[str], None]

_NUMBER_KEYS = ("number", "发文字号")


def _ignore(_: str) -> None:
    return None


def plan_key_in(place: RegistryPlace, path: Path, data: Path | None = None) -> str:
    """A plan's name in the registry; a template rendered with a data file is its own document."""
    key = place.plan_key(path)
    return key if data is None else f"{key}#{place.plan_key(data)}"


def announce_new(store: NumberStore, place: RegistryPlace, notify: Notify) -> None:
    if store.created:
        where = "服务器上新建了登记簿数据表" if place.is_server else "新建了发文字号登记簿"
        notify(f"{where}：{place.shown()}")


def register_number(result: LoadResult, *, registry: str | None = None, place: RegistryPlace | None = None,
                    allow_duplicate: bool = False, key: str | None = None,
                    notify: Notify = _ignore) -> LoadResult:
    """The plan with its 发文字号 from the registry: `serial: auto` takes (once per plan key)
    the next number; an explicit number is claimed, and refused when the registry holds it
    for another plan. `key` names the plan in the registry (default: its path, relative to
    the office folder). A number the registry holds under another title comes back as a
    warning in the result's diagnostics."""
    plan = result.require()
    number = plan.number
    if number is None:
        return result
    place = place or find_registry(registry)
    if not number.is_auto and not place.in_use():
        return result
    key = key or place.plan_key(result.path)
    title = plan.title or ""
    warnings: list[Diagnostic] = []
    from render.registry import open_store  # SQLite or the server's driver: only for a registry in use

    try:
        store = open_store(place)
        try:
            announce_new(store, place, notify)
            if not number.is_auto:
                held = store.lookup(number.resolved())
                if held is not None and _retitled(held, title):
                    warnings.append(_warning(result, _retitled_message(held, title)))
            entry = number_for_plan(store, key, number.code, number.year,
                                    None if number.is_auto else number.serial,  # type: ignore[arg-type]
                                    title, allow_duplicate)
        finally:
            store.close()
    except RegistryError as error:
        raise PlanError([result.diagnostic_at(_NUMBER_KEYS, "E312", error.message)]) from None
    if number.is_auto:
        notify(f"发文字号 {entry.number}（serial: auto，登记簿 {place.shown()}；再次渲染仍用此号）")
    from render.model.plan import NumberSpec

    resolved = NumberSpec.model_validate({"code": entry.number.code, "year": entry.number.year,
                                          "serial": entry.number.serial})
    return replace(result, plan=plan.model_copy(update={"number": resolved}),
                   diagnostics=[*result.diagnostics, *warnings])


def check_number(result: LoadResult, place: RegistryPlace, store: NumberStore | None,
                 key: str | None = None) -> list[Diagnostic]:
    """What rendering would say about the plan's number, without writing anything; `store`
    None means no registry exists yet (nothing is taken)."""
    plan = result.plan
    if plan is None or plan.number is None or store is None:
        return []
    number = plan.number
    key = key or place.plan_key(result.path)
    try:
        if number.is_auto:
            return []
        held = store.lookup(number.resolved())
    except RegistryError as error:
        return [result.diagnostic_at(_NUMBER_KEYS, "E312", error.message)]
    if held is None:
        return []
    refused = refusal(held, key)
    if refused is not None:
        return [result.diagnostic_at(_NUMBER_KEYS, "E312", refused.message)]
    if _retitled(held, plan.title or ""):
        return [_warning(result, _retitled_message(held, plan.title or ""))]
    return []


def _retitled(held: Entry, title: str) -> bool:
    """A number handed out for another document (`number next --title …`) that this plan
    writes with a title of its own: the same number on two documents, or a typo."""
    return held.plan is None and bool(held.title) and bool(title) and held.title != title


def _retitled_message(held: Entry, title: str) -> str:
    return (f"{held.number} 在登记簿中登记的标题是《{held.title}》，本计划的标题是《{title}》；"
            "渲染后登记簿改记本计划的标题。如果不是同一份文件，请换一个发文字号")


def _warning(result: LoadResult, message: str) -> Diagnostic:
    at = result.diagnostic_at(_NUMBER_KEYS, "W313", message)
    return replace(at, severity=Severity.WARNING)


class RegistryCheck:
    """`validate`'s view of the registry: opened on the first plan with a written number,
    never created, and one warning (not an error per plan) when it cannot be read."""

    def __init__(self, place: RegistryPlace, warn: Notify = _ignore) -> None:
        self.place = place
        self._warn = warn
        self._store: NumberStore | None = None
        self._opened = False

    def check(self, result: LoadResult, plan: Path, data: Path | None = None) -> list[Diagnostic]:
        if result.plan is None or result.plan.number is None or result.plan.number.is_auto:
            return []
        store = self._open()
        return check_number(result, self.place, store, plan_key_in(self.place, plan, data))

    def _open(self) -> NumberStore | None:
        if not self._opened:
            self._opened = True
            if self.place.exists():
                from render.registry import open_store

                try:
                    self._store = open_store(self.place)
                except RegistryError as error:
                    self._warn(f"警告：没有对照登记簿检查发文字号：{error.message}")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
