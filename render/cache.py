"""gongwen's own caches on disk (derived from installed files, rebuilt when those change):
`$XDG_CACHE_HOME/gongwen`, else `~/.cache/gongwen`, or `GONGWEN_CACHE` when set. A cache
is never an output: losing it costs time, not results."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from render.atomic import OutputRefused, write_bytes_atomic


def cache_folder() -> Path:
    chosen = os.environ.get("GONGWEN_CACHE", "").strip()
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "gongwen"


def sweep_others(folder: Path, prefix: str, keep: Path) -> None:
    """Remove older caches of one kind (`prefix*`) once `keep` is built: a cache keyed by
    its source's content would otherwise pile up a file per version of that source."""
    try:
        for old in folder.glob(f"{prefix}*"):
            if old != keep and old.is_file() and not old.name.startswith("."):
                old.unlink(missing_ok=True)
    except OSError:
        pass


def keep_newest(folder: Path, prefix: str, count: int) -> None:
    """Remove all but the `count` newest caches of one kind (`prefix*`), by when each was
    written: for a kind where several live side by side (one per profile a user renders
    with), so each edit's leftover goes in time without two profiles in turn evicting each other."""
    try:
        kept = [path for path in folder.glob(f"{prefix}*") if path.is_file() and not path.name.startswith(".")]
        kept.sort(key=lambda path: (path.stat().st_mtime_ns, path.name), reverse=True)
        for old in kept[count:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


_DIGESTS = "digests.json"
_digest_memo: dict[tuple[str, int, int, int], str] = {}


def content_digest(path: Path) -> str:
    """The SHA-256 of a file's content, what caches of it are keyed by. Hashing a 16 MB
    font costs more than reading its cache, so, as git's index does, the digest is kept with
    the file's size, mtime and inode in the cache folder and computed again only when one
    of those changes."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block the read below
        raise OSError(f"not a regular file: {path}")
    name = os.path.abspath(path)
    memo_key = (name, status.st_size, status.st_mtime_ns, status.st_ino)
    if memo_key in _digest_memo:
        return _digest_memo[memo_key]
    stamp = [status.st_size, status.st_mtime_ns, status.st_ino]
    index_file = cache_folder() / _DIGESTS
    index = _read_index(index_file)
    entry = index.get(name)
    if isinstance(entry, list) and len(entry) == 4 and entry[:3] == stamp and isinstance(entry[3], str):
        digest = str(entry[3])
    else:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        index[name] = [*stamp, digest]
        try:
            write_bytes_atomic(index_file, json.dumps(index, sort_keys=True).encode("utf-8"))
        except (OSError, OutputRefused):
            pass  # computed again next time
    _digest_memo[memo_key] = digest
    return digest


def _read_index(index_file: Path) -> dict[str, object]:
    try:
        loaded = json.loads(index_file.read_bytes())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
