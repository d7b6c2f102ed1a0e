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

# An image file's pixel size (width, height); the writer reads it with its image library.
ImageSize = Callable[[Path], tuple[float, float]]


def compose_source(source: RenderInput, image_size: ImageSize) -> list[Block]:
    document = source.document
    if isinstance(document, Bulletin):
        return compose_bulletin(document, source.profile, image_size)
    return compose_document(document, source.profile)
