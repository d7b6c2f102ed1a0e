"""The registry in one SQLite file: safe for several processes on one machine.

Every write runs in `BEGIN IMMEDIATE`, so the read of max(serial) and the insert that
follows hold the write lock together; other processes wait up to `busy_timeout` seconds.
The default rollback journal is kept on purpose: WAL does not work on network shares,
where an office may well keep this file.
"""

from __future__ import annotations

import builtins
import dataclasses
import errno
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from render.model.docnumber import DocNumber, DocNumberError, doc_number_from_parts
from render.registry.store import Entry, RegistryError, State

Clock = Callable[[], datetime]

DEFAULT_BUSY_TIMEOUT = 10.0

# MIGRATIONS[i] takes a database from user_version i to i + 1. Plain statements rather
# than scripts: executescript() would commit the transaction the migration runs in.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE numbers (
            code TEXT NOT NULL,
            year INTEGER NOT NULL,
            serial INTEGER NOT NULL CHECK (serial > 0),
            title TEXT NOT NULL DEFAULT '',
            plan TEXT,
            state TEXT NOT NULL CHECK (state IN ('reserved', 'issued', 'void')),
            reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (code, year, serial)
        )""",
        "CREATE INDEX numbers_by_plan ON numbers (plan, code, year)",
    ),
]

_COLUMNS = "code, year, serial, title, plan, state, reason, created_at, updated_at"

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 13, 14, 26


def utc_now() -> datetime:
    return datetime.now(UTC)


def schema_version() -> int:
    return len(MIGRATIONS)


class SQLiteStore:
    """`NumberStore` on a SQLite file; `clock` is injectable so tests get fixed timestamps."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Clock = utc_now,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        _make_folder(self.path.parent)
        with _translated(self.path):
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # --- NumberStore -------------------------------------------------------------------

    def allocate(
        self, code: str, year: int, title: str = "", plan: str | None = None
    ) -> Entry:
        _check_parts(code, year)
        with self._write() as conn:
            number = DocNumber(code, year, _next_serial(conn, code, year))
            return self._insert(conn, number, title, plan, State.ISSUED)

    def reserve_for_plan(self, code: str, year: int, plan_key: str, title: str = "") -> Entry:
        _check_parts(code, year)
        with self._write() as conn:
            held = _plan_entry(conn, plan_key, code, year)
            if held is None:
                number = DocNumber(code, year, _next_serial(conn, code, year))
                return self._insert(conn, number, title, plan_key, State.RESERVED)
            return self._update(conn, held, title=title or held.title)

    def claim(
        self, number: DocNumber, plan_key: str, title: str = "", allow_duplicate: bool = False
    ) -> Entry:
        _check_parts(number.code, number.year, number.serial)
        with self._write() as conn:
            held = _select(conn, number)
            if held is None:
                return self._insert(conn, number, title, plan_key, State.ISSUED)
            refusal = _refusal(held, plan_key)
            if refusal is not None:
                if allow_duplicate:
                    return held
                raise refusal
            # Free of a plan (from `number next`) or already this plan's: the plan takes it.
            return self._update(
                conn, held, title=title or held.title, plan=plan_key, state=State.ISSUED
            )

    def void(self, number: DocNumber, reason: str) -> Entry:
        reason = reason.strip()
        if not reason:
            raise RegistryError("作废发文字号必须说明原因", "invalid")
        with self._write() as conn:
            held = _select(conn, number)
            if held is None:
                raise RegistryError(f"{number} 未登记，无法作废", "missing")
            if held.state is State.VOID:
                raise RegistryError(
                    f"{number} 已于 {held.updated_at} 作废（原因：{held.reason}）", "void"
                )
            return self._update(conn, held, state=State.VOID, reason=reason)

    def lookup(self, number: DocNumber) -> Entry | None:
        with _translated(self.path):
            return _select(self._conn, number)

    def list(self, code: str | None = None, year: int | None = None) -> builtins.list[Entry]:
        where, params = _filters(code, year)
        sql = f"SELECT {_COLUMNS} FROM numbers{where} ORDER BY code, year, serial"
        with _translated(self.path):
            return [_entry(row) for row in self._conn.execute(sql, params)]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals ---------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with _translated(self.path):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def _migrate(self) -> None:
        with _translated(self.path):
            if _checked_version(self._conn, self.path) == schema_version():
                return  # the common case: no write lock needed
        with self._write() as conn:
            # Read again under the lock: another process may have migrated meanwhile.
            version = _checked_version(conn, self.path)
            if version == 0 and _has_tables(conn):
                raise RegistryError(
                    f"{self.path} 不是 gongwen 登记簿（其中已有其他数据表）；请用 --registry 指定其他文件",
                    "corrupt",
                )
            for step in range(version, schema_version()):
                for statement in MIGRATIONS[step]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")

    def _now(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _insert(
        self,
        conn: sqlite3.Connection,
        number: DocNumber,
        title: str,
        plan: str | None,
        state: State,
    ) -> Entry:
        now = self._now()
        entry = Entry(number, title, plan, state, now, now)
        conn.execute(
            f"INSERT INTO numbers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _row(entry),
        )
        return entry

    def _update(self, conn: sqlite3.Connection, held: Entry, **changes: Any) -> Entry:
        changed = dataclasses.replace(held, **changes)
        if changed == held:
            return held  # nothing new: keep updated_at, so re-rendering is a no-op
        changed = dataclasses.replace(changed, updated_at=self._now())
        conn.execute(
            "UPDATE numbers SET title = ?, plan = ?, state = ?, reason = ?, updated_at = ?"
            " WHERE code = ? AND year = ? AND serial = ?",
            (changed.title, changed.plan, changed.state.value, changed.reason,
             changed.updated_at, *_key(changed.number)),
        )
        return changed


def _refusal(held: Entry, plan_key: str) -> RegistryError | None:
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


def _check_parts(code: str, year: int, serial: int = 1) -> None:
    try:
        doc_number_from_parts(code, year, serial)
    except DocNumberError as exc:
        raise RegistryError(exc.message, "invalid") from exc


def _next_serial(conn: sqlite3.Connection, code: str, year: int) -> int:
    # Over every state, void included: a voided serial is never handed out again.
    row = conn.execute(
        "SELECT COALESCE(MAX(serial), 0) + 1 FROM numbers WHERE code = ? AND year = ?",
        (code, year),
    ).fetchone()
    return int(row[0])


def _plan_entry(conn: sqlite3.Connection, plan: str, code: str, year: int) -> Entry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM numbers WHERE plan = ? AND code = ? AND year = ?"
        " AND state != 'void' ORDER BY serial LIMIT 1",
        (plan, code, year),
    ).fetchone()
    return None if row is None else _entry(row)


def _select(conn: sqlite3.Connection, number: DocNumber) -> Entry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM numbers WHERE code = ? AND year = ? AND serial = ?",
        _key(number),
    ).fetchone()
    return None if row is None else _entry(row)


def _filters(code: str | None, year: int | None) -> tuple[str, tuple[object, ...]]:
    clauses: builtins.list[str] = []
    params: builtins.list[object] = []
    if code is not None:
        clauses.append("code = ?")
        params.append(code)
    if year is not None:
        clauses.append("year = ?")
        params.append(year)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, tuple(params)


def _key(number: DocNumber) -> tuple[str, int, int]:
    return number.code, number.year, number.serial


def _row(entry: Entry) -> tuple[object, ...]:
    return (*_key(entry.number), entry.title, entry.plan, entry.state.value, entry.reason,
            entry.created_at, entry.updated_at)


def _entry(row: tuple[Any, ...]) -> Entry:
    code, year, serial, title, plan, state, reason, created_at, updated_at = row
    return Entry(DocNumber(code, year, serial), title, plan, State(state), created_at,
                 updated_at, reason)


def _checked_version(conn: sqlite3.Connection, path: Path) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > schema_version():
        raise RegistryError(
            f"登记簿 {path} 的格式版本为 {version}，本程序只支持到 {schema_version()}；请升级 gongwen",
            "version",
        )
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


_OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统是只读的",
    errno.EEXIST: "已有同名的文件",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.ENOSPC: "磁盘已满",
}


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise RegistryError(f"无法创建登记簿所在的文件夹 {folder}：{reason}", "io") from exc


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn sqlite3 errors into a RegistryError with one line a user can act on."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _registry_error(path, exc) from exc


def _registry_error(path: Path, exc: sqlite3.Error) -> RegistryError:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    if code in (_BUSY, _LOCKED) or "locked" in text:
        return RegistryError(
            f"登记簿文件被其他进程锁定：{path}（等待超时；请稍后重试，或检查是否有其他 gongwen 进程未结束）",
            "locked",
        )
    if code in (_NOTADB, _CORRUPT) or "not a database" in text or "malformed" in text:
        return RegistryError(
            f"{path} 不是有效的登记簿数据库（文件可能已损坏）；请从备份恢复，或用 --registry 指定其他文件",
            "corrupt",
        )
    if code == _CANTOPEN:
        return RegistryError(f"无法打开登记簿文件 {path}：请检查路径和访问权限", "io")
    if code == _READONLY:
        return RegistryError(f"登记簿文件 {path} 是只读的，无法写入", "io")
    if code == _FULL:
        return RegistryError(f"磁盘已满，无法写入登记簿文件 {path}", "io")
    return RegistryError(f"登记簿 {path} 读写失败：{exc}", "io")
