"""From a loaded plan to what writers take: the number resolved, the plan lowered."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from render.diagnostics import PlanError
from render.document.lower import Bulletin, Document, lower, lower_bulletin
from render.model.plan import BulletinPlan, DocumentBase, NumberSpec
from render.profile import Profile
from render.reading.loader import LoadResult
from render.reading.orgunits import UnitRegistry
from render.writers import renders


@dataclass(frozen=True)
class RenderInput:
    plan: DocumentBase
    document: Document | Bulletin
    profile: Profile
    units: UnitRegistry | None
    plan_path: Path

    @property
    def base_dir(self) -> Path:
        return self.plan_path.resolve().parent


def prepare(result: LoadResult, profile: Profile) -> RenderInput:
    """Lower a loaded plan; `serial: auto` must have been resolved by `register_number`."""
    plan = result.require()
    if plan.number is not None and plan.number.is_auto:
        raise PlanError([result.diagnostic_at(("number", "发文字号"), "E311",
                                              "serial: auto 需要先向发文字号登记簿取号（gongwen render 会自动取号）")])
    document: Document | Bulletin
    if isinstance(plan, BulletinPlan):
        document = lower_bulletin(plan, result.base_dir)
    else:
        document = lower(plan, profile)
    return RenderInput(plan, document, profile, result.units, result.path)


def _registry_in_use(registry: str | None) -> bool:
    """An explicit number is checked against the registry only where one is in use:
    rendering must not create a registry as a side effect."""
    from render.registry import ENV_VAR, registry_location

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
    from render.registry import RegistryError, number_for_plan, open_store, plan_key

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


def wants(source: RenderInput, fmt: str) -> bool:
    """Whether this format makes sense for this document (a matrix needs work items)."""
    if not renders(fmt, type(source.plan).kind):  # type: ignore[attr-defined]
        return False
    if fmt == "xlsx":
        return isinstance(source.document, Document) and bool(source.document.items)
    return True


def output_path(out_dir: Path, plan_path: Path, fmt: str) -> Path:
    return out_dir / f"{plan_path.stem}.{fmt}"
