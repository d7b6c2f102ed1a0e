"""The registry in one SQLite file: safe for several processes on one machine.

Every write runs in `BEGIN IMMEDIATE`, so the read of max(serial) and the insert that
follows hold the write lock together; other processes wait up to `busy_timeout` seconds.
The default rollback journal is kept on purpose: WAL does not work on network shares,
where an office may well keep this file (several PCs drawing from one sequence should
share a PostgreSQL server instead: `postgres_store.py`).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from render.registry.settings import DEFAULT_BUSY_TIMEOUT
from render.registry.sqlstore import Clock, SQLStore, utc_now
from render.registry.store import RegistryError

__all__ = ["DEFAULT_BUSY_TIMEOUT", "MIGRATIONS", "Clock", "SQLiteStore", "schema_version", "utc_now"]


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

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 13, 14, 26


def schema_version() -> int:
    return len(MIGRATIONS)


class SQLiteStore(SQLStore):
    """`NumberStore` on a SQLite file; `clock` is injectable so tests get fixed timestamps."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(clock)
        self.path = Path(path)
        _make_folder(self.path.parent)
        self.created = not self.path.exists()
        with _translated(self.path):
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

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
    def _write(self, code: str = "", year: int = 0) -> Iterator[sqlite3.Connection]:
        # One write lock for the whole file: every sequence waits its turn, plenty for the
        # clerks of one machine, and the read of max(serial) stays with the insert.
        with _translated(self.path):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with _translated(self.path):
            yield self._conn

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
