"""The folder's batch, run in a background thread by render/batch/ as `gongwen render` runs it.

One batch at a time: asking while one runs gives its state, not a second batch. The batch
tells a reporter as each plan starts and finishes (render/batch/jobs.py); the reporter here
records it in a `BatchState` that the page follows by server-sent events or polling. The
outputs go where the command line's do (an output folder with its manifest, unchanged outputs
skipped, every file written atomically by the batch itself).
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct, field

from render.batch.jobs import Job, Outcome
from render.serve.folder import PlanFolder, ServeError

# Every format a plan can make on the page; a plan renders those it wants (render/writers).
BATCH_FORMATS = ("docx", "pdf", "xlsx")


class PlanResult(Struct):
    """One plan's outcome, as the page shows it."""

    plan: str                       # the plan's file name
    outcome: str                    # written, skipped, failed, nothing
    files: list[str] = field(default_factory=list)      # output names, relative to the output folder
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BatchState(Struct):
    state: str = "idle"             # idle, running, done, failed
    run: int = 0                    # how many batches this server started
    version: int = 0                # grows with every change: what the event stream follows
    total: int = 0
    done: int = 0
    current: str = ""
    plans: list[PlanResult] = field(default_factory=list)
    rendered: int = 0
    skipped: int = 0
    failed: int = 0
    files: int = 0
    error: str = ""                 # the batch itself could not run (message in Chinese)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


class BatchJobs:
    def __init__(self, folder: PlanFolder, outputs: Path):
        self.folder = folder
        self.outputs = outputs.resolve()
        self._changed = threading.Condition()
        self._state = BatchState()

    # --- what the page asks --------------------------------------------------------

    def snapshot(self) -> BatchState:
        with self._changed:
            return _copy(self._state)

    def wait_change(self, version: int, timeout: float) -> BatchState:
        """The state once its version differs from `version` (or the timeout passed)."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.version != version, timeout)
            return _copy(self._state)

    def start(self) -> tuple[bool, BatchState]:
        """Start the batch unless one runs; whether this call started it, and the state."""
        with self._changed:
            if self._state.state == "running":
                return False, _copy(self._state)
            self._state = BatchState(state="running", run=self._state.run + 1, version=self._state.version + 1)
            snapshot = _copy(self._state)
        threading.Thread(target=self._run, name="gongwen-batch", daemon=True).start()
        return True, snapshot

    def output_file(self, key: str) -> Path:
        """An output the batch wrote, by its name in the output folder; nothing outside it."""
        from render.serve.folder import CONTENT_TYPES

        parts = Path(key).parts
        if not key or key.startswith(("/", "\\")) or any(p in ("..", ".") or p.startswith(".") for p in parts):
            raise ServeError("没有这个输出文件", 404)
        path = (self.outputs / key).resolve()
        if (not path.is_relative_to(self.outputs) or path.suffix.lstrip(".") not in CONTENT_TYPES
                or not path.is_file()):
            raise ServeError("没有这个输出文件", 404)
        return path

    # --- the batch thread -----------------------------------------------------------

    def _update(self, **changes: Any) -> None:
        with self._changed:
            for name, value in changes.items():
                setattr(self._state, name, value)
            self._state.version += 1
            self._changed.notify_all()

    def _run(self) -> None:
        from render.atomic import OutputRefused
        from render.batch.run import BatchOptions, run_batch

        options = BatchOptions(formats=BATCH_FORMATS, output=self.outputs, registry_place=self.folder.registry)
        reporter = _Reporter(self)
        try:
            tally = run_batch((str(self.folder.root),), options, reporter)
        except OutputRefused as error:
            self._update(state="failed", error=f"{error.code} {error.message}", current="")
        except Exception as error:  # noqa: BLE001 - the page must learn the batch ended
            self._update(state="failed", error=f"批量渲染未能完成：{error}", current="")
        else:
            self._update(state="done", current="", rendered=tally.rendered, skipped=tally.skipped,
                         failed=tally.failed, files=tally.files)
        finally:
            reporter.release()


class _Reporter:
    """A render/batch reporter that records progress in the jobs' state. The batch runs its
    plans one after another on this thread, so `started` and `finished` pair up: the folder's
    render lock is held between them, and the page's previews wait for one plan, not the batch."""

    def __init__(self, jobs: BatchJobs):
        self.jobs = jobs
        self.holding = False

    def __call__(self, total: int) -> _Reporter:
        self.jobs._update(total=total)
        return self

    def __enter__(self) -> _Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        if self.holding:
            self.holding = False
            self.jobs.folder._lock.release()

    def started(self, job: Job) -> None:
        self.release()
        self.jobs._update(current=job.plan.name)  # also while it waits for a preview to finish
        self.jobs.folder._lock.acquire()
        self.holding = True

    def finished(self, outcome: Outcome) -> None:
        self.release()
        result = _result(outcome, self.jobs.outputs)
        with self.jobs._changed:
            state = self.jobs._state
            state.plans.append(result)
            state.done += 1
            state.version += 1
            self.jobs._changed.notify_all()


def _result(outcome: Outcome, outputs: Path) -> PlanResult:
    from render.batch.manifest import output_key

    written = [output_key(Path(shown), outputs) for shown in outcome.written]
    files = sorted({*written, *(key for key in outcome.skipped if not key.endswith("/"))})
    kind = ("failed" if outcome.failed else "written" if outcome.written else "skipped" if outcome.skipped
            else "nothing")
    name = outcome.job.plan.name if outcome.job.data is None else f"{outcome.job.plan.name} + {outcome.job.data.name}"
    plan_folder = str(outcome.job.plan.parent) + "/"
    return PlanResult(name, kind, files, [_short(line, plan_folder) for line in outcome.errors],
                      [_short(line, plan_folder) for line in outcome.warnings], list(outcome.notes))


def _short(line: str, folder: str) -> str:
    """A batch message names the plan by its path; the page names it by its file name."""
    return line.replace(folder, "")


def _copy(state: BatchState) -> BatchState:
    return copy.deepcopy(state)
