"""`gongwen render PLAN --to ofd` (issue 20): the OFD (GB/T 33190-2016) of a plan is the PDF's
pages in OFD's parts. Each plan is rendered to both formats; the OFD is read back with
ofdkit (text runs, their positions, the page boxes, DocInfo) and its XML with lxml and its
embedded fonts with fontTools (what ofdkit does not expose: colours, fonts, IDs), the PDF
with pdfplumber, and the two are compared."""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ofdkit
import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from render.document.source import RenderInput, prepare
from render.layout import Page, PlacedText, geometry_from_profile, layout_document
from render.layout.source import compose_source
from render.measure import MM
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import ofd, pdf

NS = "http://www.ofdspec.org/2016"
OFD = f"{{{NS}}}"
TOLERANCE_MM = 0.5
RED = "230 0 18"  # the profile's red (#E60012)
PLANS = ("nanan-2022-22-notice", "shapingba-2023-work-points", "qijiang-2022-bulletin", "invented")

# Another district, three issuers (a stacked 发文机关标志 and a joint sealed 署名), a title
# of 62 characters, 抄送 and 版记.
INVENTED = """\
type: notice
issuers:
  - 中共重庆市北碚区委教育工作领导小组办公室
  - 重庆市北碚区教育委员会
  - 重庆市北碚区人力资源和社会保障局
number: 北碚教发〔2025〕117号
title: 关于印发《北碚区深化新时代中小学教师队伍建设改革全面提高教师思想政治素质和专业能力的实施方案（2025—2027年）》的通知
to: 各中小学校、幼儿园，各有关单位
body: |
  现将《北碚区深化新时代中小学教师队伍建设改革全面提高教师思想政治素质和专业能力的实施方案（2025—2027年）》印发给你们，请结合实际认真贯彻落实。

  执行中遇到的问题，请及时报送区教委人事科（联系电话：68862201）。
date: 2025-03-18
seal: true
cc: [区委组织部, 区委宣传部, 区财政局]
printed_by: 重庆市北碚区教育委员会办公室
printed_on: 2025-03-19
"""


@dataclass(frozen=True)
class Rendered:
    stem: str
    source: RenderInput
    pdf: Path
    ofd: Path
    pages: list[Page]  # the shared layout both were drawn from


@pytest.fixture(scope="module", params=PLANS)
def rendered(request: pytest.FixtureRequest, plan_input: Callable[[str], RenderInput], profile: Profile,
             tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    stem: str = request.param
    folder = tmp_path_factory.mktemp(stem)
    if stem == "invented":
        plan = folder / "beibei-2025-117-notice.yaml"
        plan.write_text(INVENTED, encoding="utf-8")
        source = prepare(load_plan(plan), profile)
    else:
        source = plan_input(stem)
    pdf.write(source, folder / f"{stem}.pdf")
    ofd.write(source, folder / f"{stem}.ofd")
    return Rendered(stem, source, folder / f"{stem}.pdf", folder / f"{stem}.ofd", shared_layout(source))


def shared_layout(source: RenderInput) -> list[Page]:
    return layout_document(compose_source(source), geometry_from_profile(source.profile),
                           ofd.load_fonts(source.profile.font_files).measure)


# ---- reading the OFD's parts ------------------------------------------------------------------


class Package:
    """The zip's XML parts parsed with lxml, paths resolved as GB/T 33190 7.5 says (relative to
    the part holding them, or to a resource's BaseLoc)."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        self.root = self.xml("OFD.xml")
        doc_root = self.root.findtext(f"{OFD}DocBody/{OFD}DocRoot")
        assert doc_root is not None
        self.document_path = doc_root
        self.document = self.xml(doc_root)
        folder = doc_root.rsplit("/", 1)[0]
        common = self.document.find(f"{OFD}CommonData")
        assert common is not None
        self.common = common
        self.resources = [f"{folder}/{element.text}" for element in common
                          if element.tag in (f"{OFD}PublicRes", f"{OFD}DocumentRes")]
        self.pages = [(page.get("ID"), f"{folder}/{page.get('BaseLoc')}")
                      for page in self.document.iter(f"{OFD}Page")]

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def parts(self) -> Iterator[tuple[str, etree._Element]]:
        for name in sorted(self.names):
            if name.endswith(".xml"):
                yield name, self.xml(name)

    def resource_files(self, kind: str, file_tag: str) -> dict[str, str]:
        """Resource ID → zip path of its file (fonts: Font/FontFile, images: MultiMedia/MediaFile)."""
        files: dict[str, str] = {}
        for name in self.resources:
            res = self.xml(name)
            base = name.rsplit("/", 1)[0] + "/" + (res.get("BaseLoc") or "")
            for element in res.iter(f"{OFD}{kind}"):
                location = element.findtext(f"{OFD}{file_tag}")
                assert location is not None
                files[element.get("ID", "")] = base.rstrip("/") + "/" + location
        return files

    def page_objects(self, tag: str) -> Iterator[tuple[int, etree._Element]]:
        for index, (_, location) in enumerate(self.pages):
            for element in self.xml(location).iter(f"{OFD}{tag}"):
                yield index, element


def boundary(element: etree._Element) -> tuple[float, ...]:
    return tuple(float(v) for v in element.get("Boundary", "").split())


# ---- reading the PDF --------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfChar:
    text: str
    x_mm: float
    baseline_mm: float
    red: bool
    box_mm: tuple[float, float, float, float]  # x0, top, x1, bottom
    size_mm: float


@dataclass(frozen=True)
class PdfRule:
    page: int
    x0_mm: float
    x1_mm: float
    y_mm: float
    width_mm: float
    red: bool


@dataclass(frozen=True)
class PdfRead:
    """What the tests compare the OFD with, read with pdfplumber once per file."""

    sizes_mm: list[tuple[float, float]]
    texts: list[str]
    chars: list[list[PdfChar]]
    rules: list[PdfRule]
    title: str


@cache
def read_pdf(path: Path) -> PdfRead:
    sizes, texts, chars, rules = [], [], [], []
    with pdfplumber.open(path) as document:
        for index, page in enumerate(document.pages):
            height = float(page.height)
            sizes.append((float(page.width) / MM, height / MM))
            texts.append(squeeze(page.extract_text()))
            chars.append([PdfChar(c["text"], c["matrix"][4] / MM, (height - c["matrix"][5]) / MM,
                                  _red(c.get("non_stroking_color")),
                                  (c["x0"] / MM, c["top"] / MM, c["x1"] / MM, c["bottom"] / MM), c["size"] / MM)
                          for c in page.chars])
            rules += [PdfRule(index, line["x0"] / MM, line["x1"] / MM, (height - line["y0"]) / MM,
                              line["linewidth"] / MM, _red(line.get("stroking_color"))) for line in page.lines]
        title = document.metadata.get("Title", "")
    return PdfRead(sizes, texts, chars, rules, title)


def pdf_chars(path: Path) -> list[list[PdfChar]]:
    return read_pdf(path).chars


def _red(color: object) -> bool:
    return isinstance(color, (tuple, list)) and len(color) == 3 and color[0] > 0.8 and color[1] < 0.2


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- the tests -------------------------------------------------------------------------------


def test_pages_and_page_size_equal_the_pdf(rendered: Rendered) -> None:
    pdf_sizes = [side for size in read_pdf(rendered.pdf).sizes_mm for side in size]
    with ofdkit.open(rendered.ofd) as document:
        ofd_sizes = [size for page in document.pages for size in (page.width, page.height)]
    assert len(ofd_sizes) == len(pdf_sizes) > 0
    assert ofd_sizes == pytest.approx(pdf_sizes, abs=0.01)
    assert ofd_sizes[:2] == pytest.approx([210, 297], abs=0.01)
    package = Package(rendered.ofd)
    for _, location in package.pages:
        box = package.xml(location).findtext(f"{OFD}Area/{OFD}PhysicalBox")
        assert box is not None and [float(v) for v in box.split()] == pytest.approx([0, 0, 210, 297])


def test_text_in_reading_order_equals_the_pdf(rendered: Rendered) -> None:
    pdf_pages = read_pdf(rendered.pdf).texts
    with ofdkit.open(rendered.ofd) as document:
        ofd_pages = [squeeze(page.text()) for page in document.pages]
    for number, (ours, theirs) in enumerate(zip(ofd_pages, pdf_pages), 1):
        ratio = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio()
        assert ratio >= 0.99, f"page {number}: {ratio:.4f}\nOFD: {ours[:200]}\nPDF: {theirs[:200]}"
    whole = difflib.SequenceMatcher(None, "".join(ofd_pages), "".join(pdf_pages), autojunk=False).ratio()
    assert whole >= 0.99 and len("".join(ofd_pages)) > 100


def test_every_text_run_sits_where_the_pdf_draws_it(rendered: Rendered) -> None:
    """Each OFD run's first character at the place of the same PDF character (within 0.5 mm),
    and its width as far as the PDF's characters reach: the 发文字号, title, page numbers and
    版记 lines among them (counted below, so none of them can go missing)."""
    chars = pdf_chars(rendered.pdf)
    tagged = tagged_texts(rendered.pages)
    found: dict[str, int] = {}
    with ofdkit.open(rendered.ofd) as document:
        for index, page in enumerate(document.pages):
            for run in page.runs:
                candidates = [c for c in chars[index] if c.text == run.text[0]]
                assert candidates, f"page {index + 1}: {run.text!r} is not in the PDF"
                best = min(candidates, key=lambda c: abs(c.x_mm - run.x) + abs(c.baseline_mm - run.y))
                assert (best.x_mm, best.baseline_mm) == pytest.approx((run.x, run.y), abs=TOLERANCE_MM), run.text
                tag = tagged.get((index, run.text))
                if tag is not None:
                    found[tag] = found.get(tag, 0) + 1
    expected = {tag for tag in tagged.values()}
    assert set(found) == expected
    if rendered.source.plan.kind != "bulletin":  # type: ignore[attr-defined]
        assert {"title", "page_number"} <= expected
    if rendered.stem in ("nanan-2022-22-notice", "invented"):
        assert {"doc_number", "imprint"} <= expected


def ofd_chars(package: Package) -> list[list[tuple[str, float, float]]]:
    """Every character's origin, as GB/T 33190 places it: the TextCode's X, Y and DeltaX in
    the object's space, through its CTM, from the Boundary's corner (what ofdkit does not
    give: it reports where each run starts)."""
    pages: list[list[tuple[str, float, float]]] = [[] for _ in package.pages]
    for index, element in package.page_objects("TextObject"):
        left, top = boundary(element)[:2]
        a, _, _, d = (float(v) for v in (element.get("CTM") or "1 0 0 1 0 0").split()[:4])
        for code in element.iter(f"{OFD}TextCode"):
            text = code.text or ""
            deltas = [float(v) for v in (code.get("DeltaX") or "").split()]
            assert len(deltas) == len(text) - 1, f"DeltaX of {text!r}"
            x, y = float(code.get("X", "0")), float(code.get("Y", "0"))
            for ch, step in zip(text, [*deltas, 0.0]):
                pages[index].append((ch, left + a * x, top + d * y))
                x += step
    return pages


def test_every_character_sits_where_the_pdf_draws_it(rendered: Rendered) -> None:
    """Each character, from its DeltaX, within 0.5 mm of the PDF's same character (nearest
    of that character on the page), and as many characters as the PDF draws."""
    pdf_pages = pdf_chars(rendered.pdf)
    ofd_pages = ofd_chars(Package(rendered.ofd))
    worst = 0.0
    for index, (ours, theirs) in enumerate(zip(ofd_pages, pdf_pages)):
        assert len(ours) == len([c for c in theirs if not c.text.isspace()]) or len(ours) == len(theirs)
        for ch, x, y in ours:
            best = min((c for c in theirs if c.text == ch), key=lambda c: abs(c.x_mm - x) + abs(c.baseline_mm - y))
            worst = max(worst, abs(best.x_mm - x), abs(best.baseline_mm - y))
            assert (best.x_mm, best.baseline_mm) == pytest.approx((x, y), abs=TOLERANCE_MM), f"page {index + 1}: {ch}"
    assert worst < 0.01  # the same layout: far inside the tolerance


def tagged_texts(pages: list[Page]) -> dict[tuple[int, str], str]:
    """(page index, text) → tag of the runs the issue names, from the shared layout."""
    wanted = {"doc_number", "title", "page_number", "imprint", "bulletin.name", "article.title"}
    return {(page.index - 1, item.text): item.tag for page in pages for item in page.items
            if getattr(item, "tag", None) in wanted and getattr(item, "text", "")}


def test_rules_sit_where_the_pdf_draws_them_in_their_colour(rendered: Rendered) -> None:
    """The red rule under the 发文字号 and the 版记's rules: the same lines, the same colours."""
    pdf_rules = sorted((rule.page, round(rule.x0_mm, 1), round(rule.x1_mm, 1), rule.y_mm, rule.width_mm, rule.red)
                       for rule in read_pdf(rendered.pdf).rules)
    ofd_rules = []
    for index, element in Package(rendered.ofd).page_objects("PathObject"):
        if element.get("Fill") == "true":
            continue  # glyph outlines (the next test)
        x, y, width, height = boundary(element)
        color = element.find(f"{OFD}StrokeColor")
        assert color is not None and element.get("Stroke") == "true"
        ofd_rules.append((index, round(x, 1), round(x + width, 1), y + height / 2, float(element.get("LineWidth", "0")),
                          color.get("Value") == RED))
    ofd_rules.sort()
    assert len(ofd_rules) == len(pdf_rules)
    for ours, theirs in zip(ofd_rules, pdf_rules):
        assert ours[0] == theirs[0] and ours[5] == theirs[5]
        assert ours[1:5] == pytest.approx(theirs[1:5], abs=TOLERANCE_MM)
    if rendered.source.plan.kind == "notice":  # type: ignore[attr-defined]
        assert any(rule[5] for rule in ofd_rules), "no red rule"


def test_the_red_header_is_painted_as_outlines_over_its_unpainted_text(rendered: Rendered) -> None:
    """The 发文机关标志 (a 简报's name): filled red PathObjects, one per line of it, on the
    Boundary of a TextObject that holds the same line unpainted (Fill false, Alpha 0, still
    there to search and copy); the outlines' ink covers what the PDF's red glyphs cover."""
    package = Package(rendered.ofd)
    texts = {(index, element.get("Boundary")): element for index, element in package.page_objects("TextObject")}
    outlines = [(index, element) for index, element in package.page_objects("PathObject")
                if element.get("Fill") == "true"]
    if rendered.source.plan.kind not in ("notice", "bulletin"):  # type: ignore[attr-defined]
        assert not outlines
        return
    assert outlines
    ink: list[tuple[float, float]] = []
    for index, element in outlines:
        assert index == 0
        fill = element.find(f"{OFD}FillColor")
        assert fill is not None and fill.get("Value") == RED and element.get("Stroke") == "false"
        text = texts.get((index, element.get("Boundary")))
        assert text is not None, "an outline without its text"
        text_fill = text.find(f"{OFD}FillColor")
        assert text.get("Fill") == "false" and text_fill is not None and text_fill.get("Alpha") == "0"
        left, top = boundary(element)[:2]
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", element.findtext(f"{OFD}AbbreviatedData") or "")]
        ink += [(left + x, top + y) for x, y in zip(numbers[::2], numbers[1::2])]
    unpainted = {element for _, element in texts.items() if element.get("Fill") == "false"}
    assert len(unpainted) == len(outlines)
    red = [c for c in read_pdf(rendered.pdf).chars[0] if c.red]
    size = max(c.size_mm for c in red)
    pdf_box = (min(c.box_mm[0] for c in red), min(c.box_mm[1] for c in red),
               max(c.box_mm[2] for c in red), max(c.box_mm[3] for c in red))
    ink_box = (min(x for x, _ in ink), min(y for _, y in ink), max(x for x, _ in ink), max(y for _, y in ink))
    # The glyphs' ink sits inside their em boxes, less than a tenth of an em from each edge.
    assert all(abs(a - b) < 0.1 * size for a, b in zip(ink_box, pdf_box)), (ink_box, pdf_box)
    assert ink_box[0] >= pdf_box[0] - TOLERANCE_MM and ink_box[2] <= pdf_box[2] + TOLERANCE_MM


def test_red_text_is_red_where_the_pdf_is(rendered: Rendered) -> None:
    pdf_red = "".join(c.text for page in pdf_chars(rendered.pdf) for c in page if c.red)
    ofd_red = []
    for _, element in Package(rendered.ofd).page_objects("TextObject"):
        fill = element.find(f"{OFD}FillColor")
        assert fill is not None
        if fill.get("Value") == RED:
            ofd_red.append("".join(code.text or "" for code in element.iter(f"{OFD}TextCode")))
    assert squeeze("".join(ofd_red)) == squeeze(pdf_red)
    if rendered.source.plan.kind == "notice":  # type: ignore[attr-defined]
        assert squeeze("".join(ofd_red)).endswith("文件")


def test_bold_runs_are_stroked_and_weighted_as_in_the_pdf(rendered: Rendered) -> None:
    """The PDF strokes bold text over its fill (text render mode 2); the OFD's bold
    TextObjects stroke it in the same colour and say Weight 700, and no other text does."""
    bold = sorted(item.text for page in rendered.pages for item in page.items
                  if isinstance(item, PlacedText) and item.style.bold and item.text)
    stroked = []
    for _, element in Package(rendered.ofd).page_objects("TextObject"):
        text = "".join(code.text or "" for code in element.iter(f"{OFD}TextCode"))
        if element.get("Stroke") == "true":
            fill, stroke = element.find(f"{OFD}FillColor"), element.find(f"{OFD}StrokeColor")
            assert element.get("Weight") == "700" and float(element.get("LineWidth", "0")) > 0
            assert fill is not None and stroke is not None and fill.get("Value") == stroke.get("Value")
            stroked.append(text)
        else:
            assert element.get("Weight") is None, text
    assert sorted(stroked) == bold
    if rendered.stem == "shapingba-2023-work-points":
        assert bold, "the work points' 1. lead sentences are bold"


def test_every_font_is_embedded_and_holds_every_character_drawn_with_it(rendered: Rendered) -> None:
    package = Package(rendered.ofd)
    fonts = package.resource_files("Font", "FontFile")
    assert fonts
    used: dict[str, set[str]] = {}
    for _, element in package.page_objects("TextObject"):
        font = element.get("Font", "")
        assert font in fonts, f"TextObject {element.get('ID')} names font {font!r}, which is not a resource"
        used.setdefault(font, set()).update("".join(code.text or "" for code in element.iter(f"{OFD}TextCode")))
    assert set(used) == set(fonts), "a font is embedded that no text uses"
    for font_id, location in fonts.items():
        assert location in package.names, f"font {font_id}: {location} is not in the package"
        embedded = TTFont(io.BytesIO(package.zip.read(location)))
        cmap = embedded.getBestCmap()
        missing = sorted(ch for ch in used[font_id] if ord(ch) not in cmap)
        assert not missing, f"font {font_id} lacks {''.join(missing)}"
        assert "glyf" in embedded and len(embedded.getGlyphOrder()) <= len(used[font_id]) * 3 + 10, "not a subset"


def test_ids_are_unique_references_resolve_and_max_unit_id_covers_them(rendered: Rendered) -> None:
    package = Package(rendered.ofd)
    ids: list[int] = []
    for _, part in package.parts():
        ids += [int(element.get("ID", "")) for element in part.iter() if element.get("ID") is not None]
    assert len(ids) == len(set(ids)) > 0
    max_unit = int(package.common.findtext(f"{OFD}MaxUnitID") or 0)
    assert max_unit >= max(ids)
    images = package.resource_files("MultiMedia", "MediaFile")
    assert all(location in package.names for location in images.values())
    references = [element.get("ResourceID") for _, element in package.page_objects("ImageObject")]
    assert all(reference in images for reference in references)
    if rendered.source.plan.kind == "bulletin":  # type: ignore[attr-defined]
        assert references, "the bulletin's photos are missing"
    default_cs = package.common.findtext(f"{OFD}DefaultCS")
    color_spaces = [e.get("ID") for name in package.resources for e in package.xml(name).iter(f"{OFD}ColorSpace")]
    assert default_cs in color_spaces
    for _, location in package.pages:
        assert location in package.names
    for name, part in package.parts():
        assert part.tag.startswith(OFD) and all(e.tag.startswith(OFD) for e in part.iter()), name
        assert part.prefix == "ofd", name


def test_metadata_comes_from_the_plan(rendered: Rendered) -> None:
    with ofdkit.open(rendered.ofd) as document:
        info = document.info
    plan = rendered.source.plan
    assert info.creation_date == (plan.date.isoformat() if plan.date else "2000-01-01")
    assert info.title and info.creator == "gongwen"
    assert info.doc_id is not None and re.fullmatch(r"[0-9a-f]{32}", info.doc_id)
    assert info.title == read_pdf(rendered.pdf).title


def test_the_same_plan_gives_the_same_bytes(rendered: Rendered, tmp_path: Path) -> None:
    again = tmp_path / "again.ofd"
    ofd.write(rendered.source, again)
    assert again.read_bytes() == rendered.ofd.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "OFD.xml"


def test_batch_renders_all_four_formats_and_skips_unchanged_outputs(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`gongwen render plans/ --to docx,pdf,xlsx,ofd`, as the README shows it, twice: the
    second run writes nothing; a changed plan renders again in every format."""
    import shutil

    from click.testing import CliRunner

    from render.cli.render import render_command

    shutil.copytree(Path(__file__).resolve().parent.parent / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path / "registry.sqlite"))

    def run() -> str:
        result = CliRunner().invoke(render_command, ["plans/", "--to", "docx,pdf,xlsx,ofd", "-j", "2"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "跳过 0，失败 0" in run()
    written = {p.name: p.read_bytes() for p in sorted((tmp_path / "outputs").glob("*.ofd"))}
    assert set(written) == {f"{stem}.ofd" for stem in PLANS if stem != "invented"} | {
        "chongqing-edu-society-2022-work-points.ofd"}
    assert "完成：渲染 0，跳过 4，失败 0" in run()
    bulletin = tmp_path / "plans" / "qijiang-2022-bulletin.yaml"
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    assert "完成：渲染 1，跳过 3，失败 0" in run()
    assert {p.name: p.read_bytes() for p in sorted((tmp_path / "outputs").glob("*.ofd"))} == written


PHOTO_BULLETIN = """\
type: bulletin
name: 巫溪教育简报
issue: 7
editor: 巫溪县教育委员会办公室
date: 2024-09-12
articles:
  - title: 秋季开学工作有序推进
    body: |
      全县各中小学按时开学，开学第一课聚焦安全教育和行为习惯养成。
    images:
      - file: photo.webp
        caption: 开学第一课现场（示意图）
      - file: photo.jpg
        caption: 校园安全检查（示意图）
"""


def test_photos_are_image_objects_where_the_pdf_puts_them(tmp_path: Path, profile: Profile) -> None:
    """A JPEG is stored as it is; a WebP, which an OFD reader need not read, as PNG; each
    ImageObject covers the rectangle the PDF draws the photo in."""
    from PIL import Image

    Image.new("RGB", (640, 400), (200, 30, 40)).save(tmp_path / "photo.webp")
    Image.new("RGB", (300, 500), (30, 90, 200)).save(tmp_path / "photo.jpg", quality=80)
    plan = tmp_path / "wuxi-2024-7-bulletin.yaml"
    plan.write_text(PHOTO_BULLETIN, encoding="utf-8")
    source = prepare(load_plan(plan), profile)
    pdf.write(source, tmp_path / "b.pdf")
    ofd.write(source, tmp_path / "b.ofd")
    package = Package(tmp_path / "b.ofd")
    media = {}
    for name in package.resources:
        for element in package.xml(name).iter(f"{OFD}MultiMedia"):
            media[element.get("ID")] = (element.get("Format"), element.findtext(f"{OFD}MediaFile"))
    assert sorted(fmt for fmt, _ in media.values()) == ["JPEG", "PNG"]
    files = package.resource_files("MultiMedia", "MediaFile")
    assert package.zip.read(files[next(i for i, (f, _) in media.items() if f == "JPEG")]) == (
        tmp_path / "photo.jpg").read_bytes()
    with Image.open(io.BytesIO(package.zip.read(files[next(i for i, (f, _) in media.items() if f == "PNG")]))) as png:
        assert png.format == "PNG" and png.size == (640, 400)
    with pdfplumber.open(tmp_path / "b.pdf") as document:
        pdf_boxes = sorted((index, *(round(v / MM, 2) for v in (image["x0"], image["top"], image["width"], image["height"])))
                           for index, page in enumerate(document.pages) for image in page.images)
    ofd_boxes = []
    for index, element in package.page_objects("ImageObject"):
        x, y, width, height = boundary(element)
        assert element.get("CTM") == f"{element.get('Boundary', '').split()[2]} 0 0 {element.get('Boundary', '').split()[3]} 0 0"
        ofd_boxes.append((index, round(x, 2), round(y, 2), round(width, 2), round(height, 2)))
    assert len(ofd_boxes) == len(pdf_boxes) == 2
    for ours, theirs in zip(sorted(ofd_boxes), pdf_boxes):
        assert ours[0] == theirs[0] and ours[1:] == pytest.approx(theirs[1:], abs=TOLERANCE_MM)


HOSTILE = r"""type: notice
issuers: 重庆市城口县教育委员会
number: 城教发〔2024〕3号
title: "关于控制字符\x01也能成文的通知"
to: 各中小学校
body: "正文中夹着一个垂直制表符\x0b，其余照常排版。末尾是一个非字符\uFFFE"
date: 2024-05-06
"""


def test_characters_xml_cannot_hold_never_reach_the_writer(tmp_path: Path) -> None:
    """A plan may carry control characters (a quoted YAML string can); XML 1.0 cannot hold
    them even as references. They are refused at their line (E209) before any writer runs,
    and no .ofd is written."""
    plan = tmp_path / "chengkou-2024-3-notice.yaml"
    plan.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    completed = subprocess.run([sys.executable, "-m", "render", "render", str(plan), "--to", "ofd", "-o", str(out)],
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1
    assert "E209" in completed.stdout + completed.stderr and "Traceback" not in completed.stderr
    assert not out.exists() or not list(out.glob("*.ofd"))
