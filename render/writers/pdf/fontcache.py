"""reportlab's parse of a TrueType font, kept on disk by the font file's content.

reportlab reads a font's tables in Python (cmap, hmtx, loca) every time a process
registers it: for the CJK fonts of a 公文 that is most of a one-page PDF's time. What the
parse leaves on reportlab's objects is plain data, so it is stored once per font file
(keyed by its SHA-256 and reportlab's version) and put back on fresh objects; the font
file's bytes are mapped (not read: a CJK font is 10–20 MB, of which a subset touches a
little) for the subsets reportlab embeds. Anything off
(an unreadable or stale cache, another reportlab) falls back to reportlab's own parse.

The cache holds Python objects (pickle): it lives in the user's own cache folder
(render/cache.py), written atomically by this module only, like every cache there.
"""

from __future__ import annotations

import gc
import mmap
import operator
import pickle
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from render.atomic import OutputRefused, write_bytes_atomic
from render.cache import cache_folder, content_digest

_FORMAT = 1
# Set anew on every object (not data): the font's bytes, its per-document state, and the
# scaling function reportlab makes while parsing.
_NOT_STORED_FACE = ("_ttf_data", "_pdfScale")
_NOT_STORED_FONT = ("face", "state", "fontName")


def _identity(value: Any) -> Any:
    return value


def _scale(units_per_em: int) -> Any:
    """reportlab's glyph-unit → 1/1000 em function, as its parse makes it."""
    return _identity if units_per_em == 1000 else partial(operator.mul, 1000 / units_per_em)


def _cache_file(path: Path, subfont_index: int) -> Path:
    return (cache_folder() / "fonts"
            / f"reportlab-{_FORMAT}-{reportlab.Version}-{content_digest(path)}-{subfont_index}.pickle")


def _restored(name: str, path: Path, state: dict[str, Any]) -> TTFont:
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state["face"])
    face._ttf_data = _mapped(path)
    face._pdfScale = _scale(face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    font.__dict__.update(state["font"])
    font.fontName = name
    font.face = face
    font.state = WeakKeyDictionary()
    return font


def _mapped(path: Path) -> mmap.mmap | bytes:
    """The font file's bytes as reportlab slices them; an empty file cannot be mapped."""
    with open(path, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):
            return handle.read()


def _state(font: TTFont) -> dict[str, Any]:
    return {"face": {k: v for k, v in font.face.__dict__.items() if k not in _NOT_STORED_FACE},
            "font": {k: v for k, v in font.__dict__.items() if k not in _NOT_STORED_FONT}}


def _load(data: bytes) -> dict[str, Any]:
    # Tens of thousands of small lists and tuples: the collector would walk them again and
    # again while they are made (half the time), and none of them can form a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        state: dict[str, Any] = pickle.loads(data)
        return state
    finally:
        if enabled:
            gc.enable()


def parsed_font(name: str, path: Path, subfont_index: int = 0) -> TTFont:
    """reportlab's TTFont of `path`, from the cache when it has it."""
    try:
        cached: Path | None = _cache_file(path, subfont_index)
    except OSError:
        cached = None
    if cached is not None and cached.is_file():
        try:
            return _restored(name, path, _load(cached.read_bytes()))
        except Exception:  # noqa: BLE001 - a damaged or foreign cache: parse as reportlab does
            pass
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    if cached is not None:
        try:
            write_bytes_atomic(cached, pickle.dumps(_state(font), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputRefused, pickle.PicklingError, TypeError, AttributeError):
            pass
    return font
