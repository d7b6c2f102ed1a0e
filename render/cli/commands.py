"""The subcommands whose modules are imported only when one of them runs (issue 18): where
each lives, and the line `gongwen --help` shows for it (its docstring's first line, which
tests/test_cli_words.py checks). So the command list is printed without importing a single
command module, and a command imports its own module and no other."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import click


class LazyCommand(NamedTuple):
    module: str
    attribute: str
    summary: str

    def load(self) -> click.Command:
        command: click.Command = getattr(import_module(self.module), self.attribute)
        return command


LAZY_COMMANDS: dict[str, LazyCommand] = {
    "check": LazyCommand("render.cli.check", "check_command",
                         "按 GB/T 9704-2012 检查公文（Word、WPS 或 PDF）打印出来的版面。"),
    "collect": LazyCommand("render.cli.collect", "collect_command",
                           "汇总各单位填回的责任分工表，生成年终总结计划（YAML）。"),
    "import": LazyCommand("render.cli.imports", "import_command",
                          "把 .txt、.md、.docx 文件导入为计划（YAML），并列出发现的编号问题等警告。"),
    "number": LazyCommand("render.cli.number", "number_group", "发文字号登记簿：分配、列出、作废、查询发文字号。"),
    "render": LazyCommand("render.cli.render", "render_command",
                          "把计划渲染为 Word（docx）、PDF、Excel（xlsx）、OFD（GB/T 33190 版式文件）。"),
    "serve": LazyCommand("render.cli.serve", "serve_command",
                         "打开本地网页：列出文件夹中的计划，在网页上修改、检查、预览并下载 Word、PDF、Excel。"),
}

