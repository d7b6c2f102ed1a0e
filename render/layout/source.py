"""A writer's input composed into layout blocks: the step every fixed-layout writer (PDF,
OFD) takes before `layout_document`, so both lay out the same blocks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from render.document.lower import Bulletin
from render.document.source import RenderInput
from render.layout.compose import compose_document
from render.layout.compose_bulletin import compose_bulletin
from render.layout.model import Block

# An image file's pixel size (width, height).
ImageSize = Callable[[Path], tuple[float, float]]


def photo_size(path: Path) -> tuple[float, float]:
    """Pixel size of a photo (PIL reads only the header; imported only for a photo)."""
    from PIL import Image

    with Image.open(path) as image:
        return float(image.width), float(image.height)


def compose_source(source: RenderInput, image_size: ImageSize = photo_size) -> list[Block]:
    document = source.document
    if isinstance(document, Bulletin):
        return compose_bulletin(document, source.profile, image_size)
    return compose_document(document, source.profile)
