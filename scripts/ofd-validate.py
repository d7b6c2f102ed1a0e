"""Validate every XML part of .ofd files against the GB/T 33190-2016 XSD files (a by-hand
check; the schemas are not carried in the repository, as no licence to do so is known).

    python scripts/ofd-validate.py SCHEMA_DIR outputs/*.ofd

SCHEMA_DIR holds OFD.xsd, Document.xsd, Res.xsd, Page.xsd and the files they include (for
instance a checkout of github.com/GreenYun/OFD-Schema). Exit 1 when a part is invalid.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from lxml import etree

SCHEMA_OF_ROOT = {"OFD": "OFD.xsd", "Document": "Document.xsd", "Res": "Res.xsd", "Page": "Page.xsd"}


def main(schema_dir: Path, files: list[Path]) -> int:
    schemas = {root: etree.XMLSchema(etree.parse(str(schema_dir / name))) for root, name in SCHEMA_OF_ROOT.items()}
    invalid = 0
    for path in files:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith(".xml"):
                    continue
                part = etree.fromstring(archive.read(name))
                schema = schemas[etree.QName(part).localname]
                if not schema.validate(part):
                    invalid += 1
                    print(f"{path}:{name}: {schema.error_log.last_error}")
        print(f"{path}: 已检查")
    print(f"不合模式的部件：{invalid}")
    return 1 if invalid else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("用法：python scripts/ofd-validate.py 模式目录 文件.ofd ...")
    sys.exit(main(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]]))
