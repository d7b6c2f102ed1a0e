"""`gongwen render`: plans and folders in, documents out."""

from __future__ import annotations

from pathlib import Path

import click

from render.cli.office import REGISTRY_HELP
from render.writers import FORMATS


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [fmt for fmt in chosen if fmt not in FORMATS]
    if unknown:
        raise click.BadParameter(f"不支持的格式：{'、'.join(unknown)}；可选 {'、'.join(FORMATS)}")
    return chosen


@click.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--to", "to", default="docx", show_default=True, help="输出格式，逗号分隔：docx,pdf,xlsx,ofd")
@click.option("-o", "--output", type=click.Path(), help="输出目录（默认 outputs/）；只有一个计划和一种格式时也可以是文件名")
@click.option("--profile", type=click.Path(exists=True, dir_okay=False), help="版式配置文件（默认 GB/T 9704-2012）")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="并行进程数")
@click.option("--force", is_flag=True, help="即使输入没有变化也重新生成")
@click.option("--registry", metavar="位置", help=REGISTRY_HELP)
@click.option("--allow-duplicate", is_flag=True, help="允许使用登记簿中已被其他计划占用的发文字号")
@click.option("--split-by-unit", is_flag=True, help="责任分工表另按单位各出一份工作簿")
@click.option("--data", "data_files", multiple=True, type=click.Path(),
              help="总结模板的数据：文件、目录或通配符（--data summaries/ 或 --data summaries/*.yaml），"
                   "可重复；每个数据文件生成一份，命名为 <模板名>-<数据名>.<格式>")
@click.option("--allow-outside-files", is_flag=True,
              help="允许计划引用项目文件夹之外的文件（单位表、数据、图片）；只对可信的计划使用")
def render_command(paths: tuple[str, ...], to: str, output: str | None, profile: str | None, jobs: int,
                   force: bool, registry: str | None, allow_duplicate: bool, split_by_unit: bool,
                   data_files: tuple[str, ...], allow_outside_files: bool) -> None:
    """把计划渲染为 Word（docx）、PDF、Excel（xlsx）、OFD（GB/T 33190 版式文件）。

    \b
    PATHS：计划文件或目录（目录中的 .yaml/.yml）；写了 template: 的数据文件按其模板生成。
    输入没有变化的输出会跳过（见输出目录的 .gongwen-manifest.json），--force 强制重新生成。
    一个计划失败时其余计划照常渲染，最后列出失败原因并以 1 退出。
    写了 serial: auto 的计划从登记簿取号，并在该计划的结果下列出所取的发文字号。"""
    from render.atomic import OutputRefused
    from render.batch.run import BatchOptions, DataFileError, run_batch
    from render.cli.office import find_place
    from render.cli.progress import print_summary, reporter_for

    if output is not None and not output.strip():
        raise OutputRefused("E900", "-o 的值为空：请写输出目录或文件名，或去掉 -o（默认输出到 outputs/）")
    options = BatchOptions(
        formats=_formats(to),
        output=Path(output) if output is not None else None,
        profile=Path(profile) if profile else None,
        jobs=jobs,
        force=force,
        registry=registry,
        registry_place=find_place(registry),
        allow_duplicate=allow_duplicate,
        split_by_unit=split_by_unit,
        data_files=tuple(Path(d) for d in data_files),
        allow_outside_files=allow_outside_files,
    )
    try:
        tally = run_batch(paths, options, reporter_for)
    except DataFileError as error:
        raise click.BadParameter(error.message, param_hint="--data") from None
    print_summary(tally)
    if tally.failed:
        raise SystemExit(1)
