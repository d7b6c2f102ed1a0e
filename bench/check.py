"""`gongwen check` beside its floor: pdfplumber reading every character and line of the same
PDF (what any page measurement costs at least).

    python bench/check.py

Renders the 南岸 notice (22 pages) once, then prints the median time of a full check and of
the bare read, and their ratio (target, reported only: ≤ 1.5×). LibreOffice's printing of a
.docx is left out: it is the office suite's time, not the checker's.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render.checking import check_pdf  # noqa: E402
from render.document.source import prepare  # noqa: E402
from render.profile import load_profile  # noqa: E402
from render.reading.loader import load_plan  # noqa: E402
from render.writers import pdf  # noqa: E402


def _median(action: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    import pdfplumber

    profile = load_profile()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "nanan.pdf"
        pdf.write(prepare(load_plan(ROOT / "plans" / "nanan-2022-22-notice.yaml"), profile), target)

        def bare() -> None:
            with pdfplumber.open(target) as document:
                for page in document.pages:
                    _ = page.chars, page.lines, page.rects, page.curves, page.images

        floor = _median(bare)
        checked = _median(lambda: check_pdf(target, profile))
    print(f"pdfplumber read (floor)  {floor * 1000:8.0f} ms")
    print(f"gongwen check            {checked * 1000:8.0f} ms")
    print(f"ratio                    {checked / floor:8.2f}×  (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
