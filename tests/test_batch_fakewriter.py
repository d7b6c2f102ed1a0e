"""A stand-in writer for the batch tests (a module, not tests; importable by pool workers).

It writes `repr(document)` plus an END line, in chunks, sleeping GONGWEN_FAKE_DELAY seconds
between chunks, straight into the path it is given: it is deliberately *not* atomic, so the
tests show that the batch's own temporary-name-and-rename makes outputs whole or absent.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

END = b"\nEND\n"
CHUNK = 256
KINDS = frozenset({"notice", "work_points", "summary", "bulletin"})


def payload(source: Any) -> bytes:
    return repr(source.document).encode("utf-8") + END


def write(source: Any, target: Path) -> None:
    if os.environ.get("GONGWEN_FAKE_FAIL") and os.environ["GONGWEN_FAKE_FAIL"] in str(source.plan_path):
        raise RuntimeError("fake writer asked to fail")
    if os.environ.get("GONGWEN_FAKE_PIDS"):  # which processes did the work
        (Path(os.environ["GONGWEN_FAKE_PIDS"]) / str(os.getpid())).touch()
    delay = float(os.environ.get("GONGWEN_FAKE_DELAY", "0"))
    data = process_state() if os.environ.get("GONGWEN_FAKE_POLICY") else payload(source)
    with open(target, "wb") as handle:
        for start in range(0, len(data), CHUNK):
            handle.write(data[start:start + CHUNK])
            handle.flush()
            if delay:
                time.sleep(delay)


def process_state() -> bytes:
    """What the process that writes is set to: the collector's thresholds, whether the root
    logger drops records, and which process it is."""
    quiet = any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger().handlers)
    return json.dumps({"threshold": gc.get_threshold(), "quiet": quiet, "pid": os.getpid()}).encode() + END


def write_unit_workbooks(source: Any, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    units = sorted({unit for row in source.document.items for unit in (*row.lead, *row.units)})
    paths = []
    for unit in units:
        path = folder / f"{unit}.xlsx"
        path.write_bytes(f"{unit}\n".encode() + payload(source))
        paths.append(path)
    return paths


def complete(path: Path) -> bool:
    return path.read_bytes().endswith(END)
