"""Titles cut from the dictionary table on disk exactly as jieba cuts them with its whole
dictionary loaded (render/text/wordfreq.py), the table rebuilt for other words, and the
whole dictionary used when the cache folder cannot be written."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from render.text import wordfreq
from render.text.titlebreak import _TITLE_WORDS, break_title

TITLES = [
    "关于印发《重庆市北碚区2025年中小学校园食品安全专项整治实施方案》的通知",
    "中共重庆市大足区委教育工作委员会关于表彰2024年度优秀共产党员和先进基层党组织的决定",
    "关于做好2025年春季学期开学前后学生心理健康教育与家校协同育人工作的通知",
    "重庆市璧山区青杠街道中心小学校2025学年度第二学期教育教学工作计划",
    "关于开展“清朗·护苗”网络生态治理暨青少年防沉迷专项行动的通知",
    "黔江区教育委员会办公室关于转发市教委职业院校技能大赛AI赛项规程的函",
    "关于公布第3批区级智慧校园示范校（共12所）名单的通报",
    "云阳县人民政府办公室关于进一步规范校外培训机构收费与退费管理的意见",
]

ROOT = Path(__file__).resolve().parent.parent

# In a process of its own, so that jieba is imported the way gongwen imports it.
HMM_PROBE = """
import json, sys
from render.text import wordfreq
jieba = wordfreq._import_jieba()
before = sorted(m for m in sys.modules if m.startswith("jieba.finalseg") or m == "pkg_resources")
text = sys.argv[1]
plain = jieba.lcut(text, HMM=False)
hmm = jieba.lcut(text, HMM=True)
print(json.dumps([before, plain, hmm, "jieba.finalseg.prob_emit" in sys.modules]))
"""


def _cut_both_ways(code: str, text: str) -> list[object]:
    run = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True,
                         timeout=120, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout))


def test_jieba_comes_without_its_hmm_model_until_a_cut_asks_for_it() -> None:
    """The HMM model is four fifths of jieba's import and no title cut uses it; a cut with
    HMM=True still gets it, and cuts as jieba imported the ordinary way does."""
    text = "黔江区教育委员会办公室关于转发市教委职业院校技能大赛AI赛项规程的函，请璧山区青杠街道遵照执行"
    before, plain, hmm, loaded = _cut_both_ways(HMM_PROBE, text)
    assert before == []  # neither the model nor pkg_resources while jieba was imported
    assert loaded  # the HMM cut imported the real model
    ordinary = HMM_PROBE.replace("wordfreq._import_jieba()", "__import__('jieba')")
    _, plain_ordinary, hmm_ordinary, _ = _cut_both_ways(ordinary, text)
    assert (plain, hmm) == (plain_ordinary, hmm_ordinary)
    assert plain != hmm  # the text has words only the HMM finds: the comparison means something


@cache
def _full() -> object:
    return wordfreq._FullSegmenter(wordfreq._import_jieba(), _TITLE_WORDS)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGWEN_CACHE", str(tmp_path / "cache"))
    wordfreq.segmenter.cache_clear()
    yield tmp_path / "cache"
    wordfreq.segmenter.cache_clear()


def test_the_table_cuts_as_the_whole_dictionary(cache_home: Path) -> None:
    segmenter = wordfreq.segmenter(_TITLE_WORDS)
    assert isinstance(segmenter, wordfreq.TitleSegmenter)
    full = _full()
    for title in TITLES:
        assert segmenter.cut(title) == full.cut(title), title  # type: ignore[attr-defined]
    assert [p.name for p in cache_home.iterdir() if p.suffix == ".sqlite"]


def test_the_title_compounds_are_words_of_the_table(cache_home: Path) -> None:
    cut = wordfreq.segmenter(_TITLE_WORDS).cut("南岸区教育委员会2025年工作要点")
    assert "工作要点" in cut and "教育委员会" in cut


def test_other_words_build_another_table_and_the_old_one_goes(cache_home: Path) -> None:
    wordfreq.segmenter(_TITLE_WORDS)
    first = sorted(cache_home.glob("title-words-*.sqlite"))
    segmenter = wordfreq.segmenter((*_TITLE_WORDS, "涂山初级中学校"))
    second = sorted(cache_home.glob("title-words-*.sqlite"))
    assert len(first) == len(second) == 1 and first != second
    assert "涂山初级中学校" in segmenter.cut("重庆市南岸区涂山初级中学校2025年工作总结")


def test_a_cache_path_that_is_a_file_falls_back_to_the_whole_dictionary(cache_home: Path) -> None:
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_text("not a folder", encoding="utf-8")
    segmenter = wordfreq.segmenter(_TITLE_WORDS)
    assert isinstance(segmenter, wordfreq._FullSegmenter)
    lines = break_title(TITLES[0], 20)
    assert "".join(lines) == TITLES[0] and all(len(line) <= 20 for line in lines)
