"""The `gongwen` command. Heavy modules are imported inside commands: `gongwen --help`
must stay fast."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from render import __version__

REPORT_HINT = "这是 gongwen 的缺陷，请把这段信息和所用的文件一起报告给维护者（设置 GONGWEN_DEBUG=1 可看到详细信息）。"


# click's usage errors, in the words of the people who use gongwen.
_USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"^Missing argument '(.+)'\.$", r"缺少参数 \1。"),
    (r"^Missing option '(.+)'\.$", r"缺少选项 \1。"),
    (r"^No such option:? '?([^'\s]+)'?\.? Did you mean '?([^'?]+)'?\?$", r"没有选项 \1，是否想用 \2？"),
    (r"^No such option:? '?([^'\s]+?)'?\.?$", r"没有选项 \1。"),
    (r"^No such command '(.+)'\. Did you mean '(.+)'\?$", r"没有命令“\1”，是否想用“\2”？"),
    (r"^No such command '(.+)'\.$", r"没有命令“\1”。"),
    (r"^Got unexpected extra arguments? \((.+)\)$", r"多余的参数：\1"),
    (r"^Option '(.+)' requires an argument\.$", r"选项 \1 需要一个值。"),
    (r"^Invalid value for (.+?): (.+)$", r"\1 的值无效：\2"),
    (r"^Invalid value: (.+)$", r"取值无效：\1"),
)


def _usage_in_chinese(error: click.UsageError) -> str:
    message = error.format_message()
    for pattern, replacement in _USAGE_ERRORS:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Gongwen(click.Group):
    """Bad input never shows a traceback: plan problems exit 1, our own bugs exit 2."""

    # click types main() with overloads keyed on standalone_mode; ours always handles errors itself.
    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             **extra: Any) -> Any:
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as error:
            if error.ctx is not None:
                click.echo(error.ctx.get_usage().replace("Usage:", "用法：", 1), err=True)
            command = error.ctx.command_path if error.ctx is not None else "gongwen"
            click.echo(f"错误：{_usage_in_chinese(error)}\n运行“{command} -h”查看帮助。", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"错误：{error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)

    def invoke(self, ctx: click.Context) -> Any:
        from render.diagnostics import PlanError

        try:
            return super().invoke(ctx)
        except PlanError as error:
            for diagnostic in error.diagnostics:
                click.echo(diagnostic.format(), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the one place that turns bugs into a message
            if os.environ.get("GONGWEN_DEBUG"):
                traceback.print_exc()
            click.echo(f"gongwen 内部错误：{type(error).__name__}: {error}\n{REPORT_HINT}", err=True)
            ctx.exit(2)


@click.group(cls=_Gongwen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongwen")
def main() -> None:
    """gongwen：用 YAML 写计划，生成合乎 GB/T 9704-2012 的公文（Word、PDF、Excel）。"""


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path())
@click.option("-q", "--quiet", is_flag=True, help="只输出错误，不输出警告")
def validate(plans: tuple[str, ...], quiet: bool) -> None:
    """检查计划文件；有错误时逐条列出（文件:行:列: 代码 说明）并以 1 退出。"""
    from render.reading.loader import load_plan
    from render.reading.planfiles import plan_files
    from render.reading.templating import data_override, template_of

    failed = 0
    for path in plan_files(plans):
        # A data file that names its template is checked as that template filled with it.
        template = template_of(path)
        with data_override(path if template else None):
            result = load_plan(template or path)
        for diagnostic in result.diagnostics:
            if diagnostic.is_error or not quiet:
                click.echo(diagnostic.format())
        if not result.ok:
            failed += 1
    if failed:
        raise SystemExit(1)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件（默认输出到屏幕）")
def schema(output: str | None) -> None:
    """输出计划文件的 JSON Schema（供 VS Code 等编辑器自动补全、标出错误）。"""
    from render.atomic import write_bytes_atomic
    from render.model.schema import plan_schema_json

    text = plan_schema_json() + "\n"
    if output:
        write_bytes_atomic(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--install", is_flag=True, help="安装免费字体并写入 fontconfig 别名（需要网络访问 Debian 软件源）")
@click.option("--profile", type=click.Path(exists=True, dir_okay=False), help="版式配置文件")
def fonts(install: bool, profile: str | None) -> None:
    """列出各字体角色（小标宋、仿宋、黑体、楷体、宋体）对应的字体文件。"""
    from render.fonts import resolve as font_module
    from render.fonts.setup import install_free_fonts
    from render.profile import load_profile

    try:
        if install:
            target = install_free_fonts(report=lambda line: click.echo(line, err=True))
            click.echo(f"免费字体已就绪：{target}")
        chosen = load_profile(Path(profile) if profile else None)
        files = {str(role): path for role, path in chosen.font_files.items()}
        click.echo(font_module.format_fonts_table(font_module.resolve_fonts(files)))
    except font_module.FontError as error:
        raise click.ClickException(str(error)) from None


def _register_optional_commands() -> None:
    """Subcommands whose modules live beside their feature."""
    from render.cli.check import check_command
    from render.cli.collect import collect_command
    from render.cli.imports import import_command
    from render.cli.number import number_group

    main.add_command(number_group)
    main.add_command(import_command)
    main.add_command(collect_command)
    main.add_command(check_command)


from render.cli.render import render_command  # noqa: E402  (after `main` exists)

main.add_command(render_command)
_register_optional_commands()


if __name__ == "__main__":
    sys.exit(main())
