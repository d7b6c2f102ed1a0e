"""Notices typed the way an office clerk builds them in a word processor, with python-docx:
a Word template's document grid (22 lines, snapping on), plain paragraphs, blank lines
for spacing, paragraph borders for the rules, page numbers in odd/even footers.

`build(target, fault)` writes the right notice, or the same notice with one known fault,
so `gongwen check` can be shown to pass the one and name the fault in the others.
Numbers here are the standard's, typed as a clerk would type them into Word's dialogs:
this is a hand-made document, not gongwen's output.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

FAULTS = ("di_in_number", "chinese_date", "black_mark", "footers_swapped", "break_before_imprint",
          "left_margin_32", "body_15pt", "pitch_28pt", "title_off_grid", "no_snap")

RED = RGBColor(0xE6, 0x00, 0x12)
LINE_PITCH = 579           # twips: 225 mm / 22 lines, as Word's 文档网格 dialog writes it
FILLER = 3                 # blank lines that push the 版记 to the foot of page 2
CONDENSE = -6              # twips: 28 characters of 16 pt fit 156 mm when each gives 0.3 pt

MARK = "万州区教育委员会文件"
NUMBER = "万州教委〔2024〕7号"
TITLE = ("关于开展2024年春季学期中小学校园", "安全专项检查工作的通知")
TO = "各中小学校，各幼儿园，委属各单位："
SIGNER = "重庆市万州区教育委员会"
DATE = "2024年3月8日"
CC = "抄送：区委教育工委，区政府办公室。"
PRINTER = "重庆市万州区教育委员会办公室"
PRINTED = "2024年3月8日印发"

# Body paragraphs: full-width text only, so every line holds exactly 28 characters and a
# clerk (and the test) can count lines. Punctuation never falls at a line start.
_PHRASES = ("为切实做好春季学期校园安全工作", "全面排查整治各类安全隐患", "保障广大师生生命财产安全",
            "维护教育系统安全稳定", "经研究决定在全区范围内开展校园安全专项检查", "各单位要高度重视",
            "认真组织开展自查自纠", "建立问题清单和整改台账", "明确整改责任和整改时限", "确保各项措施落到实处")


def _paragraph_text(lines: int, seed: int) -> str:
    """A paragraph of `lines` lines: 26 characters on the first (two are indent), 28 after,
    a short last line; no punctuation where a line starts."""
    want = 26 + 28 * (lines - 1) - 6
    text = ""
    index = seed
    while len(text) < want:
        text += _PHRASES[index % len(_PHRASES)] + "，"
        index += 1
    chars = list(text[:want - 1] + "。")
    for position in range(len(chars) - 1):
        if (position + 2) % 28 == 0 and chars[position] == "，":
            chars[position] = "并"
    return "".join(chars)


BODY_TEXT = _paragraph_text(3, 0)
HEADINGS = {2: "一、检查范围", 4: "二、检查内容", 5: "（一）消防安全"}
BODY = [(3, 0), (3, 2), (4, 4), (2, 6), (3, 1), (3, 3)]


def _fonts(run_or_style: object, family: str) -> None:
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)


def _condense(run: object, twips: int = CONDENSE) -> None:
    rpr = run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    rpr.append(spacing)


def _ppr_flag(paragraph: Paragraph, tag: str, val: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), val)
    ppr.append(element)


def _exact(paragraph: Paragraph, points: float) -> None:
    paragraph.paragraph_format.line_spacing = Pt(points)
    from docx.enum.text import WD_LINE_SPACING
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _border(paragraph: Paragraph, side: str, eighths: int, color: str, space: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(eighths)), ("space", str(space)), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH, indent: bool) -> None:
    paragraph.alignment = align
    if indent:
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(14)
        else:
            paragraph.paragraph_format.left_indent = Pt(14)

    def run(text: str) -> object:
        made = paragraph.add_run(text)
        made.font.size = Pt(14)
        _fonts(made, "宋体")
        return made

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        made = run("")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            made.element.append(char)  # type: ignore[attr-defined]
        elif instruction == " PAGE ":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            made.element.append(code)  # type: ignore[attr-defined]
        else:
            made.text = instruction
    run(" —")


def build(target: Path, fault: str | None = None) -> Path:
    """The notice (two pages, the 版记 at the foot of page 2), or it with `fault`."""
    assert fault is None or fault in FAULTS, fault
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin = Mm(32 if fault == "left_margin_32" else 28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(35 - 7 - 2.5)
    for old in section._sectPr.findall(qn("w:docGrid")):  # the template's 18 pt grid
        section._sectPr.remove(old)
    if fault != "no_snap":
        grid = OxmlElement("w:docGrid")
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        section._sectPr.append(grid)
    document.settings.odd_and_even_pages_header_footer = True
    body_size = 15 if fault == "body_15pt" else 16

    normal = document.styles["Normal"]
    normal.font.size = Pt(body_size)
    _fonts(normal, "仿宋_GB2312")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = False

    def paragraph(text: str = "", *, size: float | None = None, font: str | None = None,
                  color: RGBColor | None = None, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
                  indent: bool = False, condense: bool = True) -> Paragraph:
        made = document.add_paragraph()
        made.alignment = align
        if indent:
            made.paragraph_format.first_line_indent = Pt(2 * (body_size - 0.3))
        if fault in ("no_snap", "pitch_28pt"):
            _ppr_flag(made, "w:snapToGrid", "0")
        if fault == "pitch_28pt":
            _exact(made, 28)
        if text:
            run = made.add_run(text)
            if size is not None:
                run.font.size = Pt(size)
            if font is not None:
                _fonts(run, font)
            if color is not None:
                run.font.color.rgb = color
            if condense:
                _condense(run)
        return made

    for _ in range(3):
        paragraph()
    paragraph(MARK, size=36, font="方正小标宋简体", color=None if fault == "black_mark" else RED,
              align=WD_ALIGN_PARAGRAPH.CENTER, condense=False)
    paragraph()
    paragraph()
    number = paragraph(NUMBER.replace("〕", "〕第") if fault == "di_in_number" else NUMBER,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
    # The red rule: the 发文字号 paragraph's bottom border, 4 mm (11 pt) under its text.
    _border(number, "bottom", 18, "E60012", space=4)
    # …and the border's room taken back from the line, or every later line leaves the grid.
    if fault not in ("pitch_28pt", "no_snap"):
        _ppr_flag(number, "w:snapToGrid", "0")
        _exact(number, LINE_PITCH / 20 - 4 - 2.25)
    paragraph()
    paragraph()
    for line in TITLE:
        title = paragraph(line, size=22, font="方正小标宋简体", align=WD_ALIGN_PARAGRAPH.CENTER, condense=False)
        if fault == "title_off_grid":
            _ppr_flag(title, "w:snapToGrid", "0")
            _exact(title, 33)
    paragraph()
    paragraph(TO)
    for index, (lines, seed) in enumerate(BODY):
        if index in HEADINGS:
            heading = HEADINGS[index]
            paragraph(heading, font="黑体" if heading.startswith("一") or heading.startswith("二") else "楷体_GB2312",
                      indent=True)
        paragraph(_paragraph_text(lines, seed), indent=True)
    paragraph("特此通知。", indent=True)
    paragraph()
    signer = paragraph(SIGNER, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signer.paragraph_format.right_indent = Pt(2 * 15.7)
    date_text = "二〇二四年三月八日" if fault == "chinese_date" else DATE
    date = paragraph(date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # The date's first character two characters right of the 署名's first.
    date.paragraph_format.right_indent = Mm(22)
    for _ in range(FILLER):
        paragraph()
    if fault == "break_before_imprint":
        document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    # The rules run the 版心's width, so the one-character indent is a full-width space.
    cc = paragraph("\u3000" + CC, size=14)
    _border(cc, "top", 8, "000000")
    _border(cc, "bottom", 6, "000000")
    printed = paragraph(size=14)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    run = printed.add_run(f"\u3000{PRINTER}\t{PRINTED}")
    run.font.size = Pt(14)
    _border(printed, "bottom", 8, "000000")
    # Bordered paragraphs grow by their rules: a clerk tightens them until the 版记 fits.
    for bordered in (cc, printed):
        if fault not in ("pitch_28pt", "no_snap"):
            _ppr_flag(bordered, "w:snapToGrid", "0")
            _exact(bordered, 27)

    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    swapped = fault == "footers_swapped"
    _page_number(odd, WD_ALIGN_PARAGRAPH.LEFT if swapped else WD_ALIGN_PARAGRAPH.RIGHT, True)
    _page_number(even, WD_ALIGN_PARAGRAPH.RIGHT if swapped else WD_ALIGN_PARAGRAPH.LEFT, True)
    document.save(target)
    return target
