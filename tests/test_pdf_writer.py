"""The PDF writer's own mechanics, and the measuring helpers the PDF tests share
(pdfplumber for characters and images, pypdf for fonts)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest

from render.checking.printed import color_distance, hex_color
from render.document.source import RenderInput
from render.layout import Page, PlacedText, TextStyle, geometry_from_profile
from render.profile import Profile, load_profile
from render.writers.pdf import Metadata, draw, metadata
from render.writers.pdf.fonts import load_fonts

MakeInput = Callable[[str], RenderInput]

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
PAGE_NUMBER = "page_number"


# ---- shared helpers ------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """Characters sharing a baseline (pdfplumber's `top`, rounded), left to right."""

    page: int  # 1-based
    top: float
    chars: tuple[dict[str, Any], ...]

    @property
    def text(self) -> str:
        return "".join(char["text"] for char in self.chars)

    @property
    def x0(self) -> float:
        return float(self.chars[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.chars[-1]["x1"])

    @property
    def size(self) -> float:
        return max(float(char["size"]) for char in self.chars)


@dataclass(frozen=True)
class PdfFacts:
    """What the tests measure, read once per rendered file."""

    pages: tuple[tuple[float, float], ...]  # (width, height) per page
    lines: tuple[TextLine, ...]
    images: tuple[dict[str, Any], ...]  # pdfplumber image dicts, with "page"
    red_chars: tuple[str, ...]  # characters drawn in red (non-stroking colour)
    text: str  # the extracted text of the whole document (copy and paste)


def _lines(page_number: int, chars: list[dict[str, Any]]) -> Iterator[TextLine]:
    rows: dict[float, list[dict[str, Any]]] = {}
    for char in chars:
        if char["text"].strip():
            rows.setdefault(round(float(char["top"]), 1), []).append(char)
    for top in sorted(rows):
        yield TextLine(page_number, top, tuple(sorted(rows[top], key=lambda c: float(c["x0"]))))


def is_red(color: Any) -> bool:
    """公文红 as pdfplumber reports it, judged as `gongwen check` judges it (the profile's red
    and colour tolerance)."""
    red, tolerance = _red()
    found = hex_color(color)
    return found is not None and color_distance(found, red) <= tolerance


@cache
def _red() -> tuple[str, float]:
    profile = load_profile()
    return profile.color("red"), profile.check.color_distance


def read_pdf(path: Path) -> PdfFacts:
    pages: list[tuple[float, float]] = []
    lines: list[TextLine] = []
    images: list[dict[str, Any]] = []
    red: list[str] = []
    text: list[str] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            pages.append((float(page.width), float(page.height)))
            lines += _lines(number, page.chars)
            images += [{**image, "page": number} for image in page.images]
            red += [c["text"] for c in page.chars if is_red(c.get("non_stroking_color"))]
            text.append(page.extract_text() or "")
    return PdfFacts(tuple(pages), tuple(lines), tuple(images), tuple(red), "\n".join(text))


def _font_descriptors(font: Any) -> Iterator[Any]:
    """A font's descriptors: its own, or (Type0) its descendant fonts'."""
    if "/FontDescriptor" in font:
        yield font["/FontDescriptor"].get_object()
    for descendant in font.get("/DescendantFonts", []):
        yield from _font_descriptors(descendant.get_object())


def fonts_not_embedded(path: Path) -> list[str]:
    """Base names of fonts whose descriptor carries no font program (or that have none)."""
    missing = []
    for page in pypdf.PdfReader(path).pages:
        resources: Any = page["/Resources"].get_object()
        fonts: Any = resources.get("/Font", {})
        for reference in fonts.get_object().values():
            font = reference.get_object()
            descriptors = list(_font_descriptors(font))
            if not descriptors or not all(
                    any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                    for d in descriptors):
                missing.append(str(font.get("/BaseFont")))
    return missing


def is_page_number(line: TextLine, page_height: float) -> bool:
    """The `— N —` line sits under the 版心 (35 mm above the page foot)."""
    return line.top > page_height - 35 * MM


def forbidden_line_edges(lines: tuple[TextLine, ...]) -> list[str]:
    """避头尾 failures: lines starting with closing or ending with opening punctuation."""
    no_start, no_end = set("，。、；：？！）》」』”"), set("（《「『“")
    return [f"第{line.page}页：{line.text}" for line in lines
            if line.text[0] in no_start or line.text[-1] in no_end]


# ---- the writer's mechanics ----------------------------------------------------------


def _draw(pages: list[Page], target: Path, profile: Profile) -> None:
    fonts = load_fonts(profile.font_files)
    geometry = geometry_from_profile(profile)
    draw(pages, target, geometry, fonts, Metadata("标题", "机关", "D:20221104000000Z"),
         profile.fixed_layout.bold_stroke)


def test_text_state_is_set_for_every_text_object(tmp_path: Path, profile: Profile) -> None:
    """Tz and Tc outlive BT/ET: a condensed, spaced run must not leak into the next one."""
    page = Page(1, 1, (
        PlacedText(100, 100, "中共重庆市", TextStyle("xiaobiaosong", 36, scale_x=0.8), 3.0),
        PlacedText(100, 200, "南岸委办", TextStyle("fangsong", 16)),
    ))
    target = tmp_path / "state.pdf"
    _draw([page], target, profile)
    with pdfplumber.open(target) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] in "南岸委办"]
    assert [float(c["x1"]) - float(c["x0"]) for c in chars] == pytest.approx([16.0] * 4)
    assert [float(c["x0"]) for c in chars] == pytest.approx([100, 116, 132, 148])


def test_bold_is_drawn_filled_and_stroked(tmp_path: Path, profile: Profile) -> None:
    page = Page(1, 1, (PlacedText(100, 100, "加强", TextStyle("fangsong", 16, bold=True)),))
    target = tmp_path / "bold.pdf"
    _draw([page], target, profile)
    content = pypdf.PdfReader(target).pages[0].get_contents().get_data()  # type: ignore[union-attr]
    assert b"2 Tr" in content


def test_metadata_comes_from_the_plan(plan_input: MakeInput) -> None:
    meta = metadata(plan_input("nanan-2022-22-notice"))
    assert meta.title.startswith("印发《关于推进新时代南岸教育事业")
    assert meta.author == "中共重庆市南岸区委办公室、重庆市南岸区人民政府办公室"
    assert meta.date == "D:20221104000000Z"


def test_fonts_register_once_per_file(profile: Profile) -> None:
    first, second = load_fonts(profile.font_files), load_fonts(profile.font_files)
    names = {role: first.name(role) for role in first.resolved}
    assert names == {role: second.name(role) for role in second.resolved}
    # One file serving two roles (a substitute) is registered, and embedded, once.
    by_file = {(font.path, font.subfont_index): names[role] for role, font in first.resolved.items()}
    assert len(set(names.values())) == len(by_file)


def test_placed_pieces_are_what_reportlabs_textout_writes(profile: Profile) -> None:
    """The writer places pieces already cut at subset switches itself (draw.PlacedTextObject):
    its operators must stay those of reportlab's setTextOrigin + textOut, subset switches
    included (more than 256 distinct characters, so several subsets)."""
    from io import BytesIO

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    from render.writers.pdf.draw import PlacedTextObject

    name = load_fonts(profile.font_files).name("fangsong")
    font = pdfmetrics.getFont(name)
    text = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 700, 2)) + "（一）2024年，“双减”"
    codes = []
    for placed in (False, True):
        canvas = Canvas(BytesIO(), invariant=1, initialFontName=name)
        for line in range(0, len(text), 40):
            chunk = text[line:line + 40]
            pieces = font.splitString(chunk, canvas._doc)
            starts = [sum(len(encoded) for _, encoded in pieces[:index]) for index in range(len(pieces))]
            xs = [72 + 15.75 * start + 0.125 * line for start in starts]
            obj = PlacedTextObject(canvas) if placed else canvas.beginText()
            obj.setFont(name, 16)
            if placed:
                obj.place(font, 700.5 - line, [(x, subset, encoded) for x, (subset, encoded) in zip(xs, pieces)], {})
            else:
                for x, start, (_, encoded) in zip(xs, starts, pieces):
                    obj.setTextOrigin(x, 700.5 - line)
                    obj.textOut(chunk[start:start + len(encoded)])
            codes.append(obj.getCode())
    half = len(codes) // 2
    assert max(code.count(" Tf ") for code in codes) > 2  # lines that switch subsets
    assert codes[:half] == codes[half:]
