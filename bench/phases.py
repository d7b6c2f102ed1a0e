"""Where a one-shot render of the 南岸 notice goes, phase by phase: the profile behind
bench/run.py's whole-process ratios. Phase k is a whole process that stops after the k-th
step, so each figure is what that step adds to the ones before it, its imports included
(as a one-shot command pays them). The first step is the stack bench/bare.py --stack
imports, before its one model is validated.

    python bench/phases.py [--to docx|pdf|xlsx] [--runs N] [--instructions]

Times are medians of interleaved runs (CPU, user + system); --instructions counts each
process's instructions with valgrind instead (the same on a loaded machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "plans" / "nanan-2022-22-notice.yaml"

STEPS = ("python starts", "the stack imported (click, PyYAML, pydantic)", "the command line imported",
         "the plan reader imported (gongwen's pydantic model)", "the plan read and checked",
         "the profile loaded, the plan lowered", "the title broken into lines", "the writer imported",
         "the file written")

# Runs the first argv[1] steps of a render, then exits.
PROGRAM = """
import sys
steps, fmt, plan, target = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def done(step):
    if step >= steps:
        raise SystemExit(0)
done(1)
import click, yaml, pydantic
from pydantic import BaseModel
done(2)
import render.cli.main
done(3)
from pathlib import Path
from render.reading.loader import load_plan
done(4)
plan = load_plan(Path(plan))
done(5)
from render.document.source import prepare
from render.profile import load_profile
source = prepare(plan, load_profile())
done(6)
if fmt != "xlsx":  # the 责任分工表 prints the title whole
    source.document.title_lines
done(7)
from render.writers import writer_for
write = writer_for(fmt)
done(8)
write(source, Path(target))
"""


def _cpu_ms(command: list[str], env: dict[str, str]) -> float:
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"{' '.join(command[:4])}… failed")
    return 1000 * (usage.ru_utime + usage.ru_stime)


def _instructions(command: list[str], env: dict[str, str], folder: Path) -> float:
    out = folder / "callgrind.out"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1]) / 1e6
    raise SystemExit(f"no total in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--to", default="docx", choices=("docx", "pdf", "xlsx"))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        env["GONGWEN_REGISTRY"] = str(folder / "registry.sqlite")
        commands = [[sys.executable, "-c", PROGRAM, str(k), args.to, str(NOTICE), str(folder / f"out.{args.to}")]
                    for k in range(1, len(STEPS) + 1)]
        for command in commands:  # bytecode and the caches on disk written first
            _cpu_ms(command, env)
        if args.instructions:
            if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
                raise SystemExit("--instructions needs valgrind (apt install valgrind)")
            totals = [_instructions(command, env, folder) for command in commands]
            unit = "M instructions"
        else:
            runs: list[list[float]] = [[] for _ in commands]
            for _ in range(args.runs):
                for index, command in enumerate(commands):
                    runs[index].append(_cpu_ms(command, env))
            totals = [statistics.median(values) for values in runs]
            unit = f"CPU ms, median of {args.runs}"
    print(f"render --to {args.to}, phase by phase ({unit})        total     added")
    previous = 0.0
    for step, total in zip(STEPS, totals, strict=True):
        print(f"  {step:<52}{total:>8.0f}{total - previous:>10.0f}")
        previous = total


if __name__ == "__main__":
    main()
