"""libyaml's parser (used where PyYAML has it) reads a plan exactly as PyYAML's pure-Python
one does: the same data and the same line and column for every key and value; what it
refuses is read again by the pure-Python parser, whose messages the loader explains."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from madeup import notice, work_points
from render.reading import yamlsource
from render.reading.yamlsource import YamlSourceError, _parse, load_yaml_text

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "plans").glob("*.yaml"))]
    texts += [yaml.safe_dump(plan, allow_unicode=True, sort_keys=False) for case in range(6)
              for plan in (notice(case), work_points(case))]
    # Odd but legal: flow lists after Chinese keys, quoted keys, a key with a colon, CRLF, tabs in text.
    texts.append('标题: "关于“双减”的通知：第二批"\n"主送机关": [各校, 区属单位]\n正文: "a\\tb"\r\n成文日期: 2026-03-01\n')
    return texts


@pytest.mark.parametrize("text", _texts(), ids=lambda text: text.split("\n", 1)[0][:30])
def test_both_parsers_give_the_same_data_and_places(text: str) -> None:
    fast_data, fast_map = _parse(yaml.CSafeLoader, text, "x.yaml")
    pure_data, pure_map = _parse(yaml.SafeLoader, text, "x.yaml")
    assert fast_data == pure_data
    assert fast_map.values == pure_map.values and fast_map.keys == pure_map.keys
    assert fast_map.literal == pure_map.literal


def test_what_libyaml_refuses_is_explained_by_the_pure_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "标题: 通知\nnote: " + "[" * 2000 + "]" * 2000 + "\n"
    with pytest.raises(YamlSourceError) as fast:
        load_yaml_text(text, "deep.yaml")
    monkeypatch.setattr(yamlsource, "_FastLoader", yaml.SafeLoader)
    with pytest.raises(YamlSourceError) as pure:
        load_yaml_text(text, "deep.yaml")
    assert fast.value.diagnostic == pure.value.diagnostic
    assert fast.value.diagnostic.code == "E109"
