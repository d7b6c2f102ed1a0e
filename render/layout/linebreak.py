"""Break a paragraph into lines on the character grid, with 避头尾, and position them.

Text is cut into atoms: one full-width character (ideograph or punctuation), one Latin
word or number (never split), one space, or a hard line break. Body-size full-width
characters advance by the grid pitch (版心 width / 28), so a full line holds exactly 28 of
them whatever the font's own advance; every other atom is measured with `measure`.

避头尾 rule (push-out, 推出): a break is allowed between two atoms unless the second is
closing punctuation (，。、）》” …) or the first is opening punctuation (（《“ …). Breaking
greedily at the last allowed place means the character before a closing mark moves down
with it, and an opening mark moves down with what follows. The short line is then
justified. We do not squeeze punctuation: the grid is fixed at 28 characters a line, and
squeezing would put 29 cells into 28. Only when a line has no allowed break at all
(pathological text) do we break anyway, still never before closing punctuation (it
overhangs and justification pulls it back inside the line).

How much a line holds is decided by the word processors' arithmetic (layout/fit.py:
condensed body characters, autospace between Chinese and Latin, their line width), and a
line ends only where both our rules and theirs allow, so the Word writer's prediction of
LibreOffice (which calls `fit_lines`) and the PDF break every paragraph alike. The lines are
then drawn on our grid: justified to the full 版心, or compressed when the grid's wider
characters would overrun it.

Greedy breaking re-scans at most one line per break, so it is linear in the text length.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import accumulate
from typing import Any, TypeVar, cast

import msgspec.structs
from msgspec import Struct

from render.layout.fit import (
    AUTOSPACE_EM,
    LINE_TOLERANCE_PT,
    autospaced,
    office_may_break,
    portion_ends,
)
from render.layout.geometry import PageGeometry
from render.layout.model import Paragraph, Run, TextStyle
from render.text.chars import CLOSING, OPENING, is_grid_char, is_word_char, word_end

Measure = Callable[[str, TextStyle], float]

_EPS = 1e-6  # tolerance for width comparisons (pt)
_T = TypeVar("_T")
# What a Metrics keeps: the lines of this many paragraphs (a few documents' worth; more while
# one longer document is laid out), widths and character atoms up to this many before it
# starts afresh.
_PARAGRAPHS_KEPT = 2048
_WIDTHS_KEPT = 1 << 16
_SHARED_KEPT = 8
_CHAR, _WORD, _SPACE, _BREAK = range(4)
_SPACES = frozenset(" \t")


class Metrics:
    """Text widths for one layout: wraps `measure` with a cache (fonts are slow to query)
    and applies the grid pitch and horizontal scale. It also keeps the lines of the
    paragraphs it has broken (`shared_metrics`)."""

    def __init__(self, measure: Measure, geometry: PageGeometry) -> None:
        self._measure = measure
        self._geometry = geometry
        self._cache: dict[tuple[str, TextStyle], float] = {}
        # key → (lines, the document that last used them), least recently used first.
        self._paragraphs: dict[Hashable, tuple[Any, int]] = {}
        self._document = 0
        # Character atoms are immutable and repeat endlessly: share one per (char, style).
        self.char_atoms: dict[tuple[str, TextStyle], _Atom] = {}
        # The same, for characters that are always an atom of their own (not a space, a line
        # break or part of a word), looked up per style: a paragraph's styles hash once a
        # run rather than once a character.
        self.plain_atoms: dict[TextStyle, dict[str, _Atom]] = {}

    def width(self, text: str, style: TextStyle) -> float:
        """Natural (drawn) width of `text`, horizontal scale included."""
        key = (text, style)
        found = self._cache.get(key)
        if found is None:
            found = self._measure(text, style) * style.scale_x
            if len(self._cache) >= _WIDTHS_KEPT:  # a long-running server meets endless words
                self._cache.clear()
            self._cache[key] = found
        return found

    def begin_document(self) -> None:
        """A new document starts: what the last one kept beyond the bound may go now."""
        self._document += 1
        while len(self._paragraphs) > _PARAGRAPHS_KEPT:
            del self._paragraphs[next(iter(self._paragraphs))]

    def remembered(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """What `compute` gives for a paragraph `key` names, computed once while kept."""
        entry = self._paragraphs.pop(key, None)  # put back last: the most recently used
        if entry is None:
            found = compute()
            self._make_room()
        else:
            found = entry[0]
        self._paragraphs[key] = (found, self._document)
        return cast(_T, found)

    def _make_room(self) -> None:
        # The least recently used go first, but never one the document being laid out has
        # used: a document of more paragraphs than the bound lays its text out several times
        # (the Word writer's trial passes), and each pass would find its next paragraph
        # just evicted and break every one again (3,600 paragraphs: 3 breaks each).
        while len(self._paragraphs) >= _PARAGRAPHS_KEPT:
            oldest = next(iter(self._paragraphs))
            if self._paragraphs[oldest][1] == self._document:
                return
            del self._paragraphs[oldest]

    def advance(self, ch: str, style: TextStyle) -> float:
        """How far a single character moves the pen on a line."""
        if is_grid_char(ch) and self._geometry.on_grid(style):
            return self._geometry.char_pitch_pt
        return self.width(ch, style)

    def fit_advance(self, text: str, style: TextStyle) -> float:
        """How far `text` moves the pen in a word processor's line (layout/fit.py): full-width
        characters their size, the rest the font's width, plus the body's condensing."""
        tracking = self.tracking(style)
        return sum((style.size_pt * style.scale_x if is_grid_char(ch) else self.width(ch, style))
                   + tracking for ch in text)

    def tracking(self, style: TextStyle) -> float:
        """The character spacing the Word writer gives `style` (body-size text is condensed)."""
        return self._geometry.fit.tracking_pt if self._geometry.on_grid(style) else 0.0

    def char_unit(self, style: TextStyle) -> float:
        """One "character" for indents: a grid cell for body text, an em otherwise."""
        if self._geometry.on_grid(style):
            return self._geometry.char_pitch_pt
        return style.size_pt * style.scale_x


class _Atom(Struct, frozen=True):
    kind: int
    parts: tuple[tuple[str, TextStyle], ...]  # style runs inside the atom
    advance: float  # room taken on the drawn line
    ink: float  # drawn width (a grid character may be narrower than its cell)
    fit: float  # room taken in a word processor's line, every character condensed
    no_start: bool = False  # may not begin a line (closing punctuation)
    no_end: bool = False  # may not end a line (opening punctuation)
    part_widths: tuple[float, ...] = ()  # words: the width of each style run
    first: str = ""  # its first and last characters ("" for a line break)
    last: str = ""


class Segment(Struct, frozen=True):
    """Text drawn from `x` (pt from the 版心 left edge), advancing each character by its
    natural width plus `char_spacing`."""

    x: float
    text: str
    style: TextStyle
    char_spacing: float


class Line(Struct, frozen=True):
    segments: tuple[Segment, ...]
    right: float  # x (from the 版心 left edge) where the line's last atom ends

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    @property
    def left(self) -> float:
        return self.segments[0].x if self.segments else self.right

    def shifted(self, dx: float) -> Line:
        moved = tuple(msgspec.structs.replace(s, x=s.x + dx) for s in self.segments)
        return Line(moved, self.right + dx)


# ---- atoms ----------------------------------------------------------------------------


class _Prepared(Struct, frozen=True):
    """A paragraph's atoms with what depends on their neighbours."""

    atoms: list[_Atom]
    leads: list[float]  # autospace before each atom (none at a line's start)
    breakable: list[bool]  # may a line end before the atom (never before the first)
    fits: list[float]  # room each atom takes in a word processor's line (layout/fit.py)
    closes: list[float]  # and the room it takes more when it ends a line (its last character
    # then counts uncondensed)


_shared: dict[Hashable, Metrics] = {}


def shared_metrics(key: Hashable, measure: Measure, geometry: PageGeometry) -> Metrics:
    """The process's Metrics for one way of measuring text (`key` names everything `measure`
    and `geometry` depend on: the writer, its fonts, the profile). What it has measured and
    the paragraphs it has broken serve every later document: a batch worker's next plan,
    `gongwen serve`'s next preview of the plan being edited."""
    metrics = _shared.get(key)
    if metrics is None:
        if len(_shared) >= _SHARED_KEPT:
            del _shared[next(iter(_shared))]
        metrics = _shared[key] = Metrics(measure, geometry)
    metrics.begin_document()
    return metrics


def _prepare(runs: Sequence[Run], metrics: Metrics, max_word: float) -> _Prepared:
    if len(metrics.char_atoms) >= _WIDTHS_KEPT or len(metrics.plain_atoms) >= _WIDTHS_KEPT:
        metrics.char_atoms.clear()
        metrics.plain_atoms.clear()
    text = "".join(run.text for run in runs)
    styles = [run.style for run in runs for _ in run.text]
    tracking = [spacing for run in runs for spacing in [metrics.tracking(run.style)] * len(run.text)]
    atoms = _atoms(text, styles, runs, metrics, max_word)
    fits, closes = _fits(atoms, text, styles, tracking)
    return _Prepared(atoms, *_neighbours(atoms), fits, closes)


def _fits(atoms: Sequence[_Atom], text: str, styles: Sequence[TextStyle],
          tracking: Sequence[float]) -> tuple[list[float], list[float]]:
    """Each atom's room in a word processor's line: its condensed width, less the condensing
    of the characters that end a text portion (layout/fit.py `portion_ends`); and what it
    adds at a line's end, where its last character counts uncondensed. `tracking`: each
    character's condensing."""
    ends = portion_ends(text, styles)
    fits: list[float] = []
    closes: list[float] = []
    i = 0
    for atom in atoms:
        if atom.kind == _WORD:
            length = sum(len(part) for part, _ in atom.parts)
            fits.append(atom.fit - sum(tracking[k] for k in range(i, i + length) if ends[k]))
            last = i + length - 1
            closes.append(0.0 if ends[last] else -tracking[last])
            i += length
        elif ends[i]:  # every other atom is one character
            fits.append(atom.fit - tracking[i])
            closes.append(0.0)
            i += 1
        else:
            fits.append(atom.fit)
            closes.append(-tracking[i])
            i += 1
    return fits, closes


def _atoms(text: str, styles: list[TextStyle], runs: Sequence[Run], metrics: Metrics,
           max_word: float) -> list[_Atom]:
    """Cut text into atoms. A word wider than `max_word` (a line) is cut into characters:
    an unbreakable URL would otherwise run off the page."""
    atoms: list[_Atom] = []
    # The character atoms of each run's style, so that most characters take one lookup.
    plains = [metrics.plain_atoms.setdefault(run.style, {}) for run in runs]
    ends = list(accumulate(len(run.text) for run in runs))
    i, n, r = 0, len(text), 0
    while i < n:
        while i >= ends[r]:
            r += 1
        ch = text[i]
        plain = plains[r].get(ch)
        if plain is not None:
            atoms.append(plain)
            i += 1
        elif ch == "\n":
            atoms.append(_Atom(_BREAK, (), 0.0, 0.0, 0.0))
            i += 1
        elif ch in _SPACES:
            # A space inherits "no break after" so "（ x" cannot end a line at the space.
            no_end = bool(atoms) and atoms[-1].no_end
            width = metrics.width(ch, styles[i])
            atoms.append(_Atom(_SPACE, ((ch, styles[i]),), width, width,
                               metrics.fit_advance(ch, styles[i]), no_end=no_end, first=ch, last=ch))
            i += 1
        elif is_word_char(ch):
            end = word_end(text, i)
            word = _word_atom(text, styles, i, end, metrics)
            atoms.extend(_char_atoms(text, styles, i, end, metrics) if word.fit > max_word
                         else (word,))
            i = end
        else:
            plains[r][ch] = atom = _char_atom(ch, styles[i], metrics)
            atoms.append(atom)
            i += 1
    return atoms


def _char_atom(ch: str, style: TextStyle, metrics: Metrics) -> _Atom:
    key = (ch, style)
    atom = metrics.char_atoms.get(key)
    if atom is None:
        atom = _Atom(_CHAR, (key,), metrics.advance(ch, style), metrics.width(ch, style),
                     metrics.fit_advance(ch, style), no_start=ch in CLOSING, no_end=ch in OPENING,
                     first=ch, last=ch)
        metrics.char_atoms[key] = atom
    return atom


def _char_atoms(text: str, styles: list[TextStyle], start: int, end: int,
                metrics: Metrics) -> list[_Atom]:
    return [_char_atom(text[i], styles[i], metrics) for i in range(start, end)]


def _word_atom(text: str, styles: list[TextStyle], start: int, end: int,
               metrics: Metrics) -> _Atom:
    parts: list[tuple[str, TextStyle]] = []
    run_start = start
    for i in range(start + 1, end + 1):
        if i == end or (styles[i] is not styles[run_start] and styles[i] != styles[run_start]):
            parts.append((text[run_start:i], styles[run_start]))
            run_start = i
    widths = tuple(metrics.width(part, style) for part, style in parts)
    fit = sum(metrics.fit_advance(part, style) for part, style in parts)
    return _Atom(_WORD, tuple(parts), sum(widths), sum(widths), fit, part_widths=widths,
                 first=text[start], last=text[end - 1])


def _neighbours(atoms: Sequence[_Atom]) -> tuple[list[float], list[bool]]:
    """For each atom, from its neighbour before it: the autospace before it (between a
    Chinese character and a Latin word or number, as word processors add it; the caller
    drops it at a line's start), and whether a line may end before it (never before the
    first atom, a space or closing punctuation, nor after opening punctuation, nor where a
    word processor would not break either: its own 避头尾, Latin next to Latin)."""
    leads = [0.0] * len(atoms)
    breakable = [False] * len(atoms)
    for j in range(1, len(atoms)):
        previous, current = atoms[j - 1], atoms[j]
        before, after = previous.last, current.first
        if not (before and after):  # a line break on one side
            breakable[j] = not (current.kind == _SPACE or current.no_start or previous.no_end)
            continue
        # Autospace needs an ASCII letter or digit on one side: most pairs end here.
        if (before.isascii() or after.isascii()) and autospaced(before, after):
            leads[j] = AUTOSPACE_EM * current.parts[0][1].size_pt
        if not (current.kind == _SPACE or current.no_start or previous.no_end):
            breakable[j] = office_may_break(before, after)
    return leads, breakable


# ---- breaking -------------------------------------------------------------------------


def _emergency_break(atoms: list[_Atom], start: int, j: int) -> int:
    """Break for a line with no allowed break: as late as possible before an atom that may
    start a line; if only closing punctuation follows the first atom, let it overhang."""
    for k in range(j, start, -1):
        if atoms[k].kind != _SPACE and not atoms[k].no_start:
            return k
    k = j
    while k < len(atoms) and atoms[k].kind != _BREAK and (
            atoms[k].no_start or atoms[k].kind == _SPACE):
        k += 1
    return k


def _scan_line(prepared: _Prepared, start: int, width: float) -> tuple[int, bool]:
    """Find where the line starting at `start` ends: (end, overflowed)."""
    atoms, leads, fits, closes = prepared.atoms, prepared.leads, prepared.fits, prepared.closes
    breakable = prepared.breakable
    x, last_break, j, n = 0.0, -1, start, len(atoms)
    while j < n:
        atom = atoms[j]
        if atom.kind == _BREAK:
            return j, False
        step = fits[j] + (leads[j] if j > start else 0.0)
        if j > start and breakable[j]:
            last_break = j
        # Spaces never overflow: a trailing space is dropped from the line.
        if atom.kind != _SPACE and j > start and x + step + closes[j] > width + LINE_TOLERANCE_PT:
            end = last_break if last_break > start else _emergency_break(atoms, start, j)
            return end, True
        x += step
        j += 1
    return n, False


def _break_ranges(prepared: _Prepared, first_width: float,
                  width: float) -> list[tuple[int, int, bool]]:
    """Greedy line breaking: (start, end, is_last_of_block) atom ranges, one per line.
    A line that ends at a hard break or at the paragraph end is "last" (not justified)."""
    atoms = prepared.atoms
    lines: list[tuple[int, int, bool]] = []
    i, n, line_width = 0, len(atoms), first_width
    while True:
        start = i
        end, overflowed = _scan_line(prepared, start, line_width)
        hard_end = end >= n or atoms[end].kind == _BREAK
        lines.append((start, end, hard_end))
        if end >= n:
            return lines
        i = end + 1 if hard_end else end
        if not hard_end or overflowed:
            while i < n and atoms[i].kind == _SPACE:  # a wrapped line drops leading spaces
                i += 1
        if i >= n and overflowed:
            return lines
        line_width = width


# ---- positioning ----------------------------------------------------------------------


def _position(atoms: list[_Atom], start: int, end: int, x0: float, width: float,
              align: str, last: bool) -> Line:
    """Place atoms[start:end] on a line `width` wide starting at `x0`. No autospace is
    drawn: the grid already spaces digits and Latin from Chinese (2024年, not "2024 年")."""
    while end > start and atoms[end - 1].kind == _SPACE:
        end -= 1
    natural = sum(atoms[k].advance for k in range(start, end))
    extra, offset = 0.0, 0.0
    gaps = end - start - 1
    if (align == "justify" and not last or natural > width + _EPS) and gaps > 0:
        # Slack (or, for a line the grid's wider characters overrun, overflow) spread over
        # every gap between atoms; Latin words keep their letter spacing.
        extra = (width - natural) / gaps
    elif align == "center":
        offset = (width - natural) / 2
    elif align == "right":
        offset = width - natural
    segments = _segments(atoms, start, end, x0 + offset, extra)
    return Line(segments, x0 + offset + natural + extra * max(gaps, 0))


class _OpenSegment(Struct):
    x: float
    chars: list[str]
    style: TextStyle
    spacing: float
    extendable: bool  # may the next character join it?


def _segments(atoms: list[_Atom], start: int, end: int, x: float,
              extra: float) -> tuple[Segment, ...]:
    """Group characters into segments of one style and one character spacing, so a writer
    draws a justified line as a few text calls rather than one per character."""
    out: list[_OpenSegment] = []
    for k in range(start, end):
        atom = atoms[k]
        if atom.kind == _CHAR:
            ch, style = atom.parts[0]
            spacing = atom.advance + extra - atom.ink
            last = out[-1] if out else None
            if (last is not None and last.extendable and abs(last.spacing - spacing) < _EPS
                    and (last.style is style or last.style == style)):
                last.chars.append(ch)
            else:
                out.append(_OpenSegment(x, [ch], style, spacing, True))
        elif atom.kind == _WORD:
            part_x = x
            for (text, style), part_width in zip(atom.parts, atom.part_widths):
                out.append(_OpenSegment(part_x, [text], style, 0.0, False))
                part_x += part_width
        elif out:
            out[-1].extendable = False  # a space is not drawn, but it breaks the spacing
        x += atom.advance + extra
    return tuple(Segment(o.x, "".join(o.chars), o.style, o.spacing) for o in out)


# ---- paragraphs -----------------------------------------------------------------------


class _Frame(Struct, frozen=True):
    """Horizontal room for a paragraph's lines, in pt from the 版心 left edge."""

    first_x: float
    first_width: float
    x: float
    width: float
    fit_first_width: float  # the same room in a word processor's line (layout/fit.py)
    fit_width: float


def _frame(paragraph: Paragraph, geometry: PageGeometry, metrics: Metrics) -> _Frame:
    style = paragraph.runs[0].style if paragraph.runs else None
    unit = metrics.char_unit(style) if style else geometry.char_pitch_pt
    left = paragraph.left_indent_chars * unit
    right = paragraph.right_indent_chars * unit
    first = left + paragraph.first_indent_chars * unit
    # The Word writer gives every indent in body characters, each rounded to twips.
    fit = geometry.fit
    fit_width = (fit.line_width_pt - fit.indent_pt(paragraph.left_indent_chars)
                 - fit.indent_pt(paragraph.right_indent_chars))
    return _Frame(first, geometry.text_width - right - first,
                  left, geometry.text_width - right - left,
                  fit_width - fit.indent_pt(paragraph.first_indent_chars), fit_width)


def _fitted_runs(paragraph: Paragraph, frame: _Frame, metrics: Metrics) -> tuple[Run, ...]:
    """Condense a too-wide paragraph horizontally, down to `fit_min_scale` at most, until it
    fits both the drawn line and a word processor's."""
    runs = paragraph.runs
    if paragraph.fit_min_scale >= 1.0:
        return runs
    scale = min(frame.first_width / max(natural_width(runs, metrics), _EPS),
                frame.fit_first_width / max(fit_width(runs, metrics), _EPS))
    if scale >= 1.0:
        return runs
    scale = max(paragraph.fit_min_scale, scale * (1 - _EPS))
    return tuple(Run(r.text, msgspec.structs.replace(r.style, scale_x=r.style.scale_x * scale))
                 for r in runs)


def natural_width(runs: Sequence[Run], metrics: Metrics) -> float:
    """Width of the widest line of `runs` set without wrapping (lines end only at "\\n")."""
    widest = current = 0.0
    for atom in _prepare(runs, metrics, float("inf")).atoms:
        current = 0.0 if atom.kind == _BREAK else current + atom.advance
        widest = max(widest, current)
    return widest


def set_line(runs: Sequence[Run], metrics: Metrics) -> Line:
    """Runs set on one unbroken line starting at x = 0."""
    atoms = [atom for atom in _prepare(runs, metrics, float("inf")).atoms if atom.kind != _BREAK]
    return _position(atoms, 0, len(atoms), 0.0, float("inf"), "left", True)


def fit_lines(runs: Sequence[Run], first_width: float, width: float,
              metrics: Metrics) -> list[str]:
    """The texts of the lines a word processor makes of `runs` in a paragraph whose first
    line is `first_width` and the others `width` wide (pt): the Word writer's prediction."""
    def compute() -> list[str]:
        prepared = _prepare(runs, metrics, min(first_width, width))
        return ["".join(text for atom in prepared.atoms[start:end] for text, _ in atom.parts)
                for start, end, _ in _break_ranges(prepared, first_width, width)]

    return list(metrics.remembered(("fit", tuple(runs), first_width, width), compute))


def split_line_runs(left: Sequence[Run], right: Sequence[Run]) -> tuple[Run, ...]:
    """A split line's two sides with the one character that must stand between them."""
    style = (left or right)[0].style
    return (*left, Run("\u3000", style), *right)


def fits_one_line(runs: Sequence[Run], width: float, metrics: Metrics) -> bool:
    """Whether a word processor sets `runs` on one line `width` wide."""
    return len(fit_lines(runs, width, width, metrics)) == 1


def fit_width(runs: Sequence[Run], metrics: Metrics) -> float:
    """Width of the widest line of `runs` in a word processor, set without wrapping (lines
    end only at "\\n"), pt."""
    prepared = _prepare(runs, metrics, float("inf"))
    widest = current = 0.0
    line_start = True
    for atom, fit, lead in zip(prepared.atoms, prepared.fits, prepared.leads):
        if atom.kind == _BREAK:
            current, line_start = 0.0, True
            continue
        current += fit + (0.0 if line_start else lead)
        line_start = False
        widest = max(widest, current)
    return widest


def break_paragraph(paragraph: Paragraph, geometry: PageGeometry,
                    metrics: Metrics) -> list[Line]:
    """The paragraph's lines, x positions from the 版心 left edge. An empty paragraph is
    one empty line (a blank line in 公文)."""
    def compute() -> list[Line]:
        frame = _frame(paragraph, geometry, metrics)
        runs = _fitted_runs(paragraph, frame, metrics)
        prepared = _prepare(runs, metrics, min(frame.fit_first_width, frame.fit_width))
        lines: list[Line] = []
        for number, (start, end, last) in enumerate(
                _break_ranges(prepared, frame.fit_first_width, frame.fit_width)):
            x, width = (frame.first_x, frame.first_width) if number == 0 else (frame.x, frame.width)
            lines.append(_position(prepared.atoms, start, end, x, width, paragraph.align, last))
        return lines

    # What the lines depend on (not the line pitch, which a tightened trial changes).
    key = ("break", geometry, paragraph.runs, paragraph.left_indent_chars, paragraph.right_indent_chars,
           paragraph.first_indent_chars, paragraph.fit_min_scale, paragraph.align)
    return list(metrics.remembered(key, compute))
