"""Allocation from several processes at once (multiprocessing, not threads).

'spawn' gives each worker a fresh interpreter and its own SQLite connection, as separate
`gongwen` invocations would have. The workers open a registry file that does not exist
yet, so creating and migrating it races too.
"""

from __future__ import annotations

import multiprocessing
import queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from render.registry import SQLiteStore, State

CODE = "南岸委办"
YEAR = 2022
WORKERS = 8
PER_WORKER = 100


def allocate_many(path: str, worker: int, count: int, start: Barrier, results: Any) -> None:
    start.wait()
    with SQLiteStore(path) as store:
        serials = [store.allocate(CODE, YEAR, title=f"w{worker}-{i}").number.serial
                   for i in range(count)]
    results.put((worker, serials))


def reserve_plans(path: str, worker: int, plans: list[str], start: Barrier, results: Any) -> None:
    start.wait()
    with SQLiteStore(path) as store:
        got = {plan: store.reserve_for_plan(CODE, YEAR, plan).number.serial for plan in plans}
    results.put((worker, got))


def run_workers(target: Any, args: tuple[Any, ...], workers: int) -> dict[int, Any]:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(workers, timeout=60), ctx.Queue()
    processes = [ctx.Process(target=target, args=(args[0], n, *args[1:], start, results))
                 for n in range(workers)]
    for process in processes:
        process.start()
    try:
        # Drain the queue before join(): a child blocks on exit until its queued data is read.
        collected = collect(results, processes)
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
        return collected
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()


def collect(results: Any, processes: list[Any]) -> dict[int, Any]:
    """Every worker's answer; fail at once when a worker died or all exited without
    answering (no wall-clock limit: a slow machine is not a failure)."""
    collected: dict[int, Any] = {}
    while len(collected) < len(processes):
        try:
            worker, answer = results.get(timeout=0.5)
        except queue.Empty:
            died = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            assert not died, f"worker exit codes: {died}"
            silent = all(p.exitcode is not None for p in processes) and results.empty()
            assert not silent, f"workers exited with {len(collected)} of {len(processes)} answers"
            continue
        collected[worker] = answer
    return collected


def test_eight_processes_allocate_serials_1_to_800_without_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "registry.sqlite"
    by_worker = run_workers(allocate_many, (str(db), PER_WORKER), WORKERS)

    every = [serial for serials in by_worker.values() for serial in serials]
    assert sorted(every) == list(range(1, WORKERS * PER_WORKER + 1))
    for serials in by_worker.values():
        assert serials == sorted(serials)  # each process sees its own numbers increase
    with SQLiteStore(db) as store:
        entries = store.list(CODE, YEAR)
    assert [entry.number.serial for entry in entries] == list(range(1, 801))
    assert {entry.state for entry in entries} == {State.ISSUED}
    assert len({entry.title for entry in entries}) == 800


def test_processes_rendering_the_same_plans_share_one_number_per_plan(tmp_path: Path) -> None:
    db = tmp_path / "registry.sqlite"
    plans = [f"plans/p{n}.yaml" for n in range(5)]
    by_worker = run_workers(reserve_plans, (str(db), plans), 6)
    answers = list(by_worker.values())
    assert all(answer == answers[0] for answer in answers)
    assert sorted(answers[0].values()) == [1, 2, 3, 4, 5]
