"""Where a one-shot command's time goes: what each layer it stands on costs to import, as
whole processes (interleaved runs, median CPU time), beside an empty Python start.

    python bench/breakdown.py [--runs N]

It is the profile behind bench/run.py's whole-process ratios: the part of `validate` or
`render --to docx` that is Python, pydantic, click and python-docx starting up, which no
change inside gongwen removes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "plans" / "nanan-2022-22-notice.yaml"

# (label, Python code or None for a gongwen command line)
STEPS: tuple[tuple[str, list[str]], ...] = (
    ("python -c pass", ["-c", "pass"]),
    ("import yaml (libyaml)", ["-c", "import yaml"]),
    ("import pydantic", ["-c", "import pydantic"]),
    ("import click", ["-c", "import click"]),
    ("import docx", ["-c", "import docx"]),
    ("import reportlab canvas", ["-c", "import reportlab.pdfgen.canvas"]),
    ("import openpyxl", ["-c", "import openpyxl"]),
    ("gongwen's plan model (pydantic classes)", ["-c", "import render.model.plan"]),
    ("gongwen's loader (model, checks, YAML)", ["-c", "import render.reading.loader"]),
    ("loader + load the notice", ["-c", f"from render.reading.loader import load_plan; load_plan(__import__('pathlib').Path({str(NOTICE)!r}))"]),
    ("gongwen --help", ["-m", "render", "--help"]),
    ("gongwen validate notice", ["-m", "render", "validate", str(NOTICE)]),
)


def cpu_ms(arguments: list[str], env: dict[str, str]) -> float:
    child = subprocess.Popen([sys.executable, *arguments], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return 1000 * (usage.ru_utime + usage.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(ROOT)}
    times: dict[str, list[float]] = {label: [] for label, _ in STEPS}
    for round_ in range(args.runs + 1):
        for label, arguments in STEPS:
            spent = cpu_ms(arguments, env)
            if round_:  # the first round warms the page cache and the bytecode
                times[label].append(spent)
    empty = statistics.median(times["python -c pass"])
    print(f"{'':<44}CPU ms   × empty Python   (median of {args.runs}, interleaved)")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:<42}{median:>6.0f}{median / empty:>10.1f}")


if __name__ == "__main__":
    main()
