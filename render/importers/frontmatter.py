"""The parts around the body: 版头 (份号, 密级, 紧急程度, 发文机关, 发文字号), 标题, 主送机关,
the sign-off (署名, 成文日期, 附注) and the 版记 (抄送, 印发机关和印发日期).

Each reader takes the paragraph list and a position and returns what it found and where
the rest begins; nothing here knows about sections and items.
"""

from __future__ import annotations

import datetime as dt
import re

from msgspec import Struct, field

from render.importers.annotations import annotation, split_top_level
from render.importers.anomalies import Warnings
from render.importers.markers import parse_marker
from render.importers.organs import is_organ, split_organs
from render.importers.placeholders import is_placeholder_line
from render.importers.text import Paragraph, ends_sentence, has_sentence_punct
from render.model.dates import parse_cn_date
from render.model.docnumber import DocNumberError, parse_doc_number

_DATE = r"(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*[\d〇零○一二三四五六七八九十]{1,3}\s*月\s*[\d〇零○一二三四五六七八九十]{1,3}\s*日"
_DATE_LINE = re.compile(rf"^{_DATE}$")
_ARABIC_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_NUMBER_LINE = re.compile(
    r"^(?P<number>[^\s，。：；]{1,20}?\s*[〔(（\[【﹝［〖{｛]\s*\d{2,4}\s*[〕)）\]】﹞］〗}｝]\s*第?\s*\d+\s*号?)"
    r"\s*(?:签\s*发\s*人\s*[：:]\s*(?P<signer>.+))?$"
)
_SIGNER_FIRST = re.compile(r"^签\s*发\s*人\s*[：:]\s*(?P<signer>.+?)\s+(?P<number>\S+?[〔(（\[【]\s*\d{2,4}\s*[〕)）\]】]\s*第?\s*\d+\s*号)$")
_COPY_NO = re.compile(r"^\d{6}$")
_SECRECY = re.compile(r"^(绝密|机密|秘密)(★.*)?$")
_URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
_DOC_TYPE_END = re.compile(
    r"(通知|通报|意见|要点|方案|办法|规定|决定|决议|报告|请示|批复|函|总结|计划|规划|纪要|公告|通告|命令|令|议案|"
    r"细则|规则|章程|条例|指引|指南|清单|安排|要求|说明|讲话|公报|简报|预案|标准|制度)(?:（[^）]*）)?$"
)
_CC = re.compile(r"^抄\s*送\s*[：:]\s*(?P<names>.+?)。?$")
_PRINTED = re.compile(rf"^(?P<organ>.*?)\s*(?P<date>{_DATE})\s*印\s*发$")
_NOTE = re.compile(r"^（[^（）]{2,60}）$")
_TITLE_MAX = 60
_COMPLETE_TITLE_MAX = 150   # a title ending in its document type may be long (joint issuers)
# A 发文字号 anywhere in a line: its code, the year in any brackets, the serial.
_NUMBER = (r"(?P<number>[^\s，。：；,.:;《》〈〉“”()（）\[\]［］【】〔〕]{1,20}?\s*[〔(（\[【﹝［〖{｛]\s*\d{2,4}\s*"
           r"[〕)）\]】﹞］〗}｝]\s*第?\s*\d+\s*号)")
_NUMBER_WRAPPED = re.compile(rf"^[（(\[［【]?\s*{_NUMBER}\s*[）)\]］】]?$")
_NUMBER_GLUED_BEFORE = re.compile(rf"^{_NUMBER}\s*(?P<rest>[《〈“]?\S.*)$")
_NUMBER_GLUED_AFTER = re.compile(rf"^(?P<rest>.*\S)\s*[（(\[［【]\s*{_NUMBER}\s*[）)\]］】]$")
_NUMBER_LABEL = re.compile(rf"^(?:发文字号|文号)：\s*{_NUMBER}$")
_INCOMPLETE_NUMBER = re.compile(r"^[^\s]{0,20}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*号")
_HEAD_ZONE = 20   # paragraphs searched for the head's parts before the body begins
_LEAD_MAX = 2     # a news lead printed above the title (a site's summary of the document)
_GLUED_TITLE_MIN = 80
_TITLE_ISSUER = re.compile(r"^(?P<organs>.+?)\s*(?:关于|印发|转发)")
# A damaged 成文日期: 年 月 日 lost (`2024327`, `2024年3月27`); read when only one reading exists.
_LOOSE_DATE = re.compile(r"^(?P<year>\d{4})\s*年?\s*(?P<rest>\d{1,2}\s*月?\s*\d{1,2})\s*日?$")


class Head(Struct):
    copy_no: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    issuers: list[str] = field(default_factory=list)
    number: str | None = None
    signer: list[str] = field(default_factory=list)
    title: str | None = None
    title_line: int = 0
    date: dt.date | None = None   # printed under the title (工作要点 often do)
    to: list[str] = field(default_factory=list)


class SignOff(Struct):
    names: list[str] = field(default_factory=list)
    date: dt.date | None = None
    note: str | None = None


class Imprint(Struct):
    cc: list[str] = field(default_factory=list)
    printed_by: str | None = None
    printed_on: dt.date | None = None


# --- what a paragraph looks like ---------------------------------------------------------

def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE.match(text))


def read_date(paragraph: Paragraph, warnings: Warnings) -> dt.date | None:
    """The date of a date-only line; Chinese numerals (二〇二二年十一月四日) and a damaged date
    with one reading (`2024327`) are read with a warning, an ambiguous one is refused."""
    if not is_date_line(paragraph.text.strip("（）")):
        found, readings = loose_date(paragraph.text)
        if found is not None:
            warnings.add("W719", paragraph.line, f"成文日期“{paragraph.text}”残缺（缺年、月、日字），已读作 {found.isoformat()}，请核对")
        elif readings:
            shown = "或".join(r.isoformat() for r in readings)
            warnings.add("W719", paragraph.line, f"成文日期“{paragraph.text}”残缺，可读作 {shown}，无法确定，未导入成文日期")
        return found
    found = parse_cn_date(paragraph.text)
    if found and not _ARABIC_DATE.match(paragraph.text.replace(" ", "")):
        warnings.add("W711", paragraph.line,
                     f"成文日期“{paragraph.text}”用了汉字数字，已读作 {found.isoformat()}（打印为“{found.year}年{found.month}月{found.day}日”）")
    return found


def is_title_like(text: str) -> bool:
    """A title line (or a piece of one): short, no sentence ending, no number, not a name or date."""
    fits = len(text) <= _TITLE_MAX or (len(text) <= _COMPLETE_TITLE_MAX and looks_complete_title(text))
    return (fits and not ends_sentence(text) and parse_marker(text) is None and not is_placeholder_line(text)
            and not is_organ(text) and not is_date_line(text) and annotation(text) is None
            and not text.startswith(("（", "(")))


def looks_complete_title(text: str) -> bool:
    return bool(_DOC_TYPE_END.search(text))


def is_to_line(text: str) -> bool:
    """主送机关: a line ending in ： before the body (not a lead sentence `…通知如下：`)."""
    return (text.endswith("：") and "。" not in text and len(text) <= 300 and parse_marker(text) is None
            and not text.endswith("如下：") and all(len(part) <= 60 for part in re.split(r"[，,]", text)))


# --- the head ----------------------------------------------------------------------------

def read_head(paragraphs: list[Paragraph], warnings: Warnings) -> tuple[Head, int]:
    """版头 marks, 发文机关 lines, 发文字号, 标题 and 主送机关, in whatever order a copied page
    gives the first three. `paragraphs` is edited in place: a 发文字号 glued to the title or
    under a site's `发文字号：` label is taken out of its line, a title printed twice is kept
    once, a news lead above the title is dropped, a title run into the first sentence is
    split from it."""
    head, index = Head(), 0
    head.number = _take_number(paragraphs, warnings)
    _tidy_head(paragraphs, warnings)
    while index < len(paragraphs) and _read_head_line(paragraphs[index], head, warnings):
        index += 1
    index = _read_title(paragraphs, index, head)
    if head.title:
        index = _read_byline(paragraphs, index, head, warnings)
    if index < len(paragraphs) and is_to_line(paragraphs[index].text):
        head.to = split_top_level(paragraphs[index].text.rstrip("："), "，,")
        index += 1
    if head.title:
        head.title = re.sub(r"\s+(?=关于|印发)", "", head.title)
    return head, index


def _head_zone(paragraphs: list[Paragraph]) -> int:
    """Where the head's search ends: the 主送机关 line, or the first paragraph of running text."""
    for index, paragraph in enumerate(paragraphs[:_HEAD_ZONE]):
        if is_to_line(paragraph.text) or (len(paragraph.text) > _TITLE_MAX and paragraph.text[-1] in "。！？；"):
            return index
    return min(len(paragraphs), _HEAD_ZONE)


def _take_number(paragraphs: list[Paragraph], warnings: Warnings) -> str | None:
    """The 发文字号, wherever the head prints it: on its own line (in brackets or not),
    glued before or after the title, under a `发文字号：` label. Later copies go too."""
    number: str | None = None
    printed: str | None = None
    index = 0
    while index < _head_zone(paragraphs):
        paragraph = paragraphs[index]
        text = paragraph.text
        if re.search(r"签\s*发\s*人", text):
            index += 1
            continue  # `…〔2023〕7号  签发人：张三`: the header line reader takes both
        if _INCOMPLETE_NUMBER.match(text):  # `〔2020〕号`: a template's year with no code or serial
            warnings.add("W716", paragraph.line, f"“{text}”不是完整的发文字号（缺机关代字或序号），未导入")
            del paragraphs[index]
            continue
        found, rest = None, None
        for pattern in (_NUMBER_LABEL, _NUMBER_WRAPPED):
            if (match := pattern.match(text)) is not None:
                found = match.group("number")
                break
        else:
            for pattern in (_NUMBER_GLUED_BEFORE, _NUMBER_GLUED_AFTER):
                match = pattern.match(text)
                if match is not None and is_title_like(match.group("rest").strip("《》")):
                    found, rest = match.group("number"), match.group("rest")
                    break
        if found is None:
            index += 1
            continue
        if number is None:
            number, printed = read_doc_number(found, paragraph.line, warnings), found
            if number is not None and _tight(found) != number and not _number_warned(warnings, paragraph.line):
                warnings.add("W710", paragraph.line, f"发文字号“{found}”已规范为“{number}”")
        elif _tight(found) not in (_tight(printed or ""), number):
            index += 1
            continue  # another number: a cited one, left in its line
        if rest is None:
            del paragraphs[index]
        else:
            paragraph.text = rest
            index += 1
    return number


def _tight(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _number_warned(warnings: Warnings, line: int) -> bool:
    return any(d.line == line and d.code in ("W710", "W716") for d in warnings.items)


def _tidy_head(paragraphs: list[Paragraph], warnings: Warnings) -> None:
    """A title printed twice (a site's heading and the document's own), wrapped in 《》,
    announced by a news lead, or run into the first sentence."""
    zone = _head_zone(paragraphs)
    seen: list[str] = []
    index = 0
    while index < zone and index < len(paragraphs):
        text = paragraphs[index].text
        if text.startswith("《") and text.endswith("》") and looks_complete_title(text[1:-1]):
            text = paragraphs[index].text = text[1:-1]
        tight = _tight(text)
        if tight in seen or any(tight.startswith(s) and tight.endswith("…") for s in seen):
            del paragraphs[index]
            zone -= 1
            continue
        pair = tight + _tight(paragraphs[index + 1].text) if index + 1 < len(paragraphs) else ""
        if pair in seen and index > 0:
            del paragraphs[index:index + 2]  # the title again, broken over two lines this time
            zone -= 2
            continue
        seen.append(tight)
        index += 1
    _drop_lead(paragraphs, warnings)
    _split_glued_title(paragraphs)


def _drop_lead(paragraphs: list[Paragraph], warnings: Warnings) -> None:
    """`9月4日，农业农村部发布…公示公告，…` above `…名单公示公告`: a site's lead, not the document."""
    for at in range(1, _LEAD_MAX + 1):
        if at >= len(paragraphs):
            return
        lead = paragraphs[:at]
        if not all(ends_sentence(p.text) and len(p.text) > _TITLE_MAX for p in lead):
            return
        title = paragraphs[at].text
        if is_title_like(title) and looks_complete_title(title) and not is_organ(title):
            warnings.add("W713", lead[0].line, f"删除了标题前的 {at} 段导语（“{lead[0].text[:16]}…”）")
            del paragraphs[:at]
            return


def _split_glued_title(paragraphs: list[Paragraph]) -> None:
    """A one-paragraph text (a PDF's text on one line) starting with its title:
    `公共服务事项办理指引公共服务事项是指…` → the title, then the text."""
    if not paragraphs or len(paragraphs[0].text) < _GLUED_TITLE_MIN or is_title_like(paragraphs[0].text):
        return
    text = paragraphs[0].text
    first_stop = min((text.find(c) for c in "，。；：" if c in text), default=len(text))
    for end in range(4, min(first_stop, _TITLE_MAX)):
        candidate = text[:end]
        if _DOC_TYPE_END.search(candidate) and not has_sentence_punct(candidate) and text[end] not in "）》”":
            paragraphs[0].text = text[end:]
            paragraphs.insert(0, Paragraph(candidate, paragraphs[0].line))
            return


def title_issuers(title: str | None) -> list[str]:
    """The organs a title names before 关于/印发 (`东阳市人民政府办公室关于印发…`), when the
    document prints no header and no sign-off."""
    match = _TITLE_ISSUER.match(title or "")
    if not match:
        return []
    organs = match.group("organs").strip()
    return split_organs(organs) or ([organs] if is_organ(organs) else [])


def _read_head_line(paragraph: Paragraph, head: Head, warnings: Warnings) -> bool:
    text = paragraph.text
    if _COPY_NO.match(text) and head.copy_no is None:
        head.copy_no = text
    elif _SECRECY.match(text):
        head.secrecy = text
    elif _URGENCY.match(text):
        head.urgency = text
    elif text == "文件":
        pass  # the 文件 of a joint header, printed beside the stacked names
    elif is_organ(text):
        head.issuers.append(re.sub(r"文件$", "", text))
    elif (match := _NUMBER_LINE.match(text) or _SIGNER_FIRST.match(text)) and head.number is None:
        head.number = read_doc_number(match.group("number"), paragraph.line, warnings)
        if match.group("signer"):
            head.signer = split_top_level(match.group("signer"), "、，, ")
    else:
        return False
    return True


def read_doc_number(text: str, line: int, warnings: Warnings) -> str | None:
    """发文字号 in the canonical form; a fixable spelling (〔〕 brackets, 第, padding) is fixed
    with a warning."""
    try:
        return str(parse_doc_number(text))
    except DocNumberError as error:
        if error.corrected:
            warnings.add("W710", line, f"{error.message}；已改为“{error.corrected}”")
            return error.corrected
        warnings.add("W716", line, f"{error.message}；未导入发文字号")
        return None


def _read_title(paragraphs: list[Paragraph], index: int, head: Head) -> int:
    """Consecutive title-like lines with no blank line between them form one title, until it
    ends with a document type (通知, 意见, 要点 …)."""
    if index >= len(paragraphs) or not is_title_like(paragraphs[index].text):
        return index
    title, head.title_line = paragraphs[index].text, paragraphs[index].line
    index += 1
    while (index < len(paragraphs) and not paragraphs[index].gap_before and not looks_complete_title(title)
           and is_title_like(paragraphs[index].text) and not is_to_line(paragraphs[index].text)
           and not has_sentence_punct(paragraphs[index].text.rstrip("，"))):
        title += paragraphs[index].text
        index += 1
    head.title = title
    return index


def _read_byline(paragraphs: list[Paragraph], index: int, head: Head, warnings: Warnings) -> int:
    """Issuer names and a date set under the title: `重庆市教育学会` / `（2022年2月22日）`."""
    start = index
    while index < len(paragraphs) and is_organ(paragraphs[index].text):
        index += 1
    if index < len(paragraphs) and is_date_line(paragraphs[index].text.strip("（）")):
        head.issuers += [p.text for p in paragraphs[start:index]]
        head.date = read_date(paragraphs[index], warnings)
        return index + 1
    return start


def read_title_at(paragraphs: list[Paragraph], index: int) -> tuple[str | None, int]:
    """A title (such as the issued document's) starting at `index`."""
    head = Head()
    end = _read_title(paragraphs, index, head)
    return head.title, end


# --- the tail ----------------------------------------------------------------------------

def read_imprint(paragraphs: list[Paragraph], start: int, end: int, warnings: Warnings) -> tuple[Imprint, int]:
    """The 版记 at the end of [start, end): 抄送 and the 印发 line; whatever follows the 印发
    line (a web page's footer) is dropped."""
    imprint = Imprint()
    printed = next((i for i in range(end - 1, start - 1, -1) if _PRINTED.match(paragraphs[i].text)), None)
    if printed is not None:
        if printed + 1 < end:
            rest = paragraphs[printed + 1:end]
            warnings.add("W714", rest[0].line, f"版记的印发行之后还有 {len(rest)} 段文字（“{rest[0].text[:20]}”…），已删除")
        end = _read_printed_line(paragraphs, printed, imprint)
    while end > start and (match := _CC.match(paragraphs[end - 1].text)):
        imprint.cc = split_top_level(match.group("names"), "，、,") + imprint.cc
        end -= 1
    return imprint, end


def _read_printed_line(paragraphs: list[Paragraph], index: int, imprint: Imprint) -> int:
    """`中共重庆市南岸区委办公室  2022年11月4日印发`, or the organ and the date in two cells of a
    table row (as Word files often set it). Returns where the 印发 line begins."""
    match = _PRINTED.match(paragraphs[index].text)
    assert match is not None
    organ = re.sub(r"\s+", "", match.group("organ"))
    if not organ and index > 0 and is_organ(paragraphs[index - 1].text):
        organ, index = paragraphs[index - 1].text, index - 1
    imprint.printed_by = organ or None
    imprint.printed_on = parse_cn_date(match.group("date"))
    return index


def loose_date(text: str) -> tuple[dt.date | None, list[dt.date]]:
    """A 成文日期 with 年/月/日 lost: (the date, the readings) — the date only when exactly one
    reading is a real date (`2024327` is 2024-03-27; `2024111` may be 1-11 or 11-1)."""
    match = _LOOSE_DATE.match(text.replace(" ", ""))
    if not match or (("月" in text) + ("年" in text) + ("日" in text)) == 3:
        return None, []
    year = int(match.group("year"))
    rest = match.group("rest")
    if "月" in rest:
        month_text, day_text = rest.split("月")
        splits = [(month_text, day_text)]
    else:
        splits = [(rest[:cut], rest[cut:]) for cut in range(1, len(rest))]
    readings = []
    for month_text, day_text in splits:
        if month_text.startswith("0") and len(month_text) > 1 or not day_text:
            continue
        try:
            readings.append(dt.date(year, int(month_text), int(day_text)))
        except ValueError:
            continue
    readings = sorted(set(readings))
    return (readings[0] if len(readings) == 1 else None), readings


def is_sign_off_date(text: str) -> bool:
    return is_date_line(text) or bool(loose_date(text)[1])


def is_name_line(text: str) -> bool:
    """A 署名 line: one organ, or joint ones side by side with spaces between them."""
    return is_organ(text) or split_organs(text) is not None


def _names(lines: list[Paragraph]) -> list[str]:
    return [name for p in lines for name in (split_organs(p.text) or [p.text])]


def find_sign_off(paragraphs: list[Paragraph], start: int, end: int, last: bool = False) -> tuple[int, int] | None:
    """The first (or last) 署名 + 成文日期 in [start, end): (index of the first name, index of
    the date). Whatever follows them (an issued document, attachment pages, a site's
    footer) is not the body."""
    found = None
    for index in range(start, end):
        if is_sign_off_date(paragraphs[index].text) and (index > start or index == end - 1):
            first = index
            while first > start and is_name_line(paragraphs[first - 1].text):
                first -= 1
            found = first, index
            if not last:
                return found
    return found


def sign_off_at(paragraphs: list[Paragraph], first: int, date_index: int, warnings: Warnings) -> SignOff:
    return SignOff(_names(paragraphs[first:date_index]), read_date(paragraphs[date_index], warnings))


def read_sign_off(paragraphs: list[Paragraph], start: int, end: int, warnings: Warnings) -> tuple[SignOff, int]:
    """署名, 成文日期 and 附注 closing [start, end); returns where they begin."""
    date_index, note = end - 1, None
    if date_index > start and _NOTE.match(paragraphs[date_index].text) and is_date_line(paragraphs[date_index - 1].text):
        note = paragraphs[date_index].text.strip("（）")  # the renderer adds the brackets
        date_index -= 1
    if date_index < start or not is_sign_off_date(paragraphs[date_index].text):
        return SignOff(), end
    first = date_index
    while first > start and is_name_line(paragraphs[first - 1].text):
        first -= 1
    sign_off = sign_off_at(paragraphs, first, date_index, warnings)
    sign_off.note = note
    return sign_off, first
