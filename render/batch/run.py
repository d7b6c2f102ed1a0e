"""Render many plans into many formats; one broken plan never sinks the others.

The parent process finds the jobs (plan, or template plan × data file), hashes what all
plans share, and hands each job to `run_job` — in-process for `-j 1`, else in a process
pool. Jobs travel as paths and come back as small `Outcome`s; only the parent writes the
manifest. Pools are recycled every few jobs per worker, so peak memory stays that of a few
documents however many plans there are.
"""

from __future__ import annotations

import glob
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from render.batch.jobs import Job, Outcome, Reporter, SilentReporter, Tally
from render.batch.manifest import (
    Entry,
    Manifest,
    environment_digest,
    file_digest,
    is_current,
    output_inputs,
    output_key,
    plan_inputs,
)
from render.diagnostics import PlanError
from render.reading.planfiles import plan_files

if TYPE_CHECKING:
    # A one-plan run (-j1, a clerk's) never starts a pool: these are imported when one is.
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

    from render.document.source import RenderInput
    from render.profile import Profile
    from render.reading.loader import LoadResult
    from render.registry import RegistryPlace

DEFAULT_OUTPUT = Path("outputs")
DATA_SUFFIXES = (".yaml", ".yml", ".json")
# A worker renders this many jobs, then its pool is replaced: memory a writer or a cache
# keeps does not pile up. (Not max_tasks_per_child: on Python 3.11–3.13 it can deadlock,
# CPython gh-115634.) Replacing drains the pool, leaving a core idle while the last job
# finishes: at 16, -j2 ran 1.5× -j1 in bench/run.py; at 64, 2.0× with memory still flat.
TASKS_PER_WORKER = 64

WriterTable = dict[str, tuple[str, frozenset[str]]]


class BatchOptions(Struct, frozen=True):
    formats: tuple[str, ...]
    output: Path | None = None
    profile: Path | None = None
    jobs: int = 1
    force: bool = False
    registry: str | None = None
    registry_place: RegistryPlace | None = None  # found once by the caller (else per job, from `registry`)
    allow_duplicate: bool = False
    split_by_unit: bool = False
    data_files: tuple[Path, ...] = ()
    allow_outside_files: bool = False  # plans may name files outside their project (reading/paths.py)


class RunContext(Struct, frozen=True):
    """What every job needs besides its own paths; small, and sent to each worker."""

    options: BatchOptions
    root: Path                      # the output folder; the manifest lives here
    single_target: Path | None      # `-o FILE` for one plan in one format
    environments: dict[str, str]    # format → digest of the inputs all plans share
    writers: WriterTable            # the parent's writer table, so workers use the same

    def target(self, job: Job, fmt: str) -> Path:
        return self.single_target or self.root / f"{job.stem}.{fmt}"

    def units_folder(self, job: Job) -> Path:
        return self.root / job.stem / "units"

    def keys(self, job: Job) -> list[str]:
        keys = [output_key(self.target(job, fmt), self.root) for fmt in self.options.formats]
        if self.options.split_by_unit:
            keys.append(output_key(self.units_folder(job), self.root, folder=True))
        return keys


class DataFileError(Exception):
    """A `--data` value that names no file (message in 简体中文)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- finding the jobs ---------------------------------------------------------------------

def data_files(specs: tuple[Path, ...]) -> list[Path]:
    """`--data` values: files, folders (their .yaml/.yml/.json files), or quoted wildcards."""
    found: list[Path] = []
    for spec in specs:
        if spec.is_dir():
            found += sorted(p for p in spec.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
        elif spec.is_file():
            found.append(spec)
        elif glob.has_magic(str(spec)) and (matches := sorted(glob.glob(str(spec)))):
            found += [Path(m) for m in matches]
        else:
            raise DataFileError(f"找不到数据文件“{spec}”")
    return found


def find_jobs(paths: tuple[str, ...], options: BatchOptions) -> list[Job]:
    """A job per plan; with --data, a job per plan and data file; a data file given as a
    path that names its template (`template:`) is a job of that template and itself."""
    from render.reading.templating import template_of

    if not options.data_files:
        return [Job(template, path) if (template := template_of(path)) else Job(path) for path in plan_files(paths)]
    paths, specs = _unglob(paths, options.data_files)
    datas = data_files(specs)
    return [Job(plan, data) for plan in plan_files(paths) for data in datas]


def _unglob(paths: tuple[str, ...], specs: tuple[Path, ...]) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """`--data summaries/*.yaml` unquoted: the shell hands the first match to --data and the
    rest to PATHS. Files beside a --data file are taken as data files, not plans."""
    folders = {spec.resolve().parent for spec in specs if spec.is_file()}
    moved = [p for p in paths if Path(p).is_file() and Path(p).resolve().parent in folders
             and Path(p).suffix in DATA_SUFFIXES]
    return tuple(p for p in paths if p not in moved), (*specs, *map(Path, moved))


def _clashes(jobs: list[Job]) -> dict[Job, Job]:
    """Jobs whose outputs would overwrite an earlier job's (same stem): they are refused."""
    first: dict[str, Job] = {}
    clashes: dict[Job, Job] = {}
    for job in jobs:
        if job.stem in first:
            clashes[job] = first[job.stem]
        else:
            first[job.stem] = job
    return clashes


# --- one job (runs in a worker) ----------------------------------------------------------

def run_job(job: Job, ctx: RunContext, recorded: dict[str, Entry]) -> Outcome:
    """Load, number, lower and write one document; every problem lands in the Outcome."""
    from render.document.source import prepare
    from render.reading.loader import load_plan
    from render.reading.paths import allow_outside_files
    from render.reading.templating import data_override
    from render.writers import wants

    outcome = Outcome(job)
    try:
        with data_override(job.data), allow_outside_files(ctx.options.allow_outside_files):
            result = load_plan(job.plan)
        outcome.warnings += [d.format() for d in result.diagnostics if not d.is_error]
        known = len(result.diagnostics)
        result, number = _with_registered_number(result, job, ctx.options, outcome.notes.append)
        outcome.warnings += [d.format() for d in result.diagnostics[known:] if not d.is_error]
        parts = plan_inputs(result.require(), job.plan, job.data, number)
        # Lowered only if something is to be written: a skipped plan costs a load and hashes.
        prepared = cache(partial(prepare, result, _profile(ctx.options.profile)))
        for output in _outputs(job, ctx, parts):
            if not ctx.options.force and is_current(recorded.get(output.key), output.inputs, ctx.root):
                outcome.skipped.append(output.key)
            elif wants(prepared(), output.fmt):
                _write(output, prepared(), job, ctx, outcome)
    except PlanError as error:
        outcome.errors += [d.format() for d in error.errors] or [f"{job.label}: 计划有误"]
    except Exception as error:  # noqa: BLE001 - one job's bug must not end the batch
        outcome.errors.append(_internal_error(job, error))
    return outcome


class _Output(Struct, frozen=True):
    fmt: str
    target: Path        # a file, or the folder of unit workbooks
    key: str            # its name in the manifest
    inputs: str         # the hash of everything it comes from
    by_unit: bool = False


def _outputs(job: Job, ctx: RunContext, parts: dict[str, str]) -> list[_Output]:
    outputs = []
    for fmt in ctx.options.formats:
        target = ctx.target(job, fmt)
        outputs.append(_Output(fmt, target, output_key(target, ctx.root), output_inputs(ctx.environments[fmt], parts)))
    if ctx.options.split_by_unit:
        folder = ctx.units_folder(job)
        inputs = output_inputs(ctx.environments["xlsx"], parts, {"split_by_unit": True})
        outputs.append(_Output("xlsx", folder, output_key(folder, ctx.root, folder=True), inputs, by_unit=True))
    return outputs


def _write(output: _Output, source: RenderInput, job: Job, ctx: RunContext, outcome: Outcome) -> None:
    """Write one output; a failing format is recorded and the others still written."""
    try:
        files = _write_units(output, source, ctx) if output.by_unit else _write_file(output, source)
    except PlanError as error:
        outcome.errors += [d.format() for d in error.errors]
        return
    except Exception as error:  # noqa: BLE001 - a failing format must not stop the others
        outcome.errors.append(_internal_error(job, error, output.fmt + ("（按单位）" if output.by_unit else "")))
        return
    outcome.entries[output.key] = Entry(output.inputs, files, str(job.plan), _str(job.data))
    shown = f"{output.target}{os.sep}（{len(files)} 个单位）" if output.by_unit else str(output.target)
    outcome.written.append(shown)


def _write_file(output: _Output, source: RenderInput) -> dict[str, str]:
    from render.atomic import atomic_path
    from render.writers import writer_for

    # The writer writes a temporary name beside the target, renamed into place only when
    # complete: a killed run never leaves a truncated document under the real name.
    with atomic_path(output.target) as tmp:
        writer_for(output.fmt)(source, tmp)
        digest = file_digest(tmp)
    return {output.key: digest}


def _write_units(output: _Output, source: RenderInput, ctx: RunContext) -> dict[str, str]:
    """`--split-by-unit`: the xlsx writer writes one workbook per unit (each atomically)."""
    import importlib

    from render.writers import WRITERS

    write_units = importlib.import_module(WRITERS["xlsx"][0]).write_unit_workbooks
    paths = write_units(source, output.target)
    return {output_key(p, ctx.root): file_digest(p) for p in sorted(paths)}


def _with_registered_number(result: LoadResult, job: Job, options: BatchOptions,
                            notify: Callable[[str], None]) -> tuple[LoadResult, str | None]:
    """The plan numbered through the registry (a template rendered with a data file is its
    own document, so it is its own registry key); the number also goes into the hashes."""
    from render.registry import find_registry
    from render.registry.claims import plan_key_in, register_number

    if result.plan is None or not result.ok or result.plan.number is None:
        return result, None
    place = options.registry_place or find_registry(options.registry)
    result = register_number(result, place=place, allow_duplicate=options.allow_duplicate,
                             key=plan_key_in(place, job.plan, job.data), notify=notify)
    return result, str(result.require().number.resolved())  # type: ignore[union-attr]


_profiles: dict[tuple[str, int, int], Profile] = {}


def _profile(path: Path | None) -> Profile:
    """The layout profile, loaded once per process and file version: keyed by the absolute
    path and the file's stamp, so another folder's profile of the same name, or an edited
    one, is never served from the cache."""
    from render.profile import DEFAULT_PROFILE, load_profile

    resolved = (path or DEFAULT_PROFILE).resolve()
    try:
        stat = resolved.stat()
        key = (str(resolved), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_profile(path)  # reports the missing file in Chinese
    if key not in _profiles:
        _profiles[key] = load_profile(path)
    return _profiles[key]


def _internal_error(job: Job, error: BaseException, fmt: str | None = None) -> str:
    if os.environ.get("GONGWEN_DEBUG"):
        traceback.print_exception(error)
    where = f"（{fmt}）" if fmt else ""
    failure = _io_failure(error)
    if failure is not None:
        message = failure
    elif type(error).__module__.startswith("render."):
        message = str(error)  # our own errors (FontError, …) already speak 中文
    else:
        message = f"gongwen 内部错误 {type(error).__name__}: {error}"
    return f"{job.label}: 渲染失败{where}：{message}"


def _io_failure(error: BaseException) -> str | None:
    """A failed read or write (a full disk), also as libraries report it: lxml's serialiser,
    which openpyxl writes with, raises SerialisationError("IO_EFBIG") instead of OSError."""
    import errno

    from render.inputs import os_reason

    if isinstance(error, OSError):
        return f"E910 无法读写文件：{os_reason(error)}" + (f"（{error.filename}）" if error.filename else "")
    text = str(error)
    if text.startswith("IO_E") and isinstance(getattr(errno, text[3:], None), int):
        return f"E910 无法读写文件：{os_reason(OSError(getattr(errno, text[3:]), text[3:]))}"
    return None


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)


# --- running the jobs ---------------------------------------------------------------------

def _sequential(jobs: list[Job], ctx: RunContext, manifest: Manifest, reporter: Reporter) -> Iterator[Outcome]:
    for job in jobs:
        reporter.started(job)
        yield run_job(job, ctx, _recorded(job, ctx, manifest))


def _parallel(jobs: list[Job], ctx: RunContext, manifest: Manifest, reporter: Reporter) -> Iterator[Outcome]:
    _import_writers(ctx)
    todo = deque(jobs)
    warm = ctx.options.force or any(not _recorded(job, ctx, manifest) for job in jobs)
    if warm:  # a plan never rendered before: there is rendering to do
        _warm_title_breaking()
    while todo:
        rendering = False
        with _pool(ctx) as pool:
            for outcome in _drain(pool, todo, ctx, manifest, reporter):
                rendering = rendering or bool(outcome.written)
                yield outcome
        if rendering and not warm:  # documents are being written, not only skipped
            _warm_title_breaking()
            warm = True


def _drain(pool: ProcessPoolExecutor, todo: deque[Job], ctx: RunContext, manifest: Manifest,
           reporter: Reporter) -> Iterator[Outcome]:
    """Feed one pool its share of jobs, never more in flight than workers (so "current
    file" means something), and stop feeding it once a worker died."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    workers = ctx.options.jobs
    budget = workers * TASKS_PER_WORKER
    running: dict[Future[Outcome], Job] = {}
    broken = False
    while running or (todo and budget and not broken):
        while todo and budget and not broken and len(running) < workers:
            job = todo.popleft()
            budget -= 1
            reporter.started(job)
            running[pool.submit(run_job, job, ctx, _recorded(job, ctx, manifest))] = job
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: str(running[f].label)):
            job = running.pop(future)
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                broken = True
                yield Outcome(job, errors=[f"{job.label}: 渲染进程意外退出（内存不足或被终止？）；其余计划继续渲染"])
            elif error is not None:
                yield Outcome(job, errors=[_internal_error(job, error)])
            else:
                yield future.result()


@contextmanager
def _pool(ctx: RunContext) -> Iterator[ProcessPoolExecutor]:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(ctx.options.jobs, mp_context=_mp_context(), initializer=_init_worker,
                               initargs=(ctx.writers, dict(os.environ), _process_policy()))
    try:
        yield pool
    except BaseException:
        # Ctrl-C or a bug in the parent: do not wait for documents nobody will look at.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _mp_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: workers start in milliseconds with what the parent has loaded (the
    writers, the word segmenter), so recycling pools is nearly free. The parent runs no thread of its own when it
    forks (the progress bar refreshes without one). spawn elsewhere (macOS, Windows)."""
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _import_writers(ctx: RunContext) -> None:
    """Import the writers once, in the parent: forked workers start with them loaded."""
    import importlib

    for fmt in ctx.options.formats:
        try:
            importlib.import_module(ctx.writers[fmt][0])
        except ImportError:
            pass  # reported per plan, where the writer is asked for


def _warm_title_breaking() -> None:
    """Load the word segmenter title breaking uses (seconds) once, in the parent, so the
    workers of every later pool inherit it. Only when documents are to be written: a run
    that skips everything never needs it."""
    from render.text.titlebreak import break_title

    break_title("关于进一步加强和改进新时代学校教育工作的实施意见", 8)


class _ProcessPolicy(Struct, frozen=True):
    """What the command line set for its process (render/cli/main.py), for a worker to set
    again: a spawned worker starts from Python's defaults."""

    gc_threshold: tuple[int, ...]
    quiet_logs: bool  # the root logger drops records (a NullHandler), nothing is printed


def _logs_dropped() -> bool:
    import logging

    return any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger().handlers)


def _process_policy() -> _ProcessPolicy:
    import gc

    return _ProcessPolicy(gc.get_threshold(), _logs_dropped())


def _apply(policy: _ProcessPolicy) -> None:
    import gc
    import logging

    gc.set_threshold(*policy.gc_threshold)
    if policy.quiet_logs and not _logs_dropped():
        logging.getLogger().addHandler(logging.NullHandler())


def _init_worker(writers: WriterTable, environ: dict[str, str], policy: _ProcessPolicy) -> None:
    """Make a spawned worker see what the parent sees now: its writer table (tests register
    stand-ins), its environment (GONGWEN_REGISTRY, GONGWEN_DEBUG, …), the collector's
    thresholds and whether library logs are dropped."""
    from render import writers as writer_registry

    os.environ.clear()
    os.environ.update(environ)
    writer_registry.WRITERS.clear()
    writer_registry.WRITERS.update(writers)
    _apply(policy)


def _recorded(job: Job, ctx: RunContext, manifest: Manifest) -> dict[str, Entry]:
    return {key: entry for key in ctx.keys(job) if (entry := manifest.get(key)) is not None}


# --- the batch ----------------------------------------------------------------------------

def _context(options: BatchOptions, jobs: list[Job]) -> RunContext:
    from render.profile import DEFAULT_PROFILE, TEMPLATES_DIR
    from render.writers import READS_FONTS, WRITERS

    single = None
    if (options.output is not None and len(jobs) == 1 and len(options.formats) == 1
            and options.output.suffix == f".{options.formats[0]}"):
        single = options.output
    root = single.parent if single is not None else options.output or DEFAULT_OUTPUT
    profile_path = options.profile or DEFAULT_PROFILE
    fonts = _font_files(options) if READS_FONTS & set(options.formats) else []
    environments = {fmt: environment_digest(fmt, profile_path, TEMPLATES_DIR, fonts if fmt in READS_FONTS else ())
                    for fmt in WRITERS}
    return RunContext(options, root, single, environments, dict(WRITERS))


def _check_outputs(ctx: RunContext, jobs: list[Job]) -> None:
    """`-o FILE`: never a device, FIFO or folder, never one of the job's own inputs."""
    from render.atomic import OutputRefused, check_target

    if ctx.single_target is not None:
        check_target(ctx.single_target, [p for job in jobs for p in (job.plan, job.data) if p is not None])
    elif ctx.root.exists() and not ctx.root.is_dir():
        formats = "、".join(f".{fmt}" for fmt in ctx.options.formats)
        raise OutputRefused("E904", f"-o 指向已有的文件，而这里需要输出目录（只有一个计划和一种格式时，-o 才可以是"
                                    f"扩展名为 {formats} 的文件名）；没有写入任何文件", ctx.root)


def _sweep(root: Path) -> None:
    """Temporary files a killed run left in the output folder (and its unit folders)."""
    from render.atomic import sweep_stale

    if not root.is_dir():
        return
    sweep_stale(root)
    for units in root.glob("*/units"):
        sweep_stale(units)


def _font_files(options: BatchOptions) -> list[Path]:
    """The font files the PDF writer embeds and the Word writer measures; none when they
    cannot be resolved (the PDF writer then reports why, per plan)."""
    try:
        from render.fonts.resolve import resolve_fonts

        explicit: dict[str, str | Path] = {role: path for role, path in _profile(options.profile).font_files.items()}
        return sorted({font.path for font in resolve_fonts(explicit).values()})
    except Exception:  # noqa: BLE001 - hashing must never be why a render fails
        return []


def run_batch(paths: tuple[str, ...], options: BatchOptions,
              reporter: Callable[[int], Reporter] = SilentReporter) -> Tally:
    """Render every job, telling `reporter(total)` as each starts and finishes; the tally
    says what was rendered, skipped and failed."""
    started = time.monotonic()
    jobs = find_jobs(paths, options)
    _profile(options.profile)  # a broken --profile is one error, not one per plan
    ctx = _context(options, jobs)
    _check_outputs(ctx, jobs)
    _sweep(ctx.root)
    manifest = Manifest.load(ctx.root)
    clashes = _clashes(jobs)
    runnable = [job for job in jobs if job not in clashes]
    tally = Tally()
    run = _parallel if options.jobs > 1 and len(runnable) > 1 else _sequential
    last_save = time.monotonic()
    with reporter(len(jobs)) as told:
        for job, first in clashes.items():
            outcome = Outcome(job, errors=[f"{job.label}: 输出文件名与 {first.label} 相同（都是 {job.stem}.*），"
                                           "请改名后分开渲染"])
            tally.add(outcome)
            told.finished(outcome)
        try:
            for outcome in run(runnable, ctx, manifest, told):
                manifest.record(outcome.entries)
                tally.add(outcome)
                told.finished(outcome)
                if time.monotonic() - last_save > 2:  # a killed run keeps most of its skips
                    manifest.save()
                    last_save = time.monotonic()
        finally:
            manifest.save()
    tally.seconds = time.monotonic() - started
    return tally
