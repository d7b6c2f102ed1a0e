"""The OFD's fonts: each font file a role resolved to, embedded once per document as a
subset of the characters the document draws (fontTools.subset), keeping its cmap so a
reader maps the text's Unicode to glyphs itself."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError
from msgspec import Struct, field

from render.fonts.resolve import FontError, ResolvedFont
from render.writers.ofd.xml import Ids

FAMILY_NAME_ID, POSTSCRIPT_NAME_ID, TYPOGRAPHIC_FAMILY_ID = 1, 6, 16


class EmbeddedFont(Struct):
    """One font file of the document: its resource ID and the characters drawn with it."""

    font_id: int
    path: Path
    subfont_index: int
    chars: set[str] = field(default_factory=set)

    @property
    def file_name(self) -> str:
        return f"font_{self.font_id}.ttf"


@contextmanager
def _quiet_fonttools() -> Iterator[None]:
    """fontTools logs what it drops (an AAT `mort` table) and a few padding bytes too many
    in some free fonts' `glyf`: harmless for a subset, and nothing below the CLI prints."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def subset_font(path: Path, subfont_index: int, chars: Iterable[str]) -> tuple[bytes, str, str]:
    """The subset's bytes, its PostScript name and its family name. The head table's
    timestamp is kept as the file has it, so the bytes do not depend on the clock; its
    bounding box stays the whole font's (which holds every glyph of the subset)."""
    options = subset.Options()
    # Hints kept and bounding boxes not recomputed: glyphs are then copied as stored, not
    # decompiled and compiled again (a CJK document's subsets in a quarter of the time).
    options.hinting = True
    options.name_IDs = [FAMILY_NAME_ID, 2, 3, 4, 5, POSTSCRIPT_NAME_ID, TYPOGRAPHIC_FAMILY_ID]
    options.notdef_outline = True
    try:
        with _quiet_fonttools():
            font = TTFont(str(path), fontNumber=subfont_index, recalcTimestamp=False, recalcBBoxes=False)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted({ord(ch) for ch in chars}))
            subsetter.subset(font)
            buffer = io.BytesIO()
            font.save(buffer)
    except (OSError, TTLibError, KeyError, AssertionError) as error:
        raise FontError(f"无法为 OFD 嵌入字体 {path} 的子集：{error}") from error
    names = font["name"]
    postscript = names.getDebugName(POSTSCRIPT_NAME_ID) or path.stem
    # Readers that draw with installed fonts look the family up by name: the typographic
    # family (FandolFang) before the style-linked one (FandolFang R).
    family = names.getDebugName(TYPOGRAPHIC_FAMILY_ID) or names.getDebugName(FAMILY_NAME_ID) or postscript
    return buffer.getvalue(), postscript, family


class FontTable:
    """Role → embedded font, the same file serving two roles embedded once; IDs are handed
    out in order of first use, so the package is deterministic."""

    def __init__(self, resolved: Mapping[str, ResolvedFont]) -> None:
        self.resolved = resolved
        self.by_file: dict[tuple[Path, int], EmbeddedFont] = {}

    def font_for(self, role: str, ids: Ids) -> EmbeddedFont:
        font = self.resolved[role]
        key = (font.path, font.subfont_index)
        embedded = self.by_file.get(key)
        if embedded is None:
            embedded = self.by_file[key] = EmbeddedFont(ids.next(), font.path, font.subfont_index)
        return embedded

    def fonts(self) -> list[EmbeddedFont]:
        return sorted(self.by_file.values(), key=lambda font: font.font_id)
