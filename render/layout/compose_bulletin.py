"""A lowered 工作简报 → layout blocks: the 报头, the articles with their photos, the 报尾.

Like compose.py this draws nothing and takes every number from the profile. Image files
are only asked for their pixel size (through `image_size`), so the caller decides how.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from render.document.lower import Article, Bulletin
from render.layout.compose import Styles
from render.layout.model import (
    Block,
    FootBlock,
    FootContent,
    ImageBlock,
    Paragraph,
    Rule,
    Run,
    Spacer,
    SplitLine,
)
from render.measure import MM
from render.profile import Profile

ImageSize = Callable[[Path], tuple[float, float]]  # path → (width, height) in pixels
NAME_TAG = "bulletin.name"
ARTICLE_TITLE_TAG = "article.title"


def head_blocks(bulletin: Bulletin, profile: Profile, styles: Styles) -> list[Block]:
    """报头: the name large and red, 第N期（总第N期）, 编印单位 left and date right, red rule."""
    spec = profile.bulletin
    issue = styles.role(spec.issue_font, spec.issue_size)
    blocks: list[Block] = [
        Spacer(spec.head_lines_above),
        Paragraph.plain(bulletin.name, styles.role(spec.name_font, spec.name_size, spec.name_color),
                        align="center", tag=NAME_TAG),
    ]
    if bulletin.issue_line:
        blocks.append(Paragraph.plain(bulletin.issue_line, issue, align="center"))
    if bulletin.editor or bulletin.date:
        blocks.append(Spacer(spec.issue_lines_below))
        blocks.append(SplitLine((Run(bulletin.editor or "", issue),), (Run(bulletin.date or "", issue),)))
    blocks.append(Rule(spec.rule_width, profile.color(spec.name_color), offset_mm=spec.rule_below_text))
    blocks.append(Spacer(spec.head_lines_below))
    return blocks


def image_block(path: Path, caption: str | None, profile: Profile, styles: Styles,
                image_size: ImageSize) -> ImageBlock:
    """A photo as wide as the 版心 (keeping its proportions), but no taller than
    `image_max_lines` grid lines so it and its caption fit a page; it floats to the next
    page rather than leave a gap."""
    spec = profile.bulletin
    pixels_wide, pixels_high = image_size(path)
    width = profile.text_width_mm * MM
    height = width * pixels_high / pixels_wide
    limit = spec.image_max_lines * profile.line_pitch_pt
    if height > limit:
        width, height = width * limit / height, limit
    label = Paragraph.plain(caption, styles.spec(spec.caption), align="center") if caption else None
    return ImageBlock(str(path), width, height, label, floating=True)


def _image_slots(paragraphs: int, images: int) -> list[int]:
    """After which paragraph each image goes: spread evenly, never before the first one."""
    return [max(1, (number + 1) * paragraphs // (images + 1)) for number in range(images)]


def article_blocks(article: Article, profile: Profile, styles: Styles,
                   image_size: ImageSize) -> list[Block]:
    """Title centred (小标宋 二号), subtitle (楷体), body indented two characters with the
    photos among the paragraphs, byline right-aligned (楷体)."""
    spec = profile.bulletin
    indent = profile.body.first_line_indent_chars
    blocks: list[Block] = [Paragraph.plain(article.title, styles.spec(spec.article_title),
                                           align="center", keep_with_next=True,
                                           tag=ARTICLE_TITLE_TAG)]
    if article.subtitle:
        blocks.append(Paragraph.plain(article.subtitle, styles.spec(spec.article_subtitle),
                                      align="center", keep_with_next=True))
    slots = _image_slots(len(article.paragraphs), len(article.images))
    body = styles.spec(spec.body)
    for number, text in enumerate(article.paragraphs, 1):
        blocks.append(Paragraph.plain(text, body, first_indent_chars=indent, together_lines=profile.body.together_lines))
        blocks += [image_block(path, caption, profile, styles, image_size)
                   for (path, caption), slot in zip(article.images, slots) if slot == number]
    if not article.paragraphs:  # photos only
        blocks += [image_block(path, caption, profile, styles, image_size)
                   for path, caption in article.images]
    if article.byline:
        blocks.append(Paragraph.plain(article.byline, styles.spec(spec.byline), align="right"))
    return blocks


def tail_block(bulletin: Bulletin, profile: Profile, styles: Styles) -> FootBlock | None:
    """报尾 at the foot of the last page: thick rule, 报：/送：/发： lines, thin rule,
    （共印N份） on the right. The last page need not be even (it is not a 版记)."""
    if not bulletin.distribution and not bulletin.copies:
        return None
    spec, imprint = profile.bulletin, profile.imprint
    style = styles.role(spec.tail_font, spec.tail_font_size)
    black = profile.color("black")
    blocks: list[FootContent] = [Rule(imprint.thick_rule, black, anchor="grid")]
    for word, names in bulletin.distribution:
        label = f"{word}："
        blocks.append(Paragraph.plain(f"{label}{'，'.join(names)}。", style,
                                      left_indent_chars=imprint.indent_chars + len(label),
                                      first_indent_chars=-len(label),
                                      right_indent_chars=imprint.indent_chars))
    blocks.append(Rule(imprint.thin_rule, black, anchor="grid"))
    if bulletin.copies:
        blocks.append(Paragraph.plain(bulletin.copies, style, align="right",
                                      right_indent_chars=imprint.indent_chars))
    return FootBlock(tuple(blocks), even_page=False)


def compose_bulletin(bulletin: Bulletin, profile: Profile, image_size: ImageSize) -> list[Block]:
    """The whole 简报: 报头, articles (a blank line between them), 报尾."""
    styles = Styles(profile)
    blocks = head_blocks(bulletin, profile, styles)
    for number, article in enumerate(bulletin.articles):
        if number:
            blocks.append(Spacer(profile.bulletin.article_lines_between))
        blocks += article_blocks(article, profile, styles, image_size)
    tail = tail_block(bulletin, profile, styles)
    return blocks + [tail] if tail is not None else blocks
