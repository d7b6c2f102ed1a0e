"""What the SQLite and PostgreSQL stores share: the numbers table and every rule about it.

A store supplies a connection, its placeholder style and one hook, `_write(code, year)`:
a transaction in which no other writer can touch that (code, year) sequence until it ends.
Inside it, the next serial is max(serial) + 1 over every state, so a serial is never
handed out twice and never skipped, and a voided one never comes back.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

import msgspec.structs

from render.model.docnumber import DocNumber, DocNumberError, doc_number_from_parts
from render.registry.listing import local_time
from render.registry.store import Entry, RegistryError, State, refusal

Clock = Callable[[], datetime]

COLUMNS = "code, year, serial, title, plan, state, reason, created_at, updated_at"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Connection(Protocol):
    def execute(self, sql: Any, params: Any = ...) -> Any: ...


class SQLStore:
    """`NumberStore` over a DB-API connection; subclasses open it and provide `_write`."""

    table = "numbers"
    placeholder = "?"
    created = False  # set by a subclass that made a new, empty registry when it opened

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    # --- hooks -------------------------------------------------------------------------

    def _write(self, code: str, year: int) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # --- NumberStore -------------------------------------------------------------------

    def allocate(self, code: str, year: int, title: str = "", plan: str | None = None) -> Entry:
        _check_parts(code, year)
        with self._write(code, year) as conn:
            number = DocNumber(code, year, self._next_serial(conn, code, year))
            return self._insert(conn, number, title, plan, State.ISSUED)

    def reserve_for_plan(self, code: str, year: int, plan_key: str, title: str = "") -> Entry:
        _check_parts(code, year)
        with self._write(code, year) as conn:
            held = self._plan_entry(conn, plan_key, code, year)
            if held is None:
                number = DocNumber(code, year, self._next_serial(conn, code, year))
                return self._insert(conn, number, title, plan_key, State.RESERVED)
            return self._update(conn, held, title=title or held.title)

    def claim(self, number: DocNumber, plan_key: str, title: str = "", allow_duplicate: bool = False) -> Entry:
        _check_parts(number.code, number.year, number.serial)
        with self._write(number.code, number.year) as conn:
            held = self._select(conn, number)
            if held is None:
                return self._insert(conn, number, title, plan_key, State.ISSUED)
            refused = refusal(held, plan_key)
            if refused is not None:
                if allow_duplicate:
                    return held
                raise refused
            # Free of a plan (from `number next`) or already this plan's: the plan takes it.
            return self._update(conn, held, title=title or held.title, plan=plan_key, state=State.ISSUED)

    def void(self, number: DocNumber, reason: str) -> Entry:
        reason = reason.strip()
        if not reason:
            raise RegistryError("作废发文字号必须说明原因", "invalid")
        with self._write(number.code, number.year) as conn:
            held = self._select(conn, number)
            if held is None:
                raise RegistryError(f"{number} 未登记，无法作废", "missing")
            if held.state is State.VOID:
                raise RegistryError(f"{number} 已于 {local_time(held.updated_at)} 作废（原因：{held.reason}）", "void")
            return self._update(conn, held, state=State.VOID, reason=reason)

    def lookup(self, number: DocNumber) -> Entry | None:
        with self._read() as conn:
            return self._select(conn, number)

    def list(self, code: str | None = None, year: int | None = None) -> builtins.list[Entry]:
        clauses: builtins.list[str] = []
        params: builtins.list[object] = []
        if code is not None:
            clauses.append("code = ?")
            params.append(code)
        if year is not None:
            clauses.append("year = ?")
            params.append(year)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as conn:
            rows = conn.execute(self._sql(f"SELECT {COLUMNS} FROM {self.table}{where} ORDER BY code, year, serial"),
                                tuple(params))
            return [_entry(row) for row in rows]

    # --- the shared statements ---------------------------------------------------------

    def _sql(self, statement: str) -> str:
        return statement if self.placeholder == "?" else statement.replace("?", self.placeholder)

    def _next_serial(self, conn: Connection, code: str, year: int) -> int:
        # Over every state, void included: a voided serial is never handed out again.
        row = conn.execute(self._sql(f"SELECT COALESCE(MAX(serial), 0) + 1 FROM {self.table}"
                                     " WHERE code = ? AND year = ?"), (code, year)).fetchone()
        return int(row[0])

    def _plan_entry(self, conn: Connection, plan: str, code: str, year: int) -> Entry | None:
        row = conn.execute(self._sql(f"SELECT {COLUMNS} FROM {self.table} WHERE plan = ? AND code = ? AND year = ?"
                                     " AND state != 'void' ORDER BY serial LIMIT 1"), (plan, code, year)).fetchone()
        return None if row is None else _entry(row)

    def _select(self, conn: Connection, number: DocNumber) -> Entry | None:
        row = conn.execute(self._sql(f"SELECT {COLUMNS} FROM {self.table} WHERE code = ? AND year = ? AND serial = ?"),
                           _key(number)).fetchone()
        return None if row is None else _entry(row)

    def _now(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _insert(self, conn: Connection, number: DocNumber, title: str, plan: str | None, state: State) -> Entry:
        now = self._now()
        entry = Entry(number, title, plan, state, now, now)
        conn.execute(self._sql(f"INSERT INTO {self.table} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                     _row(entry))
        return entry

    def _update(self, conn: Connection, held: Entry, **changes: Any) -> Entry:
        changed = msgspec.structs.replace(held, **changes)
        if changed == held:
            return held  # nothing new: keep updated_at, so re-rendering is a no-op
        changed = msgspec.structs.replace(changed, updated_at=self._now())
        conn.execute(self._sql(f"UPDATE {self.table} SET title = ?, plan = ?, state = ?, reason = ?, updated_at = ?"
                               " WHERE code = ? AND year = ? AND serial = ?"),
                     (changed.title, changed.plan, changed.state.value, changed.reason, changed.updated_at,
                      *_key(changed.number)))
        return changed


def _check_parts(code: str, year: int, serial: int = 1) -> None:
    try:
        doc_number_from_parts(code, year, serial)
    except DocNumberError as exc:
        raise RegistryError(exc.message, "invalid") from exc


def _key(number: DocNumber) -> tuple[str, int, int]:
    return number.code, number.year, number.serial


def _row(entry: Entry) -> tuple[object, ...]:
    return (*_key(entry.number), entry.title, entry.plan, entry.state.value, entry.reason,
            entry.created_at, entry.updated_at)


def _entry(row: tuple[Any, ...]) -> Entry:
    code, year, serial, title, plan, state, reason, created_at, updated_at = row
    return Entry(DocNumber(code, year, serial), title, plan, State(state), created_at, updated_at, reason)
