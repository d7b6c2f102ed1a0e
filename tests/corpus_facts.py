"""Comparing imports of the corpus (tests/corpus/) with the facts written down by hand.

`score()` imports every document named in tests/corpus/facts.yaml and checks each printed
fact against the plan; `python tests/corpus_facts.py` prints the table (per field and per
document), which is how the figures in the report were measured.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus"
FIELDS = ("number", "date", "issuers", "title", "to", "sections", "attachments")
_WIDE = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "<": "〈", ">": "〉"})
_PLACEHOLDER = re.compile(r"此处|XX|{{|\[|通知标题|（无标题）")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).translate(_WIDE)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    return [norm(v) for v in ([value] if isinstance(value, str) else value)]


def _main_body(plan: dict[str, Any]) -> dict[str, Any]:
    return plan.get("issued_document") or plan


def found(plan: dict[str, Any], name: str) -> Any:
    """The plan's value for one fact, in the facts file's terms."""
    if name == "number":
        return plan.get("number")
    if name == "date":
        value = plan.get("date")
        return value.isoformat() if isinstance(value, dt.date) else value
    if name == "issuers":
        return _names(plan.get("issuers") or plan.get("signature"))
    if name == "title":
        return plan.get("title")
    if name == "to":
        return _names(plan.get("to"))
    if name == "sections":
        return len(_main_body(plan).get("sections", []))
    return len(plan.get("attachments", []))


def right(name: str, expected: Any, got: Any) -> bool:
    if name == "title" and expected is None:
        return _no_title(got)
    if name in ("issuers", "to"):
        return [norm(e) for e in expected] == got
    if name == "date":
        return (expected.isoformat() if isinstance(expected, dt.date) else expected) == got
    if name in ("sections", "attachments"):
        return expected == got
    if expected is None:
        return got is None
    return got is not None and norm(expected) == norm(got)


def _no_title(got: str | None) -> bool:
    """A document printing no title: the importer's stand-in, or a title it drafted (W712),
    never a placeholder line taken for one."""
    return got is None or not _PLACEHOLDER.search(got.replace("（无标题）", ""))


@dataclass
class Score:
    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))

    def table(self) -> str:
        lines = [f"{name:12} {self.right[name]:3}/{self.total[name]:3}" for name in FIELDS if self.total[name]]
        lines.append(f"{'total':12} {sum(self.right.values()):3}/{sum(self.total.values()):3} = {self.ratio:.1%}")
        return "\n".join(lines)


def facts() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((CORPUS / "facts.yaml").read_text(encoding="utf-8"))
    return {f"{group}/{name}": entry for group in ("web", "word") for name, entry in data[group].items()}


def score(importer: Any = None) -> tuple[Score, dict[str, dict[str, Any]]]:
    """Import every corpus document and compare it with its facts.

    A plan must load without errors, except E413 (a notice lacking 发文机关, 成文日期 or
    主送机关) where the document prints none and the importer said so (W723)."""
    from render.importers import ImportFailure, import_document
    from render.reading.loader import load_plan_text
    from render.reading.planyaml import plan_yaml

    importer = importer or import_document
    result, plans = Score(), {}
    for relative, entry in facts().items():
        try:
            imported = importer(CORPUS / relative)
        except ImportFailure as error:
            if not entry.get("refused"):
                result.failures.append(f"{relative}: 导入失败：{error}")
            plans[relative] = {}
            continue
        except Exception as error:  # noqa: BLE001 - the corpus test reports every failure at once
            result.failures.append(f"{relative}: {type(error).__name__}: {error}")
            plans[relative] = {}
            continue
        if entry.get("refused"):
            result.failures.append(f"{relative}: 应拒绝导入（只有占位符），却给出了计划")
        plan = plans[relative] = imported.plan
        said = {d.code for d in imported.diagnostics}
        loaded = load_plan_text(plan_yaml(plan), CORPUS / f"{relative}.yaml")
        errors = [d for d in loaded.diagnostics if d.is_error and not (d.code == "E413" and "W723" in said)]
        if errors or loaded.plan is None:
            result.failures.append(f"{relative}: 不是有效的计划：{[d.message for d in errors]}")
        for name in FIELDS:
            if name not in entry or (name == "sections" and entry[name] is None):
                continue
            result.total[name] += 1
            got = found(plan, name)
            if right(name, entry[name], got):
                result.right[name] += 1
            else:
                result.wrong.append(f"{relative} {name}: expected {entry[name]!r}, got {got!r}")
    return result, plans


if __name__ == "__main__":
    sys.path.insert(0, str(CORPUS.parents[1]))
    outcome, _ = score()
    print(outcome.table())
    for line in outcome.wrong + outcome.failures:
        print(" ", line)
