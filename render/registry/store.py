"""The number registry's interface: what any store (an SQLite file, a PostgreSQL server) offers.

Commands and the renderer talk to `NumberStore` only, so a shared server-side store can
replace the embedded SQLite file without touching them.
"""

from __future__ import annotations

import builtins
from enum import Enum
from typing import Protocol

from msgspec import Struct

from render.model.docnumber import DocNumber


class State(str, Enum):
    RESERVED = "reserved"  # held for a plan rendered with `serial: auto`
    ISSUED = "issued"  # handed out by `number next`, or carried explicitly by a plan
    VOID = "void"  # withdrawn; its serial is never handed out again

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {State.RESERVED: "已预留", State.ISSUED: "已使用", State.VOID: "已作废"}


class Entry(Struct, frozen=True):
    number: DocNumber
    title: str
    plan: str | None
    state: State
    created_at: str  # UTC, ISO 8601 (2024-05-01T08:30:00Z)
    updated_at: str
    reason: str | None = None

    def holder(self) -> str:
        """Who holds the number, in words: 《title》 and/or the plan path."""
        parts = []
        if self.title:
            parts.append(f"《{self.title}》")
        if self.plan:
            parts.append(f"方案 {self.plan}")
        return "，".join(parts) or "（未注明标题和方案）"


class RegistryError(Exception):
    """A registry problem a user can act on; `message` is one line of 简体中文.

    `kind` lets callers tell problems apart without matching text: "locked", "corrupt",
    "version", "io", "conflict", "void", "missing", "invalid", "unsupported", "config",
    "unreachable", "login".
    """

    def __init__(self, message: str, kind: str = "error"):
        self.message = message
        self.kind = kind
        super().__init__(message)


def refusal(held: Entry, plan_key: str) -> RegistryError | None:
    """Why `plan_key` may not carry the number `held` records, or None if it may."""
    if held.state is State.VOID:
        return RegistryError(
            f"{held.number} 已作废（原因：{held.reason}），不能再用；如确需使用，请加 --allow-duplicate",
            "void",
        )
    if held.plan is not None and held.plan != plan_key:
        return RegistryError(
            f"{held.number} 已被{held.holder()}占用（{held.state.label}）；"
            "如确需重复使用，请加 --allow-duplicate",
            "conflict",
        )
    return None


class NumberStore(Protocol):
    created: bool  # this opening made a new, empty registry (announced to the user)

    def allocate(
        self, code: str, year: int, title: str = "", plan: str | None = None
    ) -> Entry:
        """Issue the next serial for (code, year): max over every state, plus one."""
        ...

    def reserve_for_plan(self, code: str, year: int, plan_key: str, title: str = "") -> Entry:
        """The plan's live number for (code, year); reserve a new one only the first time."""
        ...

    def claim(
        self, number: DocNumber, plan_key: str, title: str = "", allow_duplicate: bool = False
    ) -> Entry:
        """Record that a plan carries an explicit number; refuse one held by another plan."""
        ...

    def void(self, number: DocNumber, reason: str) -> Entry: ...

    def lookup(self, number: DocNumber) -> Entry | None: ...

    def list(self, code: str | None = None, year: int | None = None) -> builtins.list[Entry]: ...

    def close(self) -> None: ...
