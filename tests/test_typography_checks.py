"""The proof-reader's W503 (half-width mark in Chinese) and W504 (letter l/I typed for 1):
the same places as the look-around patterns they replaced, which the regex compiler took
~5 ms to build in every process, and reported with file and line on a made-up plan."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from madeup import notice, write
from render.model.checks import half_width_mark, letter_as_digit
from render.reading.loader import load_plan

_IDEOGRAPHS = "\u3400-\u9fff"
# The definitions as patterns: what the checks must find, character for character.
HALF_WIDTH = re.compile(rf"(?<=[{_IDEOGRAPHS}])[,;:?!()]|[,;:?!()](?=[{_IDEOGRAPHS}])")
LETTER_AS_DIGIT = re.compile(rf"(?<=[{_IDEOGRAPHS}\d])[lI](?=[{_IDEOGRAPHS}\d])|(?<=\d)[lI]|[lI](?=\d)")

# The edges of the blocks, other scripts' digits, full-width forms and spaces.
CHARACTERS = st.sampled_from(list("中文第章号,;:?!()lIiL1０２٣ 　a\u33ff\u3400\u4dbf\u9fff\ua000，（"))


def _first(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    return match.start() if match else None


@settings(max_examples=3000, deadline=None)
@given(st.text(CHARACTERS, max_size=14))
def test_the_checks_find_what_the_patterns_define(text: str) -> None:
    assert half_width_mark(text) == _first(HALF_WIDTH, text)
    assert letter_as_digit(text) == _first(LETTER_AS_DIGIT, text)


def test_examples_a_proof_reader_would_mark() -> None:
    assert half_width_mark("各学校,请于") == 3
    assert half_width_mark("见附件(一)") == 3
    assert half_width_mark("Hello, world (draft)") is None
    assert letter_as_digit("第l章") == 1
    assert letter_as_digit("2O2l年") == 3
    assert letter_as_digit("Iowa 与 Illinois") is None


def test_a_plan_with_both_slips_is_warned_at_their_lines(tmp_path: Path) -> None:
    plan = notice(5)
    plan["body"] = "各学校要在9月l日前完成排查,整改率达到100%。"
    path = write(plan, tmp_path, "slips")
    result = load_plan(path)
    line = path.read_text(encoding="utf-8").splitlines().index(next(
        text for text in path.read_text(encoding="utf-8").splitlines() if "整改率" in text)) + 1
    found = {(d.code, d.line) for d in result.diagnostics}
    assert ("W503", line) in found and ("W504", line) in found
    messages = " ".join(d.message for d in result.diagnostics)
    assert "半角标点“,”" in messages and "应为全角“，”" in messages and "字母“l”疑为数字“1”" in messages
