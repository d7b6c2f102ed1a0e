"""The character-preservation measure used to judge imports: LCS over body characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from render.importers.fidelity import body_char_recall, body_chars, lcs_length


def reference_lcs(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for index, other in enumerate(b):
            current.append(previous[index] + 1 if char == other else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙丙1", max_size=14), st.text(alphabet="甲乙丙1", max_size=14))
def test_lcs_matches_dynamic_programming(a: str, b: str) -> None:
    assert lcs_length(a, b) == reference_lcs(a, b)


def test_body_characters_ignore_punctuation_width_spaces_and_furniture() -> None:
    source = "1.加强党建,坚持领导.\n— 12 —\n版权所有:某区人民政府\n"
    assert body_chars(source) == "1加强党建坚持领导"


def test_recall_counts_characters_in_order() -> None:
    source = "一、加强党建\n1.坚持党的领导。"
    assert body_char_recall(source, "一、加强党建\n\n1.坚持党的领导。\n（牵头单位：区教委）") == 1.0
    assert body_char_recall(source, "一、加强党建 1.坚持领导。") == 10 / 12   # 党的 lost
    # Moved text counts once: the longest run kept in order.
    assert body_char_recall("甲乙丙丁", "丙丁甲乙") == 0.5


def test_empty_source_is_fully_kept() -> None:
    assert body_char_recall("— 1 —\n", "") == 1.0
