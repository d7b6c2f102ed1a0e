"""What rendering a plan asks of the registry: one number per plan, stable across renders."""

from __future__ import annotations

from pathlib import Path

from render.model.docnumber import DocNumber
from render.registry.store import Entry, NumberStore


def plan_key(path: str | Path, root: str | Path | None = None) -> str:
    """A plan's path relative to `root` (default: the current folder); outside it, absolute.

    The commands name plans through `RegistryPlace.plan_key` (location.py), relative to the
    office folder, so that the name does not depend on where a command runs.
    """
    resolved = Path(path).resolve()
    base = Path(root if root is not None else Path.cwd()).resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


def number_for_plan(
    store: NumberStore,
    plan: str,
    code: str,
    year: int,
    serial: int | None,
    title: str = "",
    allow_duplicate: bool = False,
) -> Entry:
    """The registry entry for a plan's number; `serial=None` stands for `serial: auto`."""
    if serial is None:
        return store.reserve_for_plan(code, year, plan, title)
    return store.claim(DocNumber(code, year, serial), plan, title, allow_duplicate)
