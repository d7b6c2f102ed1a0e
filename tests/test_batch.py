"""`gongwen render` over many plans: failures isolated, incremental, atomic, deterministic.

Most tests use the stand-in writer in test_batch_fakewriter.py (registered through
`render.writers.WRITERS`, which pool workers inherit), so they test the batch machinery
whatever state the real writers are in; the tests at the end use the real writers when
they exist.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from render import writers
from render.batch.manifest import MANIFEST_NAME
from render.batch.run import BatchOptions, run_batch
from render.cli.progress import print_summary, reporter_for
from render.cli.render import render_command
from render.profile import DEFAULT_PROFILE
from test_batch_fakewriter import END, complete

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent

PLAN = """\
type: work_points
issuers: 测试区教育委员会
title: 2024年第{n}项工作要点
sections:
  - title: 加强党的建设
    items:
      - title: 抓好理论学习{n}
        text: 深入学习贯彻党的二十大精神，全年开展集中学习{n}次。
        lead: 区教委
        units: [区委宣传部, 区财政局]
      - title: 推进清廉学校建设
        text: 开展廉洁文化进校园活动。
        lead: 区教委
"""
BROKEN = "type: work_points\nissuers: 测试区教育委员会\nsections: []\n"  # no title


def _plan(folder: Path, name: str, n: int) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(PLAN.format(n=n), encoding="utf-8")
    return path


@pytest.fixture
def fake_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    for fmt, (_, kinds) in list(writers.WRITERS.items()):
        monkeypatch.setitem(writers.WRITERS, fmt, ("test_batch_fakewriter", kinds))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_writers: None) -> Path:
    """A project folder (the working directory) with plans/ holding four good plans."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path / "registry.sqlite"))
    plans = tmp_path / "plans"
    plans.mkdir()
    for n, name in enumerate(("alpha", "bravo", "charlie", "delta"), 1):
        _plan(plans, name, n)
    return tmp_path


def render(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(render_command, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def outputs(folder: Path, suffix: str = ".docx") -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob(f"*{suffix}"))}


# --- failures --------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "3"])
def test_broken_plan_renders_the_others_and_exits_1_naming_it(project: Path, jobs: str) -> None:
    (project / "plans" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    code, output = render("plans", "--to", "docx,pdf", "-j", jobs)
    assert code == 1
    assert "完成：渲染 4，跳过 0，失败 1" in output
    assert "✗ plans/broken.yaml" in output
    assert "plans/broken.yaml:1:1: E203" in output  # the failure's own error, at the end
    assert sorted(outputs(project / "outputs")) == ["alpha.docx", "bravo.docx", "charlie.docx", "delta.docx"]
    assert all(complete(p) for p in (project / "outputs").glob("*.*") if p.suffix in (".docx", ".pdf"))


def test_a_writer_crash_is_one_failure_not_the_batch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_FAKE_FAIL", "bravo")
    code, output = render("plans", "--to", "docx", "-j", "2")
    assert code == 1
    assert "失败 1" in output and "bravo.yaml: 渲染失败（docx）" in output
    assert not (project / "outputs" / "bravo.docx").exists()
    assert not list((project / "outputs").glob(".*.tmp"))  # the temporary file is cleaned up


def test_plain_lines_when_not_a_terminal(project: Path) -> None:
    code, output = render("plans", "--to", "docx")
    assert code == 0
    lines = [line for line in output.splitlines() if line.startswith("[")]
    assert lines == [f"[{n}/4] ✓ plans/{name}.yaml → outputs/{name}.docx"
                     for n, name in enumerate(("alpha", "bravo", "charlie", "delta"), 1)]


def test_progress_bar_on_a_terminal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "plans" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    tally = run_batch(("plans",), BatchOptions(formats=("docx",)), lambda total: reporter_for(total, True))
    print_summary(tally)
    out = capsys.readouterr().out
    assert tally.failed == 1
    assert "5/5" in out and "✗ plans/broken.yaml" in out and "失败 1" in out


def test_two_plans_with_one_output_name_are_refused(project: Path) -> None:
    other = project / "other"
    other.mkdir()
    _plan(other, "alpha", 9)
    code, output = render("plans", "other", "--to", "docx")
    assert code == 1
    assert "other/alpha.yaml: 输出文件名与 plans/alpha.yaml 相同" in output
    assert "第9项" not in (project / "outputs" / "alpha.docx").read_text(encoding="utf-8")


# --- incremental and deterministic -------------------------------------------------------

def test_second_run_skips_everything(project: Path) -> None:
    assert render("plans", "--to", "docx,pdf,xlsx", "-j", "2")[0] == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "outputs").iterdir()}
    code, output = render("plans", "--to", "docx,pdf,xlsx", "-j", "2")
    assert code == 0
    assert "完成：渲染 0，跳过 4，失败 0" in output
    assert {p: p.stat().st_mtime_ns for p in (project / "outputs").iterdir()} == before


def test_force_rerenders_byte_identical_files(project: Path) -> None:
    assert render("plans", "--to", "docx,pdf")[0] == 0
    first = {**outputs(project / "outputs"), **outputs(project / "outputs", ".pdf")}
    inodes = {p.name: p.stat().st_ino for p in (project / "outputs").glob("*.docx")}
    code, output = render("plans", "--to", "docx,pdf", "--force", "-j", "2")
    assert code == 0 and "完成：渲染 4，跳过 0，失败 0" in output
    assert {**outputs(project / "outputs"), **outputs(project / "outputs", ".pdf")} == first
    # Written anew (a new file renamed into place), not left alone.
    assert all(p.stat().st_ino != inodes[p.name] for p in (project / "outputs").glob("*.docx"))


def test_only_changed_inputs_are_rendered_again(project: Path) -> None:
    assert render("plans", "--to", "docx")[0] == 0
    _plan(project / "plans", "bravo", 22)
    (project / "outputs" / "charlie.docx").write_bytes(b"edited by hand")
    code, output = render("plans", "--to", "docx")
    assert code == 0
    assert "完成：渲染 2，跳过 2，失败 0" in output
    assert "✓ plans/bravo.yaml" in output and "✓ plans/charlie.yaml" in output
    assert complete(project / "outputs" / "charlie.docx")


def test_a_units_file_is_an_input(project: Path) -> None:
    units = project / "plans" / "units"
    units.mkdir()
    (units / "u.yaml").write_text("区教委: 测试区教育委员会\n", encoding="utf-8")
    plan = project / "plans" / "alpha.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "units_file: units/u.yaml\n", encoding="utf-8")
    assert render("plans", "--to", "docx")[0] == 0
    (units / "u.yaml").write_text("区教委: 测试区教育委员会\n区财政局: 测试区财政局\n", encoding="utf-8")
    assert "渲染 1，跳过 3" in render("plans", "--to", "docx")[1]


@pytest.mark.parametrize(("fmt", "rerendered"), [("docx", 4), ("pdf", 4), ("ofd", 4), ("xlsx", 0)])
def test_a_changed_font_file_renders_docx_and_pdf_again(project: Path, fmt: str, rerendered: int) -> None:
    """The .docx writer measures the fonts to place the 版记, the PDF embeds them; the
    workbook reads none. A profile names the 仿宋 file, which is then replaced."""
    from render.fonts.resolve import resolve_fonts

    system = resolve_fonts({})
    font = project / "fangsong.ttf"
    font.write_bytes(Path(system["fangsong"].path).read_bytes())
    profile = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    profile["font_files"] = {"fangsong": str(font)}
    (project / "local.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    assert render("plans", "--to", fmt, "--profile", "local.yaml")[0] == 0
    font.write_bytes(Path(system["kaiti"].path).read_bytes())  # another face at the same path
    assert f"渲染 {rerendered}，跳过 {4 - rerendered}" in render("plans", "--to", fmt, "--profile", "local.yaml")[1]


def test_manifest_records_inputs_and_output_hashes(project: Path) -> None:
    assert render("plans", "--to", "docx,xlsx")[0] == 0
    path = project / "outputs" / MANIFEST_NAME
    text = path.read_text(encoding="utf-8")
    body = json.loads(text)
    assert body["version"] == 1
    entry = body["outputs"]["alpha.docx"]
    assert set(entry) == {"inputs", "files", "plan", "data"}
    assert entry["plan"] == "plans/alpha.yaml" and entry["data"] is None
    assert len(entry["inputs"]) == 64 and list(entry["files"]) == ["alpha.docx"]
    assert text == json.dumps(body, sort_keys=True, ensure_ascii=False, indent=1) + "\n"  # sorted keys
    assert entry["inputs"] != body["outputs"]["alpha.xlsx"]["inputs"]  # the format is an input


def test_split_by_unit_writes_one_workbook_per_unit(project: Path) -> None:
    code, output = render("plans/alpha.yaml", "--to", "xlsx", "--split-by-unit")
    assert code == 0
    units = project / "outputs" / "alpha" / "units"
    assert sorted(p.name for p in units.iterdir()) == ["区委宣传部.xlsx", "区教委.xlsx", "区财政局.xlsx"]
    assert "渲染 0，跳过 1" in render("plans/alpha.yaml", "--to", "xlsx", "--split-by-unit")[1]


def test_serial_auto_takes_a_number_from_the_registry(project: Path) -> None:
    plan = project / "plans" / "alpha.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "number: {code: 测试教, year: 2024, serial: auto}\n",
                    encoding="utf-8")
    assert render("plans", "--to", "docx")[0] == 0
    assert "测试教〔2024〕1号" in (project / "outputs" / "alpha.docx").read_text(encoding="utf-8")
    assert "跳过 4" in render("plans", "--to", "docx")[1]  # the same number on every render


def test_worker_processes_are_replaced_as_the_batch_goes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Peak memory must not grow with the number of plans: workers are recycled, so whatever
    a writer keeps in memory is freed every few jobs."""
    from render.batch import run as batch

    pids = project / "pids"
    pids.mkdir()
    monkeypatch.setenv("GONGWEN_FAKE_PIDS", str(pids))
    monkeypatch.setattr(batch, "TASKS_PER_WORKER", 1)
    for n in range(5, 11):
        _plan(project / "plans", f"extra{n}", n)
    code, output = render("plans", "--to", "docx", "-j", "2")
    assert code == 0 and "渲染 10" in output
    assert len(list(pids.iterdir())) >= 5  # 10 jobs, 2 workers, 1 job each per pool


def test_an_explicit_number_is_claimed_only_when_a_registry_is_in_use(project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONGWEN_REGISTRY")
    for name in ("alpha", "bravo"):  # two plans, one number
        plan = project / "plans" / f"{name}.yaml"
        plan.write_text(plan.read_text(encoding="utf-8") + "number: 测试教〔2024〕7号\n", encoding="utf-8")
    assert render("plans", "--to", "docx")[0] == 0
    assert not (project / ".gongwen").exists()  # rendering alone creates no registry
    code, output = render("plans", "--to", "docx", "--force", "--registry", "numbers.sqlite")
    assert code == 1
    assert "plans/bravo.yaml:14:1: E312 测试教〔2024〕7号 已被" in output


# --- workers -------------------------------------------------------------------------------

POLICY_SCRIPT = """
import multiprocessing, os, sys
from pathlib import Path
from render import writers
from render.batch import run
writers.WRITERS["docx"] = ("test_batch_fakewriter", writers.WRITERS["docx"][1])
run._mp_context = lambda: multiprocessing.get_context(sys.argv[1])
Path("parent.pid").write_text(str(os.getpid()))
from render.cli.main import main
main(["render", "plans", "--to", "docx", "-j", "2"], prog_name="gongwen")
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_collect_and_log_as_the_command_set(project: Path, start: str) -> None:
    """A spawned worker (macOS, Windows) starts from Python's defaults; it is given the
    command's collector thresholds and its silenced library logs, as a forked one inherits them."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)]), "GONGWEN_FAKE_POLICY": "1"}
    subprocess.run([sys.executable, "-c", POLICY_SCRIPT, start], cwd=project, env=env, check=True,
                   capture_output=True, timeout=300)
    states = [json.loads(path.read_bytes().removesuffix(END)) for path in (project / "outputs").glob("*.docx")]
    parent = int((project / "parent.pid").read_text())
    assert len(states) == 4
    assert all(state["pid"] != parent for state in states), "written in the parent: no worker was tested"
    assert all(state["threshold"] == [50_000, 20, 10] and state["quiet"] for state in states)


# --- atomic --------------------------------------------------------------------------------

KILL_SCRIPT = """
import sys
from render import writers
for fmt in ("docx", "pdf"):
    writers.WRITERS[fmt] = ("test_batch_fakewriter", writers.WRITERS[fmt][1])
from render.cli.main import main
main(["render", "plans", "--to", "docx,pdf", "-j", sys.argv[1]], prog_name="gongwen")
"""


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_sigkill_part_way_leaves_no_partial_file(project: Path, jobs: str) -> None:
    for n in range(5, 9):
        _plan(project / "plans", f"extra{n}", n)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)]), "GONGWEN_FAKE_DELAY": "0.03"}
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, jobs], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    out = project / "outputs"
    while process.poll() is None and not list(out.glob("*.docx")):  # until the first file
        time.sleep(0.02)
    time.sleep(0.1)  # let other documents get part-way
    os.killpg(process.pid, signal.SIGKILL)  # the whole group: the workers too
    process.wait()
    written = [p for p in out.iterdir() if p.suffix in (".docx", ".pdf")]
    assert written, "the run was killed before writing anything: the test proves nothing"
    assert len(written) < 16, "the run finished before it was killed: the test proves nothing"
    assert all(complete(p) for p in written)
    # A second run completes the work; every document is whole.
    subprocess.run([sys.executable, "-c", KILL_SCRIPT, jobs], cwd=project, env={**env, "GONGWEN_FAKE_DELAY": "0"},
                   check=True, capture_output=True, timeout=120)
    final = [p for p in out.iterdir() if p.suffix in (".docx", ".pdf")]
    assert len(final) == 16 and all(p.read_bytes().endswith(END) for p in final)


# --- summaries from a template -----------------------------------------------------------

def test_twenty_schools_render_one_summary_each(project: Path) -> None:
    template = ROOT / "templates" / "summary" / "school.yaml"
    code, output = render(str(template), "--data", str(ROOT / "summaries"), "--to", "docx", "-j", "4")
    assert code == 0, output
    assert "完成：渲染 20，跳过 0，失败 0" in output
    made = sorted((project / "outputs").glob("*.docx"))
    stems = sorted(p.stem for p in (ROOT / "summaries").glob("*.yaml"))
    assert [p.stem for p in made] == [f"school-{stem}" for stem in stems]
    text = (project / "outputs" / "school-nanan-nanshan-primary.docx").read_bytes().decode("utf-8")
    assert "重庆市南岸区南山小学校" in text and "{{" not in text
    # A changed data file re-renders its own summary only.
    assert "跳过 20" in render(str(template), "--data", str(ROOT / "summaries"), "--to", "docx")[1]


def test_plans_and_data_files_naming_their_template_in_one_run(project: Path) -> None:
    """`gongwen render plans/ summaries/`: each data file says `template:`, so it renders
    through the template, named as with --data."""
    code, output = render("plans", str(ROOT / "summaries"), "--to", "docx", "-j", "2")
    assert code == 0, output
    assert "完成：渲染 24，跳过 0，失败 0" in output
    assert (project / "outputs" / "alpha.docx").exists()
    assert (project / "outputs" / "school-nanan-nanshan-primary.docx").exists()
    assert "跳过 24" in render("plans", str(ROOT / "summaries"), "--to", "docx")[1]


def test_data_files_by_wildcard_and_a_bad_one_fails_alone(project: Path) -> None:
    template = ROOT / "templates" / "summary" / "school.yaml"
    data = project / "data"
    data.mkdir()
    source = (ROOT / "summaries" / "beibei-jinyun-primary.yaml").read_text(encoding="utf-8")
    (data / "good.yaml").write_text(source, encoding="utf-8")
    (data / "bad.yaml").write_text(source.replace("new_places:", "places:"), encoding="utf-8")
    code, output = render(str(template), "--data", "data/*.yaml", "--to", "docx")
    assert code == 1
    assert "渲染 1，跳过 0，失败 1" in output
    assert "E704 数据中没有键“new_places”" in output and "数据文件 data/bad.yaml" in output
    assert (project / "outputs" / "school-good.docx").exists()


def test_an_unquoted_wildcard_expanded_by_the_shell(project: Path) -> None:
    """`--data summaries/*.yaml` as a shell passes it: `--data a.yaml b.yaml c.yaml`."""
    template = ROOT / "templates" / "summary" / "school.yaml"
    schools = sorted((ROOT / "summaries").glob("*.yaml"))[:3]
    code, output = render(str(template), "--data", *map(str, schools), "--to", "docx")
    assert code == 0, output
    assert sorted(p.stem for p in (project / "outputs").glob("*.docx")) == [f"school-{p.stem}" for p in schools]


def test_data_for_a_plan_that_is_not_a_summary_is_an_error(project: Path) -> None:
    (project / "d.yaml").write_text("x: 1\n", encoding="utf-8")
    code, output = render("plans/alpha.yaml", "--data", "d.yaml", "--to", "docx")
    assert code == 1 and "E707" in output


# --- the real writers, when they exist ------------------------------------------------------

REAL = [fmt for fmt in ("docx", "pdf", "xlsx") if importlib.util.find_spec(f"render.writers.{fmt}") is not None]


@pytest.mark.skipif(not REAL, reason="no real writer written yet")
def test_real_writers_give_byte_identical_files_on_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path / "registry.sqlite"))
    plans = [str(ROOT / "plans" / "shapingba-2023-work-points.yaml"), str(ROOT / "plans" / "nanan-2022-22-notice.yaml")]
    code, output = render(*plans, "--to", ",".join(REAL), "-j", "2")
    assert code == 0, output
    first = {p.name: p.read_bytes() for p in (tmp_path / "outputs").iterdir() if p.is_file()}
    code, output = render(*plans, "--to", ",".join(REAL), "--force")
    assert code == 0, output
    again = {p.name: p.read_bytes() for p in (tmp_path / "outputs").iterdir() if p.is_file()}
    first.pop(MANIFEST_NAME), again.pop(MANIFEST_NAME)
    assert again == first


@pytest.mark.skipif("docx" not in REAL, reason="the docx writer is not written yet")
def test_twenty_school_summaries_with_the_real_docx_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = render(str(ROOT / "templates" / "summary" / "school.yaml"), "--data", str(ROOT / "summaries"),
                          "--to", "docx", "-j", "4")
    assert code == 0, output
    assert len(list((tmp_path / "outputs").glob("school-*.docx"))) == 20
