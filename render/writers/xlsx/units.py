"""Who does what: the document's work items as tasks, and the units that lead or share them.

No spreadsheet code here: this is the bookkeeping behind the 任务分工, 按单位 and 统计
sheets and the per-unit workbooks, kept apart so it can be tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from msgspec import Struct

from render.document.lower import ItemRow
from render.model.units import UnitRegistry

LEAD = "牵头"
SHARE = "责任"


class UnitName(NamedTuple):
    key: str       # identity: the registry's full name, so short and full forms are one unit
    display: str   # what the sheets print: the registry's short form, or the name as written


class Naming(Struct, frozen=True):
    """Names as the unit registry (`units_file`) sees them; without one, every spelling is a unit."""

    registry: UnitRegistry | None

    def name(self, written: str) -> UnitName:
        if self.registry is None:
            return UnitName(written, written)
        return UnitName(self.registry.canonical(written) or written, self.registry.short(written))

    def full_name(self, unit: UnitName) -> str | None:
        """The registry's full name when it says more than the short form."""
        if self.registry is None or self.registry.canonical(unit.key) is None:
            return None
        return unit.key if unit.key != unit.display else None

    def order(self) -> dict[str, int]:
        """Registry position of each unit: the registry lists units in protocol order
        (区委部门, 政府部门, 群团 …), the order a 分工表 lists them in."""
        if self.registry is None:
            return {}
        order: dict[str, int] = {}
        for full in self.registry.full_names.values():
            order.setdefault(full, len(order))
        return order


class Task(Struct, frozen=True):
    """One work item as a matrix row."""

    seq: int                     # 1-based position in the document: unique even when numbers restart per section
    row: ItemRow
    lead: tuple[UnitName, ...]   # each unit once
    units: tuple[UnitName, ...]  # each unit once, leaving out units that already lead

    @property
    def number(self) -> int | str:
        """The rendered number (1, 2 …): a number cell sorts properly, other labels stay text."""
        return int(self.row.label) if self.row.label.isdigit() else self.row.label

    @property
    def section(self) -> str:
        """The nearest heading (（一）… or 一、…): the column stays narrow, the trail is in the title."""
        return self.row.sections[-1] if self.row.sections else ""


class Assignment(Struct, frozen=True):
    task: Task
    role: str   # LEAD or SHARE


class UnitTasks(Struct, frozen=True):
    """A unit with everything it leads or shares, in document order."""

    unit: UnitName
    full_name: str | None
    assignments: tuple[Assignment, ...]

    @property
    def leads(self) -> int:
        return sum(1 for a in self.assignments if a.role == LEAD)

    @property
    def shares(self) -> int:
        return sum(1 for a in self.assignments if a.role == SHARE)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(a.task for a in self.assignments)


def _unique(names: Iterable[str], naming: Naming, taken: set[str]) -> tuple[UnitName, ...]:
    """Names in order, dropping a unit already seen (in `taken`, which is updated)."""
    kept: list[UnitName] = []
    for written in names:
        unit = naming.name(written)
        if unit.key not in taken:
            taken.add(unit.key)
            kept.append(unit)
    return tuple(kept)


def build_tasks(items: Sequence[ItemRow], naming: Naming) -> tuple[Task, ...]:
    tasks = []
    for seq, row in enumerate(items, 1):
        taken: set[str] = set()
        lead = _unique(row.lead, naming, taken)
        tasks.append(Task(seq, row, lead, _unique(row.units, naming, taken)))
    return tuple(tasks)


def group_by_unit(tasks: Sequence[Task], naming: Naming) -> tuple[UnitTasks, ...]:
    """Every unit named anywhere, registry order first, then order of first mention."""
    found: dict[str, tuple[UnitName, list[Assignment]]] = {}
    for task in tasks:
        for role, units in ((LEAD, task.lead), (SHARE, task.units)):
            for unit in units:
                found.setdefault(unit.key, (unit, []))[1].append(Assignment(task, role))
    order = naming.order()
    first_mention = {key: n for n, key in enumerate(found)}
    keys = sorted(found, key=lambda k: (k not in order, order.get(k, 0), first_mention[k]))
    return tuple(UnitTasks(found[k][0], naming.full_name(found[k][0]), tuple(found[k][1])) for k in keys)


# --- file names for per-unit workbooks ---------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_STEM_CHARS = 60   # 3 bytes a 汉字 in UTF-8: well inside the usual 255-byte name limit


def safe_stem(name: str) -> str:
    """A unit name as a file name that works on Linux, macOS and Windows."""
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip().rstrip(".")
    stem = re.sub(r"^[.\-]", "_", stem)   # no hidden files, nothing a shell reads as an option
    if not stem or _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    return stem[:MAX_STEM_CHARS]


def unit_file_stems(units: Sequence[UnitTasks]) -> list[str]:
    """One distinct stem per unit: names that differ only in unsafe characters get -2, -3 …"""
    stems: list[str] = []
    seen: set[str] = set()
    for unit in units:
        base = safe_stem(unit.unit.display)
        stem, n = base, 1
        while stem.casefold() in seen:   # case-insensitive file systems (Windows, macOS)
            n += 1
            stem = f"{base}-{n}"
        seen.add(stem.casefold())
        stems.append(stem)
    return stems
