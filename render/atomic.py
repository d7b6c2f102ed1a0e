"""Output files appear whole or not at all, and the same input gives the same bytes.

A target is checked before anything is written: a device node, FIFO or folder is never
replaced by a regular file, and a command's own input is never its output (E902, E903).
Temporary files are named `.<name>.gongwen-<pid>-<random>.tmp` beside the target, so a
later run can tell its own litter from a killed run's (`sweep_stale`: the writing process
is gone) and leaves everyone else's files alone; the name part is shortened so that a
temporary name fits wherever the final name fits.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from render.diagnostics import Refused

if TYPE_CHECKING:
    from _typeshed import SizedBuffer  # what typeshed says ZipFile.writestr takes

# Zip entries carry a timestamp; a fixed one keeps .docx/.xlsx byte-identical across runs.
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

# Most file systems allow 255 bytes per name; the temporary name adds at most ~40.
_NAME_BYTES = 255
_TEMP_EXTRA_BYTES = 48
_TEMP = re.compile(r"^\..*\.gongwen-(\d+)-[A-Za-z0-9_]{8}\.(?:tmp|scratch)$", re.DOTALL)
# Temporary files of versions before the pid was in the name: swept once they are a day old.
_OLD_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.(?:tmp|scratch)$", re.DOTALL)
_OLD_TEMP_AGE = 24 * 3600


class OutputRefused(Refused):
    """A target gongwen will not write; the message is for the user (简体中文)."""

    nameless = "<输出>"


def check_target(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse a target that is not a regular file (when it exists) or is one of `inputs`."""
    if str(target) in ("", "."):
        raise OutputRefused("E900", "输出文件名为空", target)
    try:
        status: os.stat_result | None = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as error:
        raise OutputRefused("E902", f"无法检查输出位置：{error.strerror}", target) from None
    if status is not None and not stat.S_ISREG(status.st_mode):
        kind = ("文件夹" if stat.S_ISDIR(status.st_mode) else "命名管道（FIFO）" if stat.S_ISFIFO(status.st_mode)
                else "设备" if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode) else "特殊文件")
        raise OutputRefused("E902", f"输出位置是{kind}，不是普通文件，拒绝写入（不会替换它）", target)
    for source in inputs:
        try:
            same = os.path.samefile(target, source)
        except OSError:
            # The target does not exist yet, though its folder may be made on the way:
            # `sub/../in.txt` is in.txt once sub/ exists.
            same = bool(_spellings(target) & _spellings(source))
        if same:
            raise OutputRefused("E903", f"输出文件就是输入文件“{source}”，即使加了 --force 也不会覆盖它；"
                                        "请另选输出文件名", target)


def _spellings(path: Path) -> set[str]:
    return {os.path.realpath(path), os.path.normpath(os.path.abspath(path))}


def _temp_prefix(target: Path) -> str:
    name = target.name.encode("utf-8", "surrogateescape")
    room = _NAME_BYTES - _TEMP_EXTRA_BYTES
    if len(name) > room:
        name = name[:room].decode("utf-8", "ignore").encode("utf-8")
    return f".{name.decode('utf-8', 'surrogateescape')}.gongwen-{os.getpid()}-"


def sweep_stale(folder: Path) -> int:
    """Remove temporary files of killed gongwen runs in `folder` (their process is gone);
    returns how many. Files of running processes and all other files are kept."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        found = _TEMP.match(entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if found:
                stale = int(found.group(1)) != os.getpid() and not _alive(int(found.group(1)))
            else:
                stale = bool(_OLD_TEMP.match(entry.name)) and now - entry.stat().st_mtime > _OLD_TEMP_AGE
            if stale:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) is not a question on Windows: never sweep by pid there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only on success."""
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
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


def _fixed_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry as every container we write has it: a fixed time, mode 0644, deflated."""
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


class FixedZipFile(zipfile.ZipFile):
    """A zip whose entries, written by name or from a file as a library writes them, all
    come out as `_fixed_entry` makes them: the library's own writing is then the
    deterministic container, with nothing to unpack and compress again."""

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: SizedBuffer | str,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = _fixed_entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: str | os.PathLike[str], arcname: str | os.PathLike[str] | None = None,
              compress_type: int | None = None, compresslevel: int | None = None) -> None:
        name = os.fspath(arcname if arcname is not None else filename)
        # As zipfile names a file's entry: no drive, no leading slash, forward slashes.
        name = os.path.splitdrive(os.path.normpath(name))[1].lstrip(os.sep).replace(os.sep, "/")
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


@contextmanager
def atomic_zip(target: Path) -> Iterator[FixedZipFile]:
    """A zip container written into a temporary name, renamed into place whole once closed."""
    with atomic_path(target) as tmp, FixedZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        yield archive


def normalise_zip(source: Path, target: Path) -> None:
    """Rewrite a zip container (docx, xlsx) with sorted-as-written entries and fixed times."""
    with zipfile.ZipFile(source) as old, FixedZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))


@contextmanager
def atomic_zip_path(target: Path) -> Iterator[Path]:
    """Like atomic_path, for zip containers a library can only save to a path of its own:
    it writes a scratch file, rewritten deterministically into the temporary name that is
    then renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    check_target(target)
    fd, scratch_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".scratch", dir=target.parent)
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
    with atomic_zip(target) as archive:
        for name, data in entries:
            archive.writestr(name, data)
