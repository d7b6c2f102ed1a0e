"""The work-points body: paragraphs → preamble, sections (一、), sub-sections (（一）), items (1.)
with their lead sentence, text, points (（1）) and responsibility annotation.

Numbers are read to check the sequence and then dropped: the plan is renumbered by the
renderer. A short unnumbered line standing where a heading belongs (the next paragraph is
numbered one level down) is taken as a heading that lost its number.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from render.importers.annotations import Responsibility, annotation, top_level, trailing_annotation
from render.importers.anomalies import NumberSequence, Warnings
from render.importers.frontmatter import is_title_like
from render.importers.markers import Level, Marker, parse_marker
from render.importers.text import Paragraph, has_sentence_punct
from render.model.checks import MAX_TITLE_CHARS

_SENTENCE_END = "。！？"
_HEADLINE_MAX = 40


class Node(Struct):
    """A section, sub-section or item while it is being built."""

    title: str
    line: int
    text: list[str] = field(default_factory=list)
    run_in: bool = False
    sections: list[Node] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    responsibility: Responsibility | None = None


class Body(Struct):
    preamble: list[str] = field(default_factory=list)
    sections: list[Node] = field(default_factory=list)
    per_section: bool = False

    def count_items(self) -> int:
        return sum(1 for _ in walk_items(self.sections))


def walk_items(sections: list[Node]) -> Any:
    for section in sections:
        yield from walk_items(section.sections)
        yield from section.items


def lead_sentence(text: str) -> tuple[str, str]:
    """An item's lead sentence (its title, without the 。) and the text after it."""
    for index in top_level(text, _SENTENCE_END):
        return text[:index].strip(), text[index + 1:].strip()
    return text.strip().rstrip("。"), ""


# --- reading the body --------------------------------------------------------------------

def read_body(paragraphs: list[Paragraph], warnings: Warnings) -> Body:
    markers = [parse_marker(p.text) for p in paragraphs]
    levels = {m.level for m in markers if m}
    if not levels & {Level.SECTION, Level.SUBSECTION, Level.ITEM}:
        return _read_unnumbered(paragraphs, warnings)
    builder = _Builder(warnings, shifted=Level.SECTION not in levels and Level.SUBSECTION in levels,
                       per_section=_items_restart(markers))
    for index, paragraph in enumerate(paragraphs):
        following = markers[index + 1] if index + 1 < len(markers) else None
        builder.add(paragraph, markers[index], following)
    return builder.body


def _items_restart(markers: list[Marker | None]) -> bool:
    """Items numbered per section (1. again under 二、) rather than through the document."""
    last_item, restarts = 0, 0
    for marker in markers:
        if marker is None:
            continue
        if marker.level is Level.ITEM:
            if marker.number == 1 and last_item > 1:
                restarts += 1
            last_item = marker.number
    return restarts > 0


class _Builder:
    def __init__(self, warnings: Warnings, shifted: bool, per_section: bool):
        self.warnings = warnings
        self.body = Body(per_section=per_section)
        # A document whose outermost headings are （一） has no 一、 level: they become level 1.
        self.shifted = shifted
        self.section: Node | None = None
        self.subsection: Node | None = None
        self.item: Node | None = None
        self.sequences = {level: NumberSequence(level, warnings) for level in Level}

    def _level(self, marker: Marker) -> Level:
        if self.shifted and marker.level is Level.SUBSECTION:
            return Level.SECTION
        return marker.level

    def add(self, paragraph: Paragraph, marker: Marker | None, following: Marker | None) -> None:
        if marker is not None:
            self._numbered(paragraph, marker)
        elif (found := annotation(paragraph.text)) is not None:
            self._annotation(paragraph, found)
        elif self._lost_heading_level(paragraph, following) is not None:
            self._lost_heading(paragraph, following)
        else:
            self._text(paragraph.text)

    # numbered paragraphs

    def _numbered(self, paragraph: Paragraph, marker: Marker) -> None:
        level = self._level(marker)
        if level is Level.POINT and self.item is None:
            self._text(paragraph.text)  # a （1） outside any item stays as written
            return
        if level in (Level.SECTION, Level.SUBSECTION) and len(lead_sentence(marker.rest)[0]) > MAX_TITLE_CHARS:
            # `二、行署工作的指导思想是：……` with no full stop for hundreds of characters is a
            # numbered paragraph, not a heading: it stays text, as written.
            self._text(paragraph.text)
            return
        self.sequences[level].observe(marker.number, paragraph.line, marker.style)
        if level is Level.SECTION:
            self._open_section(self._heading(marker.rest, paragraph.line))
        elif level is Level.SUBSECTION:
            self._open_subsection(self._heading(marker.rest, paragraph.line), paragraph.line)
        elif level is Level.ITEM:
            self._open_item(marker.rest, paragraph.line)
        else:
            assert self.item is not None
            self.item.points.append(marker.rest)

    @staticmethod
    def _heading(rest: str, line: int) -> Node:
        """`加强组织保障。区委…` is a run-in heading: title up to the 。, text after it."""
        title, text = lead_sentence(rest)
        node = Node(title if text else rest.rstrip("。"), line)
        if text:
            node.text.append(text)
            node.run_in = True
        return node

    def _open_section(self, node: Node) -> None:
        self.body.sections.append(node)
        self.section, self.subsection, self.item = node, None, None
        self.sequences[Level.SUBSECTION].restart()
        if self.body.per_section:
            self.sequences[Level.ITEM].restart()

    def _open_subsection(self, node: Node, line: int) -> None:
        if self.section is None:
            self._implicit_section(line, "二级标题")
        assert self.section is not None
        self.section.sections.append(node)
        self.subsection, self.item = node, None

    def _open_item(self, rest: str, line: int) -> None:
        if self.section is None:
            self._implicit_section(line, "事项")
        container = self.subsection or self.section
        assert container is not None
        responsibility = None
        if (split := trailing_annotation(rest)) is not None:
            rest, responsibility = split
        title, text = lead_sentence(rest)
        node = Node(title, line, [text] if text else [], responsibility=responsibility)
        container.items.append(node)
        self.item = node
        self.sequences[Level.POINT].restart()

    def _implicit_section(self, line: int, what: str) -> None:
        self.warnings.add("W706", line, f"{what}出现在第一个一级标题之前，已放入标题为“主要工作”的一级标题下，请核对")
        self._open_section(Node("主要工作", line))

    # unnumbered paragraphs

    def _annotation(self, paragraph: Paragraph, found: Responsibility) -> None:
        if self.item is not None and self.item.responsibility is None:
            self.item.responsibility = found
            return
        self.warnings.add("W707", paragraph.line, "这行责任单位说明前面没有事项（或该事项已有一行），按正文保留")
        self._text(paragraph.text)

    def _lost_heading_level(self, paragraph: Paragraph, following: Marker | None) -> Level | None:
        """A short line followed by a numbered paragraph one level down stands where a
        heading belongs: the level it lost its number at, or None."""
        if self.section is None or following is None or not _is_headline(paragraph.text):
            return None
        below = self._level(following)
        if self._continues(below, following):
            return None  # the next number of the open sequence: this line is its text
        if below is Level.SUBSECTION:
            return Level.SECTION
        if below is Level.ITEM:
            return Level.SUBSECTION if self.section.sections and not self.shifted else Level.SECTION
        return None

    def _continues(self, level: Level, following: Marker) -> bool:
        """（二） right after the text of （一）. (Items are often numbered through the whole
        document, so an item's next number says nothing about a lost heading before it.)"""
        return (level is Level.SUBSECTION and self.subsection is not None
                and following.number == self.sequences[level].expected())

    def _lost_heading(self, paragraph: Paragraph, following: Marker | None) -> None:
        level = self._lost_heading_level(paragraph, following)
        assert level is not None
        self.sequences[level].lost(paragraph.line, paragraph.text)
        node = Node(paragraph.text, paragraph.line)
        if level is Level.SECTION:
            self._open_section(node)
        else:
            self._open_subsection(node, paragraph.line)

    def _text(self, text: str) -> None:
        target = self.item or self.subsection or self.section
        (target.text if target else self.body.preamble).append(text)


def _is_headline(text: str) -> bool:
    return len(text) <= _HEADLINE_MAX and is_title_like(text) and "。" not in text


def _is_bare_headline(text: str) -> bool:
    """A newspaper headline: no sentence punctuation at all (`深化改革 不断激发教育活力`)."""
    return _is_headline(text) and not has_sentence_punct(text)


# --- a document without numbers ----------------------------------------------------------

def _read_unnumbered(paragraphs: list[Paragraph], warnings: Warnings) -> Body:
    """No numbered heading at all (a feature, a plain text): short headline lines become
    sections holding the paragraphs after them."""
    body = Body()
    current: Node | None = None
    for paragraph in paragraphs:
        if _is_bare_headline(paragraph.text):
            if current is None:
                warnings.add("W715", paragraph.line, "全文没有编号的标题，已把不成句的短行当作一级标题，请核对")
            current = Node(paragraph.text, paragraph.line)
            body.sections.append(current)
        elif current is None:
            body.preamble.append(paragraph.text)
        else:
            current.text.append(paragraph.text)
    return body
