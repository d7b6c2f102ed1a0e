"""The office's registry as the commands find it: one place to say where it is and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from render.registry.settings import CONFIG_NAME, ENV_VAR

if TYPE_CHECKING:
    from render.registry import RegistryPlace

REGISTRY_HELP = (f"发文字号登记簿：SQLite 文件路径或 postgresql:// 服务器地址（默认取环境变量 {ENV_VAR}，"
                 f"否则取当前文件夹或上级文件夹中 {CONFIG_NAME} 写明的登记簿，否则为本用户的登记簿）")

_SOURCES = {
    "option": "--registry 指定",
    "env": f"环境变量 {ENV_VAR} 指定",
    "config": "办公配置文件 {config} 指定",
    "legacy": "旧位置的登记簿",
    "user": f"本用户的默认登记簿（没有找到 {CONFIG_NAME}）",
}


def find_place(option: str | None) -> RegistryPlace:
    """The registry in force; its notices (an old registry's location, …) go to stderr."""
    from render.registry import RegistryError, find_registry

    try:
        place = find_registry(option)
    except RegistryError as error:
        raise click.ClickException(error.message) from None
    for notice in place.notices:
        click.echo(notice, err=True)
    return place


def describe(place: RegistryPlace) -> list[str]:
    """`gongwen number where`: the registry, why this one, and how plans are named in it."""
    source = _SOURCES[place.source].format(config=place.config)
    lines = [f"登记簿：{place.shown()}（{source}）"]
    if not place.exists():
        lines.append("  尚未建立：第一次分配发文字号时新建")
    if place.root is not None:
        lines.append(f"计划的登记名：相对于 {place.root} 的路径" + (f"，前缀 {place.workspace}:" if place.workspace else ""))
    else:
        lines.append(f"计划的登记名：计划文件的完整路径（在办公文件夹放一个 {CONFIG_NAME} 可改为相对路径）")
    return lines
