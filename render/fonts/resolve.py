"""Font role → font file resolution (`gongwen fonts`).

A role (`fangsong`, `heiti`, …) resolves, in this order, to
1. an explicit file: the layout profile's `font_files` (the `explicit` argument), then the
   user's `~/.config/gongwen/fonts.yaml` (role → path);
2. the usual GB system fonts, by file name in the usual font folders and, on Linux, by
   family name in `fc-list`;
3. the free fonts the set-up installs (`render.fonts.setup`: FandolFang converted to TrueType, AR PL
   SungtiL GB, AR PL KaitiM GB, WenQuanYi Zen Hei);
4. as a last resort a related role's font, flagged `fallback`.

reportlab embeds TrueType outlines only, so every file must be a .ttf/.ttc with a `glyf`
table; a CFF-based .otf is refused (or, for FandolFang, converted once by the set-up).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from msgspec import Struct

from render.atomic import OutputRefused, write_bytes_atomic
from render.cache import cache_folder, content_digest
from render.text.chars import pad_columns, terminal_columns

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

ROLES: tuple[str, ...] = ("xiaobiaosong", "fangsong", "heiti", "kaiti", "songti")
ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {"xiaobiaosong": "小标宋", "fangsong": "仿宋", "heiti": "黑体", "kaiti": "楷体", "songti": "宋体"}
)
SOURCE_NAMES: Mapping[str, str] = MappingProxyType(
    {"profile": "排版配置", "config": "用户配置", "system": "系统字体", "free": "免费字体"}
)

FANGSONG_TTF = "FandolFang-Regular.ttf"
FANDOL_OTF = "FandolFang-Regular.otf"
FANDOL_FAMILY = "FandolFang"
TEXLIVE_PACKAGE = "texlive-lang-chinese"
ALIAS_CONF_NAME = "65-gongwen-gb-aliases.conf"
INSTALL_HINT = "gongwen fonts --install"

# Characters the converted 仿宋 must map: the role's own name, CJK punctuation and digits.
FANGSONG_CHECK_CHARS = "仿宋。0123456789"


class FontError(Exception):
    """A font role cannot be resolved, or a font file cannot be used (message in 简体中文)."""


class ResolvedFont(Struct, frozen=True):
    role: str
    path: Path
    subfont_index: int
    family: str
    source: str  # 'profile' | 'config' | 'system' | 'free'
    fallback: bool  # True when the role got a face that is not of its kind (e.g. 宋体 for 小标宋)


class _Face(Struct, frozen=True):
    """One typeface as it is usually installed: its file names and its family names."""

    files: tuple[str, ...]
    families: tuple[str, ...]
    fallback: bool = False


# Ordered by preference: the GB2312 faces 公文 templates name come first.
SYSTEM_FACES: Mapping[str, tuple[_Face, ...]] = MappingProxyType(
    {
        "xiaobiaosong": (
            _Face(
                ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "方正小标宋_GBK.ttf"),
                ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05", "小标宋"),
            ),
        ),
        "fangsong": (
            _Face(("仿宋_GB2312.ttf", "FSGB2312.TTF"), ("仿宋_GB2312", "FangSong_GB2312")),
            _Face(
                ("FZFSK.TTF", "FZFSJW.TTF", "方正仿宋简体.ttf", "方正仿宋_GBK.ttf"),
                ("方正仿宋简体", "方正仿宋_GBK", "FZFangSong-Z02S", "FZFangSong-Z02"),
            ),
            _Face(("simfang.ttf", "仿宋.ttf"), ("仿宋", "FangSong")),
            _Face(("STFANGSO.TTF", "华文仿宋.ttf"), ("华文仿宋", "STFangsong")),
        ),
        "kaiti": (
            _Face(("楷体_GB2312.ttf", "KTGB2312.TTF"), ("楷体_GB2312", "KaiTi_GB2312")),
            _Face(("simkai.ttf", "楷体.ttf"), ("楷体", "KaiTi")),
            _Face(("FZKTK.TTF", "FZKTJW.TTF", "方正楷体简体.ttf"), ("方正楷体简体", "FZKai-Z03S")),
            _Face(("STKAITI.TTF", "华文楷体.ttf", "Kaiti.ttc"), ("华文楷体", "STKaiti", "Kaiti SC")),
        ),
        "heiti": (
            _Face(("simhei.ttf", "黑体.ttf"), ("黑体", "SimHei")),
            _Face(("FZHTK.TTF", "FZHTJW.TTF", "方正黑体简体.ttf"), ("方正黑体简体", "FZHei-B01S")),
            _Face(
                ("STHeiti Medium.ttc", "STHeiti Light.ttc", "STXIHEI.TTF", "华文黑体.ttf"),
                ("Heiti SC", "华文黑体", "STHeiti", "STXihei", "华文细黑"),
            ),
        ),
        "songti": (
            _Face(("simsun.ttc", "simsun.ttf", "宋体.ttf"), ("宋体", "SimSun")),
            _Face(("FZSSK.TTF", "FZSSJW.TTF", "方正书宋简体.ttf"), ("方正书宋简体", "FZShuSong-Z01S")),
            _Face(("Songti.ttc", "STSONG.TTF", "华文宋体.ttf"), ("Songti SC", "华文宋体", "STSong")),
        ),
    }
)

_SUNGTI = _Face(("gbsn00lp.ttf",), ("AR PL SungtiL GB",))
_KAITI = _Face(("gkai00mp.ttf",), ("AR PL KaitiM GB",))
_ZENHEI = _Face(("wqy-zenhei.ttc",), ("WenQuanYi Zen Hei",))
FREE_FACES: Mapping[str, tuple[_Face, ...]] = MappingProxyType(
    {
        "xiaobiaosong": (_Face(_SUNGTI.files, _SUNGTI.families, fallback=True),),
        "fangsong": (_Face((FANGSONG_TTF,), (FANDOL_FAMILY,)),),
        "heiti": (_ZENHEI,),
        "kaiti": (_KAITI,),
        "songti": (_SUNGTI,),
    }
)

# The Debian packages behind the free faces (FandolFang comes from the set-up itself).
FREE_PACKAGES: Mapping[str, _Face] = MappingProxyType(
    {"fonts-arphic-gbsn00lp": _SUNGTI, "fonts-arphic-gkai00mp": _KAITI, "fonts-wqy-zenhei": _ZENHEI}
)

# Where a role looks when neither its own GB face nor its free font is there.
BORROWED_ROLES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "xiaobiaosong": ("songti", "heiti"),
        "fangsong": ("songti", "kaiti"),
        "kaiti": ("fangsong", "songti"),
        "heiti": ("songti",),
        "songti": ("fangsong",),
    }
)

# GB family names that .docx files carry → the free family fontconfig should use for them.
GB_ALIASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312"), FANDOL_FAMILY),
    (("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312"), "AR PL KaitiM GB"),
    (("黑体", "SimHei"), "WenQuanYi Zen Hei"),
    (("宋体", "SimSun"), "AR PL SungtiL GB"),
    (("方正小标宋简体", "小标宋", "FZXiaoBiaoSong-B05S"), "AR PL SungtiL GB"),
)

_NO_FONTS: Mapping[str, str | Path] = MappingProxyType({})


# --------------------------------------------------------------------------- places


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _xdg_dir(variable: str, default: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / default)


def user_config_path() -> Path:
    """The user's font configuration file (role → font file)."""
    return _xdg_dir("XDG_CONFIG_HOME", ".config") / "gongwen" / "fonts.yaml"


def default_install_dir() -> Path:
    """Where `install_free_fonts` writes the converted FandolFang."""
    if _is_root():
        return Path("/usr/local/share/fonts/gongwen")
    return _xdg_dir("XDG_DATA_HOME", ".local/share") / "fonts" / "gongwen"


def alias_conf_path() -> Path:
    """The fontconfig file mapping GB family names to the free fonts."""
    if _is_root():
        return Path("/etc/fonts/conf.d") / ALIAS_CONF_NAME
    return _xdg_dir("XDG_CONFIG_HOME", ".config") / "fontconfig" / "conf.d" / ALIAS_CONF_NAME


def system_font_dirs() -> list[Path]:
    """The usual font folders of this platform, searched (recursively) by file name."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts"]
        if local := os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [
            Path("/Library/Fonts"),
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            home / "Library" / "Fonts",
        ]
    return [
        _xdg_dir("XDG_DATA_HOME", ".local/share") / "fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
    ]


def free_font_dirs() -> list[Path]:
    """Where the free fonts live: the set-up's folders and the Debian packages' folders."""
    root_dir = Path("/usr/local/share/fonts/gongwen")
    user_dir = _xdg_dir("XDG_DATA_HOME", ".local/share") / "fonts" / "gongwen"
    debian = Path("/usr/share/fonts/truetype")
    return [
        root_dir,
        user_dir,
        debian / "arphic-gbsn00lp",
        debian / "arphic-gkai00mp",
        debian / "arphic",
        debian / "wqy",
    ]


# --------------------------------------------------------------------------- font files


def normalize_family(name: str) -> str:
    return "".join(name.split()).casefold()


# A collection (Songti.ttc: Light, Regular, Bold, Black) should give its upright book weight.
PREFERRED_STYLES: tuple[str, ...] = ("regular", "book", "normal", "roman", "medium")


def _style_rank(styles: Iterable[str]) -> int:
    ranks = [PREFERRED_STYLES.index(style) for style in styles if style in PREFERRED_STYLES]
    return min(ranks, default=len(PREFERRED_STYLES))


class _Subfont(NamedTuple):
    truetype: bool  # has a glyf table
    families: frozenset[str]  # normalized family names (name IDs 1 and 16, every language)
    styles: frozenset[str]  # normalized style names (name IDs 2 and 17)
    family: str  # the best family name, for display


def _names(records: Iterable[Any], name_ids: tuple[int, ...]) -> frozenset[str]:
    return frozenset(
        normalize_family(record.toUnicode()) for record in records if record.nameID in name_ids
    )


def _subfont_facts(font: TTFont, path: Path) -> _Subfont:
    name_table = font["name"] if "name" in font else None
    records = name_table.names if name_table is not None else []
    best = name_table.getBestFamilyName() if name_table is not None else None
    return _Subfont("glyf" in font, _names(records, (1, 16)), _names(records, (2, 17)), best or path.stem)


@cache
def _font_facts(path: Path, mtime_ns: int) -> tuple[_Subfont, ...]:
    """From the cache on disk, keyed by the file's content, when it has them: reading the
    name tables of every font file a role might use is a good part of a render's start."""
    try:
        cached: Path | None = cache_folder() / "fonts" / f"facts-{content_digest(path)}.json"
    except OSError:
        cached = None
    if cached is not None:
        try:
            return tuple(_Subfont(bool(truetype), frozenset(families), frozenset(styles), str(family))
                         for truetype, families, styles, family in json.loads(cached.read_bytes()))
        except (OSError, ValueError, TypeError):
            pass
    facts = _parsed_facts(path)
    if cached is not None:
        record = [[fact.truetype, sorted(fact.families), sorted(fact.styles), fact.family] for fact in facts]
        try:
            write_bytes_atomic(cached, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except (OSError, OutputRefused):
            pass
    return facts


def _parsed_facts(path: Path) -> tuple[_Subfont, ...]:
    # fontTools only when a font's facts are not in the cache (a render's start is then lighter).
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        with path.open("rb") as stream:
            if stream.read(4) == b"ttcf":
                stream.seek(0)
                collection = TTCollection(stream, lazy=True)
                return tuple(_subfont_facts(font, path) for font in collection.fonts)
            stream.seek(0)
            return (_subfont_facts(TTFont(stream, lazy=True), path),)
    except (OSError, TTLibError, AssertionError, ValueError, struct.error) as error:
        raise FontError(f"无法读取字体文件 {path}：{error}") from error


def font_facts(path: Path) -> tuple[_Subfont, ...]:
    """What gongwen needs to know of each font in a .ttf/.ttc/.otf file (cached by mtime)."""
    return _font_facts(path, path.stat().st_mtime_ns)


def has_truetype_outlines(path: Path, subfont_index: int = 0) -> bool:
    """Whether reportlab can embed this font: a `glyf` table, not CFF."""
    facts = font_facts(path)
    return 0 <= subfont_index < len(facts) and facts[subfont_index].truetype


def _pick_subfont(path: Path, families: Iterable[str]) -> int:
    """The subfont of a .ttc of the first of `families` present (its regular style), else 0."""
    facts = font_facts(path)
    for family in families:
        wanted = normalize_family(family)
        matches = [index for index, subfont in enumerate(facts) if wanted in subfont.families]
        if matches:
            return min(matches, key=lambda index: _style_rank(facts[index].styles))
    return 0


def _family_of(path: Path, subfont_index: int) -> str:
    return font_facts(path)[subfont_index].family


# --------------------------------------------------------------------------- discovery


@cache
def _file_index(dirs: tuple[Path, ...]) -> Mapping[str, Path]:
    """Lower-cased file name → first file with that name under `dirs`."""
    index: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for folder, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                index.setdefault(name.casefold(), Path(folder) / name)
    return MappingProxyType(index)


class _Listed(NamedTuple):
    path: Path
    subfont_index: int
    families: frozenset[str]  # normalized
    styles: frozenset[str]  # normalized


@lru_cache(maxsize=1)
def fontconfig_fonts() -> tuple[_Listed, ...]:
    """Every font fontconfig lists, in its order.

    `fc-list` rather than `fc-match`: fc-match applies aliases (ours included), so it would
    report a substitute as if it were the real GB font.
    """
    if shutil.which("fc-list") is None:
        return ()
    try:
        listing = subprocess.run(
            ["fc-list", "-f", "%{file}\t%{index}\t%{family}\t%{style}\n"],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    fonts = []
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].isdigit():
            continue
        families, styles = (
            frozenset(normalize_family(name) for name in part.split(",")) for part in parts[2:]
        )
        # The high bits of a variable font's index name an instance, not a face.
        fonts.append(_Listed(Path(parts[0]), int(parts[1]) & 0xFFFF, families, styles))
    return tuple(fonts)


def _usable(path: Path, subfont_index: int) -> bool:
    if path.suffix.lower() not in (".ttf", ".ttc"):
        return False
    try:
        return has_truetype_outlines(path, subfont_index)
    except (OSError, FontError):
        return False


def _find_face(face: _Face, dirs: Iterable[Path]) -> tuple[Path, int] | None:
    """The face's file: by file name in `dirs`, then by family name in fontconfig."""
    index = _file_index(tuple(dirs))
    for name in face.files:
        path = index.get(name.casefold())
        if path is not None:
            subfont = _pick_subfont(path, face.families) if path.suffix.lower() == ".ttc" else 0
            if _usable(path, subfont):
                return path, subfont
    for family in face.families:
        wanted = normalize_family(family)
        listed = [font for font in fontconfig_fonts() if wanted in font.families]
        for font in sorted(listed, key=lambda font: _style_rank(font.styles)):
            if _usable(font.path, font.subfont_index):
                return font.path, font.subfont_index
    return None


def _find_role(role: str, source: str) -> tuple[Path, int, bool] | None:
    """(file, subfont, fallback) of the role's first face present in one tier."""
    faces, dirs = (
        (SYSTEM_FACES[role], system_font_dirs()) if source == "system"
        else (FREE_FACES[role], free_font_dirs())
    )
    for face in faces:
        if (found := _find_face(face, dirs)) is not None:
            return found[0], found[1], face.fallback
    return None


@cache
def _discover(role: str) -> ResolvedFont | None:
    """A role's font without explicit files: own system, own free, then borrowed faces."""
    for source in ("system", "free"):
        if (found := _find_role(role, source)) is not None:
            path, subfont, fallback = found
            return ResolvedFont(role, path, subfont, _family_of(path, subfont), source, fallback)
    for other in BORROWED_ROLES[role]:
        for source in ("system", "free"):
            if (found := _find_role(other, source)) is not None:
                path, subfont, _ = found
                return ResolvedFont(role, path, subfont, _family_of(path, subfont), source, True)
    return None


# --------------------------------------------------------------------------- explicit files


def _read_user_config(path: Path) -> dict[str, str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise FontError(f"无法读取字体配置 {path}：{error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise FontError(f"字体配置 {path} 应为“角色: 字体文件”的映射，例如 fangsong: /path/simfang.ttf")
    base = path.parent
    return {
        role: str(base / Path(str(value)).expanduser())
        for role, value in data.items() if value not in (None, "")
    }


def _explicit_files(explicit: Mapping[str, str | Path], config: Path) -> dict[str, tuple[str, str]]:
    """role → (path text, source); the profile's files win over the user's config."""
    merged: dict[str, tuple[str, str]] = {}
    labelled = [("config", _read_user_config(config) if config.is_file() else {}), ("profile", explicit)]
    for source, files in labelled:
        for role, value in files.items():
            if role not in ROLES:
                where = config if source == "config" else "排版配置 font_files"
                raise FontError(f"未知的字体角色“{role}”（{where}）；可用的角色：{'、'.join(ROLES)}")
            if value not in (None, ""):
                merged[role] = (str(value), source)
    return merged


def _split_subfont(text: str) -> tuple[Path, int | None]:
    """`simsun.ttc#1` names the second font of a collection."""
    path = Path(text).expanduser()
    match = re.fullmatch(r"(.+)#(\d+)", text)
    if match and not path.exists():
        return Path(match.group(1)).expanduser(), int(match.group(2))
    return path, None


def _resolve_explicit(role: str, text: str, source: str) -> ResolvedFont:
    where = "排版配置 font_files" if source == "profile" else str(user_config_path())
    label = f"{ROLE_NAMES[role]}（{role}）"
    path, subfont = _split_subfont(text)
    if not path.is_file():
        raise FontError(f"{label}的字体文件不存在：{path}（来自{where}）")
    if subfont is None:
        families = [family for face in SYSTEM_FACES[role] + FREE_FACES[role] for family in face.families]
        subfont = _pick_subfont(path, families) if path.suffix.lower() == ".ttc" else 0
    if subfont >= len(font_facts(path)):
        raise FontError(f"{label}的字体文件 {path} 中没有第 {subfont} 号字体（来自{where}）")
    if not has_truetype_outlines(path, subfont):
        raise FontError(
            f"{label}的字体文件 {path}（来自{where}）不含 TrueType 轮廓（glyf 表），PDF 无法嵌入；"
            "请改用 .ttf/.ttc 字体（CFF 轮廓的 .otf 需先转换）"
        )
    return ResolvedFont(role, path.absolute(), subfont, _family_of(path, subfont), source, False)


# --------------------------------------------------------------------------- resolution

_RESOLVED: dict[tuple[object, ...], Mapping[str, ResolvedFont]] = {}


def clear_font_cache() -> None:
    """Forget every cached lookup (after installing fonts, or in tests)."""
    _RESOLVED.clear()
    for cached in _CACHED_LOOKUPS:
        cached.cache_clear()


_CACHED_LOOKUPS = (_file_index, fontconfig_fonts, _font_facts, _discover)


def _unresolved_message(role: str) -> str:
    packages = "、".join(FREE_PACKAGES)
    return (
        f"找不到{ROLE_NAMES[role]}（{role}）字体。请运行 `{INSTALL_HINT}` 安装免费字体"
        f"（Debian/Ubuntu 还需以 root 运行 scripts/setup-system.sh 安装 {packages}），"
        f"或在 {user_config_path()} 中为 {role} 指定字体文件。"
    )


def fonts_key(resolved: Mapping[str, ResolvedFont]) -> tuple[tuple[str, str, int], ...]:
    """What text measured with `resolved` depends on: each role's file and face."""
    return tuple(sorted((role, str(font.path), font.subfont_index) for role, font in resolved.items()))


def resolve_fonts(explicit: Mapping[str, str | Path] = _NO_FONTS) -> dict[str, ResolvedFont]:
    """Every role's font file. Cached per process; raises FontError when a role has none.

    `explicit` is the profile's `font_files` (role → path; relative paths are taken as they
    are, so the caller resolves them against the profile's folder).
    """
    config = user_config_path()
    config_stamp = config.stat().st_mtime_ns if config.is_file() else None
    files = tuple(sorted((role, str(value)) for role, value in explicit.items()))
    key = (files, str(config), config_stamp)
    if key not in _RESOLVED:
        _RESOLVED[key] = MappingProxyType(_resolve_uncached(explicit, config))
    return dict(_RESOLVED[key])


def _resolve_uncached(explicit: Mapping[str, str | Path], config: Path) -> dict[str, ResolvedFont]:
    files = _explicit_files(explicit, config)
    resolved: dict[str, ResolvedFont] = {}
    for role in ROLES:
        if role in files:
            resolved[role] = _resolve_explicit(role, *files[role])
        elif (found := _discover(role)) is not None:
            resolved[role] = found
        else:
            raise FontError(_unresolved_message(role))
    return resolved


def missing_free_packages() -> list[str]:
    """Debian packages of the free fonts that are not installed (for the set-up's report)."""
    dirs = free_font_dirs()
    return [package for package, face in FREE_PACKAGES.items() if _find_face(face, dirs) is None]


# --------------------------------------------------------------------------- report


def _example_face(role: str) -> str:
    faces = SYSTEM_FACES.get(role) or (_Face((), (ROLE_NAMES[role],)),)
    return faces[0].families[0]


def format_fonts_table(resolved: Mapping[str, ResolvedFont]) -> str:
    """A plain-text table (角色 / 中文名 / 字体 / 文件 / 来源) and a line per fallback."""
    header = ("角色", "中文名", "字体", "文件", "来源")
    rows = [
        (
            font.role,
            ROLE_NAMES.get(font.role, ""),
            font.family,
            f"{font.path}#{font.subfont_index}" if font.subfont_index else str(font.path),
            SOURCE_NAMES.get(font.source, font.source),
        )
        for font in resolved.values()
    ]
    widths = [max(terminal_columns(row[column]) for row in [header, *rows]) for column in range(5)]
    lines = [
        "  ".join(pad_columns(cell, width) for cell, width in zip(row, widths)).rstrip()
        for row in [header, *rows]
    ]
    for font in resolved.values():
        if font.fallback:
            lines.append(
                f"替代：{ROLE_NAMES.get(font.role, font.role)}（{font.role}）没有找到对应字体，"
                f"暂用 {font.family}；如有{_example_face(font.role)}等正式字体，可在 {user_config_path()} 中指定。"
            )
    return "\n".join(lines)
