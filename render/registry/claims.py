"""What rendering asks of the registry: the plan's 发文字号 taken or checked before lowering."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from render.diagnostics import PlanError
from render.model.plan import NumberSpec
from render.reading.loader import LoadResult
from render.registry import ENV_VAR, RegistryError, number_for_plan, open_store, plan_key, registry_location


def _registry_in_use(registry: str | None) -> bool:
    """An explicit number is checked against the registry only where one is in use:
    rendering must not create a registry as a side effect."""
    if registry or os.environ.get(ENV_VAR, "").strip():
        return True
    return Path(registry_location()).exists()


def register_number(result: LoadResult, *, registry: str | None = None, allow_duplicate: bool = False,
                    key: str | None = None) -> LoadResult:
    """The plan with its 发文字号 from the registry: `serial: auto` takes (once per plan key)
    the next number; an explicit number is claimed, and refused when the registry holds it
    for another plan. `key` names the plan in the registry (default: its path)."""
    plan = result.require()
    number = plan.number
    if number is None or (not number.is_auto and not _registry_in_use(registry)):
        return result
    serial = None if number.is_auto else number.serial
    try:
        store = open_store(registry)
        try:
            entry = number_for_plan(store, key or plan_key(result.path), number.code, number.year,
                                    serial, plan.title or "", allow_duplicate)  # type: ignore[arg-type]
        finally:
            store.close()
    except RegistryError as error:
        raise PlanError([result.diagnostic_at(("number", "发文字号"), "E312", error.message)]) from None
    resolved = NumberSpec.model_validate({"code": entry.number.code, "year": entry.number.year,
                                          "serial": entry.number.serial})
    return replace(result, plan=plan.model_copy(update={"number": resolved}))
