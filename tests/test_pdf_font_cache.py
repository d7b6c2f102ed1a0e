"""reportlab's parse of a font kept on disk (render/writers/pdf/fontcache.py): the restored
font is reportlab's own parse, draws a PDF byte for byte alike, and a damaged cache is
parsed afresh and rewritten."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.pdfgen import canvas

from render import cache
from render.writers.pdf import fontcache

KAITI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
pytestmark = pytest.mark.skipif(not KAITI.exists(), reason="needs the AR PL KaitiM GB font")
TEXT = "綦江区教育委员会关于2026年暑期安全教育的通知（第3号）"


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GONGWEN_CACHE", str(tmp_path / "cache"))
    cache._digest_memo.clear()
    yield tmp_path / "cache"
    cache._digest_memo.clear()


def _never(*args: object) -> None:
    raise AssertionError("reportlab parsed the font although it was in the cache")


def _state(font: TTFont) -> dict[str, object]:
    """What the parse left on the font, objects (its encoding) by their attributes."""
    state = fontcache._state(font)
    return {"face": state["face"],
            "font": {k: (vars(v) if hasattr(v, "__dict__") else v) for k, v in state["font"].items()}}


def _pdf(font: TTFont) -> bytes:
    pdfmetrics.registerFont(font)
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1, pageCompression=1)
    page.setFont(font.fontName, 16)
    page.drawString(72, 700, TEXT)
    page.showPage()
    page.save()
    return out.getvalue()


def test_a_restored_font_is_reportlabs_own_parse(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fontcache.parsed_font("gongwen-test-kaiti", KAITI)  # parsed, and stored
    stored = list((cache_home / "fonts").glob("reportlab-*.pickle"))
    assert len(stored) == 1
    with monkeypatch.context() as patched:  # from the cache: reportlab's parser is not called
        patched.setattr(TTFontFile, "extractInfo", _never)
        restored = fontcache.parsed_font("gongwen-test-kaiti", KAITI)
    fresh = TTFont("gongwen-test-kaiti", str(KAITI))
    assert restored is not first
    assert _state(restored) == _state(fresh)
    assert restored.face._ttf_data[:] == fresh.face._ttf_data  # mapped, not read
    assert restored.face._pdfScale(2048) == fresh.face._pdfScale(2048)
    expected = _pdf(fresh)
    assert _pdf(restored) == expected
    with pdfplumber.open(io.BytesIO(expected)) as pdf:
        assert pdf.pages[0].extract_text() == TEXT  # the subset and its ToUnicode map are whole


def test_a_damaged_cache_is_parsed_afresh_and_rewritten(cache_home: Path) -> None:
    fontcache.parsed_font("gongwen-test-kaiti", KAITI)
    stored = next((cache_home / "fonts").glob("reportlab-*.pickle"))
    stored.write_bytes(b"\x80\x05not a pickle")
    font = fontcache.parsed_font("gongwen-test-kaiti", KAITI)
    assert _state(font) == _state(TTFont("gongwen-test-kaiti", str(KAITI)))
    assert stored.read_bytes().startswith(b"\x80") and len(stored.read_bytes()) > 10_000
