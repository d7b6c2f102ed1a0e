"""Lowered documents → layout blocks: the 公文 (notice, work points, summary) as the fixed
layout engine sees it. Every number comes from the profile; nothing here draws, so the PDF
writer and an OFD writer lay out the same pages.

The order follows GB/T 9704: 版头 (份号, 密级, 紧急程度, 标志, 发文字号, red rule), 主体 (标题,
主送, 正文, 附件说明, 署名/日期, 附注), the issued document, attachments, then the 版记.
Where the standard leaves a choice, the choice is the Word writer's (render/writers/docx*),
so a notice looks the same as .docx and as PDF.
"""

from __future__ import annotations

from msgspec.structs import replace

from render.document.lower import Block as DocBlock
from render.document.lower import Document, Header, Imprint, Kind, Part, Signoff
from render.layout.model import (
    SIGNATURE_TAG,
    TITLE_TAG,
    AbsoluteBlock,
    Block,
    FootBlock,
    FootContent,
    Paragraph,
    Rule,
    Run,
    Signature,
    Spacer,
    SplitLine,
    StackedMark,
    TextStyle,
)
from render.measure import MM
from render.profile import ElementStyle, FontSpec, Profile
from render.text.chars import text_ems

MARK_TAG = "mark"


class Styles:
    """Profile element names and font specs → engine text styles."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def element(self, name: str) -> TextStyle:
        spec: ElementStyle = self.profile.element(name)
        return TextStyle(spec.font, self.profile.size_pt(spec.size),
                         self.profile.color(spec.color), spec.bold)

    def spec(self, spec: FontSpec, color: str = "black") -> TextStyle:
        return TextStyle(spec.font, self.profile.size_pt(spec.size), self.profile.color(color))

    def role(self, font: str, size: float | str, color: str = "black") -> TextStyle:
        return TextStyle(font, self.profile.size_pt(size), self.profile.color(color))


def centred(lines: tuple[str, ...] | list[str], style: TextStyle, **options: object) -> Paragraph:
    """Lines centred one under the other (a title broken by meaning, not by width)."""
    return Paragraph.plain("\n".join(lines), style, align="center", **options)


# --- 版头 ---------------------------------------------------------------------------------


def _mark(header: Header, profile: Profile, styles: Styles) -> Block:
    """The 发文机关标志: joint organs stacked with 文件 beside them; otherwise each line
    (名称+文件) centred, one em under the other."""
    spec, fixed = profile.header, profile.fixed_layout
    style = styles.element("header_mark")
    min_scale = spec.mark_min_scale / 100
    if len(header.marks) > 1 and header.mark_suffix:
        return StackedMark(tuple(Run(name, style) for name in header.marks),
                           Run(header.mark_suffix, style), spec.mark_top,
                           fixed.mark_line_pitch_em, fixed.mark_suffix_gap_chars,
                           spec.mark_max_width, min_scale, MARK_TAG)
    # The mark's own characters are its indent unit (it is not body text on the grid).
    side = max(0.0, (profile.text_width_mm - spec.mark_max_width) * MM / 2 / style.size_pt)
    pitch = fixed.mark_line_pitch_em * style.size_pt / profile.line_pitch_pt
    lines = "\n".join(f"{name}{header.mark_suffix}" for name in header.marks)
    mark = Paragraph.plain(lines, style, align="center", fit_min_scale=min_scale,
                           left_indent_chars=side, right_indent_chars=side,
                           line_pitch_lines=pitch, tag=MARK_TAG)
    return AbsoluteBlock(mark, spec.mark_top)


def _number_line(header: Header, profile: Profile, styles: Styles) -> list[Block]:
    """发文字号 centred; for 上行文 left, one character in, with `签发人：` and the names
    right, two names a row, the 发文字号 on the last row."""
    number = header.number or ""
    style = styles.element("doc_number")
    if not header.is_upward:
        return [Paragraph.plain(number, style, align="center", tag="doc_number")]
    indent = profile.header.signer_indent_chars
    label, name_style = styles.element("signer_label"), styles.element("signer_name")
    names = list(header.signers)
    rows = [names[start:start + 2] for start in range(0, len(names), 2)]
    blocks: list[Block] = []
    for index, row in enumerate(rows):
        left = (Run(number, style),) if index == len(rows) - 1 else ()
        right = (Run("签发人：" if index == 0 else "", label), Run("　".join(row), name_style))
        blocks.append(SplitLine(left, right, indent, indent, tag="doc_number"))
    return blocks


def header_blocks(header: Header, profile: Profile, styles: Styles) -> list[Block]:
    """份号/密级/紧急程度 on the first lines, the 标志 35 mm down, 发文字号, the red rule."""
    blocks: list[Block] = []
    for value, element in ((header.copy_no, "copy_no"), (header.secrecy, "secrecy"),
                           (header.urgency, "urgency")):
        if value:
            blocks.append(Paragraph.plain(value, styles.element(element), align="left"))
    if header.marks:
        blocks.append(_mark(header, profile, styles))
    if header.number or header.is_upward or header.marks:
        if header.marks:
            blocks.append(Spacer(profile.header.mark_line_gap))
        if header.number or header.is_upward:
            blocks += _number_line(header, profile, styles)
        else:
            # No 发文字号: its line stays empty, so the red rule and the 标题 keep their places.
            blocks.append(Spacer(1))
        spec = profile.header
        blocks.append(Rule(spec.rule_width, profile.color("red"),
                           offset_mm=spec.rule_below_number))
    blocks.append(Spacer(profile.title.lines_above))
    return blocks


# --- 主体 ---------------------------------------------------------------------------------




def body_block(block: DocBlock, profile: Profile, styles: Styles) -> Paragraph:
    """One lowered block in the font its level takes (一、黑体, （一）楷体, 1. lead in bold),
    indented two characters; a heading line stays with the line after it."""
    if block.kind is Kind.RESPONSIBILITY:
        return Paragraph.plain(block.text, styles.element("responsibility"),
                               first_indent_chars=profile.responsibility.indent_chars)
    runs: list[Run] = []
    if head := block.label + block.heading:
        runs.append(Run(head, styles.element(block.kind.head_element)))
    if block.text:
        runs.append(Run(block.text, styles.element("body")))
    return Paragraph(tuple(runs), first_indent_chars=profile.body.first_line_indent_chars,
                     keep_with_next=block.kind.keeps_with_next,
                     together_lines=profile.body.together_lines)


def _number_prefix(text: str) -> str:
    """The `1.` in front of an attachment name, or ''."""
    digits = len(text) - len(text.lstrip("0123456789"))
    return text[:digits + 1] if digits and text[digits:digits + 1] in ".．" else ""


def _attachment_note(lines: tuple[str, ...], profile: Profile, styles: Styles) -> list[Block]:
    """附件说明 two characters in, after a blank line; wrapped lines and later attachments
    align with the first attachment's name (after `附件：` and its number). Kept in one piece
    with the end of the body and the 署名 that follows, as the Word writer keeps it."""
    indent = profile.body.first_line_indent_chars
    label = f"{profile.attachments.label}："
    style = styles.element("body")
    blocks: list[Block] = [Spacer(1)]
    for index, line in enumerate(lines):
        number = _number_prefix(line[len(label):] if index == 0 else line)
        hang = text_ems(number) + (text_ems(label) if index == 0 else 0)
        blocks.append(Paragraph.plain(line, style, first_indent_chars=-hang, keep_with_next=True,
                                      left_indent_chars=indent + text_ems(label) + text_ems(number)))
    return blocks


def signature_blocks(signoff: Signoff, profile: Profile, styles: Styles) -> list[Block]:
    """Room above (more for a seal), then the 署名 and 成文日期 per GB/T 9704 7.3.5."""
    spec, fixed = profile.signature, profile.fixed_layout
    names = tuple((Run(name, styles.element("signature")),) for name in signoff.names)
    date = (Run(signoff.date, styles.element("date")),) if signoff.date else ()
    indent = spec.sealed_date_right_indent_chars if signoff.sealed else spec.unsealed_right_indent_chars
    columns = fixed.signature_columns if signoff.sealed and len(names) > 1 else 1
    room = Spacer(spec.seal_lines_above, spec.seal_lines_above_min) if signoff.sealed else Spacer(spec.lines_above)
    return [room, Signature(names, date, signoff.sealed, indent, fixed.date_shift_chars,
                                    SIGNATURE_TAG, columns, spec.column_gap_chars)]


def _title(lines: tuple[str, ...], styles: Styles, **options: object) -> Paragraph:
    return centred(lines, styles.element("title"), keep_with_next=True, tag=TITLE_TAG, **options)


def _subtitle(part: Part, styles: Styles) -> list[Block]:
    if not part.subtitle:
        return []
    return [centred([part.subtitle], styles.element("subtitle"), keep_with_next=True)]


def issued_blocks(part: Part, profile: Profile, styles: Styles) -> list[Block]:
    """The document a notice issues: (a new page,) its own title, then its body."""
    spec = profile.issued_document
    blocks: list[Block] = []
    if spec.lines_above_title:
        # A blank first line carries the page break so the blank lines survive it.
        blocks.append(Paragraph.plain("", styles.element("body"), page_break_before=spec.new_page))
        blocks.append(Spacer(spec.lines_above_title - 1))
    blocks.append(_title(part.title_lines, styles,
                         page_break_before=spec.new_page and not spec.lines_above_title))
    blocks += _subtitle(part, styles)
    blocks.append(Spacer(spec.lines_below_title))
    return blocks + [body_block(block, profile, styles) for block in part.blocks]


def attachment_blocks(part: Part, profile: Profile, styles: Styles) -> list[Block]:
    """A new page: `附件N` in 黑体 flush left on the first line, the title on `title_line`."""
    label = Paragraph.plain(part.label or profile.attachments.label,
                            styles.element("attachment_label"), align="left",
                            page_break_before=True, keep_with_next=True)
    blocks: list[Block] = [label, Spacer(max(0, profile.attachments.title_line - 2)),
                           _title(part.title_lines, styles), *_subtitle(part, styles)]
    if part.blocks:
        blocks.append(Spacer(profile.title.lines_below))
        blocks += [body_block(block, profile, styles) for block in part.blocks]
    return blocks


# --- 版记 ---------------------------------------------------------------------------------


def imprint_block(imprint: Imprint, profile: Profile, styles: Styles) -> FootBlock:
    """抄送 and 印发机关/日期 between a thick rule above and below, thin rules between."""
    spec = profile.imprint
    style = styles.element("imprint")
    black = profile.color("black")
    blocks: list[FootContent] = [Rule(spec.thick_rule, black, anchor="grid")]
    if imprint.cc:
        label = "抄送："
        blocks.append(Paragraph.plain(f"{label}{'，'.join(imprint.cc)}。", style,
                                      left_indent_chars=spec.indent_chars + len(label),
                                      first_indent_chars=-len(label),
                                      right_indent_chars=spec.indent_chars))
        if imprint.printed_by or imprint.printed_on:
            blocks.append(Rule(spec.thin_rule, black, anchor="grid"))
    if imprint.printed_by or imprint.printed_on:
        printed_on = f"{imprint.printed_on}印发" if imprint.printed_on else ""
        blocks.append(SplitLine((Run(imprint.printed_by or "", style),), (Run(printed_on, style),),
                                spec.indent_chars, spec.indent_chars, tag="imprint"))
    blocks.append(Rule(spec.thick_rule, black, anchor="grid"))
    return FootBlock(tuple(blocks))


# --- the whole document -------------------------------------------------------------------


def _keep_last_paragraph_with_next(blocks: list[Block]) -> None:
    """A 署名 (and its seal) never stands on a page without body text (GB/T 9704 7.3.5):
    when it does not fit, the last paragraph goes over with it, as the Word writer does."""
    if blocks and isinstance(blocks[-1], Paragraph):
        blocks[-1] = replace(blocks[-1], keep_with_next=True)


def _may_tighten(body: list[Paragraph], profile: Profile) -> None:
    """The last body paragraphs may tighten their line pitch to keep the 署名 on the text's
    page (GB/T 9704 7.3.5.1); the Word writer tightens the same ones."""
    spec = profile.signature
    for index in range(max(0, len(body) - spec.tight_paragraphs), len(body)):
        body[index] = replace(body[index], tight_pitch_lines=spec.tight_line_pitch)


def compose_document(document: Document, profile: Profile) -> list[Block]:
    """A notice, work points or summary as layout blocks, the 版记 (if any) last."""
    styles = Styles(profile)
    blocks: list[Block] = []
    if document.header is not None:
        blocks += header_blocks(document.header, profile, styles)
    if document.title_lines:
        blocks.append(_title(document.title_lines, styles))
        if document.to or document.blocks:
            blocks.append(Spacer(profile.title.lines_below))
    if document.to:
        blocks.append(Paragraph.plain(document.to, styles.element("to"), tag="to"))
    body = [body_block(block, profile, styles) for block in document.blocks]
    if document.signoff is not None:
        _may_tighten(body, profile)
    blocks += body
    if document.attachment_note:
        _keep_last_paragraph_with_next(blocks)
        blocks += _attachment_note(document.attachment_note, profile, styles)
    if document.signoff is not None:
        _keep_last_paragraph_with_next(blocks)
        blocks += signature_blocks(document.signoff, profile, styles)
    if document.note:
        blocks.append(Paragraph.plain(document.note, styles.element("note"),
                                      first_indent_chars=profile.body.first_line_indent_chars))
    if document.issued is not None:
        blocks += issued_blocks(document.issued, profile, styles)
    for attachment in document.attachments:
        blocks += attachment_blocks(attachment, profile, styles)
    if document.imprint is not None:
        blocks.append(imprint_block(document.imprint, profile, styles))
    return blocks
