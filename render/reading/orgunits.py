"""Reading a units file (`简称: 全称`) into the unit registry."""

from __future__ import annotations

from pathlib import Path

from render.diagnostics import Diagnostic
from render.inputs import UNITS
from render.model.units import UnitRegistry
from render.reading.yamlsource import YamlSourceError, load_yaml_file


def load_unit_registry(path: Path) -> UnitRegistry:
    try:
        data, source = load_yaml_file(path, UNITS)
    except YamlSourceError:
        raise
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        mark = source.mark(())
        raise YamlSourceError(
            Diagnostic("E501", "单位表应为“简称: 全称”的映射", str(path), mark.line if mark else 0, mark.col if mark else 0)
        )
    return UnitRegistry({str(k).strip(): v.strip() for k, v in data.items()})
