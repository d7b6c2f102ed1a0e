"""Page furniture: what a page or a web page adds around a document's text.

Page numbers (`— 12 —`, `第3页`), a site's footer and link bar (版权所有, ICP备案, 政府网站标识码,
`地方政府网站`), the metadata bar of a web page (发布时间, 来源, 字号), its 索引号 block (label
lines with the value on the next line, or a table row of `|` cells), breadcrumbs, a
database's citation lines (【法宝引证码】, 原文链接), download links and disclaimers, and
running heads (a short line printed again at the top of every page). None of it belongs
to the document. The 发文字号 of a metadata block is the exception: `site_number` finds it
for the head reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_DASHES = "—–\\-－―─"
PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}]+\s*\d{{1,4}}\s*[{_DASHES}]+"     # — 12 —, -3-
    r"|\d{1,4}"                                       # a bare number on its own line
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页 共12页
    r"|\d{1,4}\s*/\s*\d{1,4}"                           # 3/12
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_FOOTER_ANYWHERE = re.compile(
    r"版权所有|ICP\s*备|公网安备|网站标识码|网站地图|联系我们|技术支持[：:]|访问量|浏览次数|点击数[：:]"
    r"|打印本页|关闭窗口|【?\s*字[体号][：:]\s*[【\[]?\s*大|分享到|扫一扫|返回顶部|Copyright|©"
    r"|法宝引证码|免责声明|视力保护色|阅读次数[：:]|附件预览$|【\s*打印\s*】|【\s*关闭\s*】"
)
_FOOTER_START = re.compile(
    r"^(?:主办单位?[：:]|承办单位?[：:]|(?:信息)?来源[：:]|发布(?:时间|日期|机构)[：:]|索引号[：:]"
    r"|主题分类[：:]|有效性[：:]|上一篇|下一篇|相关链接|当前位置[：:]|首页\s*[>＞]"
    r"|原文链接[：:]|原文地址[：:]|归档时间[：:]|浏览量[：:]?$|责任编辑[：:]|编辑[：:]|字号[：:]|打印$|关闭$"
    r"|[·•]\s*\S.*\.(?:docx?|wps|pdf|xlsx?|zip|rar|ofd)$"
    r"|[>＞»]\s*\S+\s*[>＞»]"             # the rest of a breadcrumb: `>政务频道 >政务公开 >本局文件`
    r"|[•·▪]\s*\S{1,4}\s*[：:])"           # a site's bulleted field: `• 时间:2023-05-04`, `• 发布:…`
)
# The labels of a site's metadata block (索引号 … 发文字号 … 发布日期), printed with their
# value after them or on the next line.
_LABELS = (r"索\s*引\s*号|主题分类|公开目录|来\s*源|信息来源|发文机构|发布机构|发文字号|文\s*号|"
           r"发文日期|成文日期|发布日期|有\s*效\s*性|内容概述|名\s*称|标\s*题|公文种类|主\s*题\s*词|体裁分类|组配分类|"
           r"废止日期|生效日期|实施日期|信息分类|生成日期|生效时间|废止时间|关\s*键\s*词|浏览次数|发文单位")
METADATA_LABEL = re.compile(rf"^[-•·]?\s*(?P<label>{_LABELS})\s*[：:]\s*(?P<value>.*)$")
_LABEL_IN_LINE = re.compile(rf"(?:^|(?<=\s))(?P<label>{_LABELS})\s*[：:]")
_NUMBER_LABELS = ("发文字号", "文号")
# The link bar of Chinese government sites: 国务院部门网站, 地方政府网站, 区（县）政府网站, 其他网站.
_LINK_BAR = re.compile(r"^[\w（）()]{0,10}网站$")
_RUNNING_HEAD_MAX = 40
_RUNNING_HEAD_MIN_REPEATS = 3


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def is_site_footer(text: str) -> bool:
    text = text.strip()
    if len(text) > 160:
        return False
    return bool(_FOOTER_ANYWHERE.search(text) or _FOOTER_START.match(text) or _LINK_BAR.match(text))


def metadata_label(text: str) -> tuple[str, str] | None:
    """(label, value) of a site metadata line such as `发文字号：镇政发〔2024〕7号`."""
    match = METADATA_LABEL.match(text.strip())
    if not match:
        return None
    return re.sub(r"\s+", "", match.group("label")), match.group("value").strip()


def is_number_label(label: str) -> bool:
    return label in _NUMBER_LABELS


def is_metadata_row(text: str) -> bool:
    """A metadata block set as a table row (`索引号 | 0152… | 发布机构 | 龙陵县教育体育局 |`) or
    several labels to a line (`生成日期: 2019-01-23 文号:`)."""
    cells = [c.strip() for c in re.split(r"[|｜]", text) if c.strip()]
    if text.count("|") + text.count("｜") >= 2 and any(METADATA_LABEL.match(f"{c}：") for c in cells):
        return True
    return len(_LABEL_IN_LINE.findall(text)) >= 2


def row_number(text: str) -> str | None:
    """The 文号 a metadata row gives (`文号: 某府发〔2019〕3号 发文日期: …`), if any."""
    for match in _LABEL_IN_LINE.finditer(text):
        if re.sub(r"\s+", "", match.group("label")) in _NUMBER_LABELS:
            value = re.split(r"\s+\S{2,6}\s*[：:]", text[match.end():].strip() + " ")[0].strip()
            return value or None
    return None


def running_heads(texts: Sequence[str]) -> set[str]:
    """Short lines printed again and again (a PDF's running head): every copy but the first
    is furniture. The caller leaves out lines that may legitimately repeat (responsibility
    annotations, numbered headings)."""
    counts = Counter(t for t in texts if t and len(t) <= _RUNNING_HEAD_MAX)
    return {text for text, count in counts.items() if count >= _RUNNING_HEAD_MIN_REPEATS}
