"""One office, one registry: the same registry and the same plan names from any folder.

The commands run as a clerk runs them: `python -m render …` in a fresh interpreter, from
different working folders of one office folder that holds a gongwen.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from render.registry import CONFIG_NAME, ENV_VAR, RegistryError, SQLiteStore, State, find_registry

ROOT = Path(__file__).resolve().parent.parent
CODE = "渝北教委发"
YEAR = 2025

PLAN = """\
类型: 通知
发文机关: 重庆市渝北区教育委员会
发文字号: {number}
标题: {title}
主送单位: 各镇（街道）中心校，区属各中小学校
正文: 现将有关事项通知如下，请认真贯彻落实。
成文日期: 2025-03-14
印章: 是
"""


def gongwen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "render", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office folder whose gongwen.toml names a registry in a sub-folder of its own."""
    folder = tmp_path / "渝北区教委办公室"
    (folder / "科室一").mkdir(parents=True)
    (folder / "科室二" / "草稿").mkdir(parents=True)
    (folder / "plans").mkdir()
    (folder / CONFIG_NAME).write_text('[registry]\nlocation = "发文登记/registry.sqlite"\n', encoding="utf-8")
    return folder


def write_plan(path: Path, number: str, title: str = "关于做好2025年春季学期校园安全工作的通知") -> Path:
    path.write_text(PLAN.format(number=number, title=title), encoding="utf-8")
    return path


# --- finding the registry --------------------------------------------------------------


def test_the_configuration_is_found_from_any_folder_below_it(office: Path) -> None:
    registry = office / "发文登记" / "registry.sqlite"
    for cwd in (office, office / "科室一", office / "科室二" / "草稿"):
        place = find_registry(cwd=cwd, environ={})
        assert (place.location, place.source, place.root) == (str(registry), "config", office)
        # A plan is named relative to the office folder, whichever folder the command runs in.
        assert place.plan_key(office / "plans" / "a.yaml") == "plans/a.yaml"


def test_option_then_environment_then_configuration(office: Path, tmp_path: Path) -> None:
    env = {ENV_VAR: str(tmp_path / "env.sqlite")}
    assert find_registry(cwd=office / "科室一", environ=env).location == str(tmp_path / "env.sqlite")
    chosen = find_registry("其他.sqlite", cwd=office / "科室一", environ=env)
    assert (chosen.location, chosen.source) == (str(office / "科室一" / "其他.sqlite"), "option")
    assert chosen.plan_key(office / "plans" / "a.yaml") == "plans/a.yaml"  # still named from the office


def test_without_a_configuration_the_users_registry_and_absolute_names(tmp_path: Path) -> None:
    place = find_registry(cwd=tmp_path, environ={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert (place.location, place.source) == (str(tmp_path / "data" / "gongwen" / "registry.sqlite"), "user")
    assert place.plan_key(tmp_path / "a.yaml") == (tmp_path / "a.yaml").resolve().as_posix()
    assert not place.in_use()  # explicit numbers are not recorded in a registry nobody made


def test_a_workspace_prefixes_plan_names(office: Path) -> None:
    (office / CONFIG_NAME).write_text('[registry]\nlocation = "postgresql://clerk@db.local/gongwen"\n'
                                      'workspace = "张晓梅"\n', encoding="utf-8")
    place = find_registry(cwd=office, environ={})
    assert place.is_server and place.in_use()
    assert place.plan_key(office / "plans" / "a.yaml") == "张晓梅:plans/a.yaml"


@pytest.mark.parametrize(("text", "says"), [
    ("[registry\nlocation = 'x'\n", "不是有效的 TOML 文件"),
    ("[registry]\nloaction = 'x.sqlite'\n", "未知的键 loaction"),
    ("[registry]\nlocation = 3\n", "location 应为非空的文字"),
])
def test_a_broken_configuration_is_named(office: Path, text: str, says: str) -> None:
    (office / CONFIG_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=says) as refused:
        find_registry(cwd=office / "科室一", environ={})
    assert str(office / CONFIG_NAME) in refused.value.message
    done = gongwen("number", "next", CODE, cwd=office / "科室一")
    assert done.returncode == 1 and says in done.stderr and "Traceback" not in done.stderr


def test_an_old_project_registry_keeps_working_and_says_where_to_put_it(tmp_path: Path) -> None:
    project = tmp_path / "旧项目"
    (project / "plans").mkdir(parents=True)
    with SQLiteStore(project / ".gongwen" / "registry.sqlite") as store:
        store.allocate(CODE, YEAR, title="关于开展2025年学生资助政策宣传的通知")
    old = find_registry(cwd=project / "plans", environ={})
    assert (old.source, old.location, old.root) == ("legacy", str(project / ".gongwen" / "registry.sqlite"), project)
    assert old.plan_key(project / "plans" / "a.yaml") == "plans/a.yaml"  # as it was named when run from there
    done = gongwen("number", "next", CODE, "--year", str(YEAR), cwd=project / "plans")
    assert done.returncode == 0 and done.stdout == f"{CODE}〔{YEAR}〕2号\n"
    assert "旧位置" in done.stderr and CONFIG_NAME in done.stderr and str(project) in done.stderr
    # Following the advice: a gongwen.toml naming the same file, and the notice is gone.
    (project / CONFIG_NAME).write_text('[registry]\nlocation = ".gongwen/registry.sqlite"\n', encoding="utf-8")
    done = gongwen("number", "next", CODE, "--year", str(YEAR), cwd=project / "plans")
    assert (done.stdout, done.stderr) == (f"{CODE}〔{YEAR}〕3号\n", "")


def test_number_where_says_which_registry_and_why(office: Path) -> None:
    done = gongwen("number", "where", cwd=office / "科室二" / "草稿")
    assert done.returncode == 0
    assert str(office / "发文登记" / "registry.sqlite") in done.stdout
    assert str(office / CONFIG_NAME) in done.stdout and "尚未建立" in done.stdout
    voided = gongwen("number", "void", f"{CODE}〔{YEAR}〕1号", "--reason", "误发", cwd=office)
    assert voided.returncode == 1 and "未登记" in voided.stderr
    assert not (office / "发文登记").exists()  # reading and refusing make no registry


# --- one sequence from many folders ----------------------------------------------------

TAKE_NUMBERS = """
import sys
from render.cli.main import main
for i in range(int(sys.argv[1])):
    main(["number", "next", sys.argv[2], "--year", sys.argv[3], "--title", f"{sys.argv[4]}-{i}"],
         prog_name="gongwen")
"""


def test_three_folders_two_processes_each_draw_one_sequence(office: Path) -> None:
    per_process = 25
    folders = [office, office / "科室一", office / "科室二" / "草稿"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", TAKE_NUMBERS, str(per_process), CODE, str(YEAR),
                                   f"{folder.name}-{n}"], cwd=folder, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for folder in folders for n in range(2)]
    outputs = [process.communicate() for process in processes]
    assert [process.returncode for process in processes] == [0] * 6, [err for _, err in outputs]
    numbers = [line for out, _ in outputs for line in out.splitlines()]
    total = per_process * len(processes)
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [f"{CODE}〔{YEAR}〕{s}号" for s in range(1, total + 1)]
    with SQLiteStore(office / "发文登记" / "registry.sqlite") as store:
        entries = store.list(CODE, YEAR)
    assert [entry.number.serial for entry in entries] == list(range(1, total + 1))
    assert len({entry.title for entry in entries}) == total
    for folder in folders:  # no folder grew a registry of its own
        assert not (folder / ".gongwen").exists()


def test_the_same_auto_plan_from_two_folders_keeps_its_number(office: Path) -> None:
    write_plan(office / "plans" / "安全工作.yaml", f"{{代字: {CODE}, 年份: {YEAR}, 序号: 自动}}")
    gongwen("number", "next", CODE, "--year", str(YEAR), "--title", "先发的文件", cwd=office)  # 1号 taken
    first = gongwen("render", "plans/安全工作.yaml", "-o", str(office / "out1"), cwd=office)
    second = gongwen("render", "安全工作.yaml", "-o", str(office / "out2"), "--force", cwd=office / "plans")
    taken = f"{CODE}〔{YEAR}〕2号"
    for done in (first, second):
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"发文字号 {taken}（serial: auto" in done.stdout  # the render says which number it took
    for out in ("out1", "out2"):
        text = "\n".join(p.text for p in Document(str(office / out / "安全工作.docx")).paragraphs)
        assert taken in text
    with SQLiteStore(office / "发文登记" / "registry.sqlite") as store:
        entries = store.list(CODE, YEAR)
    assert [(e.number.serial, e.plan, e.state) for e in entries] == [
        (1, None, State.ISSUED), (2, "plans/安全工作.yaml", State.RESERVED)]


# --- claims through the real command ---------------------------------------------------


def test_a_plan_writing_a_number_handed_out_for_another_title_is_warned(office: Path) -> None:
    handed = gongwen("number", "next", CODE, "--year", str(YEAR), "--title", "关于召开全区教育工作会议的通知", cwd=office)
    assert handed.stdout == f"{CODE}〔{YEAR}〕1号\n"
    plan = write_plan(office / "plans" / "会议.yaml", f"{CODE}〔{YEAR}〕1号", title="关于印发渝北区教育督导办法的通知")

    checked = gongwen("validate", "plans/会议.yaml", cwd=office)
    assert checked.returncode == 0, checked.stdout
    warning = next(line for line in checked.stdout.splitlines() if "W313" in line)
    assert "会议.yaml:3:" in warning
    assert "《关于召开全区教育工作会议的通知》" in warning and "《关于印发渝北区教育督导办法的通知》" in warning
    assert checked.stdout.splitlines()[-1] == "检查了 1 个计划：0 个错误，1 个警告，可以渲染"
    with SQLiteStore(office / "发文登记" / "registry.sqlite") as store:  # validate wrote nothing
        assert store.lookup(store.list()[0].number).title == "关于召开全区教育工作会议的通知"  # type: ignore[union-attr]

    rendered = gongwen("render", str(plan), "-o", str(office / "out"), cwd=office / "科室一")
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert "W313" in rendered.stdout and "《关于召开全区教育工作会议的通知》" in rendered.stdout
    with SQLiteStore(office / "发文登记" / "registry.sqlite") as store:
        entry = store.list()[0]
    assert (entry.title, entry.plan) == ("关于印发渝北区教育督导办法的通知", "plans/会议.yaml")


def test_validate_checks_written_numbers_against_the_registry(office: Path) -> None:
    write_plan(office / "plans" / "甲.yaml", f"{CODE}〔{YEAR}〕7号", title="关于甲事项的通知")
    write_plan(office / "plans" / "乙.yaml", f"{CODE}〔{YEAR}〕7号", title="关于乙事项的通知")
    write_plan(office / "plans" / "丙.yaml", f"{CODE}〔{YEAR}〕8号", title="关于丙事项的通知")
    before = gongwen("validate", "plans", cwd=office)
    assert before.returncode == 0 and not (office / "发文登记").exists()  # no registry yet: nothing taken

    assert gongwen("render", "plans/甲.yaml", "-o", "out", cwd=office).returncode == 0
    assert gongwen("number", "next", CODE, "--year", str(YEAR), cwd=office).stdout == f"{CODE}〔{YEAR}〕8号\n"
    assert gongwen("number", "void", f"{CODE}〔{YEAR}〕8号", "--reason", "编号重复，作废", cwd=office).returncode == 0

    after = gongwen("validate", str(office / "plans"), cwd=office / "科室一")
    lines = after.stdout.splitlines()
    assert after.returncode == 1
    taken = next(line for line in lines if "乙.yaml:3:" in line)
    assert "E312" in taken and "《关于甲事项的通知》" in taken and "plans/甲.yaml" in taken
    voided = next(line for line in lines if "丙.yaml:3:" in line)
    assert "E312" in voided and "已作废" in voided and "编号重复，作废" in voided
    assert not any("甲.yaml:" in line for line in lines)  # its own number is no problem
    assert lines[-1] == "检查了 3 个计划：2 个错误，0 个警告"


def test_without_any_configuration_every_folder_shares_the_users_registry(tmp_path: Path,
                                                                          own_registry_home: Path) -> None:
    # The report this issue began with: 1号–5号 taken in a sub-folder, then a serial: auto plan
    # rendered from the folder above was handed 1号 again from a new, empty registry.
    work = tmp_path / "大渡口教委"
    (work / "文件").mkdir(parents=True)
    for _ in range(5):
        assert gongwen("number", "next", "大渡口教委发", "--year", "2024", cwd=work / "文件").returncode == 0
    (work / "auto.yaml").write_text(PLAN.format(number="{代字: 大渡口教委发, 年份: 2024, 序号: 自动}",
                                                title="关于做好2024年暑期安全工作的通知"), encoding="utf-8")
    done = gongwen("render", "auto.yaml", "-o", "out", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "发文字号 大渡口教委发〔2024〕6号" in done.stdout
    assert not (work / ".gongwen").exists() and not (work / "文件" / ".gongwen").exists()
    assert (own_registry_home / "gongwen" / "registry.sqlite").exists()
