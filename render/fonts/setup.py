"""The one-time free-font set-up (`gongwen fonts --install`): FandolFang from Debian's
texlive-lang-chinese converted to TrueType, and fontconfig aliases that map the GB font
names to the free fonts so LibreOffice renders our .docx with matching faces."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from fontTools.ttLib import TTFont, TTLibError

from render.atomic import atomic_path, write_bytes_atomic
from render.fonts.convert import check_font_file, convert_cff_to_truetype
from render.fonts.resolve import (
    FANDOL_OTF,
    FANGSONG_CHECK_CHARS,
    FANGSONG_TTF,
    GB_ALIASES,
    INSTALL_HINT,
    TEXLIVE_PACKAGE,
    FontError,
    alias_conf_path,
    clear_font_cache,
    default_install_dir,
    fontconfig_fonts,
    missing_free_packages,
    normalize_family,
)


def _run(command: list[str], failure: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as error:
        raise FontError(f"{failure}：{error}") from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise FontError(f"{failure}（{' '.join(command)}）：{' / '.join(detail)}")


def _installed_fandol_otf(target_dir: Path) -> Path | None:
    """FandolFang-Regular.otf already on this machine (TeX Live, or put there by hand)."""
    candidates = [
        target_dir / FANDOL_OTF,
        Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol") / FANDOL_OTF,
        Path("/usr/share/texmf/fonts/opentype/public/fandol") / FANDOL_OTF,
    ]
    return next((path for path in candidates if path.is_file()), None)


def _download_fandol_otf(work_dir: Path) -> Path:
    """FandolFang-Regular.otf out of Debian's texlive-lang-chinese package."""
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise FontError(
            f"需要 Debian/Ubuntu 的 apt-get 和 dpkg-deb 来获取 {FANDOL_OTF}；"
            f"也可以从 CTAN（fonts/fandol）下载该文件，"
            f"放到 {default_install_dir()} 后重新运行 `{INSTALL_HINT}`"
        )
    _run(
        ["apt-get", "download", TEXLIVE_PACKAGE],
        f"下载 {TEXLIVE_PACKAGE} 失败，请检查网络或先运行 apt-get update",
        cwd=work_dir,
    )
    debs = sorted(work_dir.glob(f"{TEXLIVE_PACKAGE}_*.deb"))
    if not debs:
        raise FontError(f"apt-get download 没有留下 {TEXLIVE_PACKAGE} 的 .deb 文件")
    unpacked = work_dir / "unpacked"
    _run(["dpkg-deb", "-x", str(debs[-1]), str(unpacked)], f"解包 {debs[-1].name} 失败")
    found = sorted(unpacked.rglob(FANDOL_OTF))
    if not found:
        raise FontError(f"{debs[-1].name} 中没有 {FANDOL_OTF}")
    return found[0]


def _is_converted_fangsong(path: Path) -> bool:
    """A cheap check that the converted file is there and sound (the set-up's fast path)."""
    if not path.is_file():
        return False
    try:
        font = TTFont(path, lazy=True)
        try:
            cmap = font.getBestCmap() or {}
            return "glyf" in font and all(ord(char) in cmap for char in FANGSONG_CHECK_CHARS)
        finally:
            font.close()
    except (OSError, TTLibError, AssertionError):
        return False


def _convert_fandol(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="gongwen-fonts-") as work:
        source = _installed_fandol_otf(target.parent) or _download_fandol_otf(Path(work))

        with atomic_path(target) as temporary:
            convert_cff_to_truetype(source, temporary)
            check_font_file(temporary)


def fontconfig_aliases(extra_dir: Path | None = None) -> str:
    """The fontconfig file that maps the GB family names to the free fonts.

    `accept` (not `prefer`) puts the free face after the GB name, so a real GB font
    installed later still wins.
    """
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        # No INSTALL_HINT here: "--" may not appear inside an XML comment.
        "<!-- Written by gongwen's font set-up: the GB font names 公文 use, mapped to free fonts. -->",
        "<fontconfig>",
    ]
    if extra_dir is not None:
        lines.append(f"  <dir>{xml_escape(str(extra_dir))}</dir>")
    for names, family in GB_ALIASES:
        for name in names:
            lines += [
                '  <alias binding="same">',
                f"    <family>{xml_escape(name)}</family>",
                f"    <accept><family>{xml_escape(family)}</family></accept>",
                "  </alias>",
            ]
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_bytes_atomic(path, text.encode("utf-8"))
    return True


def _fontconfig_lists(path: Path) -> bool:
    return any(font.path == path for font in fontconfig_fonts())


def _fontconfig_name(name: str) -> str:
    return re.sub(r"([\\:,-])", r"\\\1", name)


def alias_problems() -> list[str]:
    """GB names fontconfig does not map to their free font (or to a real GB font)."""
    if shutil.which("fc-match") is None:
        return []
    problems = []
    for names, family in GB_ALIASES:
        for name in names:
            done = subprocess.run(
                ["fc-match", "-f", "%{family}", f"{_fontconfig_name(name)}:lang=zh-cn"],
                capture_output=True, text=True, check=False,
            )
            got = {normalize_family(found) for found in done.stdout.split(",")}
            if not got & {normalize_family(name), normalize_family(family)}:
                problems.append(f"{name} → {done.stdout.split(',')[0] or '?'}（应为 {family}）")
    return problems


def install_free_fonts(target_dir: Path | None = None, report: Callable[[str], None] = lambda _: None) -> Path:
    """The one-time set-up: FandolFang as TrueType, fontconfig aliases, font cache.

    Returns the converted FandolFang file. A second run only checks and returns. `report`
    hears what is going on: the first run downloads and converts for about half a minute.
    """
    custom = target_dir is not None and target_dir.resolve() != default_install_dir().resolve()
    target = (target_dir or default_install_dir()).resolve() / FANGSONG_TTF
    changed = False
    if not _is_converted_fangsong(target):
        report("正在取得 FandolFang 并转换为 TrueType 仿宋（只需一次，约半分钟）…")
        _convert_fandol(target)
        changed = True
    aliases = fontconfig_aliases(target.parent if custom else None)
    changed |= _write_if_changed(alias_conf_path(), aliases)
    clear_font_cache()
    if shutil.which("fc-cache") is not None and (changed or not _fontconfig_lists(target)):
        _run(["fc-cache", "-f"], "刷新字体缓存失败")
        clear_font_cache()
    if missing := missing_free_packages():
        raise FontError(
            f"仿宋已就绪（{target}），但缺少字体包 {'、'.join(missing)}；"
            f"请以 root 运行 scripts/setup-system.sh（或 apt-get install {' '.join(missing)}）"
        )
    if problems := alias_problems():
        raise FontError(f"字体别名没有生效（{alias_conf_path()}）：" + "；".join(problems))
    return target
