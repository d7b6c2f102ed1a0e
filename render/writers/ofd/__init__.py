"""The OFD writer (GB/T 33190-2016): every document type the PDF writer renders, laid out
by the same fixed-layout engine (render/layout/, the same blocks and the same advances) and
written as OFD's XML parts with lxml.

    document ──compose_source──▶ blocks ──layout_document──▶ pages ──PageWriter──▶ .ofd

The package:

    OFD.xml                          DocInfo (title, author, 成文日期) and the DocRoot
    Doc_0/Document.xml               CommonData (MaxUnitID, PageArea, resources) and pages
    Doc_0/PublicRes.xml              colour space, fonts
    Doc_0/DocumentRes.xml            images (MultiMedia)
    Doc_0/Pages/Page_N/Content.xml   TextObject / PathObject / ImageObject per page
    Doc_0/Res/                       font subsets, image files

Text is real text (TextCode with each character's advance as DeltaX), so it can be searched
and copied; fonts are per-document subsets. The red 发文机关标志 is painted as glyph outlines
over its unpainted text (`outlines.py`), so the 红头 looks the same in every reader. The bytes depend only on the plan, the profile
and the font files: IDs are handed out in writing order, zip entries carry a fixed time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from msgspec import Struct

import render
from render.atomic import write_zip_atomic
from render.document.meta import DocumentMeta, describe
from render.document.source import RenderInput
from render.fonts.metrics import RoleMetrics, role_metrics
from render.fonts.resolve import ResolvedFont, fonts_key, resolve_fonts
from render.layout import Page, PageGeometry, TextStyle, geometry_from_profile, layout_document
from render.layout.source import compose_source
from render.measure import MM
from render.profile import FontRole
from render.writers.ofd.fonts import FontTable, subset_font
from render.writers.ofd.page import MediaTable, PageWriter
from render.writers.ofd.xml import Ids, legal_text, nums, root, serialise, sub

CREATOR = "gongwen"
NO_DATE = "2000-01-01"  # a plan without a date still gets a fixed one (as in the PDF)
DOC = "Doc_0"
RES = "Res"


class OfdFonts(Struct, frozen=True):
    resolved: Mapping[str, ResolvedFont]
    metrics: RoleMetrics

    def measure(self, text: str, style: TextStyle) -> float:
        """Natural advance of `text`: the PDF writer's measure, so the pages are the same."""
        return self.metrics.measure(text, style.font_role, style.size_pt)


def load_fonts(explicit: Mapping[FontRole, str]) -> OfdFonts:
    resolved = resolve_fonts({str(role): path for role, path in explicit.items()})
    return OfdFonts(resolved, role_metrics(resolved))


def write(source: RenderInput, target: Path) -> None:
    """Render `source` to `target` atomically; the same plan gives the same bytes."""
    fonts = load_fonts(source.profile.font_files)
    geometry = geometry_from_profile(source.profile)
    pages = layout_document(compose_source(source), geometry, fonts.measure,
                            measure_key=fonts_key(fonts.resolved))
    write_zip_atomic(target, package(pages, geometry, fonts, describe(source),
                                     source.profile.fixed_layout.bold_stroke))


def package(pages: list[Page], geometry: PageGeometry, fonts: OfdFonts, meta: DocumentMeta,
            bold_stroke: float) -> list[tuple[str, bytes]]:
    """The OFD's zip entries, in writing order."""
    ids = Ids()
    color_space = ids.next()
    page_box = (geometry.page_width_pt / MM, geometry.page_height_pt / MM)
    font_table, media = FontTable(fonts.resolved), MediaTable()
    writer = PageWriter(ids, font_table, media, fonts.measure, page_box, bold_stroke)
    page_parts: list[tuple[int, str, bytes]] = []
    for number, page in enumerate(pages):
        page_id = ids.next()
        page_parts.append((page_id, f"Pages/Page_{number}/Content.xml", serialise(writer.content(page))))

    resources: list[tuple[str, bytes]] = []
    public = root("Res", BaseLoc=RES)
    sub(sub(public, "ColorSpaces"), "ColorSpace", ID=str(color_space), Type="RGB", BitsPerComponent="8")
    font_list = sub(public, "Fonts")
    for font in font_table.fonts():
        data, postscript, family = subset_font(font.path, font.subfont_index, font.chars)
        element = sub(font_list, "Font", ID=str(font.font_id), FontName=postscript, FamilyName=family)
        sub(element, "FontFile", font.file_name)
        resources.append((f"{DOC}/{RES}/{font.file_name}", data))
    document_res = root("Res", BaseLoc=RES)
    if media.by_path:
        media_list = sub(document_res, "MultiMedias")
        for item in media.media():
            element = sub(media_list, "MultiMedia", ID=str(item.media_id), Type="Image", Format=item.format)
            sub(element, "MediaFile", item.file_name)
            resources.append((f"{DOC}/{RES}/{item.file_name}", item.data))

    document = root("Document")
    common = sub(document, "CommonData")
    sub(common, "MaxUnitID", str(ids.last))
    sub(sub(common, "PageArea"), "PhysicalBox", nums(0, 0, *page_box))
    sub(common, "PublicRes", "PublicRes.xml")
    sub(common, "DocumentRes", "DocumentRes.xml")
    sub(common, "DefaultCS", str(color_space))
    page_list = sub(document, "Pages")
    for page_id, location, _ in page_parts:
        sub(page_list, "Page", ID=str(page_id), BaseLoc=location)

    parts = [(f"{DOC}/Document.xml", serialise(document)),
             (f"{DOC}/PublicRes.xml", serialise(public)),
             (f"{DOC}/DocumentRes.xml", serialise(document_res)),
             *((f"{DOC}/{location}", data) for _, location, data in page_parts),
             *resources]
    return [("OFD.xml", serialise(ofd_root(meta, doc_id(parts)))), *parts]


def ofd_root(meta: DocumentMeta, document_id: str) -> etree._Element:
    element = root("OFD", Version="1.0", DocType="OFD")
    body = sub(element, "DocBody")
    info = sub(body, "DocInfo")
    sub(info, "DocID", document_id)
    sub(info, "Title", legal_text(meta.title))
    if meta.author:
        sub(info, "Author", legal_text(meta.author))
    sub(info, "CreationDate", meta.date.isoformat() if meta.date is not None else NO_DATE)
    sub(info, "Creator", CREATOR)
    sub(info, "CreatorVersion", render.__version__)
    sub(body, "DocRoot", f"{DOC}/Document.xml")
    return element


def doc_id(parts: list[tuple[str, bytes]]) -> str:
    """The document's identifier (32 hex digits): a digest of its parts, so it is the same
    for the same document and differs when anything in it does."""
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode("utf-8"))
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]
