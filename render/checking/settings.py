"""A .docx judged by its settings alone, when no office suite is there to print it: page
size, margins, the body's size, the document grid and line spacing, and the forms of the
发文字号 and 成文日期. What only the printed page shows (lines per page, the 版记's place,
page numbers) is left out, and the report says so."""

from __future__ import annotations

import re
from pathlib import Path

from render.checking.printed import color_distance
from render.checking.report import Report
from render.measure import TWIPS_PER_PT
from render.model.dates import format_cn_date, parse_cn_date
from render.model.docnumber import DocNumberError, parse_doc_number
from render.ooxml.settings import doc_grid, east_asian_font, snaps_to_grid
from render.profile import Profile

_NUMBER_LIKE = re.compile(r"[〔(（\[【﹝［〖{｛<《]\s*\d{2,4}\s*[〕)）\]】﹞］〗}｝>》]\s*第?\s*\d+\s*号?")
_CN = "〇零○Ｏ一二三四五六七八九十"
_DATE = re.compile(rf"^(\d{{4}}|[{_CN}]{{4}})年(\d{{1,2}}|[{_CN}]{{1,3}})月(\d{{1,2}}|[{_CN}]{{1,4}})日$")


def _exact(paragraph: object) -> bool:
    from docx.enum.text import WD_LINE_SPACING

    return paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY  # type: ignore[attr-defined]


def check_settings(path: Path, profile: Profile, report: Report) -> None:
    import docx

    document = docx.Document(str(path))
    t = profile.check
    section = document.sections[0]

    def mm(length: int | None) -> float:
        return float(length or 0) / 36000  # EMU

    paper = (mm(section.page_width), mm(section.page_height))
    if abs(paper[0] - profile.paper.width) > t.margin or abs(paper[1] - profile.paper.height) > t.margin:
        report.add("C101", "纸张", None, f"{paper[0]:.0f} × {paper[1]:.0f} mm",
                   f"A4 {profile.paper.width:g} × {profile.paper.height:g} mm")
    for name, value, expected in (("天头（上边距）", section.top_margin, profile.margins.top),
                                  ("订口（左边距）", section.left_margin, profile.margins.left),
                                  ("下边距", section.bottom_margin, profile.margins.bottom),
                                  ("右边距", section.right_margin, profile.margins.right)):
        if abs(mm(value) - expected) > t.margin:
            report.add("C102", name, None, f"{mm(value):.1f} mm", f"{expected:g} mm")
    body = profile.size_pt(profile.element("body").size)
    normal = document.styles["Normal"]
    size = normal.font.size.pt if normal.font.size is not None else None
    if size is not None and abs(size - body) > t.size:
        report.add("C110", "正文字号（Normal 样式）", None, f"{size:g} pt", f"三号 {body:g} pt")
    font = east_asian_font(normal)
    if font is not None and font != profile.fonts["fangsong"]:
        report.notes.append(f"正文（Normal 样式）的中文字体是“{font}”，标准用仿宋（{profile.fonts['fangsong']}）")
    pitch_twips = profile.line_pitch_pt * TWIPS_PER_PT
    grid = doc_grid(section)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    exact = [p.paragraph_format.line_spacing.pt for p in paragraphs
             if p.paragraph_format.line_spacing is not None and hasattr(p.paragraph_format.line_spacing, "pt")]
    if len(exact) * 2 > len(paragraphs):
        common = max(set(exact), key=exact.count)
        if abs(common - profile.line_pitch_pt) > t.pitch:
            report.add("C103", "行距（固定值）", None, f"{common:g} pt", f"{profile.line_pitch_pt:.2f} pt（22 行网格）")
    elif grid.line_pitch_twips is None:
        report.add("C103", "文档网格", None, "没有设置文档网格，行距取决于字体",
                   f"每页 {profile.grid.lines} 行（行距 {profile.line_pitch_pt:.2f} pt）")
    elif abs(grid.line_pitch_twips - pitch_twips) > t.pitch * TWIPS_PER_PT:
        report.add("C103", "文档网格行距", None, f"{grid.line_pitch_twips / TWIPS_PER_PT:.2f} pt",
                   f"{profile.line_pitch_pt:.2f} pt（每页 {profile.grid.lines} 行）")
    elif loose := sum(1 for p in paragraphs if not snaps_to_grid(p) and not _exact(p)):
        report.add("C106", "对齐网格", None, f"{loose} 段未对齐文档网格、也没有固定行距", "每行都在 22 行网格上")
    texts = [p.text.strip().replace(" ", "") for p in paragraphs]
    for text in texts[:12]:
        match = _NUMBER_LIKE.search(text)
        if match:
            shown = text.split("签发人")[0][:match.end()]
            try:
                parse_doc_number(shown)
            except DocNumberError as error:
                report.add("C130", f"发文字号（{error.code}）", None, f"“{shown}”", error.message)
            break
    for text in texts:
        if _DATE.match(text):
            found = parse_cn_date(text)
            if found is not None and text != format_cn_date(found):
                report.add("C131", "成文日期", None, f"“{text}”", f"写作“{format_cn_date(found)}”")
            break
    red = profile.color(profile.element("header_mark").color)
    # The 标志 is type larger than the 标题 near the top; a joint one often sits in a table.
    title = profile.size_pt(profile.element("title").size)
    near_top = list(document.paragraphs[:12])
    if document.tables:
        near_top += [p for row in document.tables[0].rows for cell in row.cells for p in cell.paragraphs]
    for paragraph in near_top:
        big = [run for run in paragraph.runs if run.text.strip() and run.font.size is not None
               and run.font.size.pt > title + 1]
        if big:
            color = big[0].font.color.rgb if big[0].font.color is not None and big[0].font.color.type else None
            mark_color: str | None = str(color) if color is not None else None
            if color_distance(mark_color, red) > t.color_distance:
                report.add("C120", "发文机关标志颜色", None, mark_color or "000000（自动）", f"红色 {red}")
            break
