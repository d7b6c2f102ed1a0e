"""The 发文字号 registry: which numbers are taken, by which plan, and which are void.

`find_registry()` (location.py) says where the office's registry is; `open_store()` opens
it: an SQLite file (the embedded default) or a PostgreSQL server (`postgresql://…`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from render.registry.location import LEGACY_LOCATION, RegistryPlace, find_registry, user_default
    from render.registry.opening import open_store, registry_location
    from render.registry.plans import number_for_plan, plan_key
    from render.registry.settings import CONFIG_NAME, DEFAULT_BUSY_TIMEOUT, ENV_VAR
    from render.registry.sqlite_store import SQLiteStore
    from render.registry.sqlstore import utc_now
    from render.registry.store import Entry, NumberStore, RegistryError, State

    DEFAULT_LOCATION = LEGACY_LOCATION

# Imported on first use: `gongwen --help` names the registry's settings without paying for
# SQLite, TOML and the store classes.
_HOMES = {
    "CONFIG_NAME": "settings", "ENV_VAR": "settings",
    "LEGACY_LOCATION": "location", "DEFAULT_LOCATION": "location", "RegistryPlace": "location",
    "find_registry": "location", "user_default": "location",
    "number_for_plan": "plans", "plan_key": "plans",
    "DEFAULT_BUSY_TIMEOUT": "settings", "SQLiteStore": "sqlite_store",
    "utc_now": "sqlstore",
    "open_store": "opening", "registry_location": "opening",
    "Entry": "store", "NumberStore": "store", "RegistryError": "store", "State": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), "LEGACY_LOCATION" if name == "DEFAULT_LOCATION" else name)
    globals()[name] = value
    return value


__all__ = [
    "CONFIG_NAME",
    "DEFAULT_BUSY_TIMEOUT",
    "DEFAULT_LOCATION",
    "ENV_VAR",
    "Entry",
    "NumberStore",
    "RegistryError",
    "RegistryPlace",
    "SQLiteStore",
    "State",
    "find_registry",
    "number_for_plan",
    "open_store",
    "plan_key",
    "registry_location",
    "user_default",
    "utc_now",
]
