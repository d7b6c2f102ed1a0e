"""Which form field a diagnostic concerns: the one whose key's YAML lines hold the
diagnostic's line (ruamel.yaml keeps each key's line while reading)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode

from render.diagnostics import Diagnostic
from render.serve.form import FIELDS, NUMBER, _spellings

# A missing key is reported at the top of the plan; its message names the key.
_MISSING = re.compile(r"缺少必填的键“(\w+)”")
PLACED_FIELDS = tuple(field.name for field in (*FIELDS, NUMBER))


def field_lines(text: str) -> dict[str, tuple[int, int]]:
    """Each form field present in the plan: its first and last line (from 1), from its key
    to the line before the next top-level key. Composed, not constructed, so a value the
    loader refuses (a date that does not exist) still has its place."""
    try:
        root = YAML().compose(text)
    except YAMLError:
        return {}
    if not isinstance(root, MappingNode):
        return {}
    starts = [(key.start_mark.line + 1, str(key.value)) for key, _ in root.value]
    last_line = text.count("\n") + 1
    spans = {}
    for index, (line, key) in enumerate(starts):
        spans[key] = (line, starts[index + 1][0] - 1 if index + 1 < len(starts) else last_line)
    lines = {}
    for name in PLACED_FIELDS:
        spelt = next((spelling for spelling in _spellings(name) if spelling in spans), None)
        if spelt is not None:
            lines[name] = spans[spelt]
    return lines


def place(diagnostics: Iterable[Diagnostic], text: str,
          form_shown: bool = True) -> tuple[dict[str, list[Diagnostic]], list[Diagnostic]]:
    """The diagnostics under their fields, and those no field holds (for the list below)."""
    by_field: dict[str, list[Diagnostic]] = {name: [] for name in PLACED_FIELDS}
    if not form_shown:  # the page shows no form then: every message in the list
        return by_field, list(diagnostics)
    lines = field_lines(text)
    rest: list[Diagnostic] = []
    for diagnostic in diagnostics:
        name = _field_of(diagnostic, lines)
        (by_field[name] if name else rest).append(diagnostic)
    return by_field, rest


def _field_of(diagnostic: Diagnostic, lines: dict[str, tuple[int, int]]) -> str | None:
    missing = _MISSING.search(diagnostic.message)
    if missing and missing.group(1) in PLACED_FIELDS:
        return missing.group(1)
    if diagnostic.line:
        for name, (first, last) in lines.items():
            if first <= diagnostic.line <= last:
                return name
    return None

