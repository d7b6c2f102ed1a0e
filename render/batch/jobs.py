"""The jobs of a batch and what it tells whoever runs it: a reporter is told of each job as it starts and
finishes, and the batch returns a tally. The command line turns these into a progress bar or
plain lines (render/cli/progress.py); a server could turn them into events."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from msgspec import Struct, field

from render.batch.manifest import Entry


class Job(Struct, frozen=True):
    """One document to render: a plan, or a template plan with one data file."""

    plan: Path
    data: Path | None = None

    @property
    def stem(self) -> str:
        return self.plan.stem if self.data is None else f"{self.plan.stem}-{self.data.stem}"

    @property
    def label(self) -> str:
        return str(self.plan) if self.data is None else f"{self.plan} + {self.data}"


class Outcome(Struct):
    job: Job
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was done on the way: the number taken, …
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class Reporter(Protocol):
    def __enter__(self) -> Reporter: ...

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def started(self, job: Job) -> None: ...

    def finished(self, outcome: Outcome) -> None: ...


class SilentReporter:
    """For callers that want only the tally."""

    def __init__(self, total: int):
        self.total = total

    def __enter__(self) -> SilentReporter:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def started(self, job: Job) -> None:
        return None

    def finished(self, outcome: Outcome) -> None:
        return None


class Tally(Struct):
    rendered: int = 0
    skipped: int = 0
    failed: int = 0
    files: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.files += len(outcome.written)
        if outcome.failed:
            self.failed += 1
            self.failures.append((outcome.job.label, list(outcome.errors)))
        elif outcome.written:
            self.rendered += 1
        else:
            self.skipped += 1
