"""gongwen's speed and memory, each figure beside what it should be compared with.

    python bench/run.py            # the full run: 200 and 800 plans (several minutes)
    python bench/run.py --quick    # 40 and 160 plans, for a quick look
    python bench/run.py --warm     # only the warm render (docx+pdf+xlsx in one process)
    python bench/run.py --whole    # only the whole-process ratios (a minute or two)
    python bench/run.py --instructions  # their instruction counts (valgrind): unmoved by load

Prints a table and writes bench/results.json. Targets (reported, not asserted): each writer
≤ 1.5× its bare-library floor, and a warm render of the notice to all three ≤ 1.5× the sum of
the floors; -j2 ≥ 1.8× -j1; peak RSS at 800 plans ≤ 1.1× that at 200;
`gongwen --help` ≤ 0.3 s; whole process (interleaved runs, CPU and wall): `render --to
docx/pdf/xlsx` ≤ 2× the bare-library script (bench/bare.py), `--to pdf` ≤ 2× Typst and
≤ 0.25× LibreOffice's docx→pdf, `validate` ≤ 3× and `--help` ≤ 2× an empty Python start.
Needs `pip install -e .[bench]` (psutil, typst); LibreOffice where installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "work"

from bench.bare import IMPORTS, STACK  # noqa: E402
from bench.floors import FLOORS  # noqa: E402
from bench.generate import generate  # noqa: E402

NOTICE = ROOT / "plans" / "nanan-2022-22-notice.yaml"


def median_ms(action: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def writers_against_floors(runs: int) -> list[dict[str, Any]]:
    from render.document.source import prepare
    from render.profile import load_profile
    from render.reading.loader import load_plan
    from render.writers import writer_for

    source = prepare(load_plan(ROOT / "plans" / "nanan-2022-22-notice.yaml"), load_profile())
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt, floor in FLOORS.items():
            target = Path(folder) / f"writer.{fmt}"
            floor_target = Path(folder) / f"floor.{fmt}"
            writer = writer_for(fmt)
            ours = median_ms(lambda: writer(source, target), runs)
            bare = median_ms(lambda: floor(source, floor_target), runs)
            rows.append({"writer": fmt, "ms": round(ours, 1), "floor_ms": round(bare, 1),
                         "ratio": round(ours / bare, 2)})
    return rows


def warm_render(runs: int) -> dict[str, Any]:
    """The 南岸 notice to docx, pdf and xlsx in one process that has rendered it before (a
    batch worker, `gongwen serve`): read, checked, lowered and written each time, beside
    the three bare floors writing the same text (target ≤ 1.5× their sum)."""
    from render.document.source import prepare
    from render.profile import load_profile
    from render.reading.loader import load_plan
    from render.writers import writer_for

    formats = ("docx", "pdf", "xlsx")
    writers = {fmt: writer_for(fmt) for fmt in formats}
    profile = load_profile()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def ours() -> None:
            source = prepare(load_plan(NOTICE), profile)
            for fmt, writer in writers.items():
                writer(source, out / f"warm.{fmt}")

        source = prepare(load_plan(NOTICE), profile)

        def floors() -> None:
            for fmt in formats:
                FLOORS[fmt](source, out / f"floor.{fmt}")

        # Interleaved, one of each a round, so a load that comes and goes hits both alike.
        ours(), floors(), ours(), floors()
        rounds = [(median_ms(ours, 1, warmup=0), median_ms(floors, 1, warmup=0)) for _ in range(runs)]
        ours_ms = statistics.median(first for first, _ in rounds)
        floors_ms = statistics.median(second for _, second in rounds)
    return {"ours_ms": round(ours_ms, 1), "floors_ms": round(floors_ms, 1),
            "ratio": round(ours_ms / floors_ms, 2), "target": 1.5}


def imports(runs: int) -> list[dict[str, Any]]:
    from render.importers import import_document

    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    return [{"seed": seed.name, "ms": round(median_ms(lambda: import_document(seed), runs), 1)} for seed in seeds]


def _tree_rss(process: Any) -> int:
    import psutil

    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def batch(count: int, jobs: int) -> dict[str, Any]:
    """Render `count` generated plans to docx, pdf and xlsx; time it and watch the memory
    of the whole process tree (the parent and every worker)."""
    import psutil

    plans = WORK / f"plans-{count}"
    if not plans.exists():
        generate(count, plans)
    out = WORK / f"out-{count}-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "GONGWEN_REGISTRY"}
    command = [sys.executable, "-m", "render", "render", str(plans), "--to", "docx,pdf,xlsx",
               "-j", str(jobs), "-o", str(out), "--force"]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=WORK, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"batch of {count} with -j{jobs} failed: {child.stderr.read().decode()[-2000:]}")
    files = sum(1 for p in out.iterdir() if p.suffix in (".docx", ".pdf", ".xlsx"))
    return {"plans": count, "jobs": jobs, "files": files, "wall_s": round(wall, 2),
            "plans_per_s": round(count / wall, 2), "peak_rss_mb": round(peak / 2**20, 1)}


_TITLE_PLAN = """\
type: notice
issuers: 重庆市测试区教育委员会
number: {{code: 测试教发, year: 2024, serial: 7}}
title: {title}
to: 各中小学校
date: 2024-05-06
body: 请认真贯彻执行。
"""
_PHRASE = "关于进一步加强和改进新时代中小学校思想政治工作推动立德树人根本任务落实"


def long_title(runs: int) -> dict[str, Any]:
    """Whole-process `render --to docx,pdf` of a notice with a 200-character title beside
    the same notice with a 12-character one (title breaking was exponential in length)."""
    folder = WORK / "titles"
    folder.mkdir(parents=True, exist_ok=True)
    figures = {}
    for name, title in (("short", "关于做好安全工作的通知"), ("long", (_PHRASE * 6)[:197] + "的通知")):
        plan = folder / f"{name}.yaml"
        plan.write_text(_TITLE_PLAN.format(title=title), encoding="utf-8")
        registry = folder / f"{name}-registry.sqlite"
        registry.unlink(missing_ok=True)  # a registry left by an earlier version names plans otherwise
        env = {**os.environ, "GONGWEN_REGISTRY": str(registry)}

        def once(plan: Path = plan, env: dict[str, str] = env) -> None:
            subprocess.run([sys.executable, "-m", "render", "render", str(plan), "--to", "docx,pdf",
                            "-o", str(folder / "out"), "--force"], check=True, env=env,
                           stdout=subprocess.DEVNULL)

        figures[name] = median_ms(once, runs)
    return {"short_ms": round(figures["short"]), "long_ms": round(figures["long"]),
            "ratio": round(figures["long"] / figures["short"], 2)}


def long_plan(runs: int) -> dict[str, Any]:
    """Whole-process `render --to docx,pdf` of a generated work plan of about 450 items and
    of one with 5 times as many: the time per item should not grow
    with the plan (the Word writer's passes once broke every paragraph again when a plan
    had more paragraphs than the process keeps)."""
    import random

    import yaml

    from bench.generate import load_corpus, make_plan

    folder = WORK / "long-plan"
    folder.mkdir(parents=True, exist_ok=True)
    corpus, rng = load_corpus(), random.Random(7)
    sections: list[Any] = []
    while sum(len(section["items"]) for section in sections) < 450:
        plan = make_plan(1, rng, corpus)  # an odd index: a work plan
        sections += plan["sections"]  # type: ignore[arg-type]
    figures = {}
    for name, copies in (("base", 1), ("long", 5)):
        plan = {**make_plan(1, rng, corpus), "sections": [dict(section, title=f"{section['title']}（{k}）")
                                                         for k in range(copies) for section in sections]}
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        env = {**os.environ, "GONGWEN_REGISTRY": str(folder / "registry.sqlite")}

        def once(path: Path = path, env: dict[str, str] = env) -> None:
            subprocess.run([sys.executable, "-m", "render", "render", str(path), "--to", "docx,pdf",
                            "-o", str(folder / "out"), "--force"], check=True, env=env, stdout=subprocess.DEVNULL)

        figures[name] = median_ms(once, runs, warmup=1)
    items = sum(len(section["items"]) for section in sections)
    return {"items": items, "base_ms": round(figures["base"]), "long_ms": round(figures["long"]),
            "per_item_ratio": round(figures["long"] / (5 * figures["base"]), 2)}


def startup(runs: int) -> float:
    def help_once() -> None:
        subprocess.run([sys.executable, "-m", "render", "--help"], check=True, stdout=subprocess.DEVNULL)

    return median_ms(help_once, runs)


def _run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall s, CPU s) of one child process: user + system time from its own rusage."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=WORK, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()[-2000:] if child.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def _whole_process_commands(folder: Path) -> dict[str, list[str]]:
    from bench.floors import floor_data
    from render.document.source import prepare
    from render.profile import load_profile
    from render.reading.loader import load_plan

    data = folder / "notice-texts.json"
    source = prepare(load_plan(NOTICE), load_profile())
    data.write_text(json.dumps(floor_data(source), ensure_ascii=False), encoding="utf-8")
    python, bare = sys.executable, str(ROOT / "bench" / "bare.py")
    commands = {"python -c pass": [python, "-c", "pass"],
                "gongwen --help": [python, "-m", "render", "--help"],
                "gongwen validate": [python, "-m", "render", "validate", str(NOTICE)],
                # What no change inside gongwen removes: the libraries the brief names, imported.
                "floor: import click": [python, "-c", "import click"],
                "floor: import the stack": [python, "-c", IMPORTS],
                "floor: the stack, one model validated": [python, "-c", STACK]}
    for fmt in ("docx", "pdf", "xlsx"):
        commands[f"render --to {fmt}"] = [python, "-m", "render", "render", str(NOTICE), "--to", fmt,
                                          "-o", str(folder / f"ours.{fmt}"), "--force"]
        commands[f"bare {fmt}"] = [python, bare, fmt, str(data), str(folder / f"bare.{fmt}")]
    for fmt in ("docx", "pdf", "xlsx"):
        commands[f"floor: the stack + bare {fmt}"] = [python, bare, "--stack", fmt, str(data),
                                                      str(folder / f"stack.{fmt}")]
    # The bare workbook with what a printable 责任分工表 must carry (bench/bare.py xlsx_bare).
    commands["floor: the stack + bare xlsx, styled"] = [python, bare, "--stack", "xlsx-styled", str(data),
                                                        str(folder / "stack-styled.xlsx")]
    # The plan read, checked, lowered (and its title broken) by gongwen, then written bare.
    for fmt in ("docx", "xlsx-styled"):
        commands[f"floor: the plan read + bare {fmt.replace('-', ', ')}"] = [
            python, bare, "--read", str(NOTICE), fmt, str(data), str(folder / f"read.{fmt}")]
    if importlib.util.find_spec("typst") is not None:
        commands["typst pdf"] = [python, bare, "typst", str(data), str(folder / "typst.pdf")]
    office = shutil.which("soffice")
    if office:  # our own .docx (written by `render --to docx` earlier in each round) printed to PDF
        commands["libreoffice docx→pdf"] = [office, f"-env:UserInstallation=file://{folder / 'office-profile'}",
                                            "--headless", "--convert-to", "pdf", "--outdir", str(folder / "office"),
                                            str(folder / "ours.docx")]
    return commands


# (ours, what it is compared with, target ratio)
WHOLE_PROCESS_PAIRS = (("render --to docx", "bare docx", 2.0), ("render --to pdf", "bare pdf", 2.0),
                       ("render --to xlsx", "bare xlsx", 2.0), ("gongwen validate", "python -c pass", 3.0),
                       ("gongwen --help", "python -c pass", 2.0), ("render --to pdf", "typst pdf", 2.0),
                       ("render --to pdf", "libreoffice docx→pdf", 0.25))


# (floor, what it is compared with, the target it bounds): the lowest each ratio can be on
# the stack the brief names (click for the command line, pydantic for validation, PyYAML,
# python-docx, openpyxl, reportlab). "The stack" is click and PyYAML imported and one
# pydantic model validated, as every command that reads a plan must; "+ bare X" is that
# followed by the bare library script. A floor above its target makes the target unreachable
# without leaving that library; the gap between a floor and our figure is gongwen's own.
# "The plan read + bare X" puts what `render` does before any writer (gongwen's plan model,
# checks and lowering; the title broken where the format prints it) in the stack's place:
# what is left between it and our figure is the writer's own work.
FLOOR_PAIRS = (("floor: import click", "python -c pass", "gongwen --help ≤ 2.0"),
               ("floor: import the stack", "python -c pass", "gongwen validate ≤ 3.0"),
               ("floor: the stack, one model validated", "python -c pass", "gongwen validate ≤ 3.0"),
               ("floor: the stack + bare docx", "bare docx", "render --to docx ≤ 2.0"),
               ("floor: the stack + bare xlsx", "bare xlsx", "render --to xlsx ≤ 2.0"),
               ("floor: the stack + bare xlsx, styled", "bare xlsx", "render --to xlsx ≤ 2.0"),
               ("floor: the plan read + bare docx", "bare docx", "render --to docx ≤ 2.0"),
               ("floor: the plan read + bare xlsx, styled", "bare xlsx", "render --to xlsx ≤ 2.0"),
               ("floor: the stack + bare pdf", "typst pdf", "render --to pdf ≤ 2.0 × Typst"),
               ("floor: the stack + bare pdf", "libreoffice docx→pdf", "render --to pdf ≤ 0.25 × LibreOffice"))


def _whole_process_env(folder: Path) -> dict[str, str]:
    """The checkout this script is in, with its bytecode written (as an installed package
    has it: PYTHONDONTWRITEBYTECODE would compile every module from source on every run)."""
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPATH": str(ROOT), "GONGWEN_REGISTRY": str(folder / "registry.sqlite")}


def whole_process(runs: int) -> dict[str, Any]:
    """One document per format as a whole process (what a clerk waits for) beside the bare
    library script writing the same text, `validate` and `--help` beside an empty Python
    start. Runs are interleaved (one of each command per round) so a load that comes and
    goes hits every command alike; medians of wall and CPU (user + system) time."""
    folder = WORK / "whole"
    folder.mkdir(parents=True, exist_ok=True)
    env = _whole_process_env(folder)
    commands = _whole_process_commands(folder)
    for command in commands.values():  # warm the page cache and the caches on disk
        _run_measured(command, env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu = _run_measured(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    times = {name: {"wall_ms": round(1000 * statistics.median(walls[name]), 1),
                    "cpu_ms": round(1000 * statistics.median(cpus[name]), 1)} for name in commands}
    ratios = [{"ours": ours, "against": base, "target": target,
               "cpu_ratio": round(times[ours]["cpu_ms"] / times[base]["cpu_ms"], 2),
               "wall_ratio": round(times[ours]["wall_ms"] / times[base]["wall_ms"], 2)}
              for ours, base, target in WHOLE_PROCESS_PAIRS if base in times]
    floors = [{"floor": floor, "against": base, "bounds": bounds,
               "cpu_ratio": round(times[floor]["cpu_ms"] / times[base]["cpu_ms"], 2),
               "wall_ratio": round(times[floor]["wall_ms"] / times[base]["wall_ms"], 2)}
              for floor, base, bounds in FLOOR_PAIRS if base in times]
    return {"runs": runs, "times": times, "ratios": ratios, "floors": floors}


def _instructions(command: list[str], env: dict[str, str], folder: Path) -> int:
    """Instructions one whole process executes (valgrind's callgrind): the same count on a
    loaded machine as on a quiet one, so a change can be judged where times are noisy."""
    out = folder / "callgrind.out"
    child = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
                           cwd=WORK, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if child.returncode != 0:
        raise SystemExit(f"valgrind {' '.join(command)} failed: {child.stderr.decode()[-2000:]}")
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no total in {out}")


def instruction_counts() -> dict[str, Any]:
    """The whole-process commands' instruction counts (millions) and the same ratios as the
    timed run. Python commands only: LibreOffice and Typst run threads and a runtime that
    valgrind slows too much, or counts in ways not comparable with CPython's."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    folder = WORK / "whole"
    folder.mkdir(parents=True, exist_ok=True)
    env = _whole_process_env(folder)
    commands = {name: command for name, command in _whole_process_commands(folder).items()
                if command[0] == sys.executable and name != "typst pdf"}
    for command in commands.values():  # bytecode, font and profile caches written first
        _run_measured(command, env)
    counts = {name: round(_instructions(command, env, folder) / 1e6) for name, command in commands.items()}
    ratios = [{"ours": ours, "against": base, "target": target, "ratio": round(counts[ours] / counts[base], 2)}
              for ours, base, target in WHOLE_PROCESS_PAIRS if ours in counts and base in counts]
    floors = [{"floor": floor, "against": base, "bounds": bounds, "ratio": round(counts[floor] / counts[base], 2)}
              for floor, base, bounds in FLOOR_PAIRS if floor in counts and base in counts]
    return {"millions": counts, "ratios": ratios, "floors": floors}


def _print_instructions(figures: dict[str, Any]) -> None:
    print("\nwhole process, instructions (valgrind)        millions")
    for name, count in figures["millions"].items():
        print(f"  {name:<40}{count:>9}")
    for row in figures["ratios"]:
        print(f"  {row['ours']} / {row['against']}: {row['ratio']} (target ≤ {row['target']})")
    for row in figures["floors"]:
        print(f"  {row['floor'].removeprefix('floor: ')} / {row['against']}: {row['ratio']} (bounds {row['bounds']})")


def _print_whole(figures: dict[str, Any]) -> None:
    print(f"\nwhole process, interleaved, median of {figures['runs']}      CPU ms   wall ms")
    for name, row in figures["times"].items():
        print(f"  {name:<40}{row['cpu_ms']:>9}{row['wall_ms']:>10}")
    print("ratio                                         CPU    wall   target")
    for row in figures["ratios"]:
        label = f"{row['ours']} / {row['against']}"
        print(f"  {label:<40}{row['cpu_ratio']:>7}{row['wall_ratio']:>8}   ≤ {row['target']}")
    print("the lowest each ratio can be on this stack                CPU    wall   bounds")
    for row in figures["floors"]:
        label = f"{row['floor'].removeprefix('floor: ')} / {row['against']}"
        print(f"  {label:<54}{row['cpu_ratio']:>7}{row['wall_ratio']:>8}   {row['bounds']}")


def _write_results(update: dict[str, Any]) -> None:
    """Merge into bench/results.json: a partial run (--whole) keeps the other figures."""
    path = ROOT / "bench" / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results.update(update)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _print_table(results: dict[str, Any]) -> None:
    print("\nwriter   ours ms   floor ms   ratio   (target ≤ 1.5)")
    for row in results["writers"]:
        print(f"{row['writer']:<8}{row['ms']:>8}{row['floor_ms']:>11}{row['ratio']:>8}")
    warm = results["warm_render"]
    print(f"\nwarm render of the notice, docx+pdf+xlsx in one process: {warm['ours_ms']} ms, "
          f"floors {warm['floors_ms']} ms, ratio {warm['ratio']} (target ≤ {warm['target']})")
    print("\nimport of each seed")
    for row in results["imports"]:
        print(f"  {row['seed']:<48}{row['ms']:>8} ms")
    print("\nbatch (docx+pdf+xlsx)   plans  -j   wall s   plans/s   peak RSS MB")
    for row in results["batch"]:
        print(f"{'':<24}{row['plans']:>5}{row['jobs']:>5}{row['wall_s']:>9}{row['plans_per_s']:>10}{row['peak_rss_mb']:>14}")
    for key, value in results["derived"].items():
        print(f"{key}: {value}")
    print(f"\ngongwen --help: {results['startup_ms']} ms (target ≤ 300)")
    title = results["long_title"]
    print(f"200-character title, whole process docx+pdf: {title['long_ms']} ms, "
          f"{title['ratio']}× a 12-character title (target < 2 s)")
    _print_long_plan(results["long_plan"])


def _print_long_plan(plan: dict[str, Any]) -> None:
    print(f"work plan of {plan['items']} items, whole process docx+pdf: {plan['base_ms']} ms; 5× as many items: "
          f"{plan['long_ms']} ms, {plan['per_item_ratio']}× the time per item (linear: ≤ 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="40 and 80 plans instead of 200 and 400")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median)")
    parser.add_argument("--titles", action="store_true", help="only the long-title figure")
    parser.add_argument("--long-plan", action="store_true", help="only the long-plan figure (time per item)")
    parser.add_argument("--whole", action="store_true", help="only the whole-process figures")
    parser.add_argument("--warm", action="store_true", help="only the warm render figure")
    parser.add_argument("--instructions", action="store_true",
                        help="only instruction counts of the whole-process commands (valgrind; not timed)")
    args = parser.parse_args()
    # What the libraries log (fontTools on a free font's glyf padding) is not a figure; the
    # command line drops it the same way (render/cli/main.py).
    logging.getLogger().addHandler(logging.NullHandler())
    WORK.mkdir(parents=True, exist_ok=True)
    small, large = (40, 160) if args.quick else (200, 800)
    if args.titles:
        print(long_title(args.runs))
        return
    if args.long_plan:
        figures = long_plan(args.runs)
        _print_long_plan(figures)
        _write_results({"long_plan": figures})
        return
    if args.warm:
        figures = warm_render(args.runs)
        print(figures)
        _write_results({"warm_render": figures})
        return
    if args.instructions:
        figures = instruction_counts()
        _print_instructions(figures)
        _write_results({"instructions": figures})
        return
    if args.whole:
        figures = whole_process(args.runs)
        _print_whole(figures)
        _write_results({"whole_process": figures, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}})
        return

    results: dict[str, Any] = {"writers": writers_against_floors(args.runs), "warm_render": warm_render(args.runs),
                               "imports": imports(args.runs)}
    runs = [batch(small, 1), batch(small, 2), batch(large, 2)]
    results["batch"] = runs
    results["derived"] = {
        "speed-up -j2 / -j1 (target ≥ 1.8)": round(runs[0]["wall_s"] / runs[1]["wall_s"], 2),
        f"peak RSS {large} / {small} plans at -j2 (target ≤ 1.1, flat)": round(runs[2]["peak_rss_mb"] / runs[1]["peak_rss_mb"], 2),
    }
    results["startup_ms"] = round(startup(args.runs), 1)
    results["long_title"] = long_title(max(3, args.runs // 2))
    results["long_plan"] = long_plan(3)
    results["whole_process"] = whole_process(args.runs)
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    _print_table(results)
    _print_whole(results["whole_process"])
    _write_results(results)


if __name__ == "__main__":
    main()
