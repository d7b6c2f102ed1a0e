"""Output files appear whole or not at all, and the same input gives the same bytes."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Zip entries carry a timestamp; a fixed one keeps .docx/.xlsx byte-identical across runs.
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only on success."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def normalise_zip(source: Path, target: Path) -> None:
    """Rewrite a zip container (docx, xlsx) with sorted-as-written entries and fixed times."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            new.writestr(fixed, old.read(info.filename))


@contextmanager
def atomic_zip_path(target: Path) -> Iterator[Path]:
    """Like atomic_path, for zip containers: the library writes a scratch file, which is
    rewritten deterministically into the temporary name that is then renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".scratch", dir=target.parent)
    os.close(fd)
    scratch = Path(scratch_name)
    try:
        yield scratch
        with atomic_path(target) as tmp:
            normalise_zip(scratch, tmp)
    finally:
        scratch.unlink(missing_ok=True)


def write_zip_atomic(target: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    """A zip container (OFD) from (name, bytes) entries, in the order given, with fixed
    times and modes, renamed into place whole."""
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
