"""Break a 标题 into lines the way GB/T 9704 7.3.1 asks: never inside a word, and the
lines shaped as a 梯形 (long over short) or 菱形 (short-long-short), never a 沙漏."""

from __future__ import annotations

import logging
from functools import cache
from itertools import combinations

from render.text.chars import CLOSING, OPENING


@cache
def _segmenter():  # type: ignore[no-untyped-def]
    import jieba  # imported on first use: loading its dictionary costs ~0.5 s

    jieba.setLogLevel(logging.WARNING)
    return jieba


_FUNCTION_WORDS = set("的和与及")


def _word_boundaries(title: str) -> dict[int, float]:
    """Offsets between words where a line may break, each with a penalty: a cut beside a
    one-character token (中|学校 in 初级中学校) is most likely inside a compound the
    dictionary did not know, so it is a last resort."""
    words = list(_segmenter().cut(title, HMM=False))
    allowed: dict[int, float] = {}
    position = 0
    for left, right in zip(words, words[1:]):
        position += len(left)
        if title[position] in CLOSING or title[position - 1] in OPENING:
            continue
        lonely = any(len(word) == 1 and word not in _FUNCTION_WORDS and word.strip() for word in (left, right))
        allowed[position] = 6.0 if lonely else 0.0
    return allowed


def _shape_cost(lengths: list[int]) -> float:
    """Lower is better: prefer few, full, balanced lines; forbid an hourglass."""
    if len(lengths) >= 3 and any(lengths[i] < lengths[i - 1] and lengths[i] < lengths[i + 1]
                                 for i in range(1, len(lengths) - 1)):
        return float("inf")
    cost = 0.0
    for upper, lower in zip(lengths, lengths[1:]):
        if len(lengths) == 2 and lower > upper:
            cost += 3 * (lower - upper)  # a short line over a long one reads as a wedge
    spread = max(lengths) - min(lengths)
    return cost + spread * 0.5


def _preference(title: str, cuts: tuple[int, ...]) -> float:
    """Breaks after a closing book-title mark or before 的通知 read naturally."""
    bonus = 0.0
    for cut in cuts:
        if title[cut - 1] in "》”":
            bonus -= 2
        if title.startswith("的", cut):
            bonus -= 1
    return bonus


def break_title(title: str, max_chars: int) -> list[str]:
    if len(title) <= max_chars:
        return [title]
    boundaries = _word_boundaries(title)
    best: tuple[float, list[str]] | None = None
    minimum_lines = -(-len(title) // max_chars)
    for line_count in range(minimum_lines, minimum_lines + 2):
        for cuts in combinations(sorted(boundaries), line_count - 1):
            edges = (0, *cuts, len(title))
            lines = [title[a:b] for a, b in zip(edges, edges[1:])]
            if any(len(line) > max_chars for line in lines):
                continue
            cost = (_shape_cost([len(line) for line in lines]) + _preference(title, cuts) + 4 * line_count
                    + sum(boundaries[cut] for cut in cuts))
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None:
            break
    if best is None:  # no word boundary fits: fall back to even character chunks
        return [title[i:i + max_chars] for i in range(0, len(title), max_chars)]
    return best[1]
