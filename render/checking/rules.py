"""GB/T 9704 measured on the printed page. Every number comes from the profile (the
standard's layout and the checker's tolerances); each rule adds faults to the report.

The page is read the way a person holding the standard reads it: the body is the size
most characters have, the 版头 is what stands above the 发文字号, the 版记 is what ends
with 印发, the page number is the line under the 版心. A rule that cannot find its element
says nothing: a document without a 版头 (a plain 工作要点) is not faulted for lacking one.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from functools import cached_property

from msgspec import Struct

from render.checking.printed import Line, PrintedDocument, PrintedPage, Rule, color_distance
from render.checking.report import Report
from render.measure import MM
from render.model.dates import format_cn_date, parse_cn_date
from render.model.docnumber import DocNumberError, parse_doc_number
from render.profile import Profile
from render.text.chars import CLOSING, OPENING, is_grid_char

_OPEN = "〔(（[【﹝［〖{｛<《"
_CLOSE = "〕)）]】﹞］〗}｝>》"
_NUMBER_LIKE = re.compile(rf"[{re.escape(_OPEN)}]\s*\d{{2,4}}\s*[{re.escape(_CLOSE)}]\s*第?\s*\d+\s*号?")
_CN = "〇零○Ｏ一二三四五六七八九十"
_DATE_LINE = re.compile(rf"^(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,4}})\s*日$")
_IMPRINT_DATE = re.compile(rf"((\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,4}})\s*日)\s*印发$")
_PAGE_NUMBER = re.compile(r"^[\s—\-－–―一]*\d+[\s—\-－–―一]*$")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")
_ATTACHMENT_LABEL = re.compile(r"^附件\s*(\d*)$")
_ISSUE_LINE = re.compile(r"^(总?第\s*\d+\s*期)")
_RED_NAME = "红色"
_ROLE_NAMES = {"xiaobiaosong": "小标宋", "fangsong": "仿宋", "heiti": "黑体", "kaiti": "楷体", "songti": "宋体"}
# Half-width punctuation beside a Chinese character: typed on a Western keyboard layout.
_HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:?!(]|[,;:?!)][\u4e00-\u9fff]")


def _mm(points: float) -> str:
    return f"{points / MM:.1f} mm"


def _pt(points: float) -> str:
    return f"{points:.1f} pt"


class _Imprint(Struct, frozen=True):
    page: PrintedPage
    lines: tuple[Line, ...]   # 抄送 … 印发, top to bottom
    rules: tuple[Rule, ...]


class Checker:
    """One document against one profile; `run()` fills the report."""

    def __init__(self, document: PrintedDocument, profile: Profile, report: Report,
                 requested_fonts: frozenset[str] = frozenset()):
        self.doc = document
        self.requested_fonts = requested_fonts
        self.p = profile
        self.t = profile.check
        self.report = report
        self.pitch = profile.line_pitch_pt
        self.left = profile.margins.left * MM
        self.right = (profile.paper.width - profile.margins.right) * MM
        self.top = profile.margins.top * MM
        self.bottom = (profile.paper.height - profile.margins.bottom) * MM

    # -- what the pages hold ---------------------------------------------------------------

    def page_number_line(self, page: PrintedPage) -> Line | None:
        if not page.lines:
            return None
        last = page.lines[-1]
        if last.baseline > self.bottom - 0.5 * self.pitch and _PAGE_NUMBER.match(last.text):
            return last
        # A short line under the 版心 is a page number in some other form (第1页, 1/5).
        if last.baseline > self.bottom + 1 * MM and len(last.text) <= 12 and re.search(r"\d", last.text):
            return last
        return None

    def text_lines(self, page: PrintedPage) -> list[Line]:
        number = self.page_number_line(page)
        return [line for line in page.lines if line is not number]

    @cached_property
    def all_text(self) -> list[Line]:
        return [line for page in self.doc.pages for line in self.text_lines(page)]

    @cached_property
    def body_size(self) -> float:
        """The size most characters have, display type (标题 size and larger) aside: a long
        title over a one-line body must not make the title the body."""
        display = self.p.size_pt(self.p.element("title").size) - 1
        counts: Counter[float] = Counter()
        for line in self.all_text:
            counts.update(round(glyph.size * 2) / 2 for glyph in line.glyphs)
        text = Counter({size: n for size, n in counts.items() if size < display})
        return (text or counts).most_common(1)[0][0]

    @cached_property
    def body_font(self) -> str:
        counts: Counter[str] = Counter(glyph.font for line in self.all_text for glyph in line.glyphs
                                       if abs(glyph.size - self.body_size) < 0.3)
        return counts.most_common(1)[0][0]

    def is_body(self, line: Line) -> bool:
        return abs(line.size - self.body_size) < 0.3 and line.font == self.body_font

    @cached_property
    def body_lines(self) -> list[Line]:
        return [line for line in self.all_text if self.is_body(line)]

    @cached_property
    def is_bulletin(self) -> bool:
        """A 简报 (报头, 第N期): its own conventions, outside the 公文 rules for 版头 and 版记."""
        first = self.text_lines(self.doc.pages[0])[:4]
        return any(_ISSUE_LINE.match(line.text) for line in first)

    @cached_property
    def fonts_collapsed(self) -> bool:
        """The file asks for several fonts and the printout shows one: the office suite that
        printed it lacked them (no 黑体 or 楷体 installed), which is not the file's fault."""
        printed = {glyph.font for line in self.all_text for glyph in line.glyphs}
        return len(self.requested_fonts) >= 2 and len(printed) == 1

    @cached_property
    def full_lines(self) -> list[Line]:
        """Body lines that run the 版心's width (most of a line's characters): where the
        版心's edges are measured."""
        return [line for line in self.body_lines if len(line.glyphs) >= self.p.grid.chars * 0.85]

    def _edge(self, values: list[float], low: bool) -> float | None:
        if len(values) < 2:
            return None
        extreme = min(values) if low else max(values)
        near = [round(x * 2) / 2 for x in values if abs(x - extreme) < 1 * MM]
        return Counter(near).most_common(1)[0][0]

    @cached_property
    def left_edge(self) -> float | None:
        return self._edge([line.x0 for line in self.full_lines], low=True)

    @cached_property
    def right_edge(self) -> float | None:
        return self._edge([line.x1 for line in self.full_lines], low=False)

    @cached_property
    def imprint(self) -> _Imprint | None:
        for page in reversed(self.doc.pages):
            lines = self.text_lines(page)
            for index in range(len(lines) - 1, -1, -1):
                if _IMPRINT_DATE.search(lines[index].text.replace(" ", "")):
                    return self._imprint_block(page, lines, index)
        return None

    def _imprint_block(self, page: PrintedPage, lines: list[Line], last: int) -> _Imprint:
        size = lines[last].size
        first = last
        while first > 0 and abs(lines[first - 1].size - size) < 0.3 \
                and lines[last].baseline - lines[first - 1].baseline < 8 * self.pitch \
                and not self.is_body(lines[first - 1]):
            first -= 1
        block = tuple(lines[first:last + 1])
        above = block[0].baseline - 1.5 * self.pitch
        below = block[-1].baseline + self.pitch
        rules = tuple(rule for rule in page.rules if above < rule.top < below and rule.length > 0.5 * (self.right - self.left))
        return _Imprint(page, block, rules)

    def imprint_only(self, page: PrintedPage) -> bool:
        imprint = self.imprint
        return imprint is not None and imprint.page is page and \
            all(line in imprint.lines for line in self.text_lines(page))

    # -- the rules ---------------------------------------------------------------------------

    def run(self) -> None:
        self.report.pages = len(self.doc.pages)
        self.paper()
        self.margins()
        self.grid()
        self.sizes()
        if self.is_bulletin:
            self.report.notes.append("这是一份简报（报头、第N期），按简报惯例只检查纸张、版心、行格、字号、页码、避头尾和标点")
        else:
            self.header()
            self.date_and_signature()
            self.imprint_rules()
            self.attachments()
        self.page_numbers()
        self.line_edges()
        self.half_width()

    def paper(self) -> None:
        tolerance = self.t.margin * MM
        width, height = self.p.paper.width * MM, self.p.paper.height * MM
        wrong = [page for page in self.doc.pages
                 if abs(page.width - width) > tolerance or abs(page.height - height) > tolerance]
        for page in wrong[:1]:
            self.report.add("C101", "纸张", page.number, f"{page.width / MM:.0f} × {page.height / MM:.0f} mm",
                            f"A4 {self.p.paper.width:.0f} × {self.p.paper.height:.0f} mm")

    def margins(self) -> None:
        tolerance = self.t.margin * MM
        left, right = self.left_edge, self.right_edge
        page = self.body_lines[0].page if self.body_lines else None
        if left is not None and abs(left - self.left) > tolerance:
            self.report.add("C102", "订口（左边距）", page, _mm(left), f"{self.p.margins.left:g} mm ± {self.t.margin:g} mm")
        if right is not None and left is not None:
            width = right - left
            if abs(width - (self.right - self.left)) > tolerance:
                self.report.add("C102", "版心宽度", page, _mm(width), f"{self.p.text_width_mm:g} mm")
            elif abs(right - self.right) > tolerance:
                self.report.add("C102", "右边距", page, _mm(self.p.paper.width * MM - right),
                                f"{self.p.margins.right:g} mm")
        # 天头: where the first line of a page without a 版头 sits against the grid's first line.
        offsets = []
        for page_ in self.doc.pages[1:] or self.doc.pages[:1]:
            lines = self.text_lines(page_)
            if lines and self.is_body(lines[0]) and not (page_.number == 1 and self.doc.pages[1:]):
                offsets.append(lines[0].baseline - self.slot_baseline(0, lines[0].size))
        if offsets:
            offset = statistics.median(offsets)
            if abs(offset) > self.t.position * MM:
                self.report.add("C102", "天头（上边距）", None, f"首行基线在 {self.p.margins.top + offset / MM:.1f} mm 处的行格上",
                                f"{self.p.margins.top:g} mm ± {self.t.margin:g} mm，首行在版心第一行")

    def slot_baseline(self, slot: int, size: float) -> float:
        """Where a line of `size` on grid line `slot` (0-based) has its baseline: centred in
        the line, the em box `em_ascent` above the baseline."""
        return self.top + (slot + 0.5) * self.pitch + (self.p.grid.em_ascent - 0.5) * size

    def grid(self) -> None:
        pitch_faulted = self._pitch()
        for page in self.doc.pages:
            lines = self.text_lines(page)
            count = len(lines)
            if count > self.p.grid.lines:
                self.report.add("C104", "每页行数", page.number, f"{count} 行", f"{self.p.grid.lines} 行")
            below = [line for line in lines if line.baseline > self.bottom + 1 * MM]
            if below:
                self.report.add("C107", "版心", page.number, f"“{below[0].text[:12]}”的基线在版心下边缘之下 "
                                f"{_mm(below[0].baseline - self.bottom)}", "文字都在版心之内（页码除外）")
        self._chars_per_line()
        if not pitch_faulted:
            self._off_grid()

    def _pitch(self) -> bool:
        steps = []
        for page in self.doc.pages:
            body = [line for line in self.text_lines(page) if self.is_body(line)]
            steps += [b.baseline - a.baseline for a, b in zip(body, body[1:])
                      if 0.55 * self.pitch < b.baseline - a.baseline < 1.45 * self.pitch]
        if len(steps) < 5:
            return False
        pitch = statistics.median(steps)
        if abs(pitch - self.pitch) > self.t.pitch:
            self.report.add("C103", "行距", None, f"{pitch:.2f} pt（每页约 {self.p.text_height_mm * MM / pitch:.1f} 行）",
                            f"{self.pitch:.2f} pt：版心 {self.p.text_height_mm:g} mm 排 {self.p.grid.lines} 行")
            return True
        return False

    def _chars_per_line(self) -> None:
        left, right = self.left_edge, self.right_edge
        if left is None or right is None:
            return
        slack = self.t.indent_chars * self.body_size
        full = [line for line in self.body_lines if abs(line.x0 - left) < slack and abs(line.x1 - right) < slack
                and all(is_grid_char(glyph.text) for glyph in line.glyphs)]
        if len(full) < 3:
            return
        count = Counter(len(line.glyphs) for line in full).most_common(1)[0][0]
        if count != self.p.grid.chars:
            self.report.add("C105", "每行字数", full[0].page, f"{count} 字", f"{self.p.grid.chars} 字")

    @cached_property
    def header_end(self) -> float:
        """Page 1's 版头 (标志, 发文字号, red rule) is placed in millimetres, not on the grid:
        the grid check starts under it."""
        page = self.doc.pages[0]
        lines = self.text_lines(page)
        number = next((line for line in lines if line.baseline < page.height / 2 and _NUMBER_LIKE.search(line.text)), None)
        if number is None:
            return 0.0
        rules = [rule.top for rule in page.rules if number.baseline < rule.top < number.baseline + 15 * MM]
        return max(rules, default=number.baseline) + 1

    def _off_grid(self) -> None:
        body = [line for line in self.body_lines if line.page > 1 or line.baseline > self.header_end]
        if len(body) < 5:
            return
        phases = [(line.baseline - self.top) % self.pitch for line in body]
        reference = Counter(round(phase * 2) / 2 for phase in phases).most_common(1)[0][0]
        limit = self.t.off_grid * self.pitch
        off: dict[int, list[float]] = {}
        for line, phase in zip(body, phases):
            deviation = (phase - reference + self.pitch / 2) % self.pitch - self.pitch / 2
            if abs(deviation) > limit:
                off.setdefault(line.page, []).append(deviation)
        for page, deviations in off.items():
            worst = max(deviations, key=abs)
            self.report.add("C106", "行格", page, f"{len(deviations)} 行正文偏离 22 行网格（最多 {worst:+.1f} pt）",
                            f"每行都在 {self.pitch:.2f} pt 的行格上")

    def sizes(self) -> None:
        body = self.p.size_pt(self.p.element("body").size)
        body_wrong = abs(self.body_size - body) > self.t.size
        if body_wrong:
            self.report.add("C110", "正文字号", self.body_lines[0].page if self.body_lines else None,
                            _pt(self.body_size), f"三号 {body:g} pt")
        for pattern, element, name in ((_HEADING1, "heading1", "一级标题"), (_HEADING2, "heading2", "二级标题")):
            expected = self.p.size_pt(self.p.element(element).size)
            headings = [line for line in self.all_text if pattern.match(line.text)]
            # Headings follow a wrong body size (one style): that fault is the body's.
            wrong = [line for line in headings if abs(line.size - expected) > self.t.size and not body_wrong]
            if wrong:
                self.report.add("C112", f"{name}字号", wrong[0].page, f"“{wrong[0].text[:8]}” {_pt(wrong[0].size)}",
                                f"{expected:g} pt")
            # 一级 in 黑体, 二级 in 楷体: a heading number set in the body's own font is not.
            role = self.p.element(element).font
            if role != self.p.element("body").font and headings and self.fonts_collapsed:
                note = (f"打印时缺少文件所用的字体（{'、'.join(sorted(self.requested_fonts))}），"
                        "各字体被替换成同一种，未检查标题的字体")
                if note not in self.report.notes:
                    self.report.notes.append(note)
            elif role != self.p.element("body").font:
                plain = [line for line in headings if line.glyphs[0].font == self.body_font]
                if plain:
                    self.report.add("C113", f"{name}字体", plain[0].page,
                                    f"“{plain[0].text[:8]}”与正文同一字体（{len(plain)} 处）",
                                    f"{name}用{_ROLE_NAMES[role]}（{self.p.fonts[role]}）")

    # -- 版头 and 标题 --------------------------------------------------------------------------

    def header(self) -> None:
        page = self.doc.pages[0]
        lines = self.text_lines(page)
        number_at = next((i for i, line in enumerate(lines) if line.baseline < page.height / 2
                          and line.size < self.body_size + 1 and _NUMBER_LIKE.search(line.text)), None)
        rule: Rule | None = None
        if number_at is not None:
            number = lines[number_at]
            self._doc_number(number)
            marks = [line for line in lines[:number_at] if line.size > 1.3 * self.body_size]
            if marks:
                self._mark(marks, number)
            rule = self._red_rule(page, number)
            start = number_at + 1
        else:
            # No 发文字号: the 标志 is what stands above the first red rule (a 版头 without
            # a number still has its rule).
            wide = [r for r in page.rules if r.top < page.height / 2 and r.length > 0.5 * (self.right - self.left)
                    and color_distance(r.color, self.p.color("red")) <= self.t.color_distance]
            rule = wide[0] if wide else None
            if rule is not None:
                above = [i for i, line in enumerate(lines) if line.baseline < rule.top]
            else:
                # Neither number nor rule: the 标志 is the type larger than a 标题 that opens page 1.
                title_size = self.p.size_pt(self.p.element("title").size)
                above = []
                for i, line in enumerate(lines):
                    if line.size <= title_size + 2:
                        break
                    above.append(i)
            marks = [lines[i] for i in above if lines[i].size > 1.3 * self.body_size]
            if marks:
                self._mark(marks, None)
            start = above[-1] + 1 if above else 0
        self._title(lines[start:], rule)

    def _doc_number(self, line: Line) -> None:
        text = line.text.split("签发人")[0].replace(" ", "")
        match = _NUMBER_LIKE.search(text)
        shown = text[:match.end()] if match else text
        try:
            parse_doc_number(shown)
        except DocNumberError as error:
            self.report.add("C130", f"发文字号（{error.code}）", line.page, f"“{shown}”", error.message)
        if "签发人" not in line.text:
            centre = (self.left + self.right) / 2
            if abs(line.centre - centre) > self.t.indent_chars * self.body_size * 2:
                self.report.add("C130", "发文字号位置", line.page, f"中心偏离版心中线 {_mm(line.centre - centre)}",
                                "居中排布（上行文：左空一字，签发人右空一字）")

    def _mark(self, marks: list[Line], number: Line | None) -> None:
        red = self.p.color(self.p.element("header_mark").color)
        colors = {glyph.color for line in marks for glyph in line.glyphs}
        wrong = sorted({c or "000000" for c in colors if color_distance(c, red) > self.t.color_distance})
        if wrong:
            self.report.add("C120", "发文机关标志颜色", marks[0].page, "、".join(wrong), f"{_RED_NAME} {red}")
        first = marks[0]
        if len(marks) == 1 and abs(first.centre - (self.left + self.right) / 2) > self.t.indent_chars * first.size:
            self.report.add("C121", "发文机关标志位置", first.page,
                            f"中心偏离版心中线 {_mm(first.centre - (self.left + self.right) / 2)}", "居中排布")
        top = first.baseline - self.p.grid.em_ascent * first.size - self.top
        if abs(top - self.p.header.mark_top * MM) > self.t.position * MM:
            self.report.add("C121", "发文机关标志位置", first.page, f"上边缘距版心上边缘 {_mm(top)}",
                            f"{self.p.header.mark_top:g} mm")
        if number is None:
            return
        last = marks[-1]
        gap = (number.baseline - self.p.grid.em_ascent * number.size
               - (last.baseline + (1 - self.p.grid.em_ascent) * last.size)) / self.pitch
        if abs(gap - self.p.header.mark_line_gap) > self.t.gap_lines:
            self.report.add("C122", "标志与发文字号的间距", number.page, f"约 {gap:.1f} 行",
                            f"空 {self.p.header.mark_line_gap} 行")

    def _red_rule(self, page: PrintedPage, number: Line) -> Rule | None:
        candidates = [rule for rule in page.rules if number.baseline < rule.top < number.baseline + 15 * MM]
        if not candidates:
            self.report.add("C124", "版头分隔线", page.number, "发文字号下没有分隔线",
                            f"发文字号下 {self.p.header.rule_below_number:g} mm 处一条与版心等宽的红色分隔线")
            return None
        rule = max(candidates, key=lambda r: r.length)
        red = self.p.color("red")
        if color_distance(rule.color, red) > self.t.color_distance:
            self.report.add("C123", "版头分隔线颜色", page.number, rule.color or "000000", f"{_RED_NAME} {red}")
        width = self.right - self.left
        if abs(rule.length - width) > self.t.margin * MM:
            self.report.add("C124", "版头分隔线长度", page.number, _mm(rule.length), f"与版心等宽 {self.p.text_width_mm:g} mm")
        below = rule.top - number.baseline
        if abs(below - self.p.header.rule_below_number * MM) > self.t.position * MM:
            self.report.add("C125", "分隔线与发文字号的距离", page.number, _mm(below),
                            f"{self.p.header.rule_below_number:g} mm")
        return rule

    def _title(self, lines: list[Line], rule: Rule | None) -> None:
        title: list[Line] = []
        for line in lines:
            if line.size > self.body_size + 2 and (not title or line.baseline - title[-1].baseline < 2 * self.pitch):
                title.append(line)
            elif title or line.size <= self.body_size + 2:
                break
        if not title:
            return
        expected = self.p.size_pt(self.p.element("title").size)
        if abs(title[0].size - expected) > self.t.size:
            self.report.add("C111", "标题字号", title[0].page, _pt(title[0].size), f"二号 {expected:g} pt")
        steps = [b.baseline - a.baseline for a, b in zip(title, title[1:])]
        if steps and any(abs(step - self.pitch) > self.t.pitch for step in steps):
            self.report.add("C190", "标题行距", title[0].page, "、".join(_pt(step) for step in steps),
                            f"{self.pitch:.2f} pt，标题各行在 22 行网格上")
        if rule is not None:
            gap = (title[0].baseline - self.p.grid.em_ascent * title[0].size - rule.top) / self.pitch
            if abs(gap - self.p.title.lines_above) > self.t.gap_lines:
                self.report.add("C190", "标题与分隔线的间距", title[0].page, f"约 {gap:.1f} 行", f"空 {self.p.title.lines_above} 行")
        after = lines[len(title)] if len(lines) > len(title) else None
        if after is not None and after.page == title[-1].page:
            gap = (after.baseline - title[-1].baseline) / self.pitch - 1
            if abs(gap - self.p.title.lines_below) > self.t.gap_lines:
                self.report.add("C190", "标题与主送机关的间距", after.page, f"约 {gap:.1f} 行", f"空 {self.p.title.lines_below} 行")

    # -- 成文日期 and 署名 -----------------------------------------------------------------------

    def date_and_signature(self) -> None:
        imprint_lines = set(self.imprint.lines) if self.imprint else set()
        for page in self.doc.pages:
            lines = self.text_lines(page)
            for index, line in enumerate(lines):
                if line in imprint_lines or not _DATE_LINE.match(line.text.replace(" ", "")):
                    continue
                self._date_form(line, "成文日期")
                block = self._signer_block(lines[:index], line)
                if block:
                    self._signature(block, line, lines[:index - len(block)])
                return

    def _signer_block(self, above: list[Line], date: Line) -> list[Line]:
        """The 署名 over the date: the line right above it, and stacked names (a joint
        unsealed 署名) that start where it starts."""
        block: list[Line] = []
        below = date
        for line in reversed(above):
            if not self.is_body(line) or below.baseline - line.baseline > 1.5 * self.pitch:
                break
            if block and abs(line.x0 - block[0].x0) > self.t.indent_chars * self.body_size:
                break
            block.insert(0, line)
            below = line
        return block

    def _date_form(self, line: Line, name: str, text: str | None = None) -> None:
        shown = (text or line.text).replace(" ", "")
        found = parse_cn_date(shown)
        if found is None:
            self.report.add("C131", name, line.page, f"“{shown}”不是存在的日期", "用阿拉伯数字写明年月日，如“2022年11月4日”")
        elif shown != format_cn_date(found):
            why = "用阿拉伯数字" if not re.search(r"\d", shown) else "年份写全，月、日不编虚位（不加 0）"
            self.report.add("C131", name, line.page, f"“{shown}”", f"{why}，写作“{format_cn_date(found)}”")

    def _signature(self, block: list[Line], date: Line, before: list[Line]) -> None:
        char = self.body_size
        tolerance = self.t.indent_chars * char
        signer = block[0]
        signer_x0, signer_x1 = min(line.x0 for line in block), max(line.x1 for line in block)
        date_right = (self.right - date.x1) / char
        signer_right = (self.right - signer_x1) / char
        sealed = abs(date_right - self.p.signature.sealed_date_right_indent_chars) <= self.t.indent_chars
        if sealed:
            centre = (signer_x0 + signer_x1) / 2
            if abs(centre - date.centre) > 2 * tolerance and len(signer.glyphs) <= len(date.glyphs) + 4:
                self.report.add("C160", "署名", signer.page, f"署名中心偏离成文日期中心 {_mm(centre - date.centre)}",
                                "加盖印章时署名居中排在成文日期之上")
            limit = self.p.signature.seal_lines_above + 1 + self.t.gap_lines
        else:
            shift = (date.x0 - signer_x0) / char
            date_longer = date.x1 - date.x0 > signer_x1 - signer_x0
            expected_right = self.p.signature.unsealed_right_indent_chars
            if date_longer:
                ok = abs(date_right - expected_right) <= self.t.indent_chars
            else:
                ok = abs(signer_right - expected_right) <= self.t.indent_chars and \
                    abs(shift - self.p.fixed_layout.date_shift_chars) <= self.t.indent_chars
            if not ok:
                self.report.add("C160", "署名和成文日期", signer.page,
                                f"署名右空 {signer_right:.1f} 字，日期首字比署名首字右移 {shift:.1f} 字，日期右空 {date_right:.1f} 字",
                                f"不加盖印章：署名右空 {expected_right:g} 字，日期首字比署名首字右移 "
                                f"{self.p.fixed_layout.date_shift_chars:g} 字；加盖印章：日期右空 "
                                f"{self.p.signature.sealed_date_right_indent_chars:g} 字")
            limit = self.p.signature.lines_above + 1 + self.t.gap_lines
        text_above = [line for line in before if line.page == signer.page]
        if not text_above:
            self.report.add("C161", "署名所在页", signer.page, "这一页只有署名和成文日期，没有正文",
                            "署名页须有正文（调整行距、字距，不出现“此页无正文”）")
        else:
            gap = (signer.baseline - text_above[-1].baseline) / self.pitch
            if gap > limit:
                self.report.add("C161", "署名与正文的距离", signer.page, f"署名在正文下 {gap - 1:.1f} 行",
                                "不加盖印章：正文下空一行；加盖印章：印章顶端距正文不超过一行")

    # -- 版记 ---------------------------------------------------------------------------------

    def imprint_rules(self) -> None:
        imprint = self.imprint
        if imprint is None:
            return
        page = imprint.page
        last_page = self.doc.pages[-1]
        if page.number % 2 or page is not last_page:
            where = "奇数页" if page.number % 2 else "偶数页"
            tail = "" if page is last_page else f"，其后还有 {last_page.number - page.number} 页"
            self.report.add("C150", "版记位置", page.number, f"版记在第{page.number}页（{where}）{tail}",
                            "版记在公文最后一页，且最后一页为偶数页")
        size = self.p.size_pt(self.p.element("imprint").size)
        if any(abs(line.size - size) > self.t.size for line in imprint.lines):
            self.report.add("C153", "版记字号", page.number, _pt(imprint.lines[-1].size), f"四号 {size:g} pt")
        foot = imprint.rules[-1].top if imprint.rules else imprint.lines[-1].baseline
        expected = self.bottom if imprint.rules else self.slot_baseline(self.p.grid.lines - 1, imprint.lines[-1].size)
        if abs(foot - expected) > self.t.position * MM:
            self.report.add("C151", "版记位置", page.number, f"版记最后一条线在版心下边缘之上 {_mm(self.bottom - foot)}",
                            "版记最后一个要素在版心最后一行")
        self._imprint_lines(imprint)
        self._imprint_rule_widths(imprint)

    def _imprint_lines(self, imprint: _Imprint) -> None:
        last = imprint.lines[-1]
        char = last.size
        indent = self.p.imprint.indent_chars
        left = (last.x0 - self.left) / char
        right = (self.right - last.x1) / char
        if abs(left - indent) > self.t.indent_chars or abs(right - indent) > self.t.indent_chars:
            self.report.add("C154", "印发机关和印发日期", last.page, f"左空 {left:.1f} 字，右空 {right:.1f} 字",
                            f"印发机关左空 {indent:g} 字，印发日期右空 {indent:g} 字")
        match = _IMPRINT_DATE.search(last.text.replace(" ", ""))
        if match:
            self._date_form(last, "印发日期", match[1])
        cc = [line for line in imprint.lines if line.text.startswith("抄送")]
        if cc:
            block = imprint.lines[imprint.lines.index(cc[0]):-1]
            if block and not block[-1].text.endswith("。"):
                self.report.add("C154", "抄送机关", block[-1].page, f"末尾为“{block[-1].text[-1]}”", "最后一个抄送机关后标句号")

    def _imprint_rule_widths(self, imprint: _Imprint) -> None:
        rules = imprint.rules
        page = imprint.page.number
        if len(rules) < 2:
            self.report.add("C152", "版记分割线", page, f"{len(rules)} 条",
                            "首条和末条粗线（0.35 mm）、其间细线（0.25 mm），与版心等宽")
            return
        width = self.right - self.left
        short = [rule for rule in rules if abs(rule.length - width) > self.t.margin * MM]
        if short:
            self.report.add("C152", "版记分割线长度", page, _mm(short[0].length), f"与版心等宽 {self.p.text_width_mm:g} mm")
        thick, thin = self.p.imprint.thick_rule * MM, self.p.imprint.thin_rule * MM
        limit = self.t.rule_width * MM
        for index, rule in enumerate(rules):
            expected = thick if index in (0, len(rules) - 1) else thin
            if abs(rule.thickness - expected) > limit:
                name = "首条" if index == 0 else "末条" if index == len(rules) - 1 else "中间"
                self.report.add("C152", f"版记{name}分割线粗细", page, f"{rule.thickness / MM:.2f} mm",
                                f"{expected / MM:.2f} mm")

    # -- 附件 ---------------------------------------------------------------------------------

    def attachments(self) -> None:
        labels = []
        for page in self.doc.pages:
            lines = self.text_lines(page)
            if lines and _ATTACHMENT_LABEL.match(lines[0].text.replace(" ", "")) and page.number > 1:
                labels.append((page, lines))
        expected_size = self.p.size_pt(self.p.element("attachment_label").size)
        for page, lines in labels:
            label = lines[0]
            if abs(label.size - expected_size) > self.t.size or \
                    (self.left_edge is not None and abs(label.x0 - self.left_edge) > self.t.indent_chars * self.body_size):
                self.report.add("C170", "附件标识", page.number, f"“{label.text}” {_pt(label.size)}，左空 "
                                f"{(label.x0 - (self.left_edge or self.left)) / self.body_size:.1f} 字",
                                f"“附件”及序号用三号黑体（{expected_size:g} pt）顶格排在版心左上角第一行")
            if len(lines) > 1:
                title_slot = (lines[1].baseline - label.baseline) / self.pitch + 1
                if abs(title_slot - self.p.attachments.title_line) > self.t.gap_lines:
                    self.report.add("C170", "附件标题位置", page.number, f"第 {title_slot:.1f} 行",
                                    f"附件标题居中排在版心第 {self.p.attachments.title_line} 行")
        numbers = [_ATTACHMENT_LABEL.match(lines[0].text.replace(" ", ""))[1] for _, lines in labels]  # type: ignore[index]
        listed = self._listed_attachments()
        if len(numbers) > 1 and numbers != [str(i) for i in range(1, len(numbers) + 1)]:
            self.report.add("C170", "附件序号", labels[0][0].number, "、".join(f"附件{n}" for n in numbers),
                            "多个附件依次标“附件1”“附件2”…")
        elif labels and listed is not None and len(labels) != listed:
            self.report.add("C170", "附件", labels[0][0].number, f"附件说明列了 {listed} 个附件，附件页有 {len(labels)} 个",
                            "附件说明与所附附件一一对应")

    def _listed_attachments(self) -> int | None:
        """How many attachments the 附件说明 (附件：1.… 2.…) names; None without one."""
        lines = self.all_text
        for index, line in enumerate(lines):
            text = line.text.replace(" ", "")
            if not text.startswith(f"{self.p.attachments.label}："):
                continue
            if not re.match(rf"{self.p.attachments.label}：\d+[.．]", text):
                return 1
            count = 1
            for later in lines[index + 1:]:
                if re.match(rf"{count + 1}[.．]", later.text.replace(" ", "")):
                    count += 1
                elif later.x0 < line.x0 + self.body_size * 3:
                    break
            return count
        return None

    # -- 页码 ---------------------------------------------------------------------------------

    def page_numbers(self) -> None:
        style = self.p.element("page_number")
        size = self.p.size_pt(style.size)
        dash = self.p.page_number.dash
        indent = self.p.page_number.outer_indent_chars
        imprint_page = self.imprint.page.number if self.imprint else None
        for page in self.doc.pages:
            number = self.page_number_line(page)
            text = self.text_lines(page)
            unnumbered = self.imprint_only(page) or (not text and imprint_page is not None
                                                     and page.number == imprint_page - 1)
            if unnumbered:
                if number is not None:
                    what = "只有版记的页" if text else "版记页前的空白页"
                    self.report.add("C145", "页码", page.number, f"{what}标了页码“{number.text}”", f"{what}不标页码")
                continue
            if number is None:
                if text:
                    self.report.add("C144", "页码", page.number, "没有页码", f"{dash} {page.number} {dash}，排在版心下边缘之下")
                continue
            shown = number.text.replace(" ", "")
            if shown != f"{dash}{page.number}{dash}":
                self.report.add("C140", "页码形式", page.number, f"“{number.text}”",
                                f"“{dash} {page.number} {dash}”（一字线加半角阿拉伯数字）")
            if abs(number.size - size) > self.t.size:
                self.report.add("C141", "页码字号", page.number, _pt(number.size), f"四号 {size:g} pt")
            odd = page.number % 2 == 1
            gap = (self.right - number.x1) / size if odd else (number.x0 - self.left) / size
            if abs(gap - indent) > self.t.indent_chars:
                other = (number.x0 - self.left) / size if odd else (self.right - number.x1) / size
                side = "右" if odd else "左"
                where = f"在另一侧（距{'左' if odd else '右'}边 {other:.1f} 字）" if abs(other - indent) <= self.t.indent_chars \
                    else f"{side}空 {gap:.1f} 字"
                self.report.add("C142", "页码位置", page.number, where,
                                f"{'单页码居右' if odd else '双页码居左'}空 {indent:g} 字")
            middle = number.baseline - (self.p.grid.em_ascent - 0.5) * number.size
            below = middle - self.bottom
            if abs(below - self.p.page_number.below_text * MM) > self.t.position * MM:
                self.report.add("C143", "页码位置", page.number, f"一字线距版心下边缘 {_mm(below)}",
                                f"{self.p.page_number.below_text:g} mm")

    # -- 避头尾 -------------------------------------------------------------------------------

    def line_edges(self) -> None:
        left, right = self.left_edge or self.left, self.right_edge or self.right
        slack = self.t.indent_chars * self.body_size
        found = 0
        for line in self._prose():
            at_left = abs(line.x0 - left) < slack
            at_right = abs(line.x1 - right) < 2 * slack
            if at_left and line.text[0] in CLOSING:
                self.report.add("C180", "避头尾", line.page, f"行首是“{line.text[0]}”（{line.text[:10]}…）",
                                "句末点号、后括号、连接号等不排在行首")
                found += 1
            elif at_right and line.text[-1] in OPENING:
                self.report.add("C180", "避头尾", line.page, f"行末是“{line.text[-1]}”（…{line.text[-10:]}）",
                                "前括号、前引号不排在行末")
                found += 1
            if found >= 10:
                self.report.notes.append("避头尾问题只列出前 10 处")
                return

    def half_width(self) -> None:
        found = [(line, match) for line in self._prose() for match in [_HALF_WIDTH.search(line.text)] if match]
        if found:
            line, match = found[0]
            self.report.add("C181", "标点符号", line.page, f"“{match[0]}”用了半角标点（共 {len(found)} 行）",
                            "中文用全角标点（，；：？！（））")

    def _prose(self) -> Iterable[Line]:
        imprint = set(self.imprint.lines) if self.imprint else set()
        return (line for line in self.all_text if line not in imprint and self.is_body(line))


def check_printed(document: PrintedDocument, profile: Profile, report: Report,
                  requested_fonts: frozenset[str] = frozenset()) -> None:
    Checker(document, profile, report, requested_fonts).run()
