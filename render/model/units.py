"""The unit registry: short forms of unit names and the full names they stand for."""

from __future__ import annotations

from msgspec import Struct


class UnitRegistry(Struct, frozen=True):
    """`short → full`; a unit is known by either form, and both count as one unit."""

    full_names: dict[str, str]

    def canonical(self, name: str) -> str | None:
        if name in self.full_names:
            return self.full_names[name]
        return name if name in self._fulls else None

    def short(self, name: str) -> str:
        """The short form a matrix prints, whichever form the plan used."""
        for short, full in self.full_names.items():
            if name in (short, full):
                return short
        return name

    def closest(self, name: str) -> str | None:
        from difflib import get_close_matches  # only when a name is unknown
        matches = get_close_matches(name, [*self.full_names, *self._fulls], n=1, cutoff=0.4)
        return matches[0] if matches else None

    @property
    def _fulls(self) -> set[str]:
        return set(self.full_names.values())
