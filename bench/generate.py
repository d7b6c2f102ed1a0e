"""Realistic made-up plans for the batch benchmark: 20–60 items each, sentences and units
drawn from the repository's real plans, so line breaking and fonts see real text.

    python bench/generate.py 200 bench/work/plans-200
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render.model.plan import Item, body_of  # noqa: E402
from render.reading.loader import load_plan  # noqa: E402

DISTRICTS = ("南岸", "沙坪坝", "渝中", "江北", "九龙坡", "大渡口", "北碚", "渝北", "巴南", "綦江", "江津", "合川")


@dataclass(frozen=True)
class Corpus:
    items: tuple[Item, ...]
    headings: tuple[str, ...]
    preambles: tuple[str, ...]
    units: tuple[str, ...]


def load_corpus() -> Corpus:
    items: list[Item] = []
    headings: list[str] = []
    preambles: list[str] = []
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        plan = load_plan(path).plan
        body = body_of(plan) if plan is not None else None
        if body is None:
            continue
        if body.preamble:
            preambles.append(body.preamble)
        for section in body.sections:
            headings.append(section.title)
            items += section.items
            for child in section.sections:
                headings.append(child.title)
                items += child.items
    units_file = ROOT / "plans" / "units" / "nanan-units.yaml"
    units = tuple(yaml.safe_load(units_file.read_text(encoding="utf-8")))
    return Corpus(tuple(items), tuple(headings), tuple(preambles), units)


def _item(rng: random.Random, corpus: Corpus) -> dict[str, object]:
    source = rng.choice(corpus.items)
    item: dict[str, object] = {"title": source.title, "text": source.text or source.title}
    if rng.random() < 0.8:
        item["lead"] = rng.sample(corpus.units, rng.randint(1, 2))
        item["units"] = rng.sample(corpus.units, rng.randint(1, 6))
    item["due"] = rng.choice(["长期坚持", "持续推进", "2023年6月底前", f"2023-{rng.randint(3, 12):02d}-{rng.randint(1, 28):02d}"])
    return item


def make_plan(index: int, rng: random.Random, corpus: Corpus) -> dict[str, object]:
    district = rng.choice(DISTRICTS)
    issuer = f"重庆市{district}区教育委员会"
    total = rng.randint(20, 60)
    section_count = rng.randint(3, 6)
    cuts = sorted(rng.sample(range(1, total), section_count - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    sections = [{"title": rng.choice(corpus.headings), "items": [_item(rng, corpus) for _ in range(size)]}
                for size in sizes]
    body = {"preamble": rng.choice(corpus.preambles), "sections": sections}
    common = {"issuers": issuer, "date": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    if index % 4 == 0:  # every fourth plan issued under a number, as a 印发 notice
        return {"type": "notice", **common, "number": f"{district}教委发〔2023〕{index + 1}号",
                "title": f"印发《{district}区2023年教育工作要点》的通知", "to": ["各中小学校", "各幼儿园"],
                "body": "现将《2023年教育工作要点》印发给你们，请结合实际，认真抓好贯彻落实。",
                "printed_by": f"重庆市{district}区教育委员会办公室",
                "issued_document": {"title": f"{district}区2023年教育工作要点", **body}}
    return {"type": "work_points", **common, "title": f"{district}区2023年教育工作要点（第{index + 1}稿）", **body}


def generate(count: int, folder: Path, seed: int = 2023) -> list[Path]:
    rng = random.Random(seed)
    corpus = load_corpus()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"plan-{index:04d}.yaml"
        plan = make_plan(index, rng, corpus)
        path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
