"""Input blocks and output display list of the fixed-layout engine.

Input: a document is a sequence of blocks (`Paragraph`, `Spacer`, `Rule`, `ImageBlock`,
`SplitLine`, `Signature`, `AbsoluteBlock`, `StackedMark`, and one trailing `FootBlock`).
They say *what* goes on the page and which layout rule applies; they hold no page
coordinates.

Output: one `Page` per physical page, each a display list of `PlacedText`, `PlacedRule` and
`PlacedImage`. **Every coordinate is in PostScript points (1/72 in), measured from the
page's top-left corner, x to the right and y downwards.** A PDF writer (origin bottom-left,
y up) draws at ``page_height_pt - y``; OFD uses millimetres from the top-left, so it only
scales by 25.4 / 72.

All types are frozen structs (msgspec): layouts are values, cheap to compare in tests and safe to
share between writers.
"""

from __future__ import annotations

from typing import Literal, Union

from msgspec import Struct

Align = Literal["justify", "left", "center", "right"]
# Where a rule's offset is measured from: "baseline" = the previous text line's baseline
# (the red rule 4 mm under the 发文字号); "grid" = the top edge of the next free grid line
# (the 版记 rules, which sit on the boundaries between grid lines).
RuleAnchor = Literal["baseline", "grid"]


class LayoutError(ValueError):
    """A block sequence the engine cannot lay out (message in 简体中文, for the user)."""


class TextStyle(Struct, frozen=True):
    """How a run looks. `font_role` is a profile font role (fangsong, heiti, …), not a file:
    the writer resolves it. `scale_x` is a horizontal scale (1.0 = none; the 发文机关标志 is
    condensed when too wide). `measure` callables ignore `scale_x`; the engine applies it."""

    font_role: str
    size_pt: float
    color: str = "000000"
    bold: bool = False
    scale_x: float = 1.0


class Run(Struct, frozen=True):
    text: str
    style: TextStyle


class Paragraph(Struct, frozen=True):
    """A paragraph broken into lines on the character grid.

    Indents are in characters of the paragraph's first run (the grid pitch for body-size
    text, the font size otherwise). A negative `first_indent_chars` is a hanging indent:
    `抄送：` wraps aligned after the colon with left_indent 1+3, first_indent -3.
    A ``"\\n"`` inside a run is a line break within the paragraph (manual 标题 lines).
    `line_pitch_lines` is how many grid lines one line of this paragraph takes (raised
    automatically when the font is taller than that). `fit_min_scale` < 1 lets a paragraph
    too wide for one line be condensed horizontally down to that scale before it wraps
    (the 发文机关标志). `tag` is copied onto every `PlacedText` (a writer finds the 署名 by it).
    `together_lines` ≥ 2 is widow and orphan control: a page never ends with fewer than that
    many of the paragraph's first lines, nor opens with fewer of its last lines.
    `tight_pitch_lines` < 1: the line pitch GB/T 9704 7.3.5.1 lets the paragraph tighten to
    when that keeps the 署名 after it on the text's page (`layout_document` tries it).
    """

    runs: tuple[Run, ...]
    align: Align = "justify"
    first_indent_chars: float = 0
    left_indent_chars: float = 0
    right_indent_chars: float = 0
    keep_with_next: bool = False
    page_break_before: bool = False
    line_pitch_lines: float = 1.0
    space_before_lines: int = 0
    fit_min_scale: float = 1.0
    tag: str | None = None
    together_lines: int = 1
    tight_pitch_lines: float = 1.0

    @classmethod
    def plain(cls, text: str, style: TextStyle, **options: object) -> Paragraph:
        """One-run paragraph; `options` are the other fields."""
        return cls(runs=(Run(text, style),), **options)  # type: ignore[arg-type]


class Spacer(Struct, frozen=True):
    """Blank grid lines (公文 blank lines). Dropped at the top of a page the flow spilled
    onto, so a page never opens with a blank line it did not ask for. `min_lines` below
    `lines`: the blank may give up lines down to that when this keeps the keep-with-next
    chain it is in on its page (GB/T 9704 7.3.5.1: adjust the spacing so 署名, seal and
    date stay with the text before carrying text to the next page)."""

    lines: int
    min_lines: int | None = None


class Rule(Struct, frozen=True):
    """A horizontal rule, `width_mm` long (None = the 版心 width), centred on the 版心.
    It takes no grid space unless `space_lines` > 0, so it never shifts the grid."""

    thickness_mm: float
    color: str = "000000"
    width_mm: float | None = None
    offset_mm: float = 0.0
    anchor: RuleAnchor = "baseline"
    space_lines: int = 0


class ImageBlock(Struct, frozen=True):
    """An image centred in the 版心, scaled down to fit it, taking whole grid lines. The
    caption (if any) follows on the same page.

    A `floating` image that does not fit in what is left of the page moves, with its
    caption, to the top of the next page while the text after it fills this page (a
    简报 photo): without it a tall image leaves half a page blank."""

    path: str
    width_pt: float
    height_pt: float
    caption: Paragraph | None = None
    floating: bool = False


class SplitLine(Struct, frozen=True):
    """One line with `left` runs after a left indent and `right` runs flush against a right
    indent: 发文字号 | 签发人, 印发机关 | 印发日期, 编印单位 | 日期. Neither side wraps."""

    left: tuple[Run, ...]
    right: tuple[Run, ...]
    left_indent_chars: float = 0
    right_indent_chars: float = 0
    line_pitch_lines: float = 1.0
    keep_with_next: bool = False
    tag: str | None = None


class Signature(Struct, frozen=True):
    """发文机关署名 (one line per organ, stacked) and 成文日期, placed per GB/T 9704 7.3.5.

    Unsealed: the names right-indented `right_indent_chars`; the date starts
    `date_shift_chars` right of the names' first character; a date longer than the names
    is right-indented instead and the names move left with it.
    Sealed: the date right-indented `right_indent_chars` (4 in the standard), each name
    centred on the date. Sealed with `columns` > 1 (joint issuance, 7.3.5.2): the names sit
    side by side, `columns` to a row, in columns of 版心 width / `columns`, the last column
    centred on the date, so each organ's seal presses on its own name without touching the
    next. Names are tagged "<tag>.name", the date "<tag>.date", so the writer can press the
    seal on them.
    """

    names: tuple[tuple[Run, ...], ...]
    date: tuple[Run, ...]
    sealed: bool
    right_indent_chars: float
    date_shift_chars: float = 0
    tag: str = "signature"
    columns: int = 1
    column_gap_chars: float = 1.0


class AbsoluteBlock(Struct, frozen=True):
    """A paragraph or rule placed on the current page at `top_mm` below the 版心 top edge
    (negative: above it). For a paragraph this is the top of its first line's em box (the
    发文机关标志 at 35 mm). With `advance_flow` the flow resumes on the first grid line below."""

    content: Paragraph | Rule
    top_mm: float
    advance_flow: bool = True


class StackedMark(Struct, frozen=True):
    """The 发文机关标志 of a joint issuance: the organ names stacked, each spread to the width
    of the longest (分散对齐), and `suffix` (文件) to the right of the stack, centred
    vertically on it. The group is centred in the 版心 and condensed horizontally when wider
    than `max_width_mm` (None = the 版心), but never below `min_scale`. Like an
    AbsoluteBlock, its top edge (of the first name's em box) is `top_mm` below the 版心 top,
    and the flow resumes on the first grid line under the stack.

    `line_pitch_em`: from one name's baseline to the next, in units of the names' size (1:
    the em boxes touch, as in a table of exact one-em rows); `suffix_gap_chars`: the gap
    between stack and suffix, in characters of that size."""

    names: tuple[Run, ...]
    suffix: Run | None
    top_mm: float
    line_pitch_em: float = 1.0
    suffix_gap_chars: float = 0.5
    max_width_mm: float | None = None
    min_scale: float = 1.0
    tag: str | None = None


FootContent = Union[Paragraph, Spacer, Rule, SplitLine]


class FootBlock(Struct, frozen=True):
    """The 版记: must be the last block. Bottom-aligned so its last line is the last grid line
    of the last page, which is made even (a blank page is inserted if needed).
    With `even_page=False` (the 报尾 of a 简报) the last page may be odd: the group goes to
    the foot of the current page when it fits under the text, else of a new page."""

    blocks: tuple[FootContent, ...]
    even_page: bool = True


Block = Union[Paragraph, Spacer, Rule, ImageBlock, SplitLine, Signature, AbsoluteBlock,
              StackedMark, FootBlock]


# ---- output ---------------------------------------------------------------------------


class PlacedText(Struct, frozen=True):
    """Text drawn from (x_pt, baseline_y_pt), top-left origin, y down. After each character
    the pen advances by its natural width (measure × scale_x) plus `char_spacing_pt`; the
    spacing after the last character does not matter. PDF's Tc is scaled by Tz, so a writer
    using Tz sets Tc = char_spacing_pt / scale_x."""

    x_pt: float
    baseline_y_pt: float
    text: str
    style: TextStyle
    char_spacing_pt: float = 0.0
    tag: str | None = None


class PlacedRule(Struct, frozen=True):
    """A horizontal line from x1 to x2 whose centre line is at y (top-left origin, y down)."""

    x1_pt: float
    x2_pt: float
    y_pt: float
    thickness_pt: float
    color: str


class PlacedImage(Struct, frozen=True):
    x_pt: float
    y_top_pt: float
    width_pt: float
    height_pt: float
    path: str


PlacedItem = Union[PlacedText, PlacedRule, PlacedImage]


class Page(Struct, frozen=True):
    """One physical page. `index` counts from 1 (odd = recto); `number` is the printed page
    number, None when none is printed (blank page, 版记-only page). The page number itself
    is one of the `items` (a PlacedText tagged "page_number")."""

    index: int
    number: int | None
    items: tuple[PlacedItem, ...]


# The tag of the document's 标题 lines. GB/T 9704 7.3.1 sets the title on the first page,
# under the red rule: pagination never carries it away from there.
TITLE_TAG = "title"
# The 署名 block's tag: its names are "signature.name", its date "signature.date".
SIGNATURE_TAG = "signature"
