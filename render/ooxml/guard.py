"""Zip containers (.docx, .xlsx) and their XML, checked with bounds before python-docx or
openpyxl inflates or parses them (the limits live in render/inputs.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

from render.inputs import (
    XML_DEPTH,
    XML_ELEMENTS,
    ZIP_MEMBER_BYTES,
    ZIP_MEMBERS,
    ZIP_TOTAL_BYTES,
    InputRefused,
    Limit,
    read_bytes,
    size_text,
)

_CHUNK = 1 << 16



def checked_zip(path: Path, limit: Limit, what: str) -> bytes:
    """A .docx/.xlsx file's bytes, once its zip structure, every member's inflated size and
    every XML member have been checked with bounds; `what` names the format (Word 文档…)."""
    data = read_bytes(path, limit)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputRefused("E801", f"不是有效的{what}（文件不是 zip 容器，或已损坏、被截断；"
                                   "是否只是改了扩展名？）", path) from None
    with archive:
        members = archive.infolist()
        if len(members) > ZIP_MEMBERS:
            raise InputRefused("E802", f"{what}中的部件过多（{len(members)} 个），拒绝读取", path)
        declared = 0
        for info in members:
            declared += info.file_size
            if info.file_size > ZIP_MEMBER_BYTES or declared > ZIP_TOTAL_BYTES:
                raise InputRefused("E802", f"{what}中的“{info.filename}”解压后过大，超过上限 "
                                           f"{size_text(ZIP_MEMBER_BYTES)}（疑似“zip 炸弹”），拒绝读取", path)
        inflated = 0
        for info in members:
            if info.is_dir():
                continue
            try:
                with archive.open(info) as member:
                    if info.filename.endswith((".xml", ".rels")):
                        size = _check_xml(_Bounded(member, info.filename, path, what), info.filename, path, what)
                    else:
                        size = _drain(_Bounded(member, info.filename, path, what))
            except InputRefused:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
                raise InputRefused("E801", f"{what}已损坏：部件“{info.filename}”无法解压", path) from None
            inflated += size
            if inflated > ZIP_TOTAL_BYTES:
                raise InputRefused("E802", f"{what}解压后总计超过上限 {size_text(ZIP_TOTAL_BYTES)}，拒绝读取", path)
    return data


class _Bounded(io.RawIOBase):
    """A zip member read in chunks, refused once it inflates beyond the member limit
    (whatever its header declares)."""

    def __init__(self, member: IO[bytes], name: str, path: Path, what: str):
        self.member, self.name, self.path, self.what = member, name, path, what
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        chunk = self.member.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self.count += len(chunk)
        if self.count > ZIP_MEMBER_BYTES:
            raise InputRefused("E802", f"{self.what}中的“{self.name}”解压后超过上限 "
                                       f"{size_text(ZIP_MEMBER_BYTES)}（疑似“zip 炸弹”），拒绝读取", self.path)
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _drain(stream: _Bounded) -> int:
    while stream.read(_CHUNK):
        pass
    return stream.count


def _check_xml(stream: _Bounded, name: str, path: Path, what: str) -> int:
    """Parse one XML member without keeping it: no DTD (OOXML never has one, and a
    "billion laughs" needs one), no network, no huge-tree mode, bounded nesting."""
    depth = elements = 0
    try:
        events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                 huge_tree=False, load_dtd=False, dtd_validation=False)
        for event, element in events:
            if event == "start":
                if depth == 0:
                    docinfo = element.getroottree().docinfo
                    if docinfo.doctype or docinfo.internalDTD is not None:
                        raise InputRefused("E804", f"{what}中的“{name}”含有 DTD 或实体声明（Word 和 Excel 不会写这些，"
                                                   "疑似恶意构造），拒绝读取", path)
                depth += 1
                elements += 1
                if elements > XML_ELEMENTS:
                    raise InputRefused("E805", f"{what}中的“{name}”有超过 {XML_ELEMENTS} 个 XML 元素，"
                                               "超出能导入的规模，拒绝读取；请分成几个文件", path)
                if depth > XML_DEPTH:
                    raise InputRefused("E805", f"{what}中的“{name}”嵌套超过 {XML_DEPTH} 层（例如表格套表格过深），"
                                               "拒绝读取", path)
            else:
                depth -= 1
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as error:
        reason = str(error.msg or error)
        if "entit" in reason.lower() or "DOCTYPE" in reason:
            raise InputRefused("E804", f"{what}中的“{name}”含有实体声明，拒绝读取", path) from None
        if "depth" in reason.lower():
            raise InputRefused("E805", f"{what}中的“{name}”嵌套过深，拒绝读取", path) from None
        line = getattr(error, "lineno", 0) or 0
        raise InputRefused("E803", f"{what}已损坏：“{name}”不是格式正确的 XML（第 {line} 行）", path) from None
    return stream.count
