"""The Word writer: `notice`, `work_points` and `summary` as a GB/T 9704 .docx (python-docx).

The file is built so that LibreOffice, Word and WPS agree on it: every line on the
22-line grid (exact line heights), 28 characters a line (snapToGrid off, body runs
condensed to fit the grid, base.Metrics.condense_twips), fonts named in w:eastAsia as well as
w:ascii, the 版记 anchored at the foot of an even page, odd/even page-number footers.
The raw OOXML python-docx lacks is in render/ooxml/write.py; every number comes from the profile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Mm
from msgspec import Struct

from render.atomic import atomic_zip, atomic_zip_path
from render.document.lower import Document
from render.document.source import RenderInput
from render.model.plan import DocumentBase
from render.ooxml import package as ooxml_package
from render.ooxml import read as ooxml_read
from render.ooxml import write as ooxml
from render.profile import Profile
from render.writers.docx.base import Typesetter
from render.writers.docx.body import BodyWriter
from render.writers.docx.flow import TextEnd
from render.writers.docx.header import HeaderWriter
from render.writers.docx.imprint import ImprintWriter, Placement

EAST_ASIAN_LANGUAGE = "zh-CN"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class Built(Struct, frozen=True):
    """A document ready to save, and where its text was predicted to end."""

    word: WordDocument
    text_end: TextEnd
    placement: Placement | None  # where the 版记 went; None without one


def write(source: RenderInput, target: Path) -> None:
    """Render `source` to `target` atomically; the same plan gives the same bytes."""
    if not isinstance(source.document, Document):
        raise TypeError("简报请用 PDF 输出（--to pdf）；Word 输出支持通知、工作要点和总结")
    built = build(source.document, source.profile, source.plan)
    if ooxml_package.writes_packages():
        with atomic_zip(target) as archive:
            ooxml_package.write_package(built.word, archive)
    else:
        with atomic_zip_path(target) as scratch:
            built.word.save(str(scratch))


def build(document: Document, profile: Profile, plan: DocumentBase | None = None) -> Built:
    """The python-docx document for a lowered plan (not yet saved)."""
    word = docx.Document()
    setter = Typesetter(profile)
    imprint = ImprintWriter(setter)
    _set_up_package(word, setter, plan, document.title)
    _set_up_section(word, setter, imprint)
    _write_content(word, document, setter)
    imprint.page_numbers(word.sections[0])
    end = imprint.text_end()
    placement = imprint.write(word, document.imprint, end) if document.imprint is not None else None
    if plan is not None:
        # The plan travels with the file: importing it gives the plan back exactly, and the
        # texts written let the importer see what was edited in Word since.
        texts = [paragraph.text for paragraph in ooxml_read.document_paragraphs(word)]
        ooxml.embed_plan(word, plan.model_dump(mode="json", exclude_defaults=True), texts)
    return Built(word, end, placement)


def _write_content(word: WordDocument, document: Document, setter: Typesetter) -> None:
    body = BodyWriter(setter)
    profile = setter.profile
    header = document.header
    if header is not None:
        HeaderWriter(setter).write(word, header)
        if not (header.number or header.signers or header.marks):
            setter.blank(word, profile.title.lines_above)  # no 版头 rule, which ends in these lines
    if document.title_lines:
        body.title(word, document.title_lines)
        if document.to or document.blocks:
            setter.blank(word, profile.title.lines_below)
    if document.to:
        body.to(word, document.to)
    body.blocks(word, document.blocks)
    if document.attachment_note:
        body.attachment_note(word, document.attachment_note)
    if document.signoff is not None:
        body.signoff(word, document.signoff)
    if document.note:
        body.note(word, document.note)
    if document.issued is not None:
        body.issued(word, document.issued)
    for part in document.attachments:
        body.attachment(word, part)


# -- package-level settings -----------------------------------------------------------------

def _set_up_package(word: WordDocument, setter: Typesetter, plan: DocumentBase | None, title: str) -> None:
    _set_up_styles(word, setter)
    word.settings.odd_and_even_pages_header_footer = True
    ooxml.set_settings_flag(word.settings, "themeFontLang", val="en-US", eastAsia=EAST_ASIAN_LANGUAGE)
    _set_core_properties(word, plan, title)
    _drop_thumbnail(word)


def _set_up_styles(word: WordDocument, setter: Typesetter) -> None:
    """docDefaults and Normal carry the body format: text a user adds in Word looks like the
    body, and LibreOffice sizes its character grid from Normal's East Asian font size."""
    run_defaults, paragraph_defaults = ooxml.document_defaults(word.styles)
    setter.format_run(run_defaults, "body")
    ooxml.set_language(run_defaults, EAST_ASIAN_LANGUAGE)
    ooxml.set_paragraph_format(paragraph_defaults, line_twips=setter.m.line_twips)
    normal_rpr, normal_ppr = ooxml.style_prs(word.styles["Normal"])
    setter.format_run(normal_rpr, "body")
    ooxml.set_paragraph_format(normal_ppr, line_twips=setter.m.line_twips, align="both")


def _set_core_properties(word: WordDocument, plan: DocumentBase | None, title: str) -> None:
    """Fixed metadata: the plan's date at 00:00 UTC (or 2000-01-01), no editing noise."""
    stamp = EPOCH
    if plan is not None and plan.date is not None:
        stamp = dt.datetime(plan.date.year, plan.date.month, plan.date.day, tzinfo=dt.UTC)
    core = word.core_properties
    core.title = title
    core.author = "、".join(plan.signature_names) if plan is not None else ""
    core.comments = ""
    core.last_modified_by = ""
    core.revision = 1
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp


def _drop_thumbnail(word: WordDocument) -> None:
    """python-docx's template ships a thumbnail of an unrelated page; file managers would show it."""
    rels = word.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del rels[rel_id]


def _set_up_section(word: WordDocument, setter: Typesetter, imprint: ImprintWriter) -> None:
    profile = setter.profile
    section = word.sections[0]
    section.page_width, section.page_height = Mm(profile.paper.width), Mm(profile.paper.height)
    margins = profile.margins
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.header_distance = Mm(margins.header)
    section.footer_distance = Mm(imprint.footer_distance_mm())
    ooxml.set_doc_grid(ooxml.section_pr(section), line_pitch_twips=setter.m.line_twips, char_space=setter.m.grid_char_space)
