"""The parts around the body: 版头 (份号, 密级, 紧急程度, 发文机关, 发文字号), 标题, 主送机关,
the sign-off (署名, 成文日期, 附注) and the 版记 (抄送, 印发机关和印发日期).

Each reader takes the paragraph list and a position and returns what it found and where
the rest begins; nothing here knows about sections and items.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from render.importers.annotations import annotation, split_top_level
from render.importers.anomalies import Warnings
from render.importers.markers import parse_marker
from render.importers.text import Paragraph, ends_sentence, has_sentence_punct
from render.model.dates import parse_cn_date
from render.model.docnumber import DocNumberError, parse_doc_number

_DATE = r"(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月\s*[\d〇零一二三四五六七八九十]{1,3}\s*日"
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
_ORGAN_SUFFIX = re.compile(
    r"(委员会|办公室|办公厅|人民政府|政府|人民代表大会常务委员会|党委|党组|工委|纪委|监委|委|局|厅|署|部|院|"
    r"学会|协会|研究会|联合会|基金会|中心|学校|学院|大学|中学|小学|幼儿园|办|处|科|室|所|站|馆|社|团|队|会|司|"
    r"集团|公司|街道|镇|乡|法院|检察院|分局|支队|大队)(?:文件)?$"
)
_DOC_TYPE_END = re.compile(
    r"(通知|通报|意见|要点|方案|办法|规定|决定|决议|报告|请示|批复|函|总结|计划|规划|纪要|公告|通告|命令|令|议案|"
    r"细则|规则|章程|条例|指引|指南|清单|安排|要求|说明|讲话|公报|简报|预案|标准|制度)(?:（[^）]*）)?$"
)
_CC = re.compile(r"^抄\s*送\s*[：:]\s*(?P<names>.+?)。?$")
_PRINTED = re.compile(rf"^(?P<organ>.*?)\s*(?P<date>{_DATE})\s*印\s*发$")
_NOTE = re.compile(r"^（[^（）]{2,60}）$")
_TITLE_MAX = 60


@dataclass
class Head:
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


@dataclass
class SignOff:
    names: list[str] = field(default_factory=list)
    date: dt.date | None = None
    note: str | None = None


@dataclass
class Imprint:
    cc: list[str] = field(default_factory=list)
    printed_by: str | None = None
    printed_on: dt.date | None = None


# --- what a paragraph looks like ---------------------------------------------------------

def is_organ(text: str) -> bool:
    """A 发文机关 name on its own line: short, no digits or punctuation, an organ's ending."""
    if len(text) > 40 or re.search(r"[\d，。、；：！？“”《》]", text) or " " in text:
        return False
    return bool(_ORGAN_SUFFIX.search(text))


def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE.match(text))


def read_date(paragraph: Paragraph, warnings: Warnings) -> dt.date | None:
    """The date of a date-only line; Chinese numerals (二〇二二年十一月四日) are read with a warning."""
    found = parse_cn_date(paragraph.text)
    if found and not _ARABIC_DATE.match(paragraph.text.replace(" ", "")):
        warnings.add("W711", paragraph.line,
                     f"成文日期“{paragraph.text}”用了汉字数字，已读作 {found.isoformat()}（打印为“{found.year}年{found.month}月{found.day}日”）")
    return found


def is_title_like(text: str) -> bool:
    """A title line (or a piece of one): short, no sentence ending, no number, not a name or date."""
    return (len(text) <= _TITLE_MAX and not ends_sentence(text) and parse_marker(text) is None
            and not is_organ(text) and not is_date_line(text) and annotation(text) is None
            and not text.startswith(("（", "(")))


def looks_complete_title(text: str) -> bool:
    return bool(_DOC_TYPE_END.search(text))


def is_to_line(text: str) -> bool:
    """主送机关: a line ending in ： before the body."""
    return text.endswith("：") and "。" not in text and len(text) <= 300 and parse_marker(text) is None


# --- the head ----------------------------------------------------------------------------

def read_head(paragraphs: list[Paragraph], warnings: Warnings) -> tuple[Head, int]:
    """版头 marks, 发文机关 lines, 发文字号, 标题 and 主送机关, in whatever order a copied page
    gives the first three."""
    head, index = Head(), 0
    while index < len(paragraphs) and _read_head_line(paragraphs[index], head, warnings):
        index += 1
    index = _read_title(paragraphs, index, head)
    if head.title:
        index = _read_byline(paragraphs, index, head, warnings)
    if head.title and index < len(paragraphs) and is_to_line(paragraphs[index].text):
        head.to = split_top_level(paragraphs[index].text.rstrip("："), "，,")
        index += 1
    return head, index


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


def find_sign_off(paragraphs: list[Paragraph], start: int, end: int) -> tuple[int, int] | None:
    """The first 署名 + 成文日期 in [start, end): (index of the first name, index of the date)."""
    for index in range(start, end):
        if is_date_line(paragraphs[index].text):
            first = index
            while first > start and is_organ(paragraphs[first - 1].text):
                first -= 1
            return first, index
    return None


def sign_off_at(paragraphs: list[Paragraph], first: int, date_index: int, warnings: Warnings) -> SignOff:
    return SignOff([p.text for p in paragraphs[first:date_index]], read_date(paragraphs[date_index], warnings))


def read_sign_off(paragraphs: list[Paragraph], start: int, end: int, warnings: Warnings) -> tuple[SignOff, int]:
    """署名, 成文日期 and 附注 closing [start, end); returns where they begin."""
    date_index, note = end - 1, None
    if date_index > start and _NOTE.match(paragraphs[date_index].text) and is_date_line(paragraphs[date_index - 1].text):
        note = paragraphs[date_index].text.strip("（）")  # the renderer adds the brackets
        date_index -= 1
    if date_index < start or not is_date_line(paragraphs[date_index].text):
        return SignOff(), end
    first = date_index
    while first > start and is_organ(paragraphs[first - 1].text):
        first -= 1
    sign_off = sign_off_at(paragraphs, first, date_index, warnings)
    sign_off.note = note
    return sign_off, first
