"""Names of organs (发文机关): how a line that is only a name, or several, looks."""

from __future__ import annotations

import re

_ORGAN_SUFFIX = re.compile(
    r"(委员会|办公室|办公厅|人民政府|政府|人民代表大会常务委员会|党委|党组|工委|纪委|监委|委|局|厅|署|部|院|"
    r"学会|协会|研究会|联合会|基金会|中心|学校|学院|大学|中学|小学|幼儿园|办|处|科|室|所|站|馆|社|团|队|会|司|"
    r"集团|公司|街道|镇|乡|法院|检察院|分局|支队|大队)(?:文件)?$"
)


def is_organ(text: str) -> bool:
    """A 发文机关 name on its own line: short, no digits or punctuation, an organ's ending."""
    if len(text) > 40 or re.search(r"[\d，。、；：！？“”《》<>＜＞|｜/•·]", text) or " " in text:
        return False
    return bool(_ORGAN_SUFFIX.search(text))


def split_organs(text: str) -> list[str] | None:
    """Joint issuers set on one line with spaces between them (`成都市发展和改革委员会 中共成都市委
    社会工作部 …`): the names, or None when the line is not only names."""
    parts = text.split()
    if len(parts) < 2 or not all(is_organ(part) for part in parts):
        return None
    return parts
