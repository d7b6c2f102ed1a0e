"""The 发文字号 registry: which numbers are taken, by which plan, and which are void.

`find_registry()` (location.py) says where the office's registry is; `open_store()` opens
it: an SQLite file (the embedded default) or a PostgreSQL server (`postgresql://…`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from render.lazy import lazy_names

if TYPE_CHECKING:
    from render.registry.location import LEGACY_LOCATION, RegistryPlace, find_registry, user_default
    from render.registry.opening import open_store, registry_location
    from render.registry.plans import number_for_plan, plan_key
    from render.registry.settings import CONFIG_NAME, DEFAULT_BUSY_TIMEOUT, ENV_VAR
    from render.registry.sqlite_store import SQLiteStore
    from render.registry.sqlstore import utc_now
    from render.registry.store import Entry, NumberStore, RegistryError, State

# Imported on first use: `gongwen --help` names the registry's settings without paying for
# SQLite, TOML and the store classes.
__getattr__ = lazy_names(__name__, {
    "render.registry.location": ("LEGACY_LOCATION", "RegistryPlace", "find_registry", "user_default"),
    "render.registry.opening": ("open_store", "registry_location"),
    "render.registry.plans": ("number_for_plan", "plan_key"),
    "render.registry.settings": ("CONFIG_NAME", "DEFAULT_BUSY_TIMEOUT", "ENV_VAR"),
    "render.registry.sqlite_store": ("SQLiteStore",),
    "render.registry.sqlstore": ("utc_now",),
    "render.registry.store": ("Entry", "NumberStore", "RegistryError", "State"),
})

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_BUSY_TIMEOUT",
    "LEGACY_LOCATION",
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
