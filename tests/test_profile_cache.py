"""The validated profile is kept in the cache folder by its content (issue 18): a second
load reads it back, an edited profile is validated afresh, a damaged or foreign cache file
is ignored, and an invalid profile is never kept."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from render.diagnostics import PlanError
from render.profile import DEFAULT_PROFILE, Profile, load_profile


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGWEN_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _kept(cache_home: Path) -> list[Path]:
    return sorted(cache_home.glob("profile-*.pickle"))


def test_a_profile_is_validated_once_then_read_back(cache_home: Path, tmp_path: Path) -> None:
    first = load_profile()
    assert len(_kept(cache_home)) == 1
    again = load_profile()
    assert again == first and again is not first
    assert again.margins.top == first.margins.top and again.grid.chars == 28


def test_an_edited_profile_is_validated_afresh(cache_home: Path, tmp_path: Path) -> None:
    load_profile()
    edited = tmp_path / "profile.yaml"
    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    assert "chars: 28" in text
    edited.write_text(text.replace("chars: 28", "chars: 27", 1), encoding="utf-8")
    assert load_profile(edited).grid.chars == 27
    assert len(_kept(cache_home)) == 2
    edited.write_text(text.replace("chars: 28", "chars: 二十八", 1), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_profile(edited)
    assert "E600" in raised.value.diagnostics[0].format()
    assert len(_kept(cache_home)) == 2  # the invalid one is not kept


def test_a_damaged_or_foreign_cache_is_ignored(cache_home: Path) -> None:
    expected = load_profile()
    kept = _kept(cache_home)[0]
    kept.write_bytes(b"\x80\x05not a pickle")
    assert load_profile() == expected
    kept.write_bytes(pickle.dumps({"grid": "something else"}))
    loaded = load_profile()
    assert isinstance(loaded, Profile) and loaded == expected


def test_edits_leave_no_pile_of_old_profiles(cache_home: Path, tmp_path: Path) -> None:
    """Each edit of a profile leaves a validated copy; only the newest PROFILES_KEPT stay,
    and the two profiles a user renders with in turn are both among them."""
    import os

    from render.profile import PROFILES_KEPT

    text = DEFAULT_PROFILE.read_text(encoding="utf-8")
    load_profile()
    own = tmp_path / "own.yaml"
    own.write_text(text + "\n# 本单位\n", encoding="utf-8")
    load_profile(own)
    edited = tmp_path / "edited.yaml"
    for edit in range(PROFILES_KEPT + 6):
        edited.write_text(text + f"\n# 第 {edit} 次修改\n", encoding="utf-8")
        load_profile(edited)
        # Writes in one clock tick look the same age; space them as a user's edits are.
        for index, path in enumerate(sorted(_kept(cache_home), key=lambda p: p.stat().st_mtime_ns)):
            os.utime(path, ns=(index * 10**9, index * 10**9))
        load_profile()  # the default and the user's own are used between edits
        load_profile(own)
    kept = _kept(cache_home)
    assert len(kept) == PROFILES_KEPT
    edited.write_text(text + f"\n# 第 {PROFILES_KEPT + 5} 次修改\n", encoding="utf-8")
    before = set(kept)
    # The newest edit, the default and the user's own are all read back, none validated again.
    assert load_profile(edited) == load_profile() == load_profile(own)
    assert set(_kept(cache_home)) == before
