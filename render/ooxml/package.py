"""A python-docx document's package written into a zip we hand it, not one it opens itself.

python-docx saves only through a zip of its own making, which stamps every entry with the
clock: the container then had to be unpacked and compressed again with fixed times (a tenth
of a notice's writing). Its `PackageWriter` writes through any object with `write(pack_uri,
blob)`; the steps of `PackageWriter.write` are taken here with such an object over our zip.
They are python-docx's private functions: `writes_packages()` says whether this python-docx
has them, and the Word writer saves the old way when it does not.
"""

from __future__ import annotations

import zipfile
from typing import Any, cast

from docx.document import Document as WordDocument
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter

_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


class _Members:
    """python-docx's physical package writer, over a zip the caller owns (and closes)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.archive.writestr(pack_uri.membername, blob)

    def close(self) -> None:
        pass


def writes_packages() -> bool:
    return all(callable(getattr(PackageWriter, step, None)) for step in _STEPS)


def write_package(word: WordDocument, archive: zipfile.ZipFile) -> None:
    """What `word.save()` writes, in its order, as entries of `archive`."""
    package = word.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts  # listed again, as OpcPackage.save lists them
    # Duck-typed: PhysPkgWriter's constructor always makes python-docx's own zip writer.
    members = cast(PhysPkgWriter, _Members(archive))
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
