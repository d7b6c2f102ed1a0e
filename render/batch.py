"""Render many plans into many formats; one broken plan never sinks the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from render.diagnostics import PlanError
from render.inputs import plan_files

DEFAULT_OUTPUT = Path("outputs")


@dataclass(frozen=True)
class BatchOptions:
    formats: tuple[str, ...]
    output: Path | None = None
    profile: Path | None = None
    jobs: int = 1
    force: bool = False
    registry: str | None = None
    allow_duplicate: bool = False
    split_by_unit: bool = False
    data_files: tuple[Path, ...] = ()


@dataclass
class Outcome:
    plan: Path
    written: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _target(options: BatchOptions, plan: Path, fmt: str, single: bool) -> Path:
    from render.pipeline import output_path

    if options.output is not None and single and options.output.suffix == f".{fmt}":
        return options.output
    return output_path(options.output or DEFAULT_OUTPUT, plan, fmt)


def render_plan(plan: Path, options: BatchOptions, single: bool) -> Outcome:
    from render.loader import load_plan
    from render.pipeline import prepare, wants
    from render.profile import load_profile
    from render.writers import writer_for

    outcome = Outcome(plan)
    try:
        result = load_plan(plan)
        source = prepare(result, load_profile(options.profile))
        for fmt in options.formats:
            if wants(source, fmt):
                target = _target(options, plan, fmt, single)
                writer_for(fmt)(source, target)
                outcome.written.append(target)
    except PlanError as error:
        outcome.errors += [d.format() for d in error.errors]
    return outcome


def run_batch(paths: tuple[str, ...], options: BatchOptions) -> bool:
    plans = plan_files(paths)
    single = len(plans) == 1 and len(options.formats) == 1
    failed = rendered = 0
    for plan in plans:
        outcome = render_plan(plan, options, single)
        if outcome.errors:
            failed += 1
            click.echo(f"✗ {plan}")
            for line in outcome.errors:
                click.echo(f"  {line}")
        else:
            rendered += 1
            click.echo(f"✓ {plan} → {', '.join(str(p) for p in outcome.written) or '（无适用格式）'}")
    click.echo(f"完成：渲染 {rendered}，失败 {failed}")
    return failed == 0
