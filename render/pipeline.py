"""From a loaded plan to what writers take: the number resolved, the plan lowered."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from render.diagnostics import PlanError
from render.document import Bulletin, Document, lower, lower_bulletin
from render.loader import LoadResult
from render.model import BulletinPlan, DocumentBase, NumberSpec
from render.profile import Profile
from render.units import UnitRegistry
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


def prepare(result: LoadResult, profile: Profile, *, registry: str | None = None,
            allow_duplicate: bool = False) -> RenderInput:
    plan = _with_registered_number(result, registry, allow_duplicate)
    document: Document | Bulletin
    if isinstance(plan, BulletinPlan):
        document = lower_bulletin(plan, result.base_dir)
    else:
        document = lower(plan, profile)
    return RenderInput(plan, document, profile, result.units, result.path)


def _registry_in_use(registry: str | None) -> bool:
    """An explicit number is checked against the registry only where one is in use:
    rendering must not create a registry as a side effect."""
    from render.registry import registry_location

    location = registry_location(registry)
    return registry is not None or bool(os.environ.get("GONGWEN_REGISTRY")) or Path(location).exists()


def _with_registered_number(result: LoadResult, registry: str | None, allow_duplicate: bool) -> DocumentBase:
    """`serial: auto` takes (once per plan) the next number; an explicit number is refused
    when the registry holds it for another plan."""
    plan = result.require()
    number = plan.number
    if number is None or (not number.is_auto and not _registry_in_use(registry)):
        return plan
    from render.registry import RegistryError, number_for_plan, open_store, plan_key

    try:
        store = open_store(registry)
        try:
            entry = number_for_plan(store, plan_key(result.path), number.code, number.year,
                                    None if number.is_auto else number.serial,  # type: ignore[arg-type]
                                    plan.title or "", allow_duplicate)
        finally:
            store.close()
    except RegistryError as error:
        hint = "（确需重号可加 --allow-duplicate）" if error.kind == "conflict" else ""
        raise PlanError([result.diagnostic_at(("number", "发文字号"), "E312", error.message + hint)]) from None
    resolved = NumberSpec.model_validate({"code": entry.number.code, "year": entry.number.year,
                                          "serial": entry.number.serial})
    return plan.model_copy(update={"number": resolved})


def wants(source: RenderInput, fmt: str) -> bool:
    """Whether this format makes sense for this document (a matrix needs work items)."""
    if not renders(fmt, type(source.plan).kind):  # type: ignore[attr-defined]
        return False
    if fmt == "xlsx":
        return isinstance(source.document, Document) and bool(source.document.items)
    return True


def output_path(out_dir: Path, plan_path: Path, fmt: str) -> Path:
    return out_dir / f"{plan_path.stem}.{fmt}"
