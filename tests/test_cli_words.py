"""The words the tool uses: help in Chinese to the last line of click's chrome, and the
Chinese values users write in plans (序号: 自动, 印章: 是, 主送单位)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from render.reading.loader import load_plan_text

ROOT = Path(__file__).resolve().parent.parent
CLICK_CHROME = re.compile(r"Usage:|Options:|Commands:|Show this message and exit|Show the version|\[default:"
                          r"|required\]|--[\w-]+ (?:TEXT|PATH|FILE|DIRECTORY|INTEGER|FLOAT)\b")


def gongwen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "render", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("command", [(), ("render",), ("number",), ("number", "list"), ("validate",),
                                     ("collect",), ("import",)])
def test_help_is_chinese_throughout(command: tuple[str, ...]) -> None:
    done = gongwen(*command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法：python -m render") and "选项：" in done.stdout and "显示本帮助并退出。" in done.stdout
    leftovers = CLICK_CHROME.findall(done.stdout)
    assert not leftovers, done.stdout


@pytest.mark.parametrize("name", sorted(__import__("render.cli.commands").cli.commands.LAZY_COMMANDS))
def test_a_lazy_commands_listed_line_is_its_own_first_line(name: str) -> None:
    """`gongwen --help` lists the commands it does not import from render/cli/commands.py:
    each line there must be the one the command's help begins with."""
    from render.cli.commands import LAZY_COMMANDS

    command = LAZY_COMMANDS[name].load()
    assert command.name == name and command.help is not None
    assert command.help.splitlines()[0] == LAZY_COMMANDS[name].summary


@pytest.mark.parametrize("command", [(), ("render",), ("number", "list"), ("serve",), ("check",), ("validate",)])
@pytest.mark.parametrize("columns", [50, 64])
def test_help_is_wrapped_by_terminal_columns(command: tuple[str, ...], columns: int) -> None:
    """A Chinese character takes two columns: no line reaches the terminal's last column
    (click never lays help narrower than 50), none starts with closing punctuation or ends
    with opening."""
    from render.text.chars import CLOSING, OPENING, terminal_columns

    done = subprocess.run([sys.executable, "-m", "render", *command, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": str(columns)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) > 8
    assert [line for line in lines if terminal_columns(line) > max(columns - 1, 50)] == []
    words = [line.strip() for line in lines if line.strip()]
    # A line may start with a Latin word that begins with a full stop (.yaml, .docx).
    assert [line for line in words if line[0] in CLOSING and not line[:2].strip(".").isascii()] == []
    assert [line for line in words if line[-1] in OPENING] == []


def test_an_unknown_command_is_matched_against_every_command() -> None:
    done = gongwen("serv")  # serve's module is not imported until it runs
    assert done.returncode == 2 and "没有命令“serv”，是否想用“serve”？" in done.stderr


def test_number_list_help_explains_the_states() -> None:
    text = gongwen("number", "list", "--help").stdout
    for state, meaning in (("已预留", "serial: auto"), ("已使用", "number next"), ("已作废", "number void")):
        line = next(line for line in text.splitlines() if state in line)
        assert meaning in line


def test_a_usage_error_is_chinese_too() -> None:
    done = gongwen("render")
    assert done.returncode == 2
    assert done.stderr.startswith("用法：python -m render render [选项] PATHS...") and "缺少参数" in done.stderr


NOTICE = """\
类型: 通知
发文机关: 重庆市铜梁区教育委员会
发文字号: {{代字: 铜梁教委发, 年份: 2024, 序号: {serial}}}
标题: 关于开展2024年中小学生体质健康抽测的通知
{to}
正文: 现将有关事项通知如下。
成文日期: 2024-04-08
印章: {seal}
"""


def notice(serial: str = "自动", to: str = "主送单位: 各中小学校", seal: str = "是") -> str:
    return NOTICE.format(serial=serial, to=to, seal=seal)


def test_chinese_values_where_users_write_them() -> None:
    plan = load_plan_text(notice()).require()
    assert plan.number is not None and plan.number.is_auto
    assert plan.seal is True and plan.to == ["各中小学校"]
    assert load_plan_text(notice(seal="否")).require().seal is False
    same = load_plan_text(notice(serial="auto", to="主送机关: 各中小学校", seal="true")).require()
    assert same.model_dump() == plan.model_dump()


def test_two_spellings_of_the_addressee_and_a_wrong_yes_are_refused() -> None:
    both = load_plan_text(notice(to="主送机关: 各中小学校\n主送单位: 各幼儿园"))
    assert [d.code for d in both.diagnostics if d.is_error] == ["E202"]
    assert both.diagnostics[0].line == 6 and "“主送单位”和“主送机关”" in both.diagnostics[0].message
    maybe = load_plan_text(notice(seal="也许"))
    problem = next(d for d in maybe.diagnostics if d.is_error)
    assert (problem.code, problem.line) == ("E204", 8) and "是 或 否" in problem.message


def test_render_says_nothing_but_its_own_chinese_lines(tmp_path: Path) -> None:
    """fontTools logs in English while the OFD writer outlines the 发文机关标志 (Debian's free
    fonts carry a few padding bytes too many in `glyf`): stderr holds only our lines."""
    done = gongwen("render", str(ROOT / "plans" / "nanan-2022-22-notice.yaml"), "--to", "ofd,pdf,docx",
                   "-o", str(tmp_path), "--force")
    assert done.returncode == 0, done.stderr
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    ours = re.compile(r"^\[\d+/\d+\] |[\u4e00-\u9fff]")  # a progress line, or Chinese words
    assert lines and all(ours.search(line) for line in lines), done.stdout + done.stderr
    debugging = subprocess.run([sys.executable, "-m", "render", "render",
                                str(ROOT / "plans" / "nanan-2022-22-notice.yaml"), "--to", "ofd",
                                "-o", str(tmp_path / "debug"), "--force"], cwd=ROOT, capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "GONGWEN_DEBUG": "1"}, timeout=120)
    assert debugging.returncode == 0, debugging.stderr
    assert "glyf" in debugging.stderr  # the message this test is about, shown when asked for
