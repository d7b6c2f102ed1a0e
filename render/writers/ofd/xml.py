"""OFD's XML vocabulary: every element in the namespace of GB/T 33190-2016 with the `ofd:`
prefix, attributes unqualified, lengths in millimetres written with a fixed precision (the
same layout gives the same text)."""

from __future__ import annotations

from lxml import etree

NS = "http://www.ofdspec.org/2016"
NSMAP = {"ofd": NS}
DECIMALS = 4  # 0.1 µm: far below what a renderer shows, enough to keep sums exact to 0.001 mm


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def root(name: str, **attributes: str) -> etree._Element:
    return etree.Element(q(name), attributes, nsmap=NSMAP)


def sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, q(name), attributes)
    if text is not None:
        element.text = text
    return element


def num(value: float) -> str:
    """A length as OFD writes it: no exponent, no trailing zeros, no negative zero."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def nums(*values: float) -> str:
    return " ".join(num(value) for value in values)


def rgb(hex_color: str) -> str:
    """`FF0000` → `255 0 0` (a colour in the document's RGB colour space)."""
    return " ".join(str(int(hex_color[i:i + 2], 16)) for i in (0, 2, 4))


def xml_legal(ch: str) -> bool:
    """Whether XML 1.0 can hold the character at all (not even as a reference otherwise)."""
    code = ord(ch)
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def legal_text(text: str) -> str:
    """`text` without the characters XML cannot hold (a control character in a plan's title)."""
    return "".join(ch for ch in text if xml_legal(ch))


def serialise(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))


class Ids:
    """Object IDs of the document, unique and increasing in writing order (MaxUnitID is the
    last one handed out)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last
