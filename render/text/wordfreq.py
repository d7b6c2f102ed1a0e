"""Word segmentation for titles with jieba, without loading jieba's whole dictionary.

jieba's exact mode without HMM looks up only the substrings of the sentence it cuts (every
fragment of the DAG) and one total. So the dictionary, with gongwen's title compounds added,
is stored once as an SQLite table in the user's cache folder (`render/cache.py`); cutting a
title reads just its substrings' frequencies (a few hundred rows) into a jieba `Tokenizer`,
which then cuts exactly as with the full dictionary loaded (about 1 s and 80 MiB per
process before). A smaller word list of the most frequent words was tried and changed the
breaks of about one title in nine: this keeps every break.

The table is keyed by jieba's version, its dictionary file (size and mtime) and the added
words; it is rebuilt when any of them changes. Where the cache folder cannot be written the
full dictionary is loaded as before.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import sqlite3
import sys
import threading
import types
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from render.atomic import atomic_path
from render.cache import cache_folder, sweep_others

_FORMAT = "1"  # bump when the table's layout changes
_PREFIX = "title-words-"
_CHUNK = 500  # bound parameters per query (SQLite allows 999 in old builds)
_HMM_MODULE = "jieba.finalseg"
_IMPORTING = threading.Lock()


class _HiddenModelOnDemand(types.ModuleType):
    """Stands in for `jieba.finalseg` while jieba is imported, and imports the real module
    the first time anything of it is asked for (jieba rebinds its name to the real one)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(_HMM_MODULE), name)


def _import_jieba() -> Any:
    """jieba, imported without what a cut with HMM=False never uses.

    - pkg_resources: jieba's _compat falls back to a plain open() of its own files when it is
      missing, and importing it (only to find those files) costs more than the rest of jieba.
    - The HMM model (`jieba.finalseg`, 1.3 MB of emission probabilities as a Python dict
      literal), which jieba's __init__ imports eagerly: four fifths of jieba's import. It is
      imported the first time something asks for it, so HMM=True still works.
    """
    with _IMPORTING:  # `gongwen serve` renders in threads: none may see jieba half imported
        if "jieba" not in sys.modules:
            _import_without_stand_ins()
        jieba = sys.modules["jieba"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def _import_without_stand_ins() -> None:
    hidden = {"pkg_resources": None, _HMM_MODULE: _HiddenModelOnDemand(_HMM_MODULE)}
    hidden = {name: stand_in for name, stand_in in hidden.items() if name not in sys.modules}
    sys.modules.update(hidden)  # type: ignore[arg-type]  # None: importing it raises ImportError
    try:
        import jieba  # noqa: F401
    finally:
        for name, stand_in in hidden.items():
            if sys.modules.get(name, 0) is stand_in:
                del sys.modules[name]


def _dictionary_file(jieba: Any) -> Path:
    return Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME


def _key(jieba: Any, words: Sequence[str]) -> str:
    status = _dictionary_file(jieba).stat()
    text = "\n".join([_FORMAT, str(jieba.__version__), str(status.st_size), str(status.st_mtime_ns), *words])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _full_tokenizer(jieba: Any, words: Sequence[str]) -> Any:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word)
    return tokenizer


def _build(jieba: Any, words: Sequence[str], target: Path) -> None:
    """The whole dictionary (with its prefix entries of frequency 0, as jieba keeps them)
    and the total after `words` were added, as jieba's add_word leaves them."""
    full = _full_tokenizer(jieba, words)
    with atomic_path(target) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            connection.executemany("INSERT INTO freq VALUES (?, ?)", sorted(full.FREQ.items()))
            longest = max(len(word) for word in full.FREQ)
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [("total", full.total), ("longest", longest)])
            connection.commit()
        finally:
            connection.close()


class TitleSegmenter:
    """jieba's cut (exact mode, no HMM) of a title, from the table on disk."""

    def __init__(self, table: Path, jieba: Any) -> None:
        self.jieba = jieba
        self.connection = sqlite3.connect(f"file:{table}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(self.connection.execute("SELECT name, value FROM meta"))
        self.total, self.longest = int(meta["total"]), int(meta["longest"])

    def _frequencies(self, substrings: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(substrings))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self.connection.execute(f"SELECT word, freq FROM freq WHERE word IN ({marks})", chunk))
        return found

    def cut(self, text: str) -> list[str]:
        substrings = (text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + self.longest) + 1))
        tokenizer = self.jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total = self._frequencies(substrings), self.total
        tokenizer.initialized = True  # nothing more to load: every fragment the cut asks for is in FREQ
        return list(tokenizer.cut(text, HMM=False))


class _FullSegmenter:
    """The fallback: jieba's whole dictionary in memory."""

    def __init__(self, jieba: Any, words: Sequence[str]) -> None:
        self.tokenizer = _full_tokenizer(jieba, words)

    def cut(self, text: str) -> list[str]:
        return list(self.tokenizer.cut(text, HMM=False))


@cache
def segmenter(words: tuple[str, ...]) -> TitleSegmenter | _FullSegmenter:
    """The segmenter for titles, with `words` added to jieba's dictionary."""
    jieba = _import_jieba()
    folder = cache_folder()
    try:
        table = folder / f"{_PREFIX}{_key(jieba, words)}.sqlite"
        if not table.is_file():
            _build(jieba, words, table)
            sweep_others(folder, _PREFIX, table)
        return TitleSegmenter(table, jieba)
    except (OSError, sqlite3.Error):
        return _FullSegmenter(jieba, words)
