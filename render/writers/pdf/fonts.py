"""Font roles → reportlab TrueType fonts, registered once per process, and the `measure`
function the layout engine breaks lines with (fontTools advances, `render.fonts.metrics`).

reportlab embeds each TrueType font as subsets of the glyphs used and writes a ToUnicode
map for each subset, so the PDF carries only what it draws and its text copies out right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from msgspec import Struct
from reportlab.pdfbase import pdfmetrics

from render.fonts.metrics import RoleMetrics, role_metrics
from render.fonts.resolve import FontError, ResolvedFont, resolve_fonts
from render.layout import TextStyle
from render.profile import FontRole
from render.writers.pdf.fontcache import parsed_font

# (font file, subfont index) → registered reportlab name. reportlab's registry is global,
# and registering (parsing) a CJK font is slow: once per process, from a cache on disk
# (fontcache.py).
_REGISTERED: dict[tuple[Path, int], str] = {}


def _font_name(path: Path, subfont_index: int) -> str:
    """A stable name per file: the same file serving two roles is embedded once."""
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"gongwen-{path.stem}-{subfont_index}-{digest}"


def register(font: ResolvedFont) -> str:
    key = (font.path, font.subfont_index)
    name = _REGISTERED.get(key)
    if name is None:
        name = _font_name(*key)
        try:
            pdfmetrics.registerFont(parsed_font(name, font.path, font.subfont_index))
        except Exception as error:  # reportlab raises plain Exception subclasses of many kinds
            raise FontError(f"reportlab 无法使用字体 {font.path}：{error}") from error
        _REGISTERED[key] = name
    return name


class PdfFonts(Struct, frozen=True):
    """Role → registered reportlab font name, and the advances the engine lays out with
    (`render.fonts.metrics`, shared with the OFD writer, equal to reportlab's own). A role's
    font is registered when a page first draws with it: a document that never sets text
    in 黑体 does not read that font (its subsets are embedded on use either way)."""

    resolved: Mapping[str, ResolvedFont]
    metrics: RoleMetrics

    def name(self, role: str) -> str:
        return register(self.resolved[role])

    def measure(self, text: str, style: TextStyle) -> float:
        """Natural advance of `text` (the engine applies the horizontal scale itself)."""
        return self.metrics.measure(text, style.font_role, style.size_pt)

    @property
    def any_name(self) -> str:
        return self.name(next(iter(self.resolved)))


def load_fonts(explicit: Mapping[FontRole, str]) -> PdfFonts:
    """Resolve every role (profile `font_files` first); each is registered on first use."""
    resolved = resolve_fonts({str(role): path for role, path in explicit.items()})
    return PdfFonts(MappingProxyType(resolved), role_metrics(resolved))
