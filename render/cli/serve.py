"""`gongwen serve`: the local web page over a folder of plans."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from render.cli.office import REGISTRY_HELP

DEFAULT_PORT = 8000


@click.command("serve")
@click.argument("folder", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="端口")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听地址；默认只有本机可以访问，改为其他地址会让网络上的其他电脑也能打开和修改计划")
@click.option("--registry", metavar="位置", help=REGISTRY_HELP)
@click.option("-o", "--output", type=click.Path(file_okay=False), metavar="目录",
              help="网页上“批量渲染”的输出目录（默认为计划文件夹中的 outputs/）")
def serve_command(folder: str, port: int, host: str, registry: str | None, output: str | None) -> None:
    """打开本地网页：列出文件夹中的计划，在网页上修改、检查、预览并下载 Word、PDF、Excel。"""
    import uvicorn

    from render.cli.office import find_place
    from render.serve.app import create_app

    loopback = _is_loopback(host)
    app = create_app(Path(folder), find_place(registry), loopback=loopback,
                     outputs=Path(output) if output is not None else None)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"gongwen 网页已启动：http://{shown}:{port}/ （计划文件夹：{Path(folder).resolve()}；按 Ctrl+C 停止）")
    if not loopback:
        click.echo(f"注意：监听地址为 {host}，网络上的其他电脑也能打开和修改这些计划。", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
