"""From a loaded plan to what writers take: the number resolved, the plan lowered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from render.diagnostics import Diagnostic, PlanError
from render.document import Bulletin, Document, lower, lower_bulletin
from render.loader import LoadResult
from render.model import BulletinPlan, DocumentBase
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


def prepare(result: LoadResult, profile: Profile) -> RenderInput:
    plan = result.require()
    if plan.number is not None and plan.number.is_auto:
        raise PlanError([Diagnostic("E311", "发文字号 serial: auto 需要发文字号登记簿：请用 gongwen render（它会向登记簿取号）",
                                    str(result.path))])
    document: Document | Bulletin
    if isinstance(plan, BulletinPlan):
        document = lower_bulletin(plan, result.base_dir)
    else:
        document = lower(plan, profile)
    return RenderInput(plan, document, profile, result.units, result.path)


def wants(source: RenderInput, fmt: str) -> bool:
    """Whether this format makes sense for this document (a matrix needs work items)."""
    if not renders(fmt, type(source.plan).kind):  # type: ignore[attr-defined]
        return False
    if fmt == "xlsx":
        return isinstance(source.document, Document) and bool(source.document.items)
    return True


def output_path(out_dir: Path, plan_path: Path, fmt: str) -> Path:
    return out_dir / f"{plan_path.stem}.{fmt}"
