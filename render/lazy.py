"""A package's public names imported on first use (PEP 562), so that importing one of its
modules, or the package for one name, does not import all the others."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(package: str, modules: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `modules` maps each module to the public names
    it defines; a name is imported from its module on first use, then kept."""
    homes = {name: module for module, names in modules.items() for name in names}

    def getattr_(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        setattr(import_module(package), name, value)
        return value

    return getattr_
