"""The 发文字号 registry: allocation, void, check, plans, CLI and failure modes."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from render.cli.number import number_group
from render.model.docnumber import DocNumber
from render.registry import (
    ENV_VAR,
    RegistryError,
    SQLiteStore,
    State,
    number_for_plan,
    open_store,
    plan_key,
    sqlite_store,
)
from render.text.chars import terminal_columns as display_width

REPO = Path(__file__).resolve().parents[1]
CODE = "南岸委办"


class TickingClock:
    """A deterministic clock: 2024-01-01T00:00:00Z, then one second later on every call."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(seconds=1)
        return moment


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "registry.sqlite"


@pytest.fixture
def store(db: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db, clock=TickingClock()) as opened:
        yield opened


def number(serial: int, code: str = CODE, year: int = 2022) -> DocNumber:
    return DocNumber(code, year, serial)


def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(number_group, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def cli_subprocess(*args: str, cwd: Path, env: dict[str, str] | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """The group in a fresh interpreter, as the `gongwen number` entry point would run it."""
    code = ("from render.cli.number import number_group;"
            " number_group(prog_name='gongwen number')")
    full_env = {key: value for key, value in os.environ.items() if key != ENV_VAR}
    full_env.update({"PYTHONPATH": str(REPO), **(env or {})})
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60)


# --- allocation ------------------------------------------------------------------------


def test_serials_are_consecutive_per_code_and_year(store: SQLiteStore) -> None:
    first = [store.allocate(CODE, 2022).number for _ in range(3)]
    assert first == [number(1), number(2), number(3)]
    assert str(first[2]) == "南岸委办〔2022〕3号"


def test_other_codes_and_years_have_their_own_sequences(store: SQLiteStore) -> None:
    store.allocate(CODE, 2022)
    store.allocate(CODE, 2022)
    assert store.allocate(CODE, 2023).number == number(1, year=2023)
    assert store.allocate("南岸府办", 2022).number == number(1, code="南岸府办")
    assert store.allocate(CODE, 2022).number == number(3)


def test_allocation_records_title_plan_state_and_utc_timestamps(store: SQLiteStore) -> None:
    entry = store.allocate(CODE, 2022, title="关于开展安全检查的通知", plan="plans/a.yaml")
    assert entry.state is State.ISSUED
    assert (entry.title, entry.plan, entry.reason) == (
        "关于开展安全检查的通知", "plans/a.yaml", None)
    assert entry.created_at == entry.updated_at == "2024-01-01T00:00:00Z"
    assert store.lookup(entry.number) == entry


def test_a_bad_code_or_year_is_refused(store: SQLiteStore) -> None:
    with pytest.raises(RegistryError, match="机关代字"):
        store.allocate("", 2022)
    with pytest.raises(RegistryError, match="年份"):
        store.allocate(CODE, 1800)


# --- void ------------------------------------------------------------------------------


def test_a_voided_serial_is_never_handed_out_again(store: SQLiteStore) -> None:
    for _ in range(3):
        store.allocate(CODE, 2022)
    voided = store.void(number(3), "编号有误")
    assert (voided.state, voided.reason) == (State.VOID, "编号有误")
    assert voided.updated_at > voided.created_at
    assert store.allocate(CODE, 2022).number == number(4)
    assert store.lookup(number(3)).state is State.VOID  # type: ignore[union-attr]


def test_void_refuses_unknown_already_void_and_reasonless(store: SQLiteStore) -> None:
    store.allocate(CODE, 2022)
    with pytest.raises(RegistryError, match="未登记") as unknown:
        store.void(number(9), "x")
    assert unknown.value.kind == "missing"
    with pytest.raises(RegistryError, match="说明原因"):
        store.void(number(1), "   ")
    store.void(number(1), "重复")
    with pytest.raises(RegistryError, match="已于 .* 作废（原因：重复）"):
        store.void(number(1), "再次")


# --- plans: serial auto and explicit numbers -------------------------------------------


def test_reserve_for_plan_is_idempotent_and_distinct_per_plan(store: SQLiteStore) -> None:
    a1 = store.reserve_for_plan(CODE, 2022, "plans/a.yaml", "甲")
    b = store.reserve_for_plan(CODE, 2022, "plans/b.yaml", "乙")
    a2 = store.reserve_for_plan(CODE, 2022, "plans/a.yaml", "甲")
    assert a1 == a2  # same number and untouched timestamps
    assert (a1.number, b.number) == (number(1), number(2))
    assert a1.state is State.RESERVED


def test_reserve_for_plan_follows_title_year_and_void(store: SQLiteStore) -> None:
    first = store.reserve_for_plan(CODE, 2022, "plans/a.yaml", "旧标题")
    retitled = store.reserve_for_plan(CODE, 2022, "plans/a.yaml", "新标题")
    assert (retitled.number, retitled.title) == (first.number, "新标题")
    assert store.reserve_for_plan(CODE, 2023, "plans/a.yaml").number == number(1, year=2023)
    store.void(first.number, "改用新号")
    assert store.reserve_for_plan(CODE, 2022, "plans/a.yaml").number == number(2)


def test_serial_auto_through_number_for_plan(tmp_path: Path, store: SQLiteStore) -> None:
    plan = tmp_path / "plans" / "notice.yaml"
    key = plan_key(plan, root=tmp_path)
    assert key == "plans/notice.yaml"
    renders = [number_for_plan(store, key, CODE, 2022, None, "通知") for _ in range(3)]
    assert {entry.number for entry in renders} == {number(1)}
    other = number_for_plan(store, plan_key(tmp_path / "b.yaml", root=tmp_path), CODE, 2022, None)
    assert other.number == number(2)


def test_plan_key_outside_the_project_folder_is_absolute(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere.yaml"
    assert plan_key(outside, root=tmp_path) == outside.resolve().as_posix()


def test_claim_records_an_explicit_number_once_per_plan(store: SQLiteStore) -> None:
    claimed = store.claim(number(22), "plans/a.yaml", "通知")
    assert claimed.state is State.ISSUED
    assert store.claim(number(22), "plans/a.yaml", "通知") == claimed
    # Claiming past the end leaves a gap; allocation continues after the highest serial.
    assert store.allocate(CODE, 2022).number == number(23)


def test_claim_of_a_number_held_by_another_plan(store: SQLiteStore) -> None:
    held = store.claim(number(5), "plans/a.yaml", "甲通知")
    with pytest.raises(RegistryError, match="已被《甲通知》，方案 plans/a.yaml占用") as refused:
        store.claim(number(5), "plans/b.yaml", "乙通知")
    assert refused.value.kind == "conflict"
    assert "--allow-duplicate" in refused.value.message
    assert store.claim(number(5), "plans/b.yaml", "乙通知", allow_duplicate=True) == held
    assert store.lookup(number(5)) == held  # the first holder stays on record


def test_claim_adopts_a_number_from_number_next(store: SQLiteStore) -> None:
    issued = store.allocate(CODE, 2022, title="会议通知")
    adopted = store.claim(issued.number, "plans/meeting.yaml")
    assert (adopted.plan, adopted.title, adopted.state) == ("plans/meeting.yaml", "会议通知",
                                                             State.ISSUED)


def test_claim_promotes_the_plans_own_reservation(store: SQLiteStore) -> None:
    reserved = store.reserve_for_plan(CODE, 2022, "plans/a.yaml")
    assert store.claim(reserved.number, "plans/a.yaml").state is State.ISSUED


def test_claim_of_a_void_number(store: SQLiteStore) -> None:
    store.claim(number(1), "plans/a.yaml")
    store.void(number(1), "作废")
    with pytest.raises(RegistryError, match="已作废") as refused:
        store.claim(number(1), "plans/a.yaml")
    assert refused.value.kind == "void"
    assert store.claim(number(1), "plans/a.yaml", allow_duplicate=True).state is State.VOID


# --- locating the registry -------------------------------------------------------------


def test_open_store_prefers_argument_then_environment_then_the_users_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_registry_home: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    with open_store(None) as default:  # type: ignore[attr-defined]
        assert default.path == own_registry_home / "gongwen" / "registry.sqlite"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite"))
    with open_store(None) as from_env:  # type: ignore[attr-defined]
        assert from_env.path == tmp_path / "env.sqlite"
    with open_store(tmp_path / "arg.sqlite") as from_arg:  # type: ignore[attr-defined]
        assert from_arg.path == tmp_path / "arg.sqlite"


def test_an_unreachable_server_is_explained_without_echoing_the_password() -> None:
    # Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(RegistryError, match="无法连接发文字号登记簿服务器") as refused:
        open_store("postgresql://clerk:s3cret@127.0.0.1:1/gongwen")
    assert refused.value.kind == "unreachable"
    assert "s3cret" not in refused.value.message and "clerk@127.0.0.1:1/gongwen" in refused.value.message


def test_another_kind_of_address_is_refused() -> None:
    with pytest.raises(RegistryError, match="不支持的登记簿地址类型") as refused:
        open_store("mysql://clerk:s3cret@db/gongwen")
    assert refused.value.kind == "unsupported" and "s3cret" not in refused.value.message


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(RegistryError, match="无法创建登记簿所在的文件夹") as refused:
        open_store(blocker / "registry.sqlite")
    assert refused.value.kind == "io"


# --- corrupt and locked files ----------------------------------------------------------


def write_garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xffthis is not sqlite\x13\x37" * 200)


def test_a_corrupt_file_gives_a_registry_error(db: Path) -> None:
    write_garbage(db)
    with pytest.raises(RegistryError, match="不是有效的登记簿数据库") as refused:
        open_store(db)
    assert refused.value.kind == "corrupt"


def test_a_file_damaged_after_its_header_gives_a_registry_error(db: Path) -> None:
    with SQLiteStore(db) as store:
        for _ in range(300):
            store.allocate(CODE, 2022, title="关于" * 20)
    with db.open("r+b") as damaged:
        damaged.seek(2 * 4096)
        damaged.write(b"\xa5" * 3 * 4096)
    with SQLiteStore(db) as store, pytest.raises(RegistryError, match="不是有效的登记簿数据库"):
        store.list()


def test_a_corrupt_file_on_the_command_line(tmp_path: Path, db: Path) -> None:
    write_garbage(db)
    code, out, err = cli("next", CODE, "--registry", str(db))
    assert (code, out) == (1, "")
    assert "不是有效的登记簿数据库" in err and "Traceback" not in err
    assert err.count("\n") == 1
    done = cli_subprocess("check", "南岸委办〔2022〕1号", "--registry", str(db), cwd=tmp_path)
    assert done.returncode == 1
    assert "不是有效的登记簿数据库" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def locked(db: Path) -> Iterator[Path]:
    SQLiteStore(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def test_a_locked_file_gives_a_registry_error(locked: Path) -> None:
    with pytest.raises(RegistryError, match="登记簿文件被其他进程锁定") as refused:
        SQLiteStore(locked, busy_timeout=0.2)  # even reading the schema version needs the lock
    assert refused.value.kind == "locked"


def test_a_write_lock_blocks_allocation_but_not_reading(db: Path) -> None:
    with SQLiteStore(db) as store:
        store.allocate(CODE, 2022)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStore(db, busy_timeout=0.2) as store:
            assert [e.number for e in store.list()] == [number(1)]
            with pytest.raises(RegistryError, match="锁定"):
                store.allocate(CODE, 2022)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_locked_file_on_the_command_line(tmp_path: Path, locked: Path) -> None:
    code, out, err = cli("next", CODE, "--registry", str(locked), "--wait", "0.2")
    assert (code, out) == (1, "")
    assert "登记簿文件被其他进程锁定" in err and "Traceback" not in err
    done = cli_subprocess("list", "--wait", "0.2", cwd=tmp_path, env={ENV_VAR: str(locked)})
    assert done.returncode == 1
    assert "登记簿文件被其他进程锁定" in done.stderr and "Traceback" not in done.stderr


# --- schema version and migrations -----------------------------------------------------


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_new_registry_records_its_schema_version(store: SQLiteStore, db: Path) -> None:
    assert user_version(db) == sqlite_store.schema_version() >= 1


def test_an_empty_v0_database_is_migrated(db: Path) -> None:
    with sqlite3.connect(db) as conn:  # a real file with a header but no tables
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
    assert db.stat().st_size > 0 and user_version(db) == 0
    with SQLiteStore(db) as store:
        assert store.allocate(CODE, 2022).number == number(1)
    assert user_version(db) == sqlite_store.schema_version()


def test_a_new_migration_upgrades_an_existing_registry_and_keeps_its_numbers(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(db) as store:
        store.allocate(CODE, 2022, title="旧数据")
    later = [*sqlite_store.MIGRATIONS, ("ALTER TABLE numbers ADD COLUMN note TEXT",)]
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", later)
    with SQLiteStore(db) as store:
        assert store.lookup(number(1)).title == "旧数据"  # type: ignore[union-attr]
    assert user_version(db) == len(later)
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(numbers)")]
    assert "note" in columns


def test_a_registry_from_a_newer_gongwen_is_refused(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {sqlite_store.schema_version() + 1}")
    with pytest.raises(RegistryError, match="请升级 gongwen") as refused:
        SQLiteStore(db)
    assert refused.value.kind == "version"


def test_some_other_sqlite_database_is_not_taken_over(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(RegistryError, match="不是 gongwen 登记簿"):
        SQLiteStore(db)
    assert user_version(db) == 0


# --- command line ----------------------------------------------------------------------


def test_cli_next_prints_the_canonical_number(db: Path) -> None:
    assert cli("next", CODE, "--year", "2022", "--title", "通知", "--registry", str(db)) == (
        0, "南岸委办〔2022〕1号\n", f"新建了发文字号登记簿：{db}\n")
    assert cli("next", CODE, "--year", "2022", "--registry", str(db))[1] == "南岸委办〔2022〕2号\n"


def test_cli_next_defaults_to_this_year(db: Path) -> None:
    this_year = datetime.now().year
    assert cli("next", CODE, "--registry", str(db))[1] == f"南岸委办〔{this_year}〕1号\n"


def test_cli_next_refuses_a_bad_code_or_year(db: Path) -> None:
    code, _, err = cli("next", "南岸 委办", "--registry", str(db))
    assert code == 1 and "不能含空格或括号" in err
    code, _, err = cli("next", CODE, "--year", "22", "--registry", str(db))
    assert code == 1 and "4 位" in err
    assert not db.exists()


def test_cli_check_free_taken_void_and_invalid(db: Path) -> None:
    with SQLiteStore(db) as store:
        store.claim(number(1), "plans/a.yaml", "关于开展安全检查的通知")
        store.allocate(CODE, 2022)
        store.void(number(2), "误发")
    code, out, _ = cli("check", "南岸委办〔2022〕3号", "--registry", str(db))
    assert (code, out) == (0, "南岸委办〔2022〕3号 写法正确，未登记，可用\n")
    code, out, _ = cli("check", "南岸委办〔2022〕1号", "--registry", str(db))
    assert code == 0
    assert "已登记（已使用）：《关于开展安全检查的通知》，方案 plans/a.yaml" in out
    code, out, err = cli("check", "南岸委办〔2022〕2号", "--registry", str(db))
    assert (code, out) == (1, "")
    assert "已作废（原因：误发）" in err and "不能再用" in err
    code, out, err = cli("check", "南岸委办[2022]第3号", "--registry", str(db))
    assert (code, out) == (1, "")
    assert "应写作“南岸委办〔2022〕3号”" in err


def test_cli_void_then_next(db: Path) -> None:
    cli("next", CODE, "--year", "2022", "--registry", str(db))
    code, _, err = cli("void", "南岸委办〔2022〕1号", "--registry", str(db))
    assert code == 1 and "--reason" in err
    assert cli("void", "南岸委办〔2022〕1号", "--reason", "重号", "--registry", str(db)) == (
        0, "已作废：南岸委办〔2022〕1号（原因：重号）\n", "")
    code, _, err = cli("void", "南岸委办〔2022〕1号", "--reason", "再次", "--registry", str(db))
    assert code == 1 and "已于" in err
    assert cli("next", CODE, "--year", "2022", "--registry", str(db))[1] == "南岸委办〔2022〕2号\n"


@pytest.fixture
def beijing_time() -> Iterator[None]:
    """The process's local time zone set to UTC+8 for one test (times are shown local)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_cli_list_table_and_csv(db: Path, beijing_time: None) -> None:
    with SQLiteStore(db, clock=TickingClock()) as store:
        store.allocate(CODE, 2022, title="关于开展安全检查的通知")
        store.allocate(CODE, 2023, plan="plans/b.yaml")
        store.allocate("南岸府办", 2022)
        store.void(number(1), "误发")
    code, table, _ = cli("list", CODE, "--registry", str(db))
    lines = table.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].startswith("发文字号") and "南岸府办" not in table
    assert _column_of(lines, "状态") == _column_of(lines, "已作废") == _column_of(lines, "已使用")

    code, text, _ = cli("list", "--year", "2022", "--format", "csv", "--registry", str(db))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 0
    # Ordered by code (code point order), year, serial.
    assert [row["发文字号"] for row in rows] == ["南岸委办〔2022〕1号", "南岸府办〔2022〕1号"]
    assert rows[0]["状态"] == "已作废" and rows[0]["作废原因"] == "误发"
    assert rows[0]["标题"] == "关于开展安全检查的通知"
    # Recorded at 2024-01-01T00:00:00Z; shown in the machine's time zone, with its offset.
    assert rows[0]["登记时间"] == "2024-01-01T08:00:00+08:00"
    assert "2024-01-01 08:00:03" in table and "UTC" not in table


def _column_of(lines: list[str], marker: str) -> int:
    line = next(line for line in lines if marker in line)
    return display_width(line[: line.index(marker)])


def test_cli_list_of_an_empty_registry(db: Path) -> None:
    assert cli("list", "--registry", str(db)) == (0, "登记簿中没有符合条件的发文字号\n", "")


def test_cli_uses_the_environment_then_the_users_registry(tmp_path: Path, own_registry_home: Path) -> None:
    env_db = tmp_path / "shared" / "registry.sqlite"
    done = cli_subprocess("next", CODE, "--year", "2022", cwd=tmp_path, env={ENV_VAR: str(env_db)})
    assert (done.returncode, done.stdout, done.stderr) == (0, "南岸委办〔2022〕1号\n", f"新建了发文字号登记簿：{env_db}\n")
    done = cli_subprocess("next", CODE, "--year", "2022", cwd=tmp_path, env={ENV_VAR: str(env_db)})
    assert (done.stdout, done.stderr) == ("南岸委办〔2022〕2号\n", "")  # announced once, when made
    done = cli_subprocess("next", CODE, "--year", "2022", cwd=tmp_path)
    users = own_registry_home / "gongwen" / "registry.sqlite"
    assert (done.stdout, done.stderr) == ("南岸委办〔2022〕1号\n", f"新建了发文字号登记簿：{users}\n")
    assert not (tmp_path / ".gongwen").exists()


def test_cli_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = cli("list", "--registry", "postgresql://clerk:s3cret@127.0.0.1:1/gongwen")
    assert code == 1 and "无法连接发文字号登记簿服务器" in err and "s3cret" not in err


def test_reading_commands_do_not_create_a_registry(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from render.cli.number import number_group

    location = tmp_path / "nowhere" / "registry.sqlite"
    runner = CliRunner()
    listed = runner.invoke(number_group, ["list", "--registry", str(location)])
    checked = runner.invoke(number_group, ["check", "南岸委办〔2022〕1号", "--registry", str(location)])
    assert listed.exit_code == 0 and checked.exit_code == 0 and "可用" in checked.output
    assert not location.parent.exists()
