"""The plan lowered for writers: an ordered list of blocks with every number assigned.

Like pandoc's AST, this is what all writers read; numbering, title breaking, date formats
and the responsibility line are decided here once, so .docx, PDF and .xlsx agree.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cached_property
from pathlib import Path

from msgspec import Struct, field

from render.model.dates import format_cn_date
from render.model.numbering import label
from render.model.plan import (
    Body,
    BulletinPlan,
    DocumentBase,
    IssuedDocument,
    Item,
    NoticePlan,
    Section,
    body_of,
)
from render.profile import Profile
from render.text.titlebreak import break_title


class Kind(str, Enum):
    PARAGRAPH = "paragraph"
    HEADING1 = "heading1"          # 一、…
    HEADING2 = "heading2"          # （一）…
    HEADING2_RUN_IN = "run_in"     # （一）加强组织保障。text… in one paragraph
    ITEM = "item"                  # 1.lead sentence。text…
    POINT = "point"                # （1）text
    RESPONSIBILITY = "responsibility"

    @property
    def head_element(self) -> str:
        """The profile element that styles a block's label and heading (一、 in 黑体, …);
        the rest of the block is body text."""
        return _HEAD_ELEMENTS.get(self, "body")

    @property
    def keeps_with_next(self) -> bool:
        """Headings never end a page."""
        return self in (Kind.HEADING1, Kind.HEADING2)


_HEAD_ELEMENTS = {
    Kind.HEADING1: "heading1",
    Kind.HEADING2: "heading2",
    Kind.HEADING2_RUN_IN: "heading2",
    Kind.ITEM: "heading3",
    Kind.POINT: "heading4",
}


class Block(Struct, frozen=True):
    kind: Kind
    text: str = ""      # the running text (for ITEM and run-in headings: after the lead)
    label: str = ""     # 一、 （一） 1. （1）
    heading: str = ""   # heading text, or an item's lead sentence ending in 。

    @property
    def plain(self) -> str:
        return f"{self.label}{self.heading}{self.text}"


class ItemRow(Struct, frozen=True):
    """One work point as the responsibility matrix lists it."""

    number: int
    label: str
    title: str
    text: str
    lead: tuple[str, ...]
    units: tuple[str, ...]
    due: dt.date | str | None
    sections: tuple[str, ...]   # e.g. ("三、工作举措", "（一）坚持党的全面领导，…")


class Header(Struct, frozen=True):
    copy_no: str | None
    secrecy: str | None
    urgency: str | None
    marks: tuple[str, ...]      # 发文机关标志 lines, 主办机关 first
    mark_suffix: str            # 文件, set to the right of (joint) marks; "" when none
    number: str | None
    signers: tuple[str, ...]    # 签发人: present only for 上行文

    @property
    def is_upward(self) -> bool:
        return bool(self.signers)


class Signoff(Struct, frozen=True):
    names: tuple[str, ...]
    date: str | None
    sealed: bool


class Part(Struct, frozen=True, dict=True):
    """A titled run of blocks: the issued document, or an attachment page."""

    title: str
    title_chars: int  # the most characters a title line holds
    blocks: tuple[Block, ...]
    subtitle: str | None = None
    label: str | None = None     # 附件1

    @cached_property
    def title_lines(self) -> tuple[str, ...]:
        return _title_lines(self.title, self.title_chars)


class Imprint(Struct, frozen=True):
    cc: tuple[str, ...]
    printed_by: str | None
    printed_on: str | None


class Document(Struct, frozen=True, dict=True):
    kind: str
    header: Header | None
    title_chars: int  # the most characters a title line holds
    to: str | None
    blocks: tuple[Block, ...]
    attachment_note: tuple[str, ...]
    signoff: Signoff | None
    note: str | None
    issued: Part | None
    attachments: tuple[Part, ...]
    imprint: Imprint | None
    items: tuple[ItemRow, ...]
    title: str = ""

    @cached_property
    def title_lines(self) -> tuple[str, ...]:
        return _title_lines(self.title, self.title_chars)


def _title_lines(title: str, max_chars: int) -> tuple[str, ...]:
    """A title broken into its lines when a writer first asks for them: word segmentation
    (jieba) is loaded only by a writer that prints a broken title, never by the matrix's."""
    return tuple(break_title(title, max_chars))


class Article(Struct, frozen=True):
    title: str
    subtitle: str | None
    byline: str | None
    paragraphs: tuple[str, ...]
    images: tuple[tuple[Path, str | None], ...]


class Bulletin(Struct, frozen=True):
    name: str
    issue_line: str
    editor: str | None
    date: str | None
    articles: tuple[Article, ...]
    distribution: tuple[tuple[str, tuple[str, ...]], ...]
    copies: str | None


def paragraphs(text: str | None) -> list[str]:
    """A blank line starts a new paragraph; single line breaks inside one are joined."""
    if not text:
        return []
    chunks = [chunk.strip() for chunk in text.replace("\r\n", "\n").split("\n\n")]
    return ["".join(line.strip() for line in chunk.splitlines()) for chunk in chunks if chunk]


# --- lowering ----------------------------------------------------------------------------

class _Counter(Struct):
    profile: Profile
    per_section: bool
    item: int = 0
    rows: list[ItemRow] = field(default_factory=list)


def _responsibility(item: Item, profile: Profile) -> Block | None:
    spec = profile.responsibility
    lead, units = spec.separator.join(item.lead), spec.separator.join(item.units)
    if lead and units:
        text = spec.format.format(lead=lead, units=units)
    elif lead:
        text = spec.lead_only.format(lead=lead)
    elif units:
        text = spec.units_only.format(units=units)
    else:
        return None
    return Block(Kind.RESPONSIBILITY, text=text)


def _item_blocks(item: Item, counter: _Counter, trail: tuple[str, ...]) -> list[Block]:
    numbering = counter.profile.body.numbering
    counter.item += 1
    item_label = label(numbering.level3, counter.item)
    detail = paragraphs(item.text)
    blocks = [Block(Kind.ITEM, text=detail[0] if detail else "", label=item_label, heading=f"{item.title}。")]
    blocks += [Block(Kind.PARAGRAPH, text=more) for more in detail[1:]]
    blocks += [Block(Kind.POINT, text=point, label=label(numbering.level4, n))
               for n, point in enumerate(item.points, 1)]
    if (line := _responsibility(item, counter.profile)) is not None:
        blocks.append(line)
    counter.rows.append(ItemRow(counter.item, item_label.rstrip("."), item.title, item.text or "",
                                tuple(item.lead), tuple(item.units), item.due, trail))
    return blocks


def _section_blocks(section: Section, level: int, number: int, counter: _Counter,
                    trail: tuple[str, ...]) -> list[Block]:
    numbering = counter.profile.body.numbering
    pattern = numbering.level1 if level == 1 else numbering.level2
    section_label = label(pattern, number)
    heading = f"{section_label}{section.title}"
    texts = paragraphs(section.text)
    if section.run_in and texts:
        blocks = [Block(Kind.HEADING2_RUN_IN, text=texts[0], label=section_label, heading=f"{section.title}。")]
        texts = texts[1:]
    else:
        blocks = [Block(Kind.HEADING1 if level == 1 else Kind.HEADING2, label=section_label, heading=section.title)]
    blocks += [Block(Kind.PARAGRAPH, text=text) for text in texts]
    here = (*trail, heading)
    if counter.per_section and level == 1:
        counter.item = 0
    for n, child in enumerate(section.sections, 1):
        blocks += _section_blocks(child, 2, n, counter, here)
    for item in section.items:
        blocks += _item_blocks(item, counter, here)
    return blocks


def _body_blocks(body: Body, counter: _Counter) -> list[Block]:
    blocks = [Block(Kind.PARAGRAPH, text=text) for text in paragraphs(body.preamble)]
    for n, section in enumerate(body.sections, 1):
        blocks += _section_blocks(section, 1, n, counter, ())
    blocks += [Block(Kind.PARAGRAPH, text=text) for text in paragraphs(body.closing)]
    return blocks


def _header(plan: DocumentBase) -> Header | None:
    if not isinstance(plan, NoticePlan) and plan.number is None:
        return None  # 工作要点 published as a plain document: no red header
    if plan.header:
        marks, suffix = tuple(plan.header), ""
    else:
        marks, suffix = tuple(plan.issuers), "文件" if isinstance(plan, NoticePlan) else ""
    number = str(plan.number.resolved()) if plan.number is not None else None
    copy_no = plan.copy_no.zfill(6) if plan.copy_no else None
    return Header(copy_no, plan.secrecy, plan.urgency, marks, suffix, number, tuple(plan.signer or ()))


def _attachment_note(plan: DocumentBase, profile: Profile) -> tuple[str, ...]:
    titles = [attachment.title for attachment in plan.attachments]
    word = profile.attachments.label
    if len(titles) == 1:
        return (f"{word}：{titles[0]}",)
    return tuple(f"{word}：{n}.{t}" if n == 1 else f"{n}.{t}" for n, t in enumerate(titles, 1))


def _date(value: dt.date | None) -> str | None:
    return format_cn_date(value) if value else None


def lower(plan: DocumentBase, profile: Profile) -> Document:
    """The plan as writers see it. `serial: auto` must have been resolved before."""
    if isinstance(plan, BulletinPlan):
        raise TypeError("bulletins are lowered with lower_bulletin()")
    max_chars = profile.title.max_chars_per_line
    body = body_of(plan)
    counter = _Counter(profile, per_section=bool(body and body.numbering == "per_section"))
    own = [Block(Kind.PARAGRAPH, text=text) for text in paragraphs(plan.body)]
    if isinstance(plan, NoticePlan) and (plan.sections or plan.closing):
        own += _body_blocks(Body(sections=plan.sections, closing=plan.closing), counter)
    issued: Part | None = None
    if isinstance(plan, NoticePlan) and isinstance(body, IssuedDocument):
        issued = Part(body.title, max_chars, tuple(_body_blocks(body, counter)), body.subtitle)
    elif body is not None:
        own += _body_blocks(body, counter)
    attachments = tuple(
        Part(a.title, max_chars, (), label=f"{profile.attachments.label}{n}" if len(plan.attachments) > 1 else profile.attachments.label)
        for n, a in enumerate(plan.attachments, 1)
    )
    to = "，".join(plan.to) + "：" if plan.to else None
    signoff = Signoff(tuple(plan.signature_names), _date(plan.date), plan.seal) if (plan.signature_names or plan.date) else None
    has_imprint = plan.cc or plan.printed_by
    imprint = Imprint(tuple(plan.cc), plan.printed_by, _date(plan.effective_printed_on)) if has_imprint else None
    return Document(
        kind=type(plan).kind,  # type: ignore[attr-defined]
        header=_header(plan),
        title_chars=max_chars,
        to=to,
        blocks=tuple(own),
        attachment_note=_attachment_note(plan, profile) if plan.attachments else (),
        signoff=signoff,
        note=f"（{plan.note.strip('（）()')}）" if plan.note else None,
        issued=issued,
        attachments=attachments,
        imprint=imprint,
        items=tuple(counter.rows),
        title=plan.title or "",
    )


def lower_bulletin(plan: BulletinPlan, base_dir: Path) -> Bulletin:
    issue = f"第{plan.issue}期" if plan.issue is not None else ""
    if plan.total_issue is not None:
        issue = f"{issue}（总第{plan.total_issue}期）" if issue else f"总第{plan.total_issue}期"
    articles = tuple(
        Article(a.title, a.subtitle, a.byline, tuple(paragraphs(a.body)),
                tuple(((base_dir / image.file).resolve(), image.caption) for image in a.images))
        for a in plan.articles
    )
    distribution = plan.distribution
    lines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if distribution is not None:
        lines = tuple((word, tuple(names)) for word, names in
                      (("报", distribution.report), ("送", distribution.send), ("发", distribution.distribute))
                      if names)
    return Bulletin(plan.name, issue, plan.editor, _date(plan.date), articles, lines,
                    f"（共印{plan.copies}份）" if plan.copies else None)
