"""Which files a command line names."""

from __future__ import annotations

from pathlib import Path

PLAN_SUFFIXES = (".yaml", ".yml")


def plan_files(paths: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given; a folder stands for the .yaml/.yml files directly in it (sub-folders
    hold unit registries, images and data, not plans)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in PLAN_SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files
