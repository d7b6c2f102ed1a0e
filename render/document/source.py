"""From a loaded plan to what writers take: the plan lowered, with its profile and units."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from render.diagnostics import PlanError
from render.document.lower import Bulletin, Document, lower, lower_bulletin
from render.model.plan import BulletinPlan, DocumentBase
from render.model.units import UnitRegistry
from render.profile import Profile
from render.reading.loader import LoadResult


class RenderInput(Struct, frozen=True):
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
