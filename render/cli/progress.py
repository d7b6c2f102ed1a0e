"""How a batch reports: a rich progress bar on a terminal, one plain line per file elsewhere
(CI logs, pipes), and the same closing summary for both."""

from __future__ import annotations

import sys
from typing import Any

import click

from render.batch.jobs import Job, Outcome, Reporter, SilentReporter, Tally


def reporter_for(total: int, interactive: bool | None = None) -> Reporter:
    """A progress bar when stdout is a terminal, plain lines otherwise."""
    if interactive is None:
        interactive = sys.stdout.isatty()
    return BarReporter(total) if interactive else LineReporter(total)


def outcome_line(outcome: Outcome) -> str:
    label = outcome.job.label
    if outcome.failed:
        return f"✗ {label}"
    if outcome.written:
        unchanged = f"（{len(outcome.skipped)} 个未变化）" if outcome.skipped else ""
        return f"✓ {label} → {'、'.join(outcome.written)}{unchanged}"
    if outcome.skipped:
        return f"= {label}：未变化，跳过"
    return f"- {label}：没有适用的输出格式"


def detail_lines(outcome: Outcome) -> list[str]:
    return [f"    {line}" for line in (*outcome.notes, *outcome.errors, *outcome.warnings)]


class LineReporter(SilentReporter):
    """One line per finished file, details indented under it: readable in any log."""

    def __init__(self, total: int):
        super().__init__(total)
        self.done = 0

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {outcome_line(outcome)}")
        for line in detail_lines(outcome):
            click.echo(line)


class BarReporter:
    """rich's progress bar: count, current file, rate, ETA; failures print above it."""

    def __init__(self, total: int):
        self.total = total

    def __enter__(self) -> BarReporter:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]渲染"), BarColumn(), MofNCompleteColumn(), _rate_column(),
            TextColumn("剩余"), TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
            # No refresh thread: the batch forks workers, and a fork must not happen while
            # another thread holds a lock. The bar redraws on every start and finish instead.
            auto_refresh=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("渲染", total=self.total, current="")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def started(self, job: Job) -> None:
        # File names only: the bar has one line, the plain log has the full paths.
        names = job.plan.name if job.data is None else f"{job.plan.name} + {job.data.name}"
        self.progress.update(self.task, current=names, refresh=True)

    def finished(self, outcome: Outcome) -> None:
        from rich.text import Text

        if outcome.failed or outcome.warnings or outcome.notes:
            style = "red" if outcome.failed else "yellow" if outcome.warnings else ""
            self.progress.console.print(Text(outcome_line(outcome), style=style))
            for line in detail_lines(outcome):
                self.progress.console.print(Text(line))
        self.progress.update(self.task, advance=1, refresh=True)


def _rate_column() -> Any:
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} 份/秒" if speed else "-- 份/秒", style="cyan")

    return RateColumn()


# --- the closing summary -------------------------------------------------------------------

def print_summary(tally: Tally) -> None:
    click.echo(f"完成：渲染 {tally.rendered}，跳过 {tally.skipped}，失败 {tally.failed}"
               f"（写出 {tally.files} 个文件，用时 {tally.seconds:.1f} 秒）")
    if tally.failures:
        click.echo("失败的计划：")
        for label, errors in sorted(tally.failures):  # parallel runs finish in any order
            click.echo(f"  ✗ {label}")
            for error in errors:
                click.echo(f"      {error}")
