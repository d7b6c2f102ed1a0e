"""The example plans in plans/ are faithful transcriptions of the real documents in shared/seeds/.

Each seed is read independently of its plan: item titles (the lead sentence of a numbered
paragraph), headings and the （牵头单位：…；责任单位：…） lines are parsed from the seed text with
regular expressions, normalised (half-width , : ; ( ) as full width, one kind of quote, no
spaces), and compared with the plan as the product's loader reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from render.reading.loader import load_plan

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "plans"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed documents are not here ({SEEDS} is absent)"
)

NANAN = ("nanan-2022-22-notice.txt", "nanan-2022-22-notice.yaml")
SOCIETY = ("chongqing-edu-society-2022-work-points.txt", "chongqing-edu-society-2022-work-points.yaml")
SHAPINGBA = ("shapingba-2023-work-points.txt", "shapingba-2023-work-points.yaml")
QIJIANG = ("qijiang-2022-year-end-feature.txt", "qijiang-2022-bulletin.yaml")

# The seeds were copied from web pages and PDFs: the same text comes with half-width
# punctuation, straight or curly quotes, and spaces left by the extraction.
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})
_ONE_QUOTE = str.maketrans({"“": '"', "”": '"'})


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FULL_WIDTH).translate(_ONE_QUOTE)


def seed_lines(name: str) -> list[str]:
    return [norm(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


# An item: a line opening with an Arabic number and . ． or 、; its title is the lead
# sentence up to the first 。.
_ITEM = re.compile(r"^(\d+)[.．、](.+?)。")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、(.+)$")
_RESPONSIBILITY = re.compile(r"^（牵头单位：(.+?)；责任单位：(.+?)）$")


def seed_items(name: str) -> list[str]:
    found = [_ITEM.match(line) for line in seed_lines(name)]
    matches = [m for m in found if m]
    numbers = [int(m.group(1)) for m in matches]
    assert numbers == list(range(1, len(numbers) + 1)), f"{name}: item numbers are not 1…N: {numbers}"
    return [m.group(2) for m in matches]


def seed_level1(name: str) -> list[str]:
    return [m.group(1) for m in map(_LEVEL1.match, seed_lines(name)) if m]


def load(plan_name: str) -> Any:
    result = load_plan(PLANS / plan_name)
    errors = [d for d in result.diagnostics if str(getattr(d.severity, "value", d.severity)) == "error"]
    assert not errors, "\n".join(f"{plan_name}:{d.line}: {d.code} {d.message}" for d in errors)
    return result.plan


def body_of(plan: Any) -> Any:
    """The work-points body: the plan itself, or the document a notice issues."""
    return getattr(plan, "issued_document", None) or plan


def walk_items(sections: list[Any]) -> Iterator[Any]:
    for section in sections:
        yield from walk_items(section.sections or [])
        yield from section.items or []


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def raw_titles(node: Any) -> Iterator[str]:
    """Every title/标题 value in a plan file as written (before the loader strips numbers)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "标题") and isinstance(value, str):
                yield value
            yield from raw_titles(value)
    elif isinstance(node, list):
        for value in node:
            yield from raw_titles(value)


# --- the work-points plans -------------------------------------------------------------

WORK_POINTS = [
    # seed, plan, items per level-1 section (level 2 flattened), level-2 sections per level-1
    pytest.param(*NANAN, [0, 0, 25, 0], [0, 2, 7, 4], id="nanan"),
    pytest.param(*SOCIETY, [4, 5, 3, 3], [0, 0, 0, 0], id="society"),
    pytest.param(*SHAPINGBA, [5, 5, 8, 3, 6, 6], [0, 0, 0, 0, 0, 0], id="shapingba"),
]


@pytest.mark.parametrize("seed, plan_name, items_per_section, subsections", WORK_POINTS)
def test_item_titles_match_seed(seed: str, plan_name: str, items_per_section: list[int], subsections: list[int]) -> None:
    expected = seed_items(seed)
    assert len(expected) == sum(items_per_section)
    body = body_of(load(plan_name))
    titles = [norm(item.title) for item in walk_items(body.sections)]
    missing = [t for t in expected if t not in titles]
    assert not missing, f"{plan_name}: seed items missing from the plan: {missing}"
    assert titles == expected


@pytest.mark.parametrize("seed, plan_name, items_per_section, subsections", WORK_POINTS)
def test_sections_match_seed(seed: str, plan_name: str, items_per_section: list[int], subsections: list[int]) -> None:
    body = body_of(load(plan_name))
    assert [norm(s.title) for s in body.sections] == seed_level1(seed)
    assert len(body.sections) == len(items_per_section)
    assert [sum(1 for _ in walk_items([s])) for s in body.sections] == items_per_section
    assert [len(s.sections or []) for s in body.sections] == subsections


def test_item_counts() -> None:
    counts = {
        plan_name: sum(1 for _ in walk_items(body_of(load(plan_name)).sections))
        for _, plan_name in (NANAN, SOCIETY, SHAPINGBA)
    }
    assert counts == {NANAN[1]: 25, SOCIETY[1]: 15, SHAPINGBA[1]: 33}


@pytest.mark.parametrize("plan_name", [NANAN[1], SOCIETY[1], SHAPINGBA[1], QIJIANG[1]])
def test_no_numbers_written_in_titles(plan_name: str) -> None:
    numbered = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、])")
    data = yaml.safe_load((PLANS / plan_name).read_text(encoding="utf-8"))
    assert [t for t in raw_titles(data) if numbered.match(t)] == []


# --- 南岸委办〔2022〕22号 -----------------------------------------------------------------

def test_nanan_lead_and_units_match_seed() -> None:
    expected = [
        (m.group(1).split("、"), m.group(2).split("、"))
        for m in map(_RESPONSIBILITY.match, seed_lines(NANAN[0]))
        if m
    ]
    assert len(expected) == 25
    items = list(walk_items(body_of(load(NANAN[1])).sections))
    actual = [([norm(u) for u in as_list(i.lead)], [norm(u) for u in as_list(i.units)]) for i in items]
    for number, (want, got) in enumerate(zip(expected, actual), start=1):
        assert got == want, f"item {number}: lead/units differ from the seed"
    assert len(actual) == len(expected)


def test_nanan_subsection_titles_match_seed() -> None:
    # Level-2 headings as the seed prints them: （一）… , except that the seed lost the number of
    # 三、（四）, which stands as a bare line.
    lines = seed_lines(NANAN[0])
    printed = [m.group(1) for m in map(re.compile(r"^（[一二三四五六七]）(.+?)(?:。.*)?$").match, lines) if m]
    body = body_of(load(NANAN[1]))
    planned = [norm(sub.title) for section in body.sections for sub in section.sections or []]
    bare = "推进教育协调发展，书写各级各类教育新篇章"
    assert bare in lines and bare not in printed
    assert planned == printed[:5] + [bare] + printed[5:]
    run_in = [sub.run_in for sub in body.sections[3].sections]
    assert run_in == [True, True, True, True]


def test_nanan_units_are_registered() -> None:
    plan = load(NANAN[1])
    registry = yaml.safe_load((PLANS / plan.units_file).read_text(encoding="utf-8"))
    assert isinstance(registry, dict)
    used = {u for i in walk_items(body_of(plan).sections) for u in as_list(i.lead) + as_list(i.units)}
    assert sorted(used - set(registry)) == []


# --- 綦江教育简报 -------------------------------------------------------------------------

def test_qijiang_titles_and_captions_come_from_seed() -> None:
    seed_text = "".join(seed_lines(QIJIANG[0]))
    plan = load(QIJIANG[1])
    assert len(plan.articles) == 6
    for article in plan.articles:
        assert norm(article.title) in seed_text, f"article title not in the seed: {article.title}"
    captions = [image.caption for article in plan.articles for image in article.images]
    assert len(captions) == 4
    for caption in captions:
        assert caption and norm(caption) in seed_text, f"caption not in the seed: {caption}"
    bylines = [article.byline for article in plan.articles if article.byline]
    assert len(bylines) == 1 and norm(bylines[0]) in seed_text


def test_qijiang_images_exist_and_are_small() -> None:
    plan = load(QIJIANG[1])
    files = [PLANS / image.file for article in plan.articles for image in article.images]
    assert files and all(f.is_file() for f in files), files
    assert all(f.stat().st_size < 150_000 for f in files)
    assert {f.suffix.lower() for f in files} >= {".jpg", ".png"}
