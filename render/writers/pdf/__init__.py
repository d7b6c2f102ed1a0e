"""The PDF writer: every document type laid out by the fixed-layout engine (render/layout/)
and drawn with reportlab.

    document ──compose──▶ layout blocks ──layout_document──▶ pages ──pdf_draw──▶ .pdf

Fonts are embedded as TrueType subsets with ToUnicode maps (copying text out works); the
output is byte-for-byte deterministic: reportlab's invariant mode fixes the file ID, and
the creation date is the plan's date. SOURCE_DATE_EPOCH is deliberately not honoured (the
document's own date already is its time; reportlab would otherwise seed the file ID with it),
so a reproducible-build environment gives the same bytes as any other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from msgspec import Struct
from reportlab.pdfgen.canvas import Canvas

from render.atomic import atomic_path
from render.document.meta import describe
from render.document.source import RenderInput
from render.fonts.resolve import fonts_key
from render.layout import Block, Page, PageGeometry, geometry_from_profile, layout_document
from render.layout.source import compose_source
from render.writers.pdf.draw import PageDrawer
from render.writers.pdf.fonts import PdfFonts, load_fonts

CREATOR = "gongwen"
NO_DATE = "D:20000101000000Z"  # a plan without a date still gets a fixed one


class Metadata(Struct, frozen=True):
    title: str
    author: str
    date: str  # PDF date string


def write(source: RenderInput, target: Path) -> None:
    """Render `source` to `target` atomically; the same plan gives the same bytes."""
    fonts = load_fonts(source.profile.font_files)
    geometry = geometry_from_profile(source.profile)
    pages = layout_document(compose(source), geometry, fonts.measure,
                            measure_key=fonts_key(fonts.resolved))
    with atomic_path(target) as temporary:
        draw(pages, temporary, geometry, fonts, metadata(source),
             source.profile.fixed_layout.bold_stroke)


def compose(source: RenderInput) -> list[Block]:
    return compose_source(source)


def metadata(source: RenderInput) -> Metadata:
    """Title and author from the plan; the date is the plan's 成文日期 (or a fixed one)."""
    meta = describe(source)
    date = f"D:{meta.date:%Y%m%d}000000Z" if meta.date is not None else NO_DATE
    return Metadata(meta.title, meta.author, date)


@contextmanager
def _without_source_date_epoch() -> Iterator[None]:
    """reportlab reads SOURCE_DATE_EPOCH when a document is created, for its file ID."""
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def draw(pages: list[Page], target: Path, geometry: PageGeometry, fonts: PdfFonts,
         meta: Metadata, bold_stroke: float) -> None:
    # initialFontName: without it reportlab references an unembedded Helvetica on every page.
    with _without_source_date_epoch():
        canvas = Canvas(str(target), pagesize=(geometry.page_width_pt, geometry.page_height_pt),
                        invariant=1, pageCompression=1, initialFontName=fonts.any_name)
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setCreator(CREATOR)
    canvas.setSubject("")
    canvas.setDateFormatter(lambda *_: meta.date)
    PageDrawer(canvas, fonts, geometry.page_height_pt, bold_stroke).draw(pages)
    canvas.save()
