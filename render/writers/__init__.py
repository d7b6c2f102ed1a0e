"""Writers: one format each. A writer never imports another writer.

Each writer module exposes `write(source: RenderInput, target: Path) -> None`, writing the
file atomically and deterministically.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from render.document.source import RenderInput

Writer = Callable[["RenderInput", Path], None]

# format → (module, document types it renders)
WRITERS: dict[str, tuple[str, frozenset[str]]] = {
    "docx": ("render.writers.docx", frozenset({"notice", "work_points", "summary"})),
    "pdf": ("render.writers.pdf", frozenset({"notice", "work_points", "summary", "bulletin"})),
    "xlsx": ("render.writers.xlsx", frozenset({"notice", "work_points", "summary"})),
    "ofd": ("render.writers.ofd", frozenset({"notice", "work_points", "summary", "bulletin"})),
}
FORMATS = tuple(WRITERS)
# Formats whose bytes depend on the installed font files: the PDF and the OFD embed them, and
# the .docx writer measures them to place the 版记 (so a font change must re-render all three).
READS_FONTS = frozenset({"docx", "pdf", "ofd"})


def writer_for(fmt: str) -> Writer:
    module_name, _ = WRITERS[fmt]
    return importlib.import_module(module_name).write  # type: ignore[no-any-return]


def renders(fmt: str, kind: str) -> bool:
    return kind in WRITERS[fmt][1]


def wants(source: RenderInput, fmt: str) -> bool:
    """Whether this format makes sense for this document (a matrix needs work items)."""
    if not renders(fmt, type(source.plan).kind):  # type: ignore[attr-defined]
        return False
    if fmt == "xlsx":
        from render.document.lower import Document  # here: the table above is read by `--help`

        return isinstance(source.document, Document) and bool(source.document.items)
    return True


def build_font_caches(explicit: dict[str, str]) -> None:
    """What the writers cache of the installed fonts, made now (by `gongwen fonts --install`)
    rather than by the first document: each role's advance widths and, for the PDF,
    reportlab's parse of each font file. Both are rebuilt by themselves when a font changes."""
    from render.fonts.metrics import role_metrics
    from render.fonts.resolve import resolve_fonts
    from render.writers.pdf.fonts import register

    resolved = resolve_fonts(explicit)
    role_metrics(resolved)
    for font in resolved.values():
        register(font)
