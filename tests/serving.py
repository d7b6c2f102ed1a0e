"""A real `gongwen serve` application on 127.0.0.1 for the serve tests: uvicorn in a thread,
on a free port, stopped at the end; and made-up plans to serve."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from render.registry import RegistryPlace
from render.serve.app import create_app

NOTICE = """\
# 璧山区的通知：这行注释和中文键名在网页保存后应原样保留
类型: 通知
发文机关:
  - 重庆市璧山区教育委员会
  - 重庆市璧山区财政局
发文字号: 璧山教发〔2026〕17号
标题: 关于开展2026年春季学期中小学校园安全隐患排查整治工作的通知
主送机关:
  - 各镇人民政府、街道办事处
  - 区属各中小学校
正文: |
  为切实做好春季学期校园安全工作，防范各类安全事故发生，经研究，决定在全区中小学校开展校园安全隐患排查整治工作。现将有关事项通知如下。
  各校要于3月20日前完成自查，建立隐患台账，逐项明确整改责任人和整改时限。
成文日期: 2026-03-02
"""

WORK_POINTS = """\
type: work_points
issuers: 重庆市铜梁区教育委员会
title: 铜梁区2026年教育督导工作要点
preamble: |
  2026年全区教育督导工作以推进教育优质均衡发展为主线，突出督政、督学、评估监测三项职能。
sections:
  - title: 完善督导体制机制
    items:
      - title: 健全教育督导问责办法
        text: 制定督导结果运用清单，对整改不力的单位进行约谈。
        lead: [区教育督导室]
        units: [区教委办公室, 区教委人事科]
      - title: 落实责任督学挂牌督导制度
        text: 每月到校督导不少于两次，督导记录按季度汇总。
        lead: [区教育督导室]
        units: [各中小学校]
  - title: 开展专项督导评估
    items:
      - title: 开展义务教育优质均衡发展督导评估
        text: 对照国家评估指标逐项自查，形成区级自评报告。
        lead: [区教委基础教育科]
        units: [区教育督导室]
"""

# Two errors the loader reports at their lines: a 发文字号 without its serial, an unknown key.
BROKEN = """\
type: notice
issuers: 重庆市潼南区教育委员会
number: 潼南教发〔2026〕
title: 关于举办全区中小学生书法比赛的通知
to: 各中小学校
body: 请各校认真组织。
colour: 红色
date: 2026-03-05
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_plans(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bishan-notice.yaml").write_text(NOTICE, encoding="utf-8")
    (folder / "tongliang-work-points.yaml").write_text(WORK_POINTS, encoding="utf-8")
    (folder / "tongnan-broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


@contextmanager
def running_server(folder: Path, registry: RegistryPlace | None = None) -> Iterator[str]:
    """The application served on 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(create_app(folder, registry), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30  # a start-up bound, not a speed assertion
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("gongwen serve did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
