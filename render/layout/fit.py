"""The one rule for how much text a line holds and where it may end, shared by the PDF
layout and the Word writer (which must predict where LibreOffice, Word and WPS end lines).

A word processor sets a line by its own arithmetic, not ours, so the rule is theirs, as
LibreOffice applies it to the .docx the Word writer makes (shared/spec/word-layout-notes.md):

- a body-size character advances by its size plus the condensing the Word writer gives body
  runs, so that 28 ideographs fill the line LibreOffice gets, which is `chars` cells of the
  grid pitch rounded down to 1/100 mm (0.6 mm short of the 版心);
- Latin letters and digits advance by the font's width plus the same condensing, and between
  a Chinese character and a Latin letter or digit it puts a fifth of an em (autospace);
- character spacing is not applied after the last character of a text portion
  (`portion_ends`: a change of script or format, a WORD JOINER);
- a line may end wherever its line breaker allows (`office_may_break`) unless our own rules
  forbid it (`held_together`: no break inside a word or number, 避头尾); the Word writer
  glues those places with U+2060 WORD JOINER, which every word processor honours.

The PDF lays its lines out by this rule and then draws them on its own grid (justified to
the full 版心), so both formats break every paragraph, and so every page, at the same place.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Sequence
from functools import cache, lru_cache

from msgspec import Struct

from render import measure
from render.measure import MM
from render.profile import Profile
from render.text.chars import CLOSING, OPENING, is_grid_char, is_word_char, outside_surely_grid, word_end

# 避头尾 as LibreOffice applies it for zh-CN (i18npool localedata zh_CN.xml): characters
# that may not begin a line, and characters that may not end one.
OFFICE_NO_LINE_START = frozenset(
    ":!),.:;?]}¢'\"、。〉》」』】〕〗〞︰︱︳﹐､﹒﹔﹕﹖﹗﹚﹜﹞！），．：；？｜｝︴︶︸︺︼︾﹀﹂﹄﹏～￠々‖•·ˇˉ―-′’”"
)
OFFICE_NO_LINE_END = frozenset("([{£¥'\"‵〈《「『【〔〖（［｛￡￥〝︵︷︹︻︽︿﹁﹃﹙﹛﹝“‘")
# LibreOffice puts this much space (in ems of the text) between a Chinese character and an
# adjacent Latin letter or digit (Asian/Western autospace), measured; it does so even with
# Word's autoSpaceDE/DN off, which the writer sets for Word and WPS.
AUTOSPACE_EM = 0.2
# LibreOffice keeps text on a line when it is up to this much wider than its line, as this
# module measures it with the line's last character uncondensed (probed with 60 mixed
# lines: 440.96 pt fit its 440.5 pt line, 441.00 pt never did; it sums rounded twips).
LINE_TOLERANCE_PT = 0.48
# Forbids a line break on either side and has no width (Unicode line breaking class WJ).
WORD_JOINER = "\u2060"

_OTHER, _HAN, _LATIN = 0, 1, 2


class Fit(Struct, frozen=True):
    """The word processor's line: how far a body character advances, how wide a line is."""

    body_size_pt: float
    condense_twips: int  # character spacing of body-size runs (negative: condensed)
    line_width_pt: float

    @property
    def char_pt(self) -> float:
        """The advance of one body character as a word processor sets it."""
        return self.body_size_pt + self.tracking_pt

    @property
    def tracking_pt(self) -> float:
        return self.condense_twips / measure.TWIPS_PER_PT

    def indent_twips(self, chars: float) -> int:
        """An indent of `chars` body characters, as the Word writer writes it."""
        return measure.twips(chars * self.char_pt)

    def indent_pt(self, chars: float) -> float:
        return self.indent_twips(chars) / measure.TWIPS_PER_PT


def fit_from_profile(profile: Profile) -> Fit:
    line_width = office_line_width_pt(profile)
    per_char = line_width / profile.grid.chars
    condense = math.floor((per_char - profile.body_size_pt) * measure.TWIPS_PER_PT)
    return Fit(profile.body_size_pt, condense, line_width)


def grid_char_space(profile: Profile) -> int:
    """w:docGrid charSpace: the grid pitch minus the default (body) size, in 1/4096 pt."""
    return round((profile.char_pitch_pt - profile.body_size_pt) * 4096)


def office_line_width_pt(profile: Profile) -> float:
    """Width a line of text gets in LibreOffice. It lays text on the document grid's cells:
    `chars` cells of the grid pitch, which it converts to 1/100 mm in truncating steps
    (5.55 mm for 15.79 pt), so its line is 0.6 mm short of the 版心; Word's is not."""
    text_width = profile.text_width_mm * MM
    size_twips = measure.twips(profile.body_size_pt)
    whole, fraction = divmod(grid_char_space(profile), 4096)
    cell_mm100 = (measure.twips_mm100(size_twips) + measure.twips_mm100(whole * measure.TWIPS_PER_PT)
                  + measure.twips_mm100(fraction * measure.TWIPS_PER_PT // 4095))
    return min(text_width, profile.grid.chars * cell_mm100 / 100 * MM)


# ---- where a line may end -------------------------------------------------------------


@cache
def _script(ch: str) -> int:
    """Han (not punctuation), ASCII letter or digit, or neither: cached per character."""
    if is_grid_char(ch) and unicodedata.category(ch) == "Lo":
        return _HAN
    return _LATIN if ch.isascii() and ch.isalnum() else _OTHER


def autospaced(before: str, after: str) -> bool:
    """Asian/Western autospace: between a Chinese character (not punctuation) and an ASCII
    letter or digit, either way round."""
    return {_script(before), _script(after)} == {_HAN, _LATIN}


def _comma_latin(before: str, after: str) -> bool:
    """Measured: LibreOffice does not end a line between 、 and a Latin word or number that
    overflows it ("游泳、3×3", "教育、PBL"), though it does at a line's full end; the pair is
    glued, so it never does."""
    return before == "、" and after.isascii() and after.isalnum()


@lru_cache(maxsize=1 << 16)  # asked once for every pair of neighbours in every paragraph
def office_may_break(before: str, after: str) -> bool:
    """Whether LibreOffice may end a line between `before` and `after`."""
    if after in OFFICE_NO_LINE_START or before in OFFICE_NO_LINE_END or _comma_latin(before, after):
        return False
    if after.isspace():
        return False
    if before.isspace():
        return True
    # Between two characters that are not full width (a Latin word, a number) there is none.
    return is_grid_char(before) or is_grid_char(after)


def _class_of(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(re.escape(ch) for ch in chars)) + "]")


_CLOSING_CHAR = _class_of(CLOSING)
_OPENING_CHAR = _class_of(OPENING)


def held_together(text: str) -> frozenset[int]:
    """Positions i (a break before text[i]) where our rules forbid a line break: inside a
    word or number (3—5, 2024, e-mail), before closing and after opening punctuation."""
    n = len(text)
    held = {match.start() for match in _CLOSING_CHAR.finditer(text, 1)}
    held.update(match.end() for match in _OPENING_CHAR.finditer(text, 0, n - 1))
    end = 0
    # A word holds no grid character: most of a Chinese paragraph is skipped in C.
    for start in outside_surely_grid(text):
        if start >= end and is_word_char(text[start]):  # a word starts here, not inside one
            end = word_end(text, start)
            held.update(range(start + 1, end))
    return frozenset(held)


def glue_positions(text: str) -> list[int]:
    """Where the Word writer puts a WORD JOINER (before text[i]): wherever a word processor
    could break a line that our rules keep together, and between two Latin-script characters
    after a hyphen or slash before Latin text (https://, 023-6888) and after 、 before Latin,
    where LibreOffice breaks by rules of its own that the prediction does not follow."""
    if len(text) < 2:
        return []
    glued = {i for i in held_together(text) if office_may_break(text[i - 1], text[i])}
    # `_latin_joint` holds only after one of these: look there alone.
    for match in _JOINT_BEFORE.finditer(text, 0, len(text) - 1):
        if _latin_joint(match.group(), text[match.end()]):
            glued.add(match.end())
    return sorted(glued)


# Inside Latin text LibreOffice (ICU) may break after these (measured: https://|edu, 023-|6888).
_BREAK_AFTER = frozenset("-/|?!–~")
_JOINT_BEFORE = _class_of(_BREAK_AFTER | {"、"})


def _latin_joint(before: str, after: str) -> bool:
    if _comma_latin(before, after):
        return True
    if is_grid_char(after) or after.isspace():
        return False
    return before in _BREAK_AFTER


def glue(text: str, before: str = "") -> str:
    """`text` with its WORD JOINERs (`glue_positions`). `before` is the text just before it
    in the paragraph (an earlier run), so a joint between two runs is glued too."""
    whole = before + text
    held = [i for i in glue_positions(whole) if i >= len(before)]
    if not held:
        return text
    out: list[str] = []
    last = len(before)
    for i in held:
        out += [whole[last:i], WORD_JOINER]
        last = i
    out.append(whole[last:])
    return "".join(out)


# ---- where a word processor condenses -------------------------------------------------

_ASIAN, _WESTERN, _WEAK = 0, 1, 2


def _office_script(ch: str) -> int:
    """The script LibreOffice gives a character: General Punctuation (“”—…) is weak and takes
    the script before it; the Latin blocks are Western (· × % included); full-width is Asian."""
    code = ord(ch)
    if 0x2000 <= code <= 0x206F:
        return _WEAK
    if code < 0x0250:
        return _WESTERN
    return _ASIAN if is_grid_char(ch) else _WESTERN


_office_scripts: dict[str, int] = {}
_SCRIPTS_KEPT = 1 << 16  # a long-running server is not grown by text that uses all of Unicode


def portion_ends(text: str, styles: Sequence[Hashable]) -> list[bool]:
    """For each character, whether it is the last of a text portion: LibreOffice applies
    character spacing between the characters of a portion, not after its last one (measured:
    an ideograph before a digit, a Latin word or a glued joint advances its full size). A
    portion ends at a change of script, of format and at a WORD JOINER (a paragraph's last
    character is condensed); weak characters at the start are Western."""
    if not text:
        return []
    scripts: list[int] = []
    current = _WESTERN
    for ch in text:
        script = _office_scripts.get(ch)
        if script is None:
            script = _office_script(ch)
            if len(_office_scripts) < _SCRIPTS_KEPT:
                _office_scripts[ch] = script
        if script != _WEAK:
            current = script
        scripts.append(current)
    # `is not` first: runs share their style object, and comparing fields per character adds up.
    ends = [script != following or (style is not next_style and style != next_style)
            for script, following, style, next_style in zip(scripts, scripts[1:], styles, styles[1:])]
    for i in glue_positions(text):
        ends[i - 1] = True
    ends.append(False)
    return ends
