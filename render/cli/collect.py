"""`gongwen collect`: the matrices units sent back, compiled into a year-end summary plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


def _date(text: str | None) -> dt.date:
    from render.model.dates import DateError, parse_iso_date

    try:
        return parse_iso_date(text) if text else dt.date.today()
    except DateError as error:
        raise click.ClickException(f"--date：{error.message}") from None


def _returned_path(argument: str) -> Path:
    """The file of a RETURNED argument (`单位=文件` or a file)."""
    path = Path(argument)
    return Path(argument.partition("=")[2]) if not path.exists() and "=" in argument else path


@click.command("collect")
@click.argument("plan", type=click.Path())
@click.argument("returned", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(), help="写出的总结计划（YAML）")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="总结的成文日期（默认今天）")
def collect_command(plan: str, returned: tuple[str, ...], output: str, force: bool, date_text: str | None) -> None:
    """汇总各单位填回的责任分工表，生成年终总结计划（YAML）。

    \b
    RETURNED：各单位填好“进展情况”“备注”的工作簿，可写成“单位=文件”。
    不写单位时，取 --split-by-unit 工作簿自带的单位标记，或文件名中的单位名称。
    报告冲突（同一事项各单位报送的进展情况不一致）和未报送的单位。"""
    from render.atomic import OutputRefused, check_target, sweep_stale, write_bytes_atomic
    from render.diagnostics import PlanError
    from render.importers.matrices import CollectError, collect_summary
    from render.inputs import InputRefused

    target = Path(output)
    try:
        # Never the plan or a returned workbook, even with --force.
        check_target(target, [Path(plan), *(_returned_path(argument) for argument in returned)])
    except OutputRefused as error:
        raise click.ClickException(error.format()) from None
    if target.exists() and not force:
        raise click.ClickException(f"E901 {target} 已存在；确认覆盖请加 --force")
    date = _date(date_text)
    try:
        summary = collect_summary(Path(plan), returned, target, date)
    except PlanError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(), err=True)
        raise SystemExit(1) from None
    except CollectError as error:
        raise click.ClickException(f"E810 {error.message}") from None
    except InputRefused as error:
        raise click.ClickException(error.format()) from None
    for line in summary.notes:
        click.echo(line)
    sweep_stale(target.parent)  # temporary files a killed run left there
    try:
        write_bytes_atomic(target, summary.text.encode("utf-8"))
    except OutputRefused as error:
        raise click.ClickException(error.format()) from None
    collection = summary.collection
    click.echo(f"已写入 {target}：重点任务 {len(collection.items)} 项，已报送进展 {len(collection.reported())} 项，"
               f"冲突 {len(collection.conflicts())} 项")
