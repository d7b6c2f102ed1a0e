"""`gongwen validate`: one line per problem, `path:line:col: CODE 中文说明`, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from render.reading.loader import load_plan_text

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
type: work_points
issuers: 重庆市教育学会
title: 2022年工作要点
date: 2022-02-22
sections:
  - title: 坚持党建引领
    items:
      - title: 加强学会党的建设
        text: 以党的政治建设为统领。
"""


OK_SUMMARY = "检查了 1 个计划：0 个错误，0 个警告，可以渲染"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "render", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def validate_text(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(textwrap.dedent(text), encoding="utf-8")
    completed = run_cli("validate", str(plan))
    output = completed.stdout + completed.stderr
    assert "Traceback" not in output
    return completed.returncode, [line for line in output.splitlines() if line.strip()]


def only_problem(tmp_path: Path, text: str, code: str, line: int) -> str:
    status, lines = validate_text(tmp_path, text)
    matching = [entry for entry in lines if f": {code} " in entry]
    assert matching, lines
    assert f"plan.yaml:{line}:" in matching[0], matching
    return matching[0] if status == 1 else pytest.fail(f"exit {status}, expected 1: {lines}")


def test_the_repository_plans_are_valid() -> None:
    completed = run_cli("validate", *sorted(str(p) for p in (ROOT / "plans").glob("*.yaml")))
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_a_valid_plan_exits_zero(tmp_path: Path) -> None:
    assert validate_text(tmp_path, MINIMAL) == (0, [OK_SUMMARY])


def test_chinese_keys_are_the_same_plan() -> None:
    chinese = """\
    类型: 工作要点
    发文机关: 重庆市教育学会
    标题: 2022年工作要点
    成文日期: 2022-02-22
    部分:
      - 标题: 坚持党建引领
        事项:
          - 标题: 加强学会党的建设
            内容: 以党的政治建设为统领。
            牵头单位: 学会秘书处
            完成时限: 长期坚持
    """
    english = load_plan_text(MINIMAL).plan
    plan = load_plan_text(textwrap.dedent(chinese)).plan
    assert plan is not None and english is not None
    assert plan.title == english.title and plan.issuers == english.issuers
    item = plan.sections[0].items[0]
    assert (item.title, item.lead, item.due) == ("加强学会党的建设", ["学会秘书处"], "长期坚持")


def test_both_spellings_of_one_key_is_an_error(tmp_path: Path) -> None:
    message = only_problem(tmp_path, MINIMAL + "标题: 另一个标题\n", "E202", 10)
    assert "“标题”和“title”是同一个键的两种写法" in message


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    text = MINIMAL.replace("        text:", "        txet:")
    message = only_problem(tmp_path, text, "E201", 9)
    assert "是否想写“text”" in message


def test_unknown_chinese_key_suggests_the_closest(tmp_path: Path) -> None:
    message = only_problem(tmp_path, MINIMAL + "成文日子: 2022-02-22\n", "E201", 10)
    assert "成文日期" in message


def test_missing_required_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("      - title: 加强学会党的建设\n", "      - lead: 秘书处\n")
    message = only_problem(tmp_path, text, "E203", 8)
    assert "title" in message and "标题" in message


@pytest.mark.parametrize(
    ("replace", "by", "line", "words"),
    [
        ("title: 2022年工作要点", "title: [a, b]", 3, "应为文字"),
        ("date: 2022-02-22", "date: 2022-02-22\nseal: 也许", 5, "true 或 false"),
        ("date: 2022-02-22", "date: 2022-02-22\ncc: {a: b}", 5, "应为列表"),
        ("date: 2022-02-22", "date: 2022年2月22日", 4, "2022-02-22"),
        ("date: 2022-02-22", "date: 2022-02-30", 4, "不是存在的日期"),
    ],
)
def test_wrong_types(tmp_path: Path, replace: str, by: str, line: int, words: str) -> None:
    status, lines = validate_text(tmp_path, MINIMAL.replace(replace, by))
    assert status == 1
    assert any(f"plan.yaml:{line}:" in entry and words in entry for entry in lines), lines


def test_numbering_value_is_checked(tmp_path: Path) -> None:
    message = only_problem(tmp_path, MINIMAL + "numbering: sometimes\n", "E205", 10)
    assert "continuous" in message


def test_bad_doc_number_shows_the_correction(tmp_path: Path) -> None:
    message = only_problem(tmp_path, MINIMAL + "number: 学会(2022)3号\n", "E301", 10)
    assert "学会〔2022〕3号" in message


def test_printed_on_before_date_is_an_error(tmp_path: Path) -> None:
    message = only_problem(tmp_path, MINIMAL + "printed_by: 学会秘书处\nprinted_on: 2022-02-01\n", "E410", 11)
    assert "早于" in message


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("type: work_points\ntitle: a: b\n", "E101", 2),
        ("type: work_points\ntitle: x\nsections:\n\t- title: y\n", "E101", 4),
        ('type: work_points\ntitle: "未闭合\n', "E101", 3),
        ("type: work_points\ntitle: x\ntitle: y\n", "E106", 3),
    ],
)
def test_yaml_syntax_errors_have_a_line(tmp_path: Path, text: str, code: str, line: int) -> None:
    only_problem(tmp_path, text, code, line)


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: 坚持党建引领", "title: 一、坚持党建引领")
    status, lines = validate_text(tmp_path, text)
    assert status == 0
    assert any("plan.yaml:6:" in entry and "W501" in entry and "警告" in entry for entry in lines), lines
    plan = load_plan_text(text).plan
    assert plan is not None and plan.sections[0].title == "坚持党建引领"


def test_unknown_unit_warning_names_the_closest(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text("区教委: 重庆市南岸区教育委员会\n区委组织部: 中共重庆市南岸区委组织部\n", encoding="utf-8")
    text = MINIMAL + "units_file: units.yaml\n"
    text = text.replace("        text: 以党的政治建设为统领。\n", "        text: 以党的政治建设为统领。\n        lead: 区委组职部\n")
    status, lines = validate_text(tmp_path, text)
    assert status == 0
    assert any("plan.yaml:10:" in entry and "W502" in entry and "区委组织部" in entry for entry in lines), lines


def test_python_object_tag_is_refused(tmp_path: Path) -> None:
    message = only_problem(tmp_path, "type: notice\ntitle: !!python/object/apply:os.system ['echo owned']\n", "E102", 2)
    assert "!!python/object" in message


def test_alias_bomb_is_refused_before_expansion() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    text = "type: notice\n" + "\n".join(levels) + "\n"  # 10**9 nodes once expanded
    result = load_plan_text(text, "bomb.yaml")  # refused before expansion, or this never returns
    assert [d.code for d in result.diagnostics] == ["E103"]
    assert result.diagnostics[0].line > 0


def test_not_utf8_is_explained(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(MINIMAL.encode("gbk"))
    completed = run_cli("validate", str(plan))
    assert completed.returncode == 1 and "E108" in completed.stdout and "Traceback" not in completed.stderr


def test_missing_file(tmp_path: Path) -> None:
    completed = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert completed.returncode == 1 and "E100" in completed.stdout


def test_schema_is_json_with_both_spellings() -> None:
    completed = run_cli("schema")
    assert completed.returncode == 0
    schema = json.loads(completed.stdout)
    item = schema["$defs"]["Item"]["properties"]
    assert {"title", "标题", "lead", "牵头单位", "due", "完成时限"} <= set(item)


def test_schema_accepts_the_repository_plans() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from render.model.schema import plan_schema

    validator = jsonschema.Draft7Validator(plan_schema(), format_checker=None)
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as the strings editors see
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"


def test_internal_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    # A profile that is not a file at all provokes an OS error inside a command.
    completed = subprocess.run(
        [sys.executable, "-c",
         "import sys; from render.cli.main import main;"
         "main.add_command(__import__('click').command('boom')(lambda: 1/0)); sys.exit(main())", "boom"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and "内部错误" in completed.stderr


def test_a_data_file_is_validated_through_its_template(tmp_path: Path) -> None:
    good = ROOT / "summaries" / "nanan-tushan-middle.yaml"
    assert run_cli("validate", str(good)).returncode == 0
    broken = tmp_path / "school.yaml"
    text = good.read_text(encoding="utf-8").replace("../templates/", f"{ROOT / 'templates'}/")
    broken.write_text("\n".join(line for line in text.splitlines() if not line.startswith("school:")), encoding="utf-8")
    completed = run_cli("validate", str(broken))
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    assert "E704" in completed.stdout and "school" in completed.stdout and str(broken) in completed.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [(("validate",), "缺少参数 PLANS"), (("rendr",), "是否想用“render”"), (("fonts", "--instal"), "是否想用 --install"),
     (("render", "plans/", "--to", "doc"), "不支持的格式")],
)
def test_usage_errors_are_in_chinese(args: tuple[str, ...], words: str) -> None:
    completed = run_cli(*args)
    assert completed.returncode == 2
    assert words in completed.stderr and "用法：" in completed.stderr and "Traceback" not in completed.stderr


NOTICE = """\
type: notice
发文机关: 重庆市大渡口区教育委员会
标题: 关于做好暑期安全工作的通知
主送机关: 各中小学校
成文日期: 2024-06-20
正文: 请认真贯彻执行。
"""


@pytest.mark.parametrize(("key", "label"), [("发文机关", "发文机关"), ("主送机关", "主送机关"), ("成文日期", "成文日期")])
def test_a_notice_without_its_essentials_is_an_error(tmp_path: Path, key: str, label: str) -> None:
    text = "".join(line + "\n" for line in NOTICE.splitlines() if not line.startswith(key))
    status, lines = validate_text(tmp_path, text)
    assert status == 1, lines
    found = [entry for entry in lines if ": E413 " in entry]
    assert found and label in found[0] and "plan.yaml:" in found[0], lines


def test_a_complete_notice_is_valid(tmp_path: Path) -> None:
    assert validate_text(tmp_path, NOTICE) == (0, [OK_SUMMARY])


def test_a_missing_image_is_found_by_validate_at_its_line(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 3)).save(tmp_path / "present.png")
    (tmp_path / "folder.png").mkdir()
    message = only_problem(tmp_path, """\
        type: bulletin
        name: 大渡口教育简报
        issue: 3
        editor: 区教委办公室
        date: 2024-06-20
        articles:
          - title: 暑期安全教育启动
            body: 全区中小学校启动暑期安全教育。
            images:
              - file: present.png
              - file: missing.png
              - file: folder.png
        """, "E503", 11)
    assert "missing.png" in message
    status, lines = validate_text(tmp_path, (tmp_path / "plan.yaml").read_text(encoding="utf-8"))
    assert any("plan.yaml:12:" in entry and "不是普通文件" in entry for entry in lines), lines


def test_the_summary_counts_plans_errors_and_warnings(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(MINIMAL.replace("date: 2022-02-22", "date: 2022-02-30"), encoding="utf-8")
    warned = MINIMAL.replace("      - title: 加强学会党的建设", "      - title: 加强学会党的建设\n        lead: 不在单位表中的单位")
    (tmp_path / "units.yaml").write_text("学会秘书处: 重庆市教育学会秘书处\n", encoding="utf-8")
    (tmp_path / "warned.yaml").write_text("units_file: units.yaml\n" + warned, encoding="utf-8")
    completed = run_cli("validate", str(tmp_path / "good.yaml"), str(tmp_path / "bad.yaml"), str(tmp_path / "warned.yaml"))
    last = completed.stdout.splitlines()[-1]
    assert completed.returncode == 1
    assert last == "检查了 3 个计划：1 个错误，1 个警告", completed.stdout
