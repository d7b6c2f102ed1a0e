"""The `gongwen` command. Heavy modules are imported inside commands: `gongwen --help`
must stay fast."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from render import __version__
from render.cli.commands import LAZY_COMMANDS
from render.cli.helptext import ChineseHelp, usage_in_chinese

REPORT_HINT = "这是 gongwen 的缺陷，请把这段信息和所用的文件一起报告给维护者（设置 GONGWEN_DEBUG=1 可看到详细信息）。"


class _ChineseContext(click.Context):
    formatter_class = ChineseHelp


def _in_chinese(command: click.Command) -> None:
    """Every command's help in Chinese: the context class decides the help formatter."""
    command.context_class = _ChineseContext
    command.options_metavar = "[选项]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]..."
        for sub in command.commands.values():
            _in_chinese(sub)


class _Gongwen(click.Group):
    """Bad input never shows a traceback: plan problems exit 1, our own bugs exit 2.

    The commands of render/cli/commands.py are imported when they run (one command, one
    module) and listed in `--help` from that table."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            command = LAZY_COMMANDS[name].load()
            _in_chinese(command)
            self.add_command(command, name)
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """click suggests a near name from the commands loaded so far; ours come from all of them."""
        name = args[0]
        if name[:1].isalnum() and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            from difflib import get_close_matches

            near = get_close_matches(name, self.list_commands(ctx), n=1)
            raise click.UsageError(f"No such command '{name}'." + (f" Did you mean '{near[0]}'?" if near else ""), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with a lazy command's line taken from its table entry. No line is
        cut short with "...": click counts characters, and write_dl wraps by columns."""
        rows = [(name, LAZY_COMMANDS[name].summary) if name in LAZY_COMMANDS
                else (name, self.commands[name].get_short_help_str(limit=1 << 16))
                for name in self.list_commands(ctx)
                if name in LAZY_COMMANDS or not self.commands[name].hidden]
        with formatter.section("命令"):
            formatter.write_dl(rows)

    # click types main() with overloads keyed on standalone_mode; ours always handles errors itself.
    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             **extra: Any) -> Any:
        _fewer_collections()
        try:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        except click.UsageError as error:
            if error.ctx is not None:
                click.echo(error.ctx.get_usage(), err=True)
            command = error.ctx.command_path if error.ctx is not None else "gongwen"
            click.echo(f"错误：{usage_in_chinese(error)}\n运行“{command} -h”查看帮助。", err=True)
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
        from render.atomic import OutputRefused
        from render.diagnostics import PlanError
        from render.inputs import InputRefused

        _quiet_unraisable()
        _quiet_library_logs()
        try:
            return super().invoke(ctx)
        except PlanError as error:
            for diagnostic in error.diagnostics:
                click.echo(diagnostic.format(), err=True)
            ctx.exit(1)
        except (InputRefused, OutputRefused) as error:
            click.echo(error.format(), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the one place that turns bugs into a message
            if os.environ.get("GONGWEN_DEBUG"):
                import traceback

                traceback.print_exc()
            click.echo(f"gongwen 内部错误：{type(error).__name__}: {error}\n{REPORT_HINT}", err=True)
            ctx.exit(2)


def _fewer_collections() -> None:
    """A command makes its long-lived objects (modules, pydantic models, the plan, a
    document tree) in one burst, and at Python's default thresholds the collector walks
    them hundreds of times although none is garbage: 2–3 % of a one-document render. It
    still runs, every 50,000 net allocations, so cycles are still freed in a batch or
    `gongwen serve`."""
    gc.set_threshold(50_000, 20, 10)


def _quiet_unraisable() -> None:
    """A library object cleaned up after a failed write (a ZipFile closed on a full disk)
    raises again in its __del__; Python would print that traceback under our Chinese error.
    The error itself has been reported: say nothing more, unless GONGWEN_DEBUG asks."""
    if os.environ.get("GONGWEN_DEBUG"):
        return

    def hook(unraisable: Any) -> None:
        pass

    sys.unraisablehook = hook


def _quiet_library_logs() -> None:
    """The libraries log in English to whoever listens (fontTools: a few padding bytes too
    many in a free font's `glyf`), and Python prints what nobody listens to on stderr, amid
    our Chinese lines. What they log is never the user's to act on: it goes nowhere, unless
    GONGWEN_DEBUG asks. (Forked batch workers inherit this.)"""
    if os.environ.get("GONGWEN_DEBUG"):
        return
    import logging

    logging.getLogger().addHandler(logging.NullHandler())


@click.group(cls=_Gongwen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongwen", help="显示版本号并退出。")
def main() -> None:
    """gongwen：用 YAML 写计划，生成合乎 GB/T 9704-2012 的公文（Word、PDF、Excel）。"""


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path())
@click.option("-q", "--quiet", is_flag=True, help="只输出错误，不输出警告")
@click.option("--registry", metavar="位置", help="对照检查发文字号的登记簿（默认与 render 相同；只读，不分配）")
@click.option("--allow-outside-files", is_flag=True,
              help="允许计划引用项目文件夹之外的文件（单位表、数据、图片）；只对可信的计划使用")
def validate(plans: tuple[str, ...], quiet: bool, registry: str | None, allow_outside_files: bool) -> None:
    """检查计划文件；有错误时逐条列出（文件:行:列: 代码 说明）并以 1 退出。

    \b
    写明的发文字号还与登记簿对照（只读）：已被其他计划占用或已作废的是错误，
    与登记簿中的标题不同的是警告。最后一行汇总计划、错误和警告的数目。"""
    from render.cli.office import find_place
    from render.reading.loader import load_plan
    from render.reading.paths import allow_outside_files as outside_allowed
    from render.reading.planfiles import plan_files
    from render.reading.templating import data_override, template_of
    from render.registry.claims import RegistryCheck

    checker = RegistryCheck(find_place(registry), warn=lambda line: click.echo(line, err=True))
    counted = errors = warnings = 0
    try:
        for path in plan_files(plans):
            # A data file that names its template is checked as that template filled with it.
            template = template_of(path)
            with data_override(path if template else None), outside_allowed(allow_outside_files):
                result = load_plan(template or path)
            diagnostics = [*result.diagnostics, *checker.check(result, Path(template or path),
                                                               path if template else None)]
            counted += 1
            for diagnostic in diagnostics:
                if diagnostic.is_error:
                    errors += 1
                else:
                    warnings += 1
                if diagnostic.is_error or not quiet:
                    click.echo(diagnostic.format())
    finally:
        checker.close()
    click.echo(f"检查了 {counted} 个计划：{errors} 个错误，{warnings} 个警告" + ("" if errors else "，可以渲染"))
    if errors:
        raise SystemExit(1)


@main.command()
@click.option("-o", "--output", type=click.Path(), help="写入文件（默认输出到屏幕）")
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
        if install:
            from render.writers import build_font_caches

            build_font_caches(files)
        click.echo(font_module.format_fonts_table(font_module.resolve_fonts(files)))
    except font_module.FontError as error:
        raise click.ClickException(str(error)) from None


_in_chinese(main)


if __name__ == "__main__":
    sys.exit(main())
