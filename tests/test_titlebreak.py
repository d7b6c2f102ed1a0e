"""标题 lines: never inside a word, shaped as a 梯形 or 菱形 (GB/T 9704 7.3.1)."""

from __future__ import annotations

import pytest

from render.text.titlebreak import break_title


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("印发《关于推进新时代南岸教育事业高质量发展的实施意见》的通知",
         ["印发《关于推进新时代南岸教育事业", "高质量发展的实施意见》的通知"]),
        ("重庆市南岸区涂山初级中学校2023年工作总结", ["重庆市南岸区涂山初级中学校", "2023年工作总结"]),
        ("关于进一步加强中小学校园安全管理工作和学生心理健康教育的通知",
         ["关于进一步加强中小学校园安全管理工作", "和学生心理健康教育的通知"]),
        ("2023年全区教育工作要点", ["2023年全区教育工作要点"]),
    ],
)
def test_titles_break_between_words(title: str, lines: list[str]) -> None:
    assert break_title(title, 20) == lines


@pytest.mark.parametrize(
    "title",
    ["关于印发《重庆市南岸区教育系统2023年安全生产和消防工作专项整治方案》及其配套实施细则的通知",
     "中共重庆市南岸区委教育工作领导小组关于进一步深化新时代教育评价改革推动区域教育高质量发展的实施意见"],
)
def test_long_titles_are_never_an_hourglass(title: str) -> None:
    lines = break_title(title, 20)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    lengths = [len(line) for line in lines]
    assert not any(lengths[i] < lengths[i - 1] and lengths[i] < lengths[i + 1] for i in range(1, len(lengths) - 1))
    assert not any(line[0] in "，。、；：？！）》」』”" for line in lines)


@pytest.mark.parametrize(
    "title",
    ["重庆市大渡口区教育委员会关于开展2024年度中小学校园安全隐患排查整治专项行动的通知",
     "关于印发綦江区教育系统第3期骨干教师能力提升培训班2024年12月课程安排的通知",
     "关于做好全区中小学校第二十届运动会和2025年春季学期开学准备工作的通知"],
)
def test_a_number_stays_with_its_unit(title: str) -> None:
    lines = break_title(title, 20)
    assert "".join(lines) == title
    for upper, lower in zip(lines, lines[1:]):
        assert not (upper[-1].isdigit() and (lower[0].isdigit() or lower[0] in "年月日期届")), lines
        assert upper[-1] != "第", lines


def test_a_book_title_that_fits_a_line_is_not_broken() -> None:
    title = "重庆市南岸区教育委员会关于印发《2024年南岸区学校安全工作要点》的通知"
    lines = break_title(title, 20)
    assert any("《2024年南岸区学校安全工作要点》" in line for line in lines), lines


@pytest.mark.parametrize("compound", ["工作要点", "教育工作委员会", "实施方案"])
def test_title_compounds_are_not_split(compound: str) -> None:
    title = f"中共重庆市南岸区委教育工作委员会关于印发全区中小学校党建{compound}的通知和配套{compound}"
    lines = break_title(title, 20)
    joined_cuts = {len("".join(lines[:i])) for i in range(1, len(lines))}
    for start in range(len(title)):
        if title.startswith(compound, start):
            assert not any(start < cut < start + len(compound) for cut in joined_cuts), lines


@pytest.mark.parametrize("length", [60, 120, 200])
def test_titles_up_to_200_characters_break_into_lines_of_20(length: int) -> None:
    """Long titles used to take minutes (every combination of cuts was tried)."""
    phrase = "关于进一步加强和改进新时代中小学校思想政治工作推动立德树人根本任务落实"
    title = (phrase * 6)[: length - 3] + "的通知"
    lines = break_title(title, 20)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert len(lines) <= -(-length // 20) + 1
