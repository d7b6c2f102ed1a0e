"""The 发文字号 registry: which numbers are taken, by which plan, and which are void.

`open_store()` finds the registry: the `--registry` value, else the environment variable
GONGWEN_REGISTRY, else `.gongwen/registry.sqlite` in the project folder (the current
working directory).
"""

from __future__ import annotations

import os
from pathlib import Path

from render.registry.plans import number_for_plan, plan_key
from render.registry.sqlite_store import (
    DEFAULT_BUSY_TIMEOUT,
    Clock,
    SQLiteStore,
    utc_now,
)
from render.registry.store import Entry, NumberStore, RegistryError, State

ENV_VAR = "GONGWEN_REGISTRY"
DEFAULT_LOCATION = Path(".gongwen") / "registry.sqlite"

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_LOCATION",
    "ENV_VAR",
    "Entry",
    "NumberStore",
    "RegistryError",
    "SQLiteStore",
    "State",
    "number_for_plan",
    "open_store",
    "plan_key",
    "registry_location",
]


def registry_location(location: str | Path | None = None) -> str | Path:
    """Where the registry is: the given location, else $GONGWEN_REGISTRY, else the default."""
    if location is not None and str(location).strip():
        return location
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return Path.cwd() / DEFAULT_LOCATION


def open_store(
    location: str | Path | None = None,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    clock: Clock = utc_now,
) -> NumberStore:
    where = registry_location(location)
    scheme = _scheme(str(where))
    # The URL is never echoed back: it may carry a password.
    if scheme in ("postgresql", "postgres"):
        raise RegistryError(
            "PostgreSQL 共享登记簿尚未实现（已预留接口，计划后续支持）；目前请使用 SQLite 登记簿文件",
            "unsupported",
        )
    if scheme:
        raise RegistryError(
            f"不支持的登记簿地址类型“{scheme}://”；目前只支持 SQLite 文件路径", "unsupported"
        )
    return SQLiteStore(Path(where).expanduser(), busy_timeout=busy_timeout, clock=clock)


def _scheme(location: str) -> str:
    head, separator, _ = location.partition("://")
    return head.strip().lower() if separator else ""
