"""Font resolution (render.fonts.resolve): order, sources, outlines, coverage, PDF embedding."""

from __future__ import annotations

import shutil
import xml.dom.minidom
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.areaPen import AreaPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont
from reportlab.pdfgen import canvas

from render.fonts import convert as fontconvert
from render.fonts import resolve as fonts
from render.fonts import setup as fontsetup
from render.fonts.resolve import FontError, ResolvedFont

SUNGTI = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
KAITI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

SAMPLE = (
    "关于印发《2024年全市安全生产工作要点》的通知"
    "各区人民政府，市政府各委、办、局：现将“工作要点”印发给你们，请认真贯彻执行"
    "（牵头单位：市应急局；责任单位：各区政府）。一、（一）1.（1）附件：2024年3月15日— 1 —"
)
PDF_LINE = "关于印发《2024年工作要点》的通知。一、（一）1.（1）"

needs_free_packages = pytest.mark.skipif(
    not (SUNGTI.is_file() and KAITI.is_file() and ZENHEI.is_file()),
    reason="fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp and fonts-wqy-zenhei are not installed",
)


@pytest.fixture(scope="session")
def free_fonts() -> Path:
    """The one-time set-up (idempotent: fast when it already ran)."""
    return fontsetup.install_free_fonts()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """No user configuration, and no cached lookups across tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    fonts.clear_font_cache()
    yield
    fonts.clear_font_cache()


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "SYSTEM_FACES", {role: () for role in fonts.ROLES})


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "gongwen" / "fonts.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_cff_font(path: Path) -> None:
    """A one-glyph CFF OpenType font mapping 仿, drawn with cubic curves (counter-clockwise)."""
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "fang"])
    builder.setupCharacterMap({0x4EFF: "fang"})
    notdef = T2CharStringPen(500, None).getCharString()
    pen = T2CharStringPen(1000, None)
    pen.moveTo((100, 0))
    pen.lineTo((900, 0))
    pen.curveTo((950, 200), (950, 600), (900, 800))
    pen.lineTo((100, 800))
    pen.curveTo((50, 600), (50, 200), (100, 0))
    pen.closePath()
    charstrings = {".notdef": notdef, "fang": pen.getCharString()}
    builder.setupCFF("GwTest-Regular", {"FullName": "GwTest Regular"}, charstrings, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "fang": (1000, 50)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "GwTest", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


# --------------------------------------------------------------------------- order


@needs_free_packages
def test_explicit_path_wins() -> None:
    resolved = fonts.resolve_fonts({"fangsong": ZENHEI})
    assert resolved["fangsong"] == ResolvedFont("fangsong", ZENHEI, 0, "WenQuanYi Zen Hei", "profile", False)


@needs_free_packages
def test_subfont_suffix_picks_a_collection_member() -> None:
    font = fonts.resolve_fonts({"heiti": f"{ZENHEI}#1"})["heiti"]
    assert (font.path, font.subfont_index, font.family) == (ZENHEI, 1, "WenQuanYi Zen Hei Mono")


@needs_free_packages
def test_profile_wins_over_user_config_and_config_paths_are_relative_to_it(tmp_path: Path) -> None:
    config = write_config(tmp_path, "fangsong: /nonexistent/never-read.ttf\nkaiti: kai.ttf\n")
    (config.parent / "kai.ttf").symlink_to(KAITI)
    resolved = fonts.resolve_fonts({"fangsong": SUNGTI})
    assert (resolved["fangsong"].path, resolved["fangsong"].source) == (SUNGTI, "profile")
    assert (resolved["kaiti"].path, resolved["kaiti"].source) == (config.parent / "kai.ttf", "config")


def test_missing_explicit_path_names_the_role() -> None:
    with pytest.raises(FontError) as error:
        fonts.resolve_fonts({"kaiti": "/nonexistent/楷体_GB2312.ttf"})
    assert "kaiti" in str(error.value) and "楷体" in str(error.value)
    assert "/nonexistent/楷体_GB2312.ttf" in str(error.value)


def test_missing_config_path_names_the_role_and_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, "heiti: /nonexistent/simhei.ttf\n")
    with pytest.raises(FontError, match="heiti") as error:
        fonts.resolve_fonts()
    assert str(config) in str(error.value)


def test_unknown_role_is_refused() -> None:
    with pytest.raises(FontError, match="未知的字体角色"):
        fonts.resolve_fonts({"mingti": SUNGTI})


def test_cff_font_is_refused_as_explicit_file(tmp_path: Path) -> None:
    otf = tmp_path / "GwTest.otf"
    build_cff_font(otf)
    with pytest.raises(FontError, match="glyf"):
        fonts.resolve_fonts({"fangsong": otf})


@needs_free_packages
def test_system_font_found_by_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    windows_fonts = tmp_path / "Windows" / "Fonts"
    windows_fonts.mkdir(parents=True)
    (windows_fonts / "SIMHEI.TTF").symlink_to(KAITI)  # any TrueType file stands in for 黑体
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [windows_fonts])
    font = fonts.resolve_fonts()["heiti"]
    assert (font.path, font.source, font.fallback) == (windows_fonts / "SIMHEI.TTF", "system", False)


@needs_free_packages
def test_system_font_found_by_family_in_fontconfig_prefers_regular(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = [
        fonts._Listed(KAITI, 0, frozenset({"仿宋_gb2312"}), frozenset({"bold"})),
        fonts._Listed(SUNGTI, 0, frozenset({"仿宋_gb2312", "fangsong_gb2312"}), frozenset({"regular"})),
    ]
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "fontconfig_fonts", lambda: tuple(listed))
    font = fonts.resolve_fonts()["fangsong"]
    assert (font.path, font.source, font.fallback) == (SUNGTI, "system", False)


@needs_free_packages
def test_free_fonts_found_without_system_fonts(no_system_fonts: None, free_fonts: Path) -> None:
    found = {role: (font.path, font.source, font.fallback) for role, font in fonts.resolve_fonts().items()}
    assert found == {
        "xiaobiaosong": (SUNGTI, "free", True),
        "fangsong": (free_fonts, "free", False),
        "heiti": (ZENHEI, "free", False),
        "kaiti": (KAITI, "free", False),
        "songti": (SUNGTI, "free", False),
    }


@needs_free_packages
def test_role_borrows_a_related_font_as_fallback(
    no_system_fonts: None, free_fonts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "FREE_FACES", {**fonts.FREE_FACES, "kaiti": ()})
    font = fonts.resolve_fonts()["kaiti"]
    assert (font.path, font.fallback) == (free_fonts, True)  # 仿宋 stands in for 楷体


def test_unresolvable_role_asks_for_the_set_up(
    no_system_fonts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "free_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "fontconfig_fonts", lambda: ())
    with pytest.raises(FontError) as error:
        fonts.resolve_fonts()
    assert "xiaobiaosong" in str(error.value) and "gongwen fonts --install" in str(error.value)


@needs_free_packages
def test_second_resolution_is_cached(free_fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fonts.resolve_fonts()

    def asked_again() -> tuple[()]:
        raise AssertionError("the second resolution asked fontconfig again")

    monkeypatch.setattr(fonts, "fontconfig_fonts", asked_again)
    assert fonts.resolve_fonts() == first


# --------------------------------------------------------------------------- the files


@needs_free_packages
def test_every_resolved_font_has_glyf_and_covers_a_sample_paragraph(free_fonts: Path) -> None:
    for role, font in fonts.resolve_fonts().items():
        with TTFont(font.path, fontNumber=font.subfont_index, lazy=True) as ttf:
            assert "glyf" in ttf, role
            cmap = ttf.getBestCmap()
            missing = {char for char in SAMPLE if not char.isspace() and ord(char) not in cmap}
        assert not missing, (role, font.path, missing)


@needs_free_packages
def test_converted_fandol_is_used_for_fangsong(free_fonts: Path) -> None:
    font = fonts.resolve_fonts()["fangsong"]
    if font.source == "system":
        pytest.skip("a GB 仿宋 system font takes precedence on this machine")
    assert font == ResolvedFont("fangsong", free_fonts, 0, "FandolFang", "free", False)


def test_converted_fandol_is_a_sound_truetype_font(free_fonts: Path) -> None:
    with TTFont(free_fonts) as ttf:
        assert ttf.sfntVersion == "\x00\x01\x00\x00"
        assert {"glyf", "loca"} <= set(ttf.keys()) and "CFF " not in ttf and "VORG" not in ttf
        assert ttf["maxp"].tableVersion == 0x00010000 and ttf["maxp"].maxPoints > 0
        assert ttf["post"].formatType == 3.0
        cmap = ttf.getBestCmap()
        assert all(ord(char) in cmap for char in "仿宋。0123456789")
        glyph_set = ttf.getGlyphSet()
        for char in "口仿1":
            area = AreaPen(glyph_set)
            glyph_set[cmap[ord(char)]].draw(area)
            assert area.value < 0, f"{char}: outer contours must run clockwise"


def test_convert_cff_to_truetype(tmp_path: Path) -> None:
    otf, ttf = tmp_path / "GwTest.otf", tmp_path / "GwTest.ttf"
    build_cff_font(otf)
    fontconvert.convert_cff_to_truetype(otf, ttf)
    fontconvert.check_font_file(ttf, "仿")
    with TTFont(ttf) as converted:
        name = converted.getBestCmap()[0x4EFF]
        glyph = converted["glyf"][name]
        assert glyph.numberOfContours == 1 and glyph.xMin == converted["hmtx"][name][1]
        assert 937 <= converted["head"].xMax <= 950  # the curve bulges to x = 937.5
        area = AreaPen(converted.getGlyphSet())
        converted.getGlyphSet()[name].draw(area)
        assert area.value < 0  # drawn counter-clockwise in CFF, clockwise in TrueType
    assert fonts.has_truetype_outlines(ttf) and not fonts.has_truetype_outlines(otf)


@needs_free_packages
def test_pdf_embeds_every_role_and_gives_the_text_back(tmp_path: Path, free_fonts: Path) -> None:
    resolved = fonts.resolve_fonts()
    pdf = tmp_path / "roles.pdf"
    sheet = canvas.Canvas(str(pdf))
    for role, font in resolved.items():
        name = f"test-{role}"
        pdfmetrics.registerFont(ReportlabFont(name, str(font.path), subfontIndex=font.subfont_index))
        sheet.setFont(name, 16)
        sheet.drawString(72, 720, PDF_LINE)
        sheet.showPage()
    sheet.save()

    with pdfplumber.open(pdf) as document:
        assert [page.extract_text() for page in document.pages] == [PDF_LINE] * len(resolved)
    for page in pypdf.PdfReader(pdf).pages:
        embedded = [
            font.get_object()
            for font in page["/Resources"]["/Font"].values()
            if font.get_object()["/Subtype"] in ("/TrueType", "/Type0")
        ]
        assert embedded
        for font in embedded:
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


# --------------------------------------------------------------------------- report and set-up


@needs_free_packages
def test_fonts_table_lists_roles_and_fallbacks(no_system_fonts: None, free_fonts: Path) -> None:
    table = fonts.format_fonts_table(fonts.resolve_fonts())
    lines = table.splitlines()
    assert lines[0].split() == ["角色", "中文名", "字体", "文件", "来源"]
    for role, chinese in fonts.ROLE_NAMES.items():
        assert any(line.startswith(role) and chinese in line for line in lines)
    assert str(free_fonts) in table
    assert [line for line in lines if line.startswith("替代")] == [
        line for line in lines if line.startswith("替代") and "xiaobiaosong" in line
    ] != []


def test_alias_file_is_well_formed_and_maps_every_gb_name() -> None:
    text = fontsetup.fontconfig_aliases(Path("/opt/fonts & more"))
    document = xml.dom.minidom.parseString(text.encode("utf-8"))
    pairs = [alias.getElementsByTagName("family") for alias in document.getElementsByTagName("alias")]
    aliases = {name.firstChild.data: target.firstChild.data for name, target in pairs}
    assert aliases["仿宋_GB2312"] == "FandolFang"
    assert aliases["方正小标宋简体"] == aliases["宋体"] == "AR PL SungtiL GB"
    assert aliases["楷体_GB2312"] == "AR PL KaitiM GB" and aliases["黑体"] == "WenQuanYi Zen Hei"
    assert document.getElementsByTagName("dir")[0].firstChild.data == "/opt/fonts & more"


@needs_free_packages
@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_set_up_is_idempotent_and_aliases_work(free_fonts: Path) -> None:
    before = free_fonts.stat().st_mtime_ns
    assert fontsetup.install_free_fonts() == free_fonts
    assert free_fonts.stat().st_mtime_ns == before
    assert fontsetup.alias_problems() == []
    assert fonts.missing_free_packages() == []
