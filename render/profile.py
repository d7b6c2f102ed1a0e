"""The layout profile: GB/T 9704 numbers as data (templates/profiles/gbt9704.yaml).

Writers read every number from here; none is written twice in code. A user copies the
file, edits it and passes `--profile`.
"""

# No `from __future__ import annotations`: see render/model/plan.py.

import hashlib
import pickle
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Literal, Union

import pydantic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from render.atomic import OutputRefused, write_bytes_atomic
from render.cache import cache_folder, keep_newest
from render.diagnostics import Diagnostic, PlanError
from render.inputs import PROFILE, InputRefused, read_bytes
from render.measure import MM
from render.reading.yamlsource import YamlSourceError, load_yaml_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
DEFAULT_PROFILE = TEMPLATES_DIR / "profiles" / "gbt9704.yaml"

FontRole = Literal["xiaobiaosong", "fangsong", "heiti", "kaiti", "songti"]
Size = Union[str, float]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Paper(_Strict):
    width: float
    height: float


class Margins(_Strict):
    top: float
    bottom: float
    left: float
    right: float
    header: float  # Word's header distance from the page's top edge


class Grid(_Strict):
    lines: int
    chars: int
    em_ascent: float  # fraction of the em box above the baseline (fixed layout)


class ElementStyle(_Strict):
    font: FontRole
    size: Size
    color: str = "black"
    bold: bool = False


class Header(_Strict):
    mark_top: float
    mark_max_width: float
    mark_min_scale: float
    mark_line_gap: int
    rule_below_number: float
    rule_width: float
    signer_indent_chars: float
    signers_per_line: int


class Title(_Strict):
    lines_above: int
    lines_below: int
    max_chars_per_line: int


class Numbering(_Strict):
    level1: str
    level2: str
    level3: str
    level4: str


class BodyLayout(_Strict):
    first_line_indent_chars: float
    numbering: Numbering
    # Widow/orphan control: a paragraph's first and last lines this many to a page. Word's
    # widow control (w:widowControl) holds exactly two, so the Word writer can follow 1 or 2.
    together_lines: Annotated[int, Field(ge=1, le=2)]


class Responsibility(_Strict):
    format: str
    lead_only: str
    units_only: str
    separator: str
    indent_chars: float


class Signature(_Strict):
    unsealed_right_indent_chars: float
    sealed_date_right_indent_chars: float
    lines_above: int
    seal_lines_above: int
    seal_lines_above_min: int  # 7.3.5.1: what the blank above a seal may shrink to, to keep 署名 with the text
    # 7.3.5.1, next: the line pitch (× the grid's) the last body paragraphs may tighten to
    tight_line_pitch: Annotated[float, Field(gt=0.5, le=1.0)]
    tight_paragraphs: int  # …and how many of them, counted back from the 署名
    column_gap_chars: float  # joint sealed 署名: space kept free between names of neighbouring columns


class IssuedDocumentLayout(_Strict):
    new_page: bool
    lines_above_title: int
    lines_below_title: int


class Attachments(_Strict):
    label: str
    title_line: int


class Imprint(_Strict):
    indent_chars: float
    thick_rule: float
    thin_rule: float
    gap_lines: int


class PageNumber(_Strict):
    dash: str
    below_text: float
    outer_indent_chars: float


class FontSpec(_Strict):
    font: FontRole
    size: Size


class Bulletin(_Strict):
    name_size: Size
    name_font: FontRole
    name_color: str
    rule_width: float
    issue_font: FontRole
    issue_size: Size
    article_title: FontSpec
    article_subtitle: FontSpec
    byline: FontSpec
    caption: FontSpec
    body: FontSpec
    tail_font_size: Size
    tail_font: FontRole
    head_lines_above: int         # blank grid lines above the 报头 name
    issue_lines_below: int        # blank lines between 第N期 and the 编印单位/日期 line
    rule_below_text: float        # mm: the red rule under the 编印单位/日期 line's baseline
    head_lines_below: int         # blank lines between the red rule and the first article
    article_lines_between: int    # blank lines before each later article
    image_max_lines: int          # an image is scaled down to at most this many grid lines


class Check(_Strict):
    """Tolerances of `gongwen check`: how far a printed page may stray from the numbers above."""

    margin: float          # mm: paper, 天头, 订口 and 版心 edges (the standard's ± 1 mm)
    position: float        # mm: placed elements (标志, red rule, page-number dashes, first line, 版记)
    size: float            # pt: font sizes
    pitch: float           # pt: line pitch
    off_grid: float        # fraction of the pitch a line may sit off its grid slot
    gap_lines: float       # lines: blank-line gaps
    indent_chars: float    # characters: indents
    rule_width: float      # mm: 版记 rule thickness
    color_distance: float  # RGB distance from a named colour still counted as that colour
    office_timeout: float  # s: one LibreOffice conversion


class FixedLayout(_Strict):
    """Numbers the fixed layout (PDF, OFD) needs beyond the sections shared with Word."""

    mark_line_pitch_em: float     # joint 标志: baseline to baseline, × the mark size
    mark_suffix_gap_chars: float  # joint 标志: gap between the organ stack and 文件
    signature_columns: int        # joint sealed 署名: organs side by side, this many a row
    date_shift_chars: float       # unsealed 署名: the date starts this far right of the name
    bold_stroke: float            # 仿宋 has no bold face: bold is stroked this wide (× size)


class XlsxMargins(_Strict):
    """Printed page margins of the 责任分工表 (mm); header/footer: distance from the edge."""

    top: float
    bottom: float
    left: float
    right: float
    header: float
    footer: float


class XlsxMatrixWidths(_Strict):
    """Sheet 任务分工. Widths are in digits of the body font: one 汉字 is 2."""

    number: float     # 序号
    section: float    # 所属部分
    task: float       # 重点任务
    content: float    # 工作内容
    lead: float       # 牵头单位
    units: float      # 责任单位
    due: float        # 完成时限
    progress: float   # 进展情况
    remarks: float    # 备注


class XlsxByUnitWidths(_Strict):
    """Sheet 按单位."""

    unit: float       # 单位
    role: float       # 职责
    number: float     # 序号
    task: float       # 重点任务
    lead: float       # 牵头单位
    units: float      # 责任单位
    due: float        # 完成时限


class XlsxStatsWidths(_Strict):
    """Sheet 统计."""

    number: float     # 序号
    unit: float       # 单位
    full_name: float  # 单位全称
    count: float      # 牵头任务数, 责任任务数, 合计


class XlsxWidths(_Strict):
    matrix: XlsxMatrixWidths
    by_unit: XlsxByUnitWidths
    stats: XlsxStatsWidths


class Xlsx(_Strict):
    """The 重点任务责任分工表 workbook (`gongwen render --to xlsx`)."""

    title: FontSpec
    header: FontSpec
    body: FontSpec
    title_row_height: float    # pt
    header_row_height: float   # pt
    line_height: float         # body row height per wrapped line, as a multiple of the font size
    row_padding: float         # pt added to each body row (the cell's top and bottom padding)
    cell_padding: float        # width units kept free beside a cell's text
    header_fill: str           # RRGGBB behind the header row
    margins: XlsxMargins
    widths: XlsxWidths


class Profile(_Strict):
    name: str
    paper: Paper
    margins: Margins
    grid: Grid
    sizes: dict[str, float]
    fonts: dict[FontRole, str]
    font_files: dict[FontRole, str] = {}
    colors: dict[str, str]
    elements: dict[str, ElementStyle]
    header: Header
    title: Title
    body: BodyLayout
    responsibility: Responsibility
    signature: Signature
    issued_document: IssuedDocumentLayout
    attachments: Attachments
    imprint: Imprint
    page_number: PageNumber
    bulletin: Bulletin
    check: Check
    fixed_layout: FixedLayout
    xlsx: Xlsx

    # -- derived numbers (never stored twice) --------------------------------------------
    def size_pt(self, size: Size) -> float:
        if isinstance(size, (int, float)):
            return float(size)
        return self.sizes[size]

    def color(self, name: str) -> str:
        """A colour name from `colors`, or a literal RRGGBB."""
        return self.colors.get(name, name)

    def element(self, name: str) -> ElementStyle:
        return self.elements[name]

    @cached_property
    def text_width_mm(self) -> float:
        return self.paper.width - self.margins.left - self.margins.right

    @cached_property
    def text_height_mm(self) -> float:
        return self.paper.height - self.margins.top - self.margins.bottom

    @cached_property
    def line_pitch_pt(self) -> float:
        return self.text_height_mm * MM / self.grid.lines

    @cached_property
    def char_pitch_pt(self) -> float:
        return self.text_width_mm * MM / self.grid.chars

    @property
    def body_size_pt(self) -> float:
        return self.size_pt(self.element("body").size)


_CACHE_PREFIX = "profile-"
PROFILES_KEPT = 16  # validated profiles kept on disk: every edit of a profile leaves one


def load_profile(path: Path | None = None) -> Profile:
    """Load and validate a profile; problems come back as a PlanError with line numbers.

    A valid profile is kept in the cache folder by its file's content (and the code that
    reads it): every command reads the profile, and pydantic builds its 26 models' validator
    again in every process to check the same file."""
    path = path or DEFAULT_PROFILE
    try:
        cached = _cache_file(read_bytes(path, PROFILE))
    except (InputRefused, OSError):
        cached = None  # reported below, with the message a user reads
    if cached is not None:
        try:
            kept = pickle.loads(cached.read_bytes())
            if isinstance(kept, Profile):
                return kept
        except Exception:  # noqa: BLE001 - a missing, damaged or foreign cache: validate again
            pass
    profile = _validated(path)
    if cached is not None:
        try:
            write_bytes_atomic(cached, pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputRefused, pickle.PicklingError):
            pass
        else:
            keep_newest(cached.parent, _CACHE_PREFIX, PROFILES_KEPT)
    return profile


def _cache_file(raw: bytes) -> Path:
    """Named by the profile's bytes, this module's source and pydantic's version: a changed
    file or model is validated afresh."""
    digest = hashlib.sha256(raw)
    digest.update(_code_stamp())
    return cache_folder() / f"{_CACHE_PREFIX}{digest.hexdigest()}.pickle"


@cache  # the module's source is read once a process, not once a profile
def _code_stamp() -> bytes:
    return Path(__file__).read_bytes() + pydantic.VERSION.encode("ascii")


def _validated(path: Path) -> Profile:
    try:
        data, source = load_yaml_file(path, PROFILE)
    except YamlSourceError as error:
        raise PlanError([error.diagnostic]) from None
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        diagnostics = []
        for problem in error.errors():
            mark = source.mark(tuple(problem["loc"]))
            diagnostics.append(Diagnostic("E600", f"版式配置“{'.'.join(map(str, problem['loc']))}”：{problem['msg']}",
                                          str(path), mark.line if mark else 0, mark.col if mark else 0))
        raise PlanError(diagnostics) from None
