"""The registry on a PostgreSQL server: one sequence for the clerks of several PCs.

Each write is one transaction that first locks its (code, year) row in `gongwen_sequences`
(created on first use, `INSERT … ON CONFLICT DO NOTHING`, then `SELECT … FOR UPDATE`).
Writers of one sequence therefore take turns, and the next serial, max(serial) + 1 read
after the lock, can neither be handed out twice nor skipped. Not a PostgreSQL sequence:
a rolled-back transaction (a clerk's PC switched off mid-allocation) would leave a gap.
A client that dies mid-transaction holds nothing: the server rolls its transaction back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

from render.registry.location import shown_location
from render.registry.sqlstore import Clock, SQLStore, utc_now
from render.registry.store import RegistryError

if TYPE_CHECKING:
    import psycopg

DEFAULT_CONNECT_TIMEOUT = 10  # seconds; libpq's default is to wait for ever

# MIGRATIONS[i] takes the tables from version i to i + 1 (recorded in gongwen_schema).
MIGRATIONS: list[tuple[str, ...]] = [
    (
        "CREATE TABLE gongwen_schema (version INTEGER NOT NULL)",
        "INSERT INTO gongwen_schema (version) VALUES (0)",
        """CREATE TABLE gongwen_numbers (
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
        "CREATE INDEX gongwen_numbers_by_plan ON gongwen_numbers (plan, code, year)",
        """CREATE TABLE gongwen_sequences (
            code TEXT NOT NULL,
            year INTEGER NOT NULL,
            PRIMARY KEY (code, year)
        )""",
    ),
]

# Taken (for the transaction) while the tables are created or upgraded: two clerks opening
# a new registry at once must not both run CREATE TABLE.
_MIGRATION_LOCK = 0x676F6E67  # "gong"


def schema_version() -> int:
    return len(MIGRATIONS)


class PostgresStore(SQLStore):
    """`NumberStore` on a PostgreSQL database; the tables are made on first use."""

    table = "gongwen_numbers"
    placeholder = "%s"

    def __init__(self, url: str, *, busy_timeout: float = 10.0, clock: Clock = utc_now) -> None:
        super().__init__(clock)
        self.url = url
        self.shown = shown_location(url)
        try:
            import psycopg
        except ImportError:  # pragma: no cover - a declared dependency
            raise RegistryError("使用 PostgreSQL 登记簿需要 psycopg：请运行 pip install \"psycopg[binary]\"",
                                "unsupported") from None
        self._psycopg = psycopg
        with self._translated():
            self._conn: psycopg.Connection[Any] = psycopg.connect(url, autocommit=True, **_connect_options(url))
        try:
            with self._translated():
                # The --wait option: how long to queue behind another clerk's allocation.
                self._conn.execute(f"SET lock_timeout = {max(1, int(busy_timeout * 1000))}")
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # --- internals ---------------------------------------------------------------------

    @contextmanager
    def _write(self, code: str, year: int) -> Iterator[psycopg.Connection[Any]]:
        with self._translated(), self._conn.transaction():
            self._conn.execute("INSERT INTO gongwen_sequences (code, year) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               (code, year))
            self._conn.execute("SELECT 1 FROM gongwen_sequences WHERE code = %s AND year = %s FOR UPDATE",
                               (code, year))
            yield self._conn

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection[Any]]:
        with self._translated():
            yield self._conn

    def _migrate(self) -> None:
        with self._translated():
            if self._version() == schema_version():
                return
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                version = self._version()  # again under the lock: another clerk may have been first
                for step in range(version, schema_version()):
                    for statement in MIGRATIONS[step]:
                        self._conn.execute(statement)  # type: ignore[arg-type]
                    self._conn.execute("UPDATE gongwen_schema SET version = %s", (step + 1,))
                self.created = version == 0

    def _version(self) -> int:
        # pg_class read as a table, with this statement's snapshot: to_regclass() would ask the
        # catalog cache, which may not yet know of a table another clerk just created.
        exists = self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'gongwen_schema' AND n.nspname = current_schema())").fetchone()
        if not exists or not exists[0]:
            return 0
        row = self._conn.execute("SELECT max(version) FROM gongwen_schema").fetchone()
        version = int(row[0]) if row and row[0] is not None else 0
        if version > schema_version():
            raise RegistryError(f"登记簿 {self.shown} 的格式版本为 {version}，本程序只支持到 {schema_version()}；"
                                "请升级 gongwen", "version")
        return version

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """psycopg's errors as one line a clerk can act on (the address without its password)."""
        try:
            yield
        except self._psycopg.Error as error:
            raise server_error(self.shown, error) from None


def _connect_options(url: str) -> dict[str, Any]:
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - psycopg.connect reports a malformed address itself
        given = {}
    options: dict[str, Any] = {"application_name": "gongwen"}
    if "connect_timeout" not in given:
        options["connect_timeout"] = DEFAULT_CONNECT_TIMEOUT
    return options


# SQLSTATE classes and codes that have their own advice.
_LOGIN_STATES = {"28000", "28P01"}
_LOCKED_STATES = {"55P03", "40P01"}
_GONE_STATES = {"57P01", "57P02", "57P03", "08000", "08003", "08006"}


def server_error(shown: str, error: Exception) -> RegistryError:
    state = getattr(error, "sqlstate", None) or ""
    text = str(error)
    lowered = text.lower()
    if state in _LOGIN_STATES or "authentication failed" in lowered or "no pg_hba.conf entry" in lowered \
            or ("role" in lowered and "does not exist" in lowered) or "password" in lowered:
        return RegistryError(
            f"发文字号登记簿服务器 {shown} 拒绝登录（用户名或密码不对，或没有访问权限）；"
            "请检查 ~/.pgpass（Windows 为 %APPDATA%\\postgresql\\pgpass.conf）中的密码，或请管理员检查 pg_hba.conf",
            "login")
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return RegistryError(f"发文字号登记簿服务器 {shown} 上没有这个数据库；请管理员先建好（createdb）", "config")
    if state in _LOCKED_STATES:
        return RegistryError(f"发文字号登记簿 {shown} 正被其他同事占用（等待超时）；请稍后重试，或用 --wait 多等一会儿",
                             "locked")
    if state == "42501":
        return RegistryError(f"登记簿服务器 {shown} 上的这个用户没有建表或写入的权限；请管理员授权", "login")
    import psycopg

    # No SQLSTATE on an operational error: libpq never reached a server that answered
    # (refused, no route, name not found, timed out, or the connection dropped).
    if state in _GONE_STATES or (not state and isinstance(error, psycopg.OperationalError)):
        return RegistryError(
            f"无法连接发文字号登记簿服务器 {shown}：服务器没有运行，或网络不通。"
            "请检查 gongwen.toml 中的地址，或请管理员启动 PostgreSQL 后重试",
            "unreachable")
    first_line = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return RegistryError(f"发文字号登记簿服务器 {shown} 读写失败：{first_line}", "io")
