"""Where the office's 发文字号 registry is, the same from any folder.

In order: the `--registry` value; the environment variable GONGWEN_REGISTRY; the office
configuration `gongwen.toml`, looked up from the current folder upwards; an old
`.gongwen/registry.sqlite` found on the same walk (it keeps working, with a notice saying
how to keep it for good); else the per-user default, `$XDG_DATA_HOME/gongwen/registry.sqlite`
(`~/.local/share/gongwen/…`; `%LOCALAPPDATA%\\gongwen\\…` on Windows).

Plans are named in the registry relative to the configuration's folder (or the old
registry's), so the same plan is one plan from any working folder; without either, by
their absolute path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from msgspec import Struct

from render.registry.settings import CONFIG_NAME, ENV_VAR
from render.registry.store import RegistryError

LEGACY_LOCATION = Path(".gongwen") / "registry.sqlite"
SERVER_SCHEMES = ("postgresql", "postgres")

Source = Literal["option", "env", "config", "legacy", "user"]

_REGISTRY_KEYS = {"location", "workspace"}


class RegistryPlace(Struct, frozen=True):
    """A registry location, how it was found, and how plans are named in it."""

    location: str                   # an absolute file path, or a postgresql:// address
    source: Source
    root: Path | None = None        # plan keys are relative to this folder
    config: Path | None = None      # the gongwen.toml in force, if any
    workspace: str = ""             # a prefix for plan keys (clerks with plans on their own PCs)
    notices: tuple[str, ...] = ()   # what finding it had to say (a legacy registry left behind, …)

    @property
    def is_server(self) -> bool:
        return scheme_of(self.location) in SERVER_SCHEMES

    @property
    def named(self) -> bool:
        """Chosen by someone (option, environment, configuration), not found by default."""
        return self.source in ("option", "env", "config")

    def exists(self) -> bool:
        """Whether there is something to read: a server always counts, a file once made."""
        return self.is_server or Path(self.location).exists()

    def in_use(self) -> bool:
        """Explicit numbers are recorded only where a registry is in use: rendering a plan
        must not create a registry as a side effect."""
        return self.named or self.exists()

    def shown(self) -> str:
        """The location for messages: a server without its password."""
        return shown_location(self.location)

    def plan_key(self, path: str | Path) -> str:
        """A plan's name in the registry: relative to the office folder, whatever the cwd."""
        resolved = Path(path).resolve()
        key = resolved.as_posix()
        if self.root is not None:
            try:
                key = resolved.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass  # a plan outside the office folder keeps its absolute path
        return f"{self.workspace}:{key}" if self.workspace else key


def find_registry(option: str | Path | None = None, *, cwd: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> RegistryPlace:
    """The registry in force for a command run in `cwd` (default: the current folder)."""
    environ = os.environ if environ is None else environ
    here = (cwd or Path.cwd()).resolve()
    config, legacy = _walk_up(here)
    settings = read_config(config) if config is not None else {}
    root = config.parent if config is not None else legacy.parent.parent if legacy is not None else None
    workspace = str(settings.get("workspace", "")).strip()

    def place(location: str, source: Source, *notices: str) -> RegistryPlace:
        return RegistryPlace(location, source, root, config, workspace, notices)

    if option is not None and str(option).strip():
        return place(_absolute(str(option).strip(), here), "option")
    from_env = environ.get(ENV_VAR, "").strip()
    if from_env:
        return place(_absolute(from_env, here), "env")
    if config is not None and "location" in settings:
        location = _absolute(str(settings["location"]).strip(), config.parent)
        unused = () if legacy is None or Path(location) == legacy else (
            f"提示：{legacy} 是旧位置的登记簿，现在不再使用：{config} 指定的登记簿是 {shown_location(location)}。"
            "其中的号码如仍需要，请先用 gongwen number list 核对。",)
        return place(location, "config", *unused)
    if legacy is not None and config is None:
        return place(str(legacy), "legacy", _legacy_notice(legacy))
    return place(str(user_default(environ)), "user")


def user_default(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if os.name == "nt" and environ.get("LOCALAPPDATA"):
        base = Path(environ["LOCALAPPDATA"])
    else:
        base = Path(environ.get("XDG_DATA_HOME", "").strip() or Path.home() / ".local" / "share")
    return base / "gongwen" / "registry.sqlite"


def read_config(path: Path) -> dict[str, Any]:
    """The `[registry]` table of a gongwen.toml, checked; errors name the file."""
    import tomllib  # only where an office has a gongwen.toml

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path}：不是有效的 TOML 文件（{error}）", "config") from None
    except OSError as error:
        raise RegistryError(f"无法读取办公配置文件 {path}：{error.strerror or error}", "config") from None
    registry = data.get("registry", {})
    if not isinstance(registry, dict):
        raise RegistryError(f"{path}：registry 应为一个表（[registry]）", "config")
    unknown = sorted(set(registry) - _REGISTRY_KEYS)
    if unknown:
        raise RegistryError(f"{path}：[registry] 中有未知的键 {'、'.join(unknown)}；"
                            f"可用的键为 {'、'.join(sorted(_REGISTRY_KEYS))}", "config")
    for key in _REGISTRY_KEYS & set(registry):
        if not isinstance(registry[key], str) or (key == "location" and not registry[key].strip()):
            raise RegistryError(f"{path}：[registry] 的 {key} 应为非空的文字（用引号括起）", "config")
    return registry


def scheme_of(location: str) -> str:
    head, separator, _ = location.partition("://")
    return head.strip().lower() if separator else ""


def shown_location(location: str) -> str:
    if not scheme_of(location):
        return location
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(location)
    except Exception:  # noqa: BLE001 - an address psycopg cannot read is shown by its scheme only
        return f"{scheme_of(location)}://…"
    host, port, user, db = (parts.get(k) for k in ("host", "port", "user", "dbname"))
    who = f"{user}@" if user else ""
    return f"{scheme_of(location)}://{who}{host or 'localhost'}{f':{port}' if port else ''}/{db or ''}"


def _walk_up(start: Path) -> tuple[Path | None, Path | None]:
    """The nearest gongwen.toml, and an old registry file found before it."""
    legacy = None
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate, legacy
        if legacy is None and (folder / LEGACY_LOCATION).is_file():
            legacy = folder / LEGACY_LOCATION
    return None, legacy


def _absolute(location: str, base: Path) -> str:
    if scheme_of(location):
        return location
    path = Path(location).expanduser()
    return str(path if path.is_absolute() else base / path)


def _legacy_notice(legacy: Path) -> str:
    folder = legacy.parent.parent
    return (f"提示：正在使用旧位置的发文字号登记簿 {legacy}，只有在 {folder} 及其子文件夹中运行才找得到它。"
            f"请在 {folder} 新建 {CONFIG_NAME}，写入两行：[registry] 和 "
            f"location = \"{LEGACY_LOCATION.as_posix()}\"（把登记簿移到别处时改写这个位置），"
            "此后从任何子文件夹运行都用这一个登记簿，已登记的号码不变。")
