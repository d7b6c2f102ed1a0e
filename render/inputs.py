"""The files gongwen reads, checked before they are read: the one place for input limits.

Plans, units files, data files, templates, images and documents to import come from
colleagues, downloads and old disks. A path naming a device (`/dev/zero`), a FIFO or a
folder would hang a reader or exhaust memory, so every such file is checked to be a regular
file under a size limit for its kind, opened without blocking (a FIFO swapped in between
the check and the open cannot hang the open), checked again on the open descriptor, and
read with a bound. Zip containers (.docx, .xlsx) are checked member by member against the
inflated-size limits here before a library inflates them, and their XML is parsed once,
bounded (no DTD or entities, no network, limited nesting), before python-docx or openpyxl
sees it: render/ooxml/guard.py, the one place lxml is used for that.

Every refusal is an `InputRefused` with a code and a message in 简体中文:
E110 not a regular file, E111 too large, E112 cannot be opened or read,
E113 an image with too many pixels or one that cannot be read,
E801 not a zip container (.docx/.xlsx), E802 a zip member inflates beyond the limit,
E803 malformed XML, E804 a DTD or entity declarations, E805 XML nested too deep or too many elements,
E806 a zip that is not a Word document, E808 more text than a plan may hold.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from msgspec import Struct

from render.diagnostics import Refused

MB = 1_000_000
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to hang on


class Limit(Struct, frozen=True):
    """What a kind of file is called in messages, and how large it may be."""

    what: str
    max_bytes: int


PLAN = Limit("计划文件", 5 * MB)
UNITS = Limit("单位表", 5 * MB)
DATA = Limit("数据文件", 5 * MB)
IMAGE = Limit("图片", 30 * MB)
ATTACHMENT = Limit("附件", 50 * MB)
IMPORT = Limit("要导入的文件", 50 * MB)
IMPORT_TEXT = Limit("要导入的文本文件", 8 * MB)
# The text an import may carry: its plan must stay under the plan limit (5 MB of UTF-8, at
# 3 bytes a Chinese character, with room for the keys).
IMPORT_CHARS = 1_200_000
WORKBOOK = Limit("工作簿", 50 * MB)
PROFILE = Limit("版式配置文件", 5 * MB)
MANIFEST = Limit("输出清单", 50 * MB)
HASHED = Limit("文件", 4_000 * MB)  # anything hashed for the manifest: never a FIFO, whatever its size

# An A4 photo at 600 dpi is about 35 million pixels; a 40000 × 40000 "decompression bomb"
# is 1.6 billion and would take gigabytes to decode.
IMAGE_PIXELS = 60_000_000

# Zip containers: every member's inflated size, and all members together. A real .docx's
# document.xml is a few megabytes; python-docx holds every part in memory at once.
ZIP_MEMBER_BYTES = 40 * MB
ZIP_TOTAL_BYTES = 120 * MB
ZIP_MEMBERS = 10_000
# Element nesting in OOXML: a paragraph in a table cell is ~8 levels; 30 nested tables fit.
XML_DEPTH = 256
# Elements in one XML part: a 300-page report has about 200 000; python-docx keeps each as an
# lxml element (about 250 bytes), so a million is what fits the memory a run may use.
XML_ELEMENTS = 1_000_000



class InputRefused(Refused):
    """A file that gongwen will not read; the message is for the user (简体中文)."""

    nameless = "<输入>"


def size_text(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size} 字节"


def check_text_length(length: int, path: Path) -> None:
    """A document's text that would make a plan larger than a plan may be."""
    if length > IMPORT_CHARS:
        raise InputRefused("E808", f"文件的文字有 {length} 个字，超过可导入的上限 {IMPORT_CHARS} 个字"
                                   f"（导入后的计划不能超过 {size_text(PLAN.max_bytes)}）；请分成几个文件", path)


def check_file(path: Path, limit: Limit) -> os.stat_result:
    """The file's status if it is a regular file within the limit (following links)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise InputRefused("E112", f"找不到文件（{limit.what}）", path) from None
    except OSError as error:
        raise InputRefused("E112", f"无法读取{limit.what}：{os_reason(error)}", path) from None
    _check_status(status, path, limit)
    return status


def _check_status(status: os.stat_result, path: Path, limit: Limit) -> None:
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        kind = ("文件夹" if stat.S_ISDIR(mode) else "命名管道（FIFO）" if stat.S_ISFIFO(mode)
                else "设备" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "套接字" if stat.S_ISSOCK(mode)
                else "特殊文件")
        raise InputRefused("E110", f"{limit.what}不是普通文件，而是{kind}", path)
    if status.st_size > limit.max_bytes:
        raise InputRefused("E111", f"{limit.what}有 {size_text(status.st_size)}，超过上限 "
                                   f"{size_text(limit.max_bytes)}，拒绝读取", path)


def os_reason(error: OSError) -> str:
    """An operating system error in the words of the people who use gongwen."""
    reasons = {"EACCES": "没有权限", "EPERM": "没有权限", "EISDIR": "这是文件夹", "ENOENT": "文件不存在",
               "ELOOP": "符号链接循环", "ENAMETOOLONG": "文件名过长", "ENOTDIR": "路径中有一段不是文件夹",
               "ENOSPC": "磁盘空间不足", "EDQUOT": "超出磁盘配额", "EFBIG": "文件超过系统允许的大小",
               "EROFS": "文件系统是只读的", "EIO": "磁盘读写错误", "EMFILE": "打开的文件过多",
               "EEXIST": "已有同名的文件", "EBUSY": "文件正被占用", "EXDEV": "不能跨磁盘改名"}
    name = errno.errorcode.get(error.errno or 0, "")
    return reasons.get(name, error.strerror or name or "未知原因")


@contextmanager
def open_checked(path: Path, limit: Limit) -> Iterator[io.BufferedReader[io.FileIO]]:
    """The file opened for reading, once it is known to be a regular file within the limit."""
    check_file(path, limit)
    try:
        # O_NONBLOCK: a FIFO put in the file's place after the check does not block the open.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise InputRefused("E112", f"无法打开{limit.what}：{os_reason(error)}", path) from None
    try:
        _check_status(os.fstat(fd), path, limit)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        handle = io.BufferedReader(io.FileIO(fd, "rb"))
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bytes(path: Path, limit: Limit) -> bytes:
    """The whole file, read with a bound (a file growing while it is read is refused too)."""
    with open_checked(path, limit) as handle:
        try:
            data = handle.read(limit.max_bytes + 1)
        except OSError as error:
            raise InputRefused("E112", f"无法读取{limit.what}：{os_reason(error)}", path) from None
    if len(data) > limit.max_bytes:
        raise InputRefused("E111", f"{limit.what}超过上限 {size_text(limit.max_bytes)}，拒绝读取", path)
    return data


# --- images -------------------------------------------------------------------------------

def check_image(path: Path, limit: Limit = IMAGE) -> tuple[int, int]:
    """The image's pixel size, read from its header, once it is known to be a readable image
    within the file and pixel limits (a "decompression bomb" is refused, never decoded)."""
    from PIL import Image, UnidentifiedImageError

    data = read_bytes(path, limit)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputRefused("E113", "图片像素过多（疑似“解压炸弹”），拒绝读取", path) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InputRefused("E113", "无法识别的图片格式（应为 PNG 或 JPEG 等常见图片）", path) from None
    if width * height > IMAGE_PIXELS:
        raise InputRefused("E113", f"图片有 {width} × {height} 像素，超过上限 {IMAGE_PIXELS // 1_000_000} 百万像素，"
                                   "请缩小后再用", path)
    return width, height
