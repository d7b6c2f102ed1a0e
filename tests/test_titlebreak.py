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
