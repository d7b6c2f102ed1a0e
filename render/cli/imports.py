"""`gongwen import FILE [-o PLAN.yaml] [--type TYPE] [--force]`: a document into a plan.

Listed in render/cli/commands.py, which the main command imports it from when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

_TYPES = ("notice", "work_points", "summary")


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="写入的计划文件（默认与原文件同名、扩展名为 .yaml，放在原文件旁）")
@click.option("--type", "kind", type=click.Choice(_TYPES),
              help="文件类型：notice（通知）、work_points（工作要点）、summary（总结）；默认自动识别")
@click.option("--force", is_flag=True, help="覆盖已存在的计划文件")
def import_command(file: Path, output: Path | None, kind: str | None, force: bool) -> None:
    """把 .txt、.md、.docx 文件导入为计划（YAML），并列出发现的编号问题等警告。"""
    from render.atomic import OutputRefused, check_target, sweep_stale
    from render.diagnostics import PlanError
    from render.importers import SUFFIXES, ImportFailure, import_document
    from render.inputs import IMPORT, IMPORT_TEXT, InputRefused, check_file
    from render.reading.planyaml import write_plan

    target = output if output is not None else file.with_suffix(".yaml")
    try:
        if file.suffix.lower() in SUFFIXES:  # a device, FIFO or folder is refused before any reader opens it
            check_file(file, IMPORT if file.suffix.lower() == ".docx" else IMPORT_TEXT)
        check_target(target, inputs=(file,))
    except (InputRefused, OutputRefused) as error:
        _fail(error.format())
    if target.exists() and not force:
        _fail(f"E901 {target} 已存在；如要覆盖，请加 --force")
    try:
        result = import_document(file, kind)
    except ImportFailure as error:
        _fail(f"E800 {error}")
    except InputRefused as error:
        _fail(error.format())
    except RecursionError:
        _fail(f"{file}: E807 文件结构嵌套过深，无法导入")
    for diagnostic in result.diagnostics:
        click.echo(diagnostic.format())
    sweep_stale(target.parent)  # temporary files a killed run left there
    try:
        loaded = write_plan(result.plan, target, source=file.name, overwrite=force)
    except FileExistsError:
        _fail(f"E901 {target} 已存在；如要覆盖，请加 --force")
    except OutputRefused as error:
        _fail(error.format())
    except PlanError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(), err=True)
        if not _only_unprinted_essentials(error, result.diagnostics):
            _fail(f"E899 导入结果未通过检查，没有写入 {target}（这是导入程序的缺陷，请报告）")
        # The document does not print its 成文日期 (or 发文机关, 主送机关): the plan is written
        # for the user to complete, as the W723 warning asks.
        from render.atomic import write_bytes_atomic
        from render.reading.planyaml import plan_yaml

        write_bytes_atomic(target, plan_yaml(result.plan, file.name).encode("utf-8"))
        click.echo(f"已写入 {target}，但原文缺少上面列出的要素：补上后才能渲染", err=True)
        return
    for diagnostic in loaded.diagnostics:
        click.echo(diagnostic.format())
    click.echo(summary_line(result.plan, target, len(result.diagnostics)))


def _only_unprinted_essentials(error: Any, warnings: Any) -> bool:
    """Every error is a notice's missing 发文机关/成文日期/主送机关 the importer found unprinted."""
    return "W723" in {d.code for d in warnings} and all(d.code == "E413" for d in error.diagnostics if d.is_error)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(1)


def summary_line(plan: dict[str, Any], target: Path, warnings: int) -> str:
    """已导入 → plan.yaml：工作要点，4 个部分、25 项事项、涉及 40 个单位；3 条警告。"""
    from render.model.plan import DOCUMENT_TYPES_ZH

    body = plan.get("issued_document") or plan
    sections = body.get("sections", [])
    items = list(_items(sections))
    units = {name for item in items for key in ("lead", "units") for name in item.get(key, [])}
    kind = DOCUMENT_TYPES_ZH.get(plan["type"], plan["type"])
    counts = f"{len(sections)} 个部分、{len(items)} 项事项、涉及 {len(units)} 个单位"
    tail = f"；{warnings} 条警告" if warnings else ""
    return f"已导入 → {target}：{kind}，{counts}{tail}"


def _items(sections: list[dict[str, Any]]) -> Any:
    for section in sections:
        yield from _items(section.get("sections", []))
        yield from section.get("items", [])
