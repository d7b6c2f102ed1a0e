"""The Word writer, read back with python-docx and lxml: page geometry, the document grid,
fonts by role, the red 版头, the numbering of every level, dates, the 版记 and its rules,
odd/even footers, determinism — and the line/page prediction that places the 版记."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
import yaml
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from lxml import etree

from render.document.source import RenderInput, prepare
from render.layout.fit import office_may_break
from render.model.numbering import chinese_numeral
from render.profile import Profile
from render.reading.loader import load_plan
from render.writers import docx as docx_writer
from render.writers.docx.base import Metrics, Typesetter
from render.writers.docx.flow import FlowBlock, FlowParagraph, LineBreaker, Paginator, Span, TextEnd
from render.writers.docx.imprint import ImprintWriter, Placement

ROOT = Path(__file__).resolve().parent.parent
NANAN = "nanan-2022-22-notice"
WORK_POINTS = ("shapingba-2023-work-points", "chongqing-edu-society-2022-work-points")
TWIPS_PER_MM = 1440 / 25.4
RED = "E60012"


# -- helpers ------------------------------------------------------------------------------

def render(source: RenderInput, tmp_path: Path, name: str = "out.docx") -> Path:
    target = tmp_path / name
    docx_writer.write(source, target)
    return target


def plan_from(data: dict, tmp_path: Path, profile: Profile, name: str = "plan.yaml") -> RenderInput:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return prepare(load_plan(path), profile)  # rendering alone never consults the registry


def body_paragraphs(word: WordDocument) -> Iterator:
    """Every paragraph of the main story in order, table cells included."""
    for element in word.element.body.iter(qn("w:p")):
        yield element


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def paragraph_with(word: WordDocument, pattern: str) -> etree._Element:
    for element in body_paragraphs(word):
        if re.search(pattern, text_of(element)):
            return element
    raise AssertionError(f"no paragraph matches {pattern!r}")


def run_with(word: WordDocument, text: str) -> etree._Element:
    for run in word.element.body.iter(qn("w:r")):
        if text in text_of(run):
            return run
    raise AssertionError(f"no run holds {text!r}")


def attr(element: etree._Element | None, path: str, name: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    return None if found is None else found.get(qn(f"w:{name}"))


def fonts(run: etree._Element) -> dict[str, str | None]:
    node = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return {slot: node.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia")}


def size_pt(run: etree._Element) -> float:
    return int(attr(run, f"{qn('w:rPr')}/{qn('w:sz')}", "val")) / 2


def indent(paragraph: etree._Element, side: str) -> int:
    return int(attr(paragraph, f"{qn('w:pPr')}/{qn('w:ind')}", side) or 0)


@pytest.fixture(scope="module")
def nanan(plan_input: Callable[[str], RenderInput], tmp_path_factory: pytest.TempPathFactory) -> WordDocument:
    return docx.Document(str(render(plan_input(NANAN), tmp_path_factory.mktemp("docx"))))


@pytest.fixture(scope="module")
def upward(profile: Profile, tmp_path_factory: pytest.TempPathFactory) -> RenderInput:
    """A single-organ 上行文 with every optional element: 份号, 密级, 紧急程度, 签发人,
    attachments, 附注, 抄送 — unsealed."""
    data = {
        "type": "notice", "issuers": "重庆市南岸区教育委员会", "number": "南岸教委〔2023〕5号",
        "signer": ["张三", "李四"], "copy_no": "12", "secrecy": "秘密★1年", "urgency": "特急",
        "title": "关于报送2023年教育工作总结的请示", "to": "南岸区人民政府",
        "body": "根据区政府工作安排，现将我委2023年教育工作总结报送如下，请审示。\n\n特此请示。",
        "attachments": [{"title": "2023年教育工作总结"}, {"title": "2023年重点任务完成情况统计表"}],
        "date": "2023-12-05", "note": "联系人：赵六，电话：62988888",
        "cc": ["区委办公室", "区政府办公室", "区财政局"],
        "printed_by": "重庆市南岸区教育委员会办公室", "printed_on": "2023-12-06",
    }
    return plan_from(data, tmp_path_factory.mktemp("plans"), profile, "upward.yaml")


@pytest.fixture(scope="module")
def upward_docx(upward: RenderInput, tmp_path_factory: pytest.TempPathFactory) -> WordDocument:
    return docx.Document(str(render(upward, tmp_path_factory.mktemp("docx"))))


# -- every plan renders -------------------------------------------------------------------

def test_every_plan_renders_through_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from render.cli.main import main

    result = CliRunner().invoke(main, ["render", str(ROOT / "plans"), "--to", "docx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(path.stem for path in tmp_path.glob("*.docx"))
    assert written == sorted([NANAN, *WORK_POINTS])
    for path in tmp_path.glob("*.docx"):
        assert docx.Document(str(path)).paragraphs, path


def test_output_is_byte_for_byte_deterministic(plan_input: Callable[[str], RenderInput], tmp_path: Path) -> None:
    first = render(plan_input(NANAN), tmp_path, "a.docx").read_bytes()
    second = render(plan_input(NANAN), tmp_path, "b.docx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
    assert "2022-11-04T00:00:00Z" in core
    assert "python-docx" not in core


def test_bulletins_are_refused_in_chinese(plan_input: Callable[[str], RenderInput], tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="简报"):
        docx_writer.write(plan_input("qijiang-2022-bulletin"), tmp_path / "x.docx")


# -- page geometry and the grid --------------------------------------------------------------

def test_a4_page_and_gbt9704_margins(nanan: WordDocument) -> None:
    for section in nanan.sections:
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        margins = (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm)
        assert [round(value, 1) for value in margins] == [37.0, 35.0, 28.0, 26.0]


def test_document_grid_is_22_lines_of_28_characters(nanan: WordDocument) -> None:
    grid = nanan.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    text_height = 225 * TWIPS_PER_MM
    assert pitch * 22 <= text_height < pitch * 23
    # charSpace is added (in 1/4096 pt) to the default 16 pt character: 28 cells make 156 mm.
    cell_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert 28 * cell_pt / 72 * 25.4 == pytest.approx(156, abs=0.2)
    normal = nanan.styles["Normal"].element
    assert attr(normal, f"{qn('w:rPr')}/{qn('w:sz')}", "val") == "32"


def test_every_paragraph_has_an_exact_grid_height_and_ignores_snapping(nanan: WordDocument) -> None:
    pitch = nanan.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch"))
    heights = []
    for paragraph in body_paragraphs(nanan):
        spacing = paragraph.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:lineRule")) == "exact"
        assert attr(paragraph, f"{qn('w:pPr')}/{qn('w:snapToGrid')}", "val") == "0"
        if text_of(paragraph):
            heights.append(spacing.get(qn("w:line")))
    # Text lines are one grid line each, except the 标志 (set by its own, taller rows).
    assert heights.count(pitch) >= len(heights) - 3
    for run in nanan.element.body.iter(qn("w:r")):
        if text_of(run):
            assert attr(run, f"{qn('w:rPr')}/{qn('w:snapToGrid')}", "val") == "0"


def test_body_text_is_condensed_to_fit_28_characters(nanan: WordDocument) -> None:
    run = run_with(nanan, "教育是国之大计")
    tracking_pt = int(attr(run, f"{qn('w:rPr')}/{qn('w:spacing')}", "val")) / 20
    assert size_pt(run) == 16
    assert 28 * (16 + tracking_pt) <= 156 / 25.4 * 72 < 29 * (16 + tracking_pt)


# -- fonts by role and colour -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "family", "size"), [
    ("中共重庆市南岸区委办公室", "方正小标宋简体", 36),
    ("印发《关于推进新时代南岸教育事业", "方正小标宋简体", 22),
    ("南岸委办〔2022〕22号", "仿宋_GB2312", 16),
    ("各镇党委和人民政府", "仿宋_GB2312", 16),
    ("一、", "黑体", 16),
    ("（一）", "楷体_GB2312", 16),
    ("1.坚持党的全面领导。", "仿宋_GB2312", 16),
    ("2022年11月4日", "仿宋_GB2312", 16),
])
def test_fonts_by_role_in_east_asian_and_ascii_slots(nanan: WordDocument, text: str, family: str, size: float) -> None:
    run = run_with(nanan, text)
    assert fonts(run) == {"ascii": family, "hAnsi": family, "eastAsia": family}
    assert size_pt(run) == size


def test_page_numbers_are_songti_sihao(nanan: WordDocument) -> None:
    footer = nanan.sections[0].footer._element
    runs = [run for run in footer.iter(qn("w:r")) if text_of(run).strip()]
    assert runs
    for run in runs:
        assert fonts(run)["eastAsia"] == "宋体" and size_pt(run) == 14


def test_the_mark_and_the_rule_are_red(nanan: WordDocument) -> None:
    for name in ("中共重庆市南岸区委办公室", "重庆市南岸区人民政府办公室", "文件"):
        assert attr(run_with(nanan, name), f"{qn('w:rPr')}/{qn('w:color')}", "val") == RED
    borders = [b for b in nanan.element.body.iter(qn("w:bottom")) if b.getparent().tag == qn("w:pBdr")]
    assert [b.get(qn("w:color")) for b in borders] == [RED]
    # 0.75 mm (profile rule_width) in eighths of a point.
    assert int(borders[0].get(qn("w:sz"))) == round(0.75 / 25.4 * 72 * 8)
    body = run_with(nanan, "教育是国之大计")
    assert attr(body, f"{qn('w:rPr')}/{qn('w:color')}", "val") is None


def test_joint_mark_stacks_the_organs_with_wenjian_centred_right(nanan: WordDocument) -> None:
    table = nanan.tables[0]
    assert [cell.text for cell in table.columns[0].cells] == ["中共重庆市南岸区委办公室", "重庆市南岸区人民政府办公室"]
    suffix = table.cell(0, 1)
    assert suffix.text == "文件" and table.cell(1, 1)._tc is suffix._tc  # merged over both rows
    assert attr(suffix._tc, f"{qn('w:tcPr')}/{qn('w:vAlign')}", "val") == "center"
    scale = int(attr(run_with(nanan, "中共重庆市南岸区委办公室"), f"{qn('w:rPr')}/{qn('w:w')}", "val"))
    assert 50 <= scale < 100  # 13 characters of 36 pt and 文件 do not fit 156 mm unscaled
    width_twips = sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert width_twips <= 156 * TWIPS_PER_MM


def test_a_mark_that_fits_is_not_scaled(profile: Profile, tmp_path: Path) -> None:
    source = plan_from({"type": "notice", "issuers": "南岸区教委", "number": "南岸教委〔2023〕1号",
                        "title": "关于开学工作的通知", "to": "各中小学校", "body": "请做好开学工作。",
                        "date": "2023-02-01"},
                       tmp_path, profile)
    word = docx.Document(str(render(source, tmp_path)))
    assert attr(run_with(word, "南岸区教委文件"), f"{qn('w:rPr')}/{qn('w:w')}", "val") is None


# -- numbering of every level -------------------------------------------------------------------

def test_numbering_of_all_levels_is_written_by_the_renderer(nanan: WordDocument) -> None:
    texts = [text_of(p) for p in body_paragraphs(nanan)]
    level1 = [t[:2] for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert level1 == ["一、", "二、", "三、", "四、"]
    level3 = [int(m.group(1)) for t in texts if (m := re.match(r"^(\d+)\.\S", t))]
    assert level3 == list(range(1, len(level3) + 1)) and len(level3) >= 20
    # （一）（二）… restart under every level-1 heading.
    runs: list[list[str]] = []
    for text in texts:
        if re.match(r"^[一二三四五六七八九十]+、", text):
            runs.append([])
        elif (match := re.match(r"^（([一二三四五六七八九十]+)）", text)) and runs:
            runs[-1].append(match.group(1))
    sections = load_plan(ROOT / "plans" / f"{NANAN}.yaml").require().issued_document.sections
    expected = [[chinese_numeral(n) for n in range(1, len(s.sections) + 1)] for s in sections]
    assert runs == expected and max(map(len, runs)) > 1


def test_item_is_bold_lead_sentence_then_text_then_responsibility(nanan: WordDocument) -> None:
    item = paragraph_with(nanan, r"^1\.坚持党的全面领导。")
    lead, rest = [r for r in item.iter(qn("w:r")) if text_of(r)][:2]
    assert text_of(lead) == "1.坚持党的全面领导。" and lead.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    assert text_of(rest).startswith("坚持党对教育工作的全面领导") and rest.find(f"{qn('w:rPr')}/{qn('w:b')}") is None
    following = item.getnext()
    assert text_of(following) == "（牵头单位：区委组织部；责任单位：区委教育工作领导小组成员单位）"
    assert indent(following, "firstLine") == indent(item, "firstLine") > 0


def test_run_in_heading_is_kaiti_then_fangsong(nanan: WordDocument) -> None:
    paragraph = paragraph_with(nanan, r"^（一）加强组织保障。区委")
    head, text = [r for r in paragraph.iter(qn("w:r")) if text_of(r)][:2]
    assert fonts(head)["eastAsia"] == "楷体_GB2312" and fonts(text)["eastAsia"] == "仿宋_GB2312"


# -- 署名, dates, the red header's lines ------------------------------------------------------

def test_dates_are_arabic_without_padding(nanan: WordDocument) -> None:
    texts = "".join(text_of(p) for p in body_paragraphs(nanan))
    assert "2022年11月4日" in texts
    assert not re.search(r"[〇零一二三四五六七八九]{4}年|年0\d月|月0\d日", texts)


def test_joint_sealed_signature_side_by_side_date_four_characters_in(nanan: WordDocument) -> None:
    table = nanan.tables[1]  # after the 标志; the 版记 is the last
    assert [cell.text for cell in table.rows[0].cells] == ["中共重庆市南岸区委办公室", "重庆市南岸区人民政府办公室"]
    date = paragraph_with(nanan, r"^2022年11月4日$")
    char = Metrics(nanan_profile()).chars(1)
    assert attr(date, f"{qn('w:pPr')}/{qn('w:jc')}", "val") == "right"
    assert indent(date, "right") == pytest.approx(4 * char, abs=2)
    # The last organ's column is centred on the date: its centre is 4 characters plus
    # half the date in from the right edge.
    columns = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    right_column_centre_from_right = columns[1] / 2
    assert 4 * char < right_column_centre_from_right < 10 * char


def nanan_profile() -> Profile:
    from render.profile import load_profile

    return load_profile()


def test_upward_document_number_left_and_signer_right(upward_docx: WordDocument) -> None:
    number = paragraph_with(upward_docx, r"南岸教委〔2023〕5号")
    assert "签发人：" in text_of(number) and "张三" in text_of(number)
    char = Metrics(nanan_profile()).chars(1)
    assert indent(number, "left") == char
    tab = number.find(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
    assert tab.get(qn("w:val")) == "right"
    assert int(tab.get(qn("w:pos"))) == pytest.approx(156 * TWIPS_PER_MM - char, abs=2)
    assert fonts(run_with(upward_docx, "张三"))["eastAsia"] == "楷体_GB2312"


def test_copy_number_secrecy_urgency_on_the_first_lines(upward_docx: WordDocument) -> None:
    texts = [text_of(p) for p in body_paragraphs(upward_docx)][:3]
    assert texts == ["000012", "秘密★1年", "特急"]
    assert fonts(run_with(upward_docx, "秘密★1年"))["eastAsia"] == "黑体"


def test_unsealed_signature_and_date_two_characters_apart(upward_docx: WordDocument) -> None:
    name = paragraph_with(upward_docx, r"^重庆市南岸区教育委员会$")
    date = paragraph_with(upward_docx, r"^2023年12月5日$")
    char = Metrics(nanan_profile()).chars(1)
    assert indent(date, "left") - indent(name, "left") == pytest.approx(2 * char, abs=2)


def test_attachment_note_hangs_after_the_colon(upward_docx: WordDocument) -> None:
    first = paragraph_with(upward_docx, r"^附件：1\.2023年教育工作总结$")
    second = paragraph_with(upward_docx, r"^2\.2023年重点任务完成情况统计表$")
    assert indent(first, "left") == indent(second, "left")
    assert int(attr(first, f"{qn('w:pPr')}/{qn('w:ind')}", "hanging")) > 0


def test_attachments_start_new_pages_headed_fujian_n(upward_docx: WordDocument) -> None:
    labels = [p for p in body_paragraphs(upward_docx) if re.fullmatch(r"附件\d", text_of(p))]
    assert [text_of(p) for p in labels] == ["附件1", "附件2"]
    for label in labels:
        assert label.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
        assert fonts(run_with_in(label))["eastAsia"] == "黑体"


def run_with_in(paragraph: etree._Element) -> etree._Element:
    return next(r for r in paragraph.iter(qn("w:r")) if text_of(r))


def test_note_follows_the_date_in_parentheses(upward_docx: WordDocument) -> None:
    note = paragraph_with(upward_docx, r"^（联系人")
    assert text_of(note) == "（联系人：赵六，电话：62988888）" and indent(note, "firstLine") > 0


@pytest.mark.parametrize("stem", WORK_POINTS)
def test_work_points_without_number_have_no_red_header(plan_input: Callable[[str], RenderInput], tmp_path: Path,
                                                       stem: str) -> None:
    word = docx.Document(str(render(plan_input(stem), tmp_path)))
    first = next(p for p in body_paragraphs(word) if text_of(p))
    assert fonts(run_with_in(first))["eastAsia"] == "方正小标宋简体"
    assert RED not in word.element.xml
    assert not word.tables


# -- the 版记 and the footers ----------------------------------------------------------------

def imprint_table(word: WordDocument) -> etree._Element:
    for table in word.element.body.iter(qn("w:tbl")):
        if table.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}") is not None:
            return table
    raise AssertionError("no positioned 版记 table")


def test_imprint_rules_thick_thin_thick(upward_docx: WordDocument) -> None:
    table = imprint_table(upward_docx)
    cells = list(table.iter(qn("w:tc")))
    assert [text_of(cell) for cell in cells] == ["抄送：区委办公室，区政府办公室，区财政局。",
                                                "重庆市南岸区教育委员会办公室\t2023年12月6日印发".replace("\t", "")]
    eighths = lambda mm: round(mm / 25.4 * 72 * 8)  # noqa: E731
    sizes = [(attr(cell, f"{qn('w:tcPr')}/{qn('w:tcBorders')}/{qn('w:top')}", "sz"),
              attr(cell, f"{qn('w:tcPr')}/{qn('w:tcBorders')}/{qn('w:bottom')}", "sz")) for cell in cells]
    assert sizes == [(str(eighths(0.35)), None), (str(eighths(0.25)), str(eighths(0.35)))]
    run = next(r for r in table.iter(qn("w:r")) if text_of(r))
    assert size_pt(run) == 14 and fonts(run)["eastAsia"] == "仿宋_GB2312"


def test_imprint_table_sits_on_the_last_grid_lines(upward_docx: WordDocument) -> None:
    table = imprint_table(upward_docx)
    position = table.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}")
    rows = table.findall(qn("w:tr"))
    heights = [int(row.find(f"{qn('w:trPr')}/{qn('w:trHeight')}").get(qn("w:val"))) for row in rows]
    pitch = int(upward_docx.sections[0]._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")))
    assert position.get(qn("w:vertAnchor")) == "margin"
    assert int(position.get(qn("w:tblpY"))) + sum(heights) == 22 * pitch
    assert int(position.get(qn("w:tblpX"))) == round(28 * TWIPS_PER_MM)


def test_odd_and_even_footers_carry_page_fields(nanan: WordDocument) -> None:
    settings = nanan.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    first = nanan.sections[0]
    for footer, side, indent_side in ((first.footer, "right", "right"), (first.even_page_footer, "left", "left")):
        paragraph = footer._element.find(qn("w:p"))
        assert attr(paragraph, f"{qn('w:pPr')}/{qn('w:jc')}", "val") == side
        assert indent(paragraph, indent_side) == 14 * 20  # one 四号 character in
        assert "PAGE" in "".join(t.text for t in paragraph.iter(qn("w:instrText")))
        assert text_of(paragraph).startswith("— ") and text_of(paragraph).endswith(" —")


def test_imprint_page_section_has_no_page_numbers(profile: Profile, tmp_path: Path) -> None:
    """A notice whose text ends on an odd page: its 版记 gets an even page of its own, in a
    section whose footers are empty."""
    text = "为深入贯彻落实党的二十大精神，推进教育事业高质量发展，结合我区实际，现就有关事项通知如下。"
    source = plan_from({"type": "notice", "issuers": "南岸区教委", "number": "南岸教委〔2023〕2号",
                        "title": "关于做好2023年教育工作的通知", "to": "各中小学校",
                        "body": "\n\n".join([text] * 3), "date": "2023-03-01", "printed_by": "南岸区教委办公室"},
                       tmp_path, profile)
    built = docx_writer.build(source.document, profile, source.plan)
    assert built.placement is not Placement.WITH_TEXT
    word = docx.Document(str(render(source, tmp_path)))
    last = word.sections[-1]
    assert len(word.sections) == 2
    assert last.start_type in (docx.enum.section.WD_SECTION.EVEN_PAGE, docx.enum.section.WD_SECTION.ODD_PAGE)
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous
        assert not list(footer._element.iter(qn("w:instrText"))) and not text_of(footer._element).strip()


# -- where the text ends: line breaking, pagination, placement -------------------------------

@pytest.fixture()
def breaker(profile: Profile) -> LineBreaker:
    return Typesetter(profile).breaker()


def body_paragraph(profile: Profile, text: str, first_chars: float = 0) -> FlowParagraph:
    metrics = Metrics(profile)
    return FlowParagraph(metrics.line_twips, metrics.line_width_pt, metrics.chars(first_chars) / 20,
                         spans=[Span(text, "fangsong", 16)])


def test_28_characters_make_a_full_line(breaker: LineBreaker, profile: Profile) -> None:
    assert breaker.lines(body_paragraph(profile, "一" * 28)) == ["一" * 28]
    assert breaker.lines(body_paragraph(profile, "一" * 29)) == ["一" * 28, "一"]
    assert [len(line) for line in breaker.lines(body_paragraph(profile, "一" * 30, first_chars=2))] == [26, 4]


def test_closing_punctuation_never_starts_a_line(breaker: LineBreaker, profile: Profile) -> None:
    lines = breaker.lines(body_paragraph(profile, "一" * 28 + "，二"))
    assert lines == ["一" * 27, "一，二"]
    assert not office_may_break("“", "二") and not office_may_break("一", "》") and office_may_break("一", "“")


def test_numbers_are_not_split(breaker: LineBreaker, profile: Profile) -> None:
    lines = breaker.lines(body_paragraph(profile, "一" * 26 + "2025年"))
    assert lines[-1].startswith("2025")


def test_keep_with_next_moves_a_heading_to_the_next_page(breaker: LineBreaker, profile: Profile) -> None:
    metrics = Metrics(profile)
    page = 22 * metrics.line_twips
    filler = [FlowBlock(metrics.line_twips) for _ in range(21)]
    heading = body_paragraph(profile, "一、标题")
    heading.keep_next = True
    after = body_paragraph(profile, "正文")
    assert Paginator(page, breaker).end([*filler, heading, after]) == TextEnd(2, 2 * metrics.line_twips)
    heading.keep_next = False
    assert Paginator(page, breaker).end([*filler, heading, after]) == TextEnd(2, metrics.line_twips)


@pytest.mark.parametrize(("end", "placement"), [
    (TextEnd(2, 10 * 579), Placement.WITH_TEXT),
    (TextEnd(2, 19 * 579), Placement.WITH_TEXT),     # 2 版记 lines and 1 blank line just fit
    (TextEnd(2, 20 * 579), Placement.AFTER_BLANK),   # …and no longer
    (TextEnd(3, 2 * 579), Placement.OWN_PAGE),
    (TextEnd(4, 22 * 579), Placement.AFTER_BLANK),
])
def test_imprint_placement(profile: Profile, end: TextEnd, placement: Placement) -> None:
    assert ImprintWriter(Typesetter(profile)).placement(end, 2) is placement


def test_prediction_matches_the_written_sections(profile: Profile, tmp_path: Path) -> None:
    """A notice long enough to end on an odd page gets its 版记 in an even-page section."""
    text = "为深入贯彻落实党的二十大精神，推进教育事业高质量发展，结合我区实际，现就有关事项通知如下。"
    placements = set()
    for count in (3, 9, 10):
        source = plan_from({"type": "notice", "issuers": "南岸区教委", "number": "南岸教委〔2023〕2号",
                            "title": "关于做好2023年教育工作的通知", "to": "各中小学校",
                            "body": "\n\n".join([text] * count),
                            "date": "2023-03-01", "printed_by": "南岸区教委办公室"}, tmp_path, profile)
        built = docx_writer.build(source.document, profile, source.plan)
        placements.add(built.placement)
        sections = built.word.sections
        if built.placement is Placement.WITH_TEXT:
            assert len(sections) == 1 and built.text_end.page % 2 == 0
        else:
            assert len(sections) == 2
            odd_end = built.text_end.page % 2 == 1
            assert (built.placement is Placement.OWN_PAGE) == odd_end
    assert Placement.WITH_TEXT in placements and len(placements) >= 2


def test_summary_numbers_the_fourth_level(profile: Profile, tmp_path: Path) -> None:
    source = plan_from({
        "type": "summary", "issuers": "重庆市南岸区教育委员会", "title": "2023年教育工作总结",
        "preamble": "2023年，全区新增学位{{ data.seats }}个。", "data": {"seats": 3200},
        "sections": [{"title": "主要成效", "items": [
            {"title": "学位供给持续扩大", "text": "新建学校3所。", "points": ["小学2所", "中学1所"]}]}],
        "date": "2023-12-20"}, tmp_path, profile)
    word = docx.Document(str(render(source, tmp_path)))
    texts = [text_of(p) for p in body_paragraphs(word) if text_of(p)]
    assert texts[:6] == ["2023年教育工作总结", "2023年，全区新增学位3200个。", "一、主要成效",
                         "1.学位供给持续扩大。新建学校3所。", "（1）小学2所", "（2）中学1所"]
    assert texts[-1] == "2023年12月20日"


def test_asian_western_autospace_is_off_so_digits_sit_on_the_grid(nanan: WordDocument) -> None:
    """"2024年", not "2024 年": Word and WPS follow w:autoSpaceDE/DN (LibreOffice does not)."""
    paragraphs = body_paragraphs(nanan)
    assert paragraphs
    for paragraph in paragraphs:
        ppr = paragraph.pPr
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            assert ppr.find(qn(tag)).get(qn("w:val")) == "0"
