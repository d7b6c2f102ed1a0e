"""`gongwen check`: 公文 that units send in (Word or PDF), judged against GB/T 9704 as printed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from render.checking import Report


def _files(paths: tuple[str, ...]) -> list[Path]:
    """Files as named; a folder stands for the documents in it (.pdf, .docx, .doc, .wps …)."""
    from render.checking import OFFICE

    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (".pdf", *OFFICE) and p.is_file()
                            and not p.name.startswith("~$"))  # Word's lock files
        else:
            found.append(path)
    return found


class _Bar:
    """rich's progress bar while files are checked; reports print above it."""

    def __init__(self, total: int, show: bool):
        self.total = total
        self.show = show

    def __enter__(self) -> _Bar:
        if self.show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # On stderr: the reports on stdout can go to a file while the bar stays on screen.
            self.progress: Any = Progress(TextColumn("[bold]检查"), BarColumn(), MofNCompleteColumn(),
                                          TextColumn("剩余"), TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
                                          console=Console(stderr=True))
            self.progress.start()
            self.task = self.progress.add_task("检查", total=self.total, current="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.show:
            self.progress.stop()

    def __call__(self, path: Path, report: Report) -> None:
        if self.show:
            self.progress.update(self.task, advance=1, current=path.name)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果（供其他系统读取）")
@click.option("--profile", type=click.Path(exists=True, dir_okay=False), help="版式配置文件（默认 GB/T 9704-2012）")
@click.option("--no-office", is_flag=True, help="不调用 LibreOffice：Word 文件只检查其设置")
def check_command(paths: tuple[str, ...], as_json: bool, profile: str | None, no_office: bool) -> None:
    """按 GB/T 9704-2012 检查公文（Word、WPS 或 PDF）打印出来的版面。

    \b
    PATHS：文件或目录（目录中的 .pdf、.docx、.doc、.wps、.odt、.rtf）。文字处理文件先用 LibreOffice 排版打印再检查。
    逐份列出问题（页码、实测、标准要求）和小结。
    退出码：0 全部符合，1 有不符合之处，2 有文件无法读取（扫描件、损坏的文件）。"""
    from render.checking import Status, check_files, reports_json
    from render.profile import load_profile

    chosen = load_profile(Path(profile) if profile else None)
    files = _files(paths)
    if not files:
        raise click.ClickException("没有找到要检查的文件（.pdf、.docx、.doc、.wps、.odt、.rtf）")
    show_bar = not as_json and sys.stderr.isatty() and len(files) > 1
    with _Bar(len(files), show_bar) as bar:
        reports = check_files(files, chosen, progress=bar, use_office=not no_office)
    if as_json:
        click.echo(reports_json(reports))
    else:
        for report in reports:
            click.echo(report.text())
        if len(reports) > 1:
            counts = {status: sum(1 for r in reports if r.status is status) for status in Status}
            click.echo(f"共检查 {len(reports)} 份：符合 {counts[Status.CONFORMS]} 份，不符合 {counts[Status.FAULTS]} 份，"
                       f"无法读取 {counts[Status.UNREADABLE]} 份")
    code = max(report.status.exit_code for report in reports)
    if code:
        raise SystemExit(code)
