"""The render manifest: what each output came from, so unchanged outputs are skipped.

`outputs/.gongwen-manifest.json` maps each output (its path relative to the output folder;
a folder of unit workbooks ends in `/`) to

    {"inputs": sha256 of everything it came from,
     "files": {output path: sha256 of its bytes},
     "plan": "plans/x.yaml", "data": "summaries/y.yaml" or null}

"Everything it came from" is the plan's bytes, its data file, units file, images and
attachment files, the layout profile, the `templates/` folder, the font files the
writer reads (PDF and .docx: `render.writers.READS_FONTS`), the output format and the gongwen version. An output is skipped when
its recorded inputs hash matches and every recorded file still exists with its recorded
bytes. Only the parent process writes the manifest, atomically, with sorted keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict

from render import __version__
from render.atomic import write_bytes_atomic
from render.cache import content_digest
from render.inputs import HASHED, MANIFEST, InputRefused, open_checked, read_bytes
from render.model.plan import BulletinPlan, DocumentBase, SummaryPlan
from render.reading.templating import data_file_of

MANIFEST_NAME = ".gongwen-manifest.json"
MANIFEST_VERSION = 1
MISSING = "missing"  # the digest of a file that is not there: its arrival changes the hash


class Entry(Struct, frozen=True):
    inputs: str
    files: dict[str, str]
    plan: str
    data: str | None = None


def file_digest(path: Path) -> str:
    try:
        with open_checked(path, HASHED) as handle:  # a FIFO in a file's place would hang a plain open
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except (OSError, InputRefused):
        return MISSING


def _font_digest(path: Path) -> str:
    """A font's SHA-256 as the font caches know it (render/cache.py): not hashed again while
    the file's size, mtime and inode stay the same."""
    try:
        return content_digest(path)
    except OSError:
        return file_digest(path)


def digest_of(parts: Mapping[str, Any]) -> str:
    """One hash over named parts, independent of their order."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def tree_digest(folder: Path) -> str:
    """Every file under `folder`, by relative path and content (cached: one run, one tree)."""
    if not folder.is_dir():
        return MISSING
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest_of({p.relative_to(folder).as_posix(): file_digest(p) for p in files})


# --- what an output came from -------------------------------------------------------------

def environment_digest(fmt: str, profile_path: Path, templates_dir: Path,
                       font_files: Iterable[Path] = ()) -> str:
    """The inputs every plan shares for one format; computed once per run, in the parent.
    `font_files` are the fonts the format's writer reads (none for a format that reads none)."""
    parts: dict[str, Any] = {
        "format": fmt,
        "version": __version__,
        "profile": file_digest(profile_path),
        "templates": tree_digest(templates_dir),
    }
    fonts = sorted((str(p), _font_digest(p)) for p in font_files)
    if fonts:
        parts["fonts"] = fonts
    return digest_of(parts)


def plan_inputs(plan: DocumentBase, plan_path: Path, data_file: Path | None,
                number: str | None) -> dict[str, str]:
    """Digests of the files one plan reads (plan, data, units file, images, attachments),
    plus its 发文字号 once the registry resolved it."""
    base = plan_path.resolve().parent
    parts = {"plan": file_digest(plan_path)}
    data = data_file or (data_file_of(plan.data, plan_path) if isinstance(plan, SummaryPlan) else None)
    if data is not None:
        parts["data"] = file_digest(data)
    if plan.units_file:
        parts["units_file"] = file_digest(base / plan.units_file)
    for name in _referenced_files(plan):
        parts[f"file:{name}"] = file_digest(base / name)
    if number:
        parts["number"] = number
    return parts


def _referenced_files(plan: DocumentBase) -> list[str]:
    names = [a.file for a in plan.attachments if a.file]
    if isinstance(plan, BulletinPlan):
        names += [image.file for article in plan.articles for image in article.images]
    return names


def output_inputs(environment: str, plan_parts: Mapping[str, str], extra: Mapping[str, Any] | None = None) -> str:
    return digest_of({"environment": environment, "plan": dict(plan_parts), **(extra or {})})


def is_current(entry: Entry | None, inputs: str, root: Path) -> bool:
    """Whether an output can be skipped: same inputs, and the files on disk are the ones
    that were written (a file edited or deleted by hand is rendered again)."""
    if entry is None or entry.inputs != inputs or not entry.files:
        return False
    return all(file_digest(root / name) == digest for name, digest in entry.files.items())


# --- the file -----------------------------------------------------------------------------

def output_key(target: Path, root: Path, folder: bool = False) -> str:
    """An output's name in the manifest: its path relative to the output folder; a folder
    of outputs (unit workbooks) ends in `/`."""
    relative = Path(_relative(target, root)).as_posix()
    return f"{relative}/" if folder else relative


class Manifest(Struct):
    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    _changed: dict[str, Entry] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.root / MANIFEST_NAME

    @classmethod
    def load(cls, root: Path) -> Manifest:
        return cls(root, _read(root / MANIFEST_NAME))

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def record(self, entries: Mapping[str, Entry]) -> None:
        self.entries.update(entries)
        self._changed.update(entries)

    def save(self) -> None:
        """Write what this run changed over what is on disk now, so two runs sharing an
        output folder lose at most a skip, never each other's whole manifest."""
        if not self._changed:
            return
        merged = {**_read(self.path), **self._changed}
        body = {"version": MANIFEST_VERSION, "outputs": {k: asdict(v) for k, v in merged.items()}}
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
        write_bytes_atomic(self.path, text.encode("utf-8"))
        self._changed.clear()


def _read(path: Path) -> dict[str, Entry]:
    """The manifest's entries; a missing, unreadable or foreign file counts as empty (the
    worst outcome is rendering again)."""
    try:
        body = json.loads(read_bytes(path, MANIFEST).decode("utf-8"))
        if body.get("version") != MANIFEST_VERSION:
            return {}
        return {key: Entry(**value) for key, value in body["outputs"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, InputRefused, RecursionError):
        return {}


def _relative(target: Path, root: Path) -> str:
    try:
        return str(target.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(target.resolve())
