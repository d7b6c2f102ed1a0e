"""Break a 标题 into lines the way GB/T 9704 7.3.1 asks: never inside a word, and the
lines shaped as a 梯形 (long over short) or 菱形 (short-long-short), never a 沙漏."""

from __future__ import annotations

from functools import lru_cache

from msgspec import Struct

from render.text.chars import CLOSING, OPENING

# Compounds of 公文 titles the dictionary splits (工作|要点): a line never breaks inside them.
_TITLE_WORDS = ("工作要点", "教育工作委员会", "工作领导小组", "实施方案", "工作方案", "工作计划", "工作总结", "实施意见", "指导意见",
                "管理办法", "实施细则", "责任分工", "教育委员会", "工作委员会", "人民政府", "办公室",
                "领导小组", "高质量发展", "思想政治", "中小学", "幼儿园")
# What follows a number as its unit or counter: 2024年, 3月, 第3期, 12项.
_NUMBER_UNITS = frozenset("年月日号期届次个项条款章节名所校批轮季度周岁元万亿%％")
_PLACE_ENDINGS = frozenset("省市区县镇乡")
_CHINESE_DIGITS = frozenset("〇零一二三四五六七八九十百千")


@lru_cache(maxsize=512)
def _cut(title: str) -> tuple[str, ...]:
    # Imported here: only a title too long for one line needs segmenting at all.
    from render.text.wordfreq import segmenter

    return tuple(segmenter(_TITLE_WORDS).cut(title))


_FUNCTION_WORDS = set("的和与及")


def _inside_a_number(title: str, position: int) -> bool:
    """A cut between the digits of a number, between a number and its unit, or after 第."""
    before, after = title[position - 1], title[position]
    if before.isdigit() and (after.isdigit() or after in _NUMBER_UNITS or after in ".．"):
        return True
    counted = position >= 2 and (title[position - 2] == "第" or title[position - 2] in _CHINESE_DIGITS)
    if before in _CHINESE_DIGITS and after in _NUMBER_UNITS and counted:
        return True  # 第二十届, 十二项
    return before == "第" and (after.isdigit() or after in _CHINESE_DIGITS)


def _short_book_titles(title: str, max_chars: int) -> list[tuple[int, int]]:
    """Spans (start, end) of the 《…》 that fit on one line: no cut inside them."""
    spans, depth, start = [], 0, 0
    for index, ch in enumerate(title):
        if ch == "《":
            if depth == 0:
                start = index
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and index + 1 - start <= max_chars:
                spans.append((start, index + 1))
    return spans


def _word_boundaries(title: str, max_chars: int) -> dict[int, float]:
    """Offsets between words where a line may break, each with a penalty: a cut beside a
    one-character token (中|学校 in 初级中学校) is most likely inside a compound the
    dictionary did not know, so it is a last resort."""
    words = _cut(title)
    protected = _short_book_titles(title, max_chars)
    allowed: dict[int, float] = {}
    position = 0
    for left, right in zip(words, words[1:]):
        position += len(left)
        if title[position] in CLOSING or title[position - 1] in OPENING or _inside_a_number(title, position):
            continue
        if any(start < position < end for start, end in protected):
            continue
        lonely = any(len(word) == 1 and word not in _FUNCTION_WORDS and word.strip() for word in (left, right))
        # A place name qualifies what follows it (重庆市|南岸区教育委员会): a poor place to cut.
        place = len(left) >= 2 and left[-1] in _PLACE_ENDINGS
        allowed[position] = (6.0 if lonely else 0.0) + (5.0 if place else 0.0)
    return allowed


def _preference(title: str, cut: int) -> float:
    """Breaks after a closing book-title mark or before 的通知 read naturally."""
    bonus = 0.0
    if title[cut - 1] in "》”":
        bonus -= 2
    if title.startswith("的", cut):
        bonus -= 1
    return bonus


LINE_COST = 4.0       # each line: prefer few lines
STEP_COST = 0.5       # per character of difference between neighbouring lines: prefer balance
WEDGE_COST = 3.0      # two lines, per character the lower is longer: a wedge reads badly


class _State(Struct, frozen=True):
    """The best way found to set the title up to `position`, ending in a line of `last`
    characters; `descended` once a line was shorter than the one above (after which no
    line may be longer than its predecessor: that would make an hourglass)."""

    position: int
    last: int
    descended: bool


def break_title(title: str, max_chars: int) -> list[str]:
    """The title in lines of at most `max_chars`, cut only at word boundaries, shaped as a
    梯形 or 菱形. Dynamic programming over (cut, last line length, descended): time linear in
    the title's length for a given `max_chars`, where trying every combination of cuts was
    exponential."""
    if len(title) <= max_chars:
        return [title]
    boundaries = _word_boundaries(title, max_chars)
    fewest = -(-len(title) // max_chars)
    lines = _best_lines(title, max_chars, boundaries, shaped=True)
    if lines is None or len(lines) > fewest + 1:
        # A very long title cannot be both a 梯形/菱形 and short: it is set as an even block.
        lines = _best_lines(title, max_chars, boundaries, shaped=False)
    if lines is None:  # no word boundary fits: fall back to even character chunks
        return [title[i:i + max_chars] for i in range(0, len(title), max_chars)]
    return lines


def _best_lines(title: str, max_chars: int, boundaries: dict[int, float], *, shaped: bool) -> list[str] | None:
    ends = [*sorted(boundaries), len(title)]
    start = _State(0, 0, False)
    # state → (lines, cost, previous state); lines compare first, so the fewest lines win.
    best: dict[_State, tuple[int, float, _State | None]] = {start: (0, 0.0, None)}
    by_position: dict[int, list[_State]] = {0: [start]}
    for position in [0, *ends]:
        for state in by_position.get(position, []):
            lines, cost, _ = best[state]
            for end in ends:
                length = end - position
                if length <= 0:
                    continue
                if length > max_chars:
                    break
                if shaped and state.descended and length > state.last:
                    continue  # a valley: the hourglass GB/T 9704 7.3.1 forbids
                step = cost + LINE_COST
                if lines:
                    step += STEP_COST * abs(length - state.last)
                if end < len(title):
                    step += boundaries[end] + _preference(title, end)
                following = _State(end, length, state.descended or (lines > 0 and length < state.last))
                if following not in best or (lines + 1, step) < best[following][:2]:
                    if following not in best:
                        by_position.setdefault(end, []).append(following)
                    best[following] = (lines + 1, step, state)
    finals = by_position.get(len(title), [])
    if not finals:
        return None
    chosen: _State | None = min(finals, key=lambda state: _final_key(best, state))
    edges: list[int] = []
    while chosen is not None:
        edges.append(chosen.position)
        chosen = best[chosen][2]
    return [title[a:b] for a, b in zip(edges[::-1], edges[::-1][1:])]


def _final_key(best: dict[_State, tuple[int, float, _State | None]], state: _State) -> tuple[int, float]:
    """Two lines whose lower one is longer read as a wedge: costed once the count is known."""
    lines, cost, previous = best[state]
    if lines == 2 and previous is not None and state.last > previous.last:
        cost += WEDGE_COST * (state.last - previous.last)
    return lines, cost
