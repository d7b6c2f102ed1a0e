"""gongwen's own caches on disk (derived from installed files, rebuilt when those change):
`$XDG_CACHE_HOME/gongwen`, else `~/.cache/gongwen`, or `GONGWEN_CACHE` when set. A cache
is never an output: losing it costs time, not results."""

from __future__ import annotations

import os
from pathlib import Path


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
