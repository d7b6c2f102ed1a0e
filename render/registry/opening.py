"""Opening the registry in force: an SQLite file, or a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

from render.registry.location import RegistryPlace, find_registry, scheme_of
from render.registry.sqlite_store import DEFAULT_BUSY_TIMEOUT, SQLiteStore
from render.registry.sqlstore import Clock, utc_now
from render.registry.store import NumberStore, RegistryError


def registry_location(location: str | Path | None = None) -> str:
    """Where the registry is for the current folder (see location.py for the order)."""
    return find_registry(location).location


def open_store(
    location: str | Path | RegistryPlace | None = None,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    clock: Clock = utc_now,
) -> NumberStore:
    """Open the registry at `location` (a place, a path, an address, or None: the one in force)."""
    where = location.location if isinstance(location, RegistryPlace) else registry_location(location)
    scheme = scheme_of(where)
    # An address is never echoed back whole: it may carry a password.
    if scheme in ("postgresql", "postgres"):
        from render.registry.postgres_store import PostgresStore

        return PostgresStore(where, busy_timeout=busy_timeout, clock=clock)
    if scheme:
        raise RegistryError(
            f"不支持的登记簿地址类型“{scheme}://”；请写 SQLite 文件路径，或 postgresql:// 开头的服务器地址",
            "unsupported",
        )
    return SQLiteStore(Path(where).expanduser(), busy_timeout=busy_timeout, clock=clock)
