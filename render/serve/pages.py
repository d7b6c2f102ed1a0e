"""The PDF's pages as PNG pictures for the preview (pypdfium2, which pdfplumber reads with)."""

from __future__ import annotations

import io

import pypdfium2

# 1.5 × 72 dpi: an A4 page 893 pixels wide, legible beside the editor.
PREVIEW_SCALE = 1.5


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_png(pdf: bytes, index: int, scale: float = PREVIEW_SCALE) -> bytes:
    """Page `index` (from 0) as PNG; IndexError for a page the PDF does not have."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 0 <= index < len(document):
            raise IndexError(index)
        page = document[index]
        bitmap = page.render(scale=scale)
        out = io.BytesIO()
        bitmap.to_pil().save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        document.close()
