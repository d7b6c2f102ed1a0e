"""Advance widths cached on disk by the font file's content (render/fonts/metrics.py,
render/cache.py): the same widths fontTools reads, a changed font read afresh, a broken
cache file rebuilt, and no cache folder no obstacle."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from render import cache
from render.fonts import metrics
from render.writers.docx.flow import font_advances

KAITI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
pytestmark = pytest.mark.skipif(not (KAITI.exists() and SERIF.exists() and MONO.exists()),
                                reason="needs the AR PL KaitiM GB and DejaVu fonts")


def _forget() -> None:
    metrics.face_advances.cache_clear()
    metrics.font_widths.cache_clear()
    font_advances.cache_clear()
    cache._digest_memo.clear()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GONGWEN_CACHE", str(tmp_path / "cache"))
    _forget()
    yield tmp_path / "cache"
    _forget()


def _parsed(path: Path) -> tuple[dict[int, int], int]:
    with TTFont(path, lazy=True) as font:
        hmtx = font["hmtx"].metrics
        return ({code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()},
                font["head"].unitsPerEm)


def test_cached_advances_are_the_fonts_own(cache_home: Path) -> None:
    advances, units = _parsed(KAITI)
    first = metrics.face_advances(KAITI)
    files = list((cache_home / "fonts").glob("advances-*.bin"))
    assert len(files) == 1
    _forget()
    again = metrics.face_advances(KAITI)  # from the file this time
    assert dict(again.advances) == dict(first.advances) == advances
    assert again.units_per_em == units
    widths = metrics.font_widths(KAITI)
    assert widths.width("公") == pytest.approx(advances[ord("公")] * 1000 / units)
    measure = font_advances((("kaiti", str(KAITI), 0),))["kaiti"]
    assert measure("A") == advances[ord("A")] / units and measure("\U0001F600") is None


@pytest.mark.parametrize("font", [KAITI, SERIF])
def test_widths_are_looked_up_as_a_dict_of_every_glyph_would_give_them(cache_home: Path, font: Path) -> None:
    """The widths are found by bisection in the cached arrays, not a dict of the whole face:
    every code point, present or not, gets what the dict gave (scaled as reportlab scales,
    glyph 0's width for a missing one, U+00A0 sharing the space's)."""
    advances, units = _parsed(font)
    with TTFont(font, lazy=True) as parsed:
        glyph_zero = parsed["hmtx"].metrics[parsed.getGlyphOrder()[0]][0]
    scale = 1000 / units
    full = {code: scale * width for code, width in advances.items()}
    full[0xA0] = full[0x20]
    widths = metrics.font_widths(font)
    probes = [*advances, 0x20, 0xA0, 0, 0x1F600, 0x10FFFF, *range(0x4DF0, 0x4E10), min(advances) - 1,
              max(advances) + 1]
    assert [widths.width(chr(code)) for code in probes] == [full.get(code, glyph_zero * scale) for code in probes]
    assert widths.string_width("公文 A", 16) == 0.001 * 16 * sum(full.get(ord(ch), glyph_zero * scale) for ch in "公文 A")
    face = metrics.face_advances(font)
    assert len(face.advances) == len(advances) and list(face.advances) == sorted(advances)
    assert max(advances) in face.advances and 0x10FFFF not in face.advances and "A" not in face.advances


def test_a_memo_stays_bounded() -> None:
    memo = metrics.Memo(lambda code: code * 2)
    for code in range(metrics._MEMO_KEPT + 10):
        assert memo[code] == code * 2
    assert len(memo) <= metrics._MEMO_KEPT


def test_a_changed_font_is_read_afresh(cache_home: Path, tmp_path: Path) -> None:
    font = tmp_path / "楷体_GB2312.ttf"
    shutil.copy(SERIF, font)
    serif = metrics.face_advances(font)
    shutil.copy(MONO, font)
    os.utime(font, ns=(1, 1))  # even with an old mtime, size and content differ
    _forget()
    mono = metrics.face_advances(font)
    assert dict(mono.advances) == _parsed(MONO)[0] != dict(serif.advances)
    assert len(list((cache_home / "fonts").glob("advances-*.bin"))) == 2


def test_a_broken_cache_file_is_rebuilt(cache_home: Path) -> None:
    metrics.face_advances(SERIF)
    (cached,) = (cache_home / "fonts").glob("advances-*.bin")
    cached.write_bytes(cached.read_bytes()[:100])
    _forget()
    assert dict(metrics.face_advances(SERIF).advances) == _parsed(SERIF)[0]
    assert cached.stat().st_size > 100


def test_an_unusable_cache_folder_still_measures(cache_home: Path) -> None:
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_text("a file where the folder would be", encoding="utf-8")
    assert dict(metrics.face_advances(SERIF).advances) == _parsed(SERIF)[0]


def test_font_facts_come_back_from_the_cache_as_parsed(cache_home: Path, tmp_path: Path) -> None:
    from render.fonts import resolve

    heiti = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    for path in (KAITI, heiti) if heiti.exists() else (KAITI,):
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        parsed = resolve._parsed_facts(copy)
        resolve._font_facts.cache_clear()
        first = resolve.font_facts(copy)
        resolve._font_facts.cache_clear()
        cache._digest_memo.clear()
        assert resolve.font_facts(copy) == first == parsed
        assert any(parsed[0].families)
    assert len(list((cache_home / "fonts").glob("facts-*.json"))) >= 1
