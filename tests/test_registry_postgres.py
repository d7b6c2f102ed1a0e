"""The registry on a PostgreSQL server: the same rules as the SQLite file, one sequence for
many clients, nothing lost or doubled when a client dies, and plain Chinese when the server
is down or refuses the login.

Each test module run starts its own throwaway server (tests/pgserver.py) on 127.0.0.1 and
stops it at the end; each test gets a database of its own.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgserver import PostgresServer, binaries
from render.model.docnumber import DocNumber
from render.registry import RegistryError, SQLiteStore, State, open_store
from render.registry.postgres_store import PostgresStore
from test_registry import TickingClock
from test_registry_concurrency import run_workers

ROOT = Path(__file__).resolve().parent.parent
CODE = "北碚教委发"
YEAR = 2024
_databases = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("没有安装 PostgreSQL 服务器（Debian 软件包 postgresql）：README 中的测试命令会安装它")
    started = PostgresServer(bin_dir)
    try:
        yield started
    finally:
        started.remove()


@pytest.fixture
def url(server: PostgresServer) -> str:
    return server.create_database(f"registry_{os.getpid()}_{next(_databases)}")


def gongwen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "render", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def scenario(store: Any) -> list[tuple[object, ...]]:
    """One day at the office, on any store: what the registry then lists."""
    store.allocate(CODE, YEAR, title="关于开展2024年教师节表彰活动的通知")
    store.allocate(CODE, YEAR)
    store.allocate("北碚府办", YEAR)
    store.reserve_for_plan(CODE, YEAR, "plans/a.yaml", "关于做好防汛工作的通知")
    store.reserve_for_plan(CODE, YEAR, "plans/a.yaml", "关于做好2024年防汛工作的通知")  # retitled, same number
    store.claim(DocNumber(CODE, YEAR, 2), "plans/b.yaml", "关于召开校长会议的通知")  # takes a free number
    with pytest.raises(RegistryError, match="plans/b.yaml") as refused:
        store.claim(DocNumber(CODE, YEAR, 2), "plans/c.yaml", "另一份通知")
    assert refused.value.kind == "conflict"
    store.void(DocNumber(CODE, YEAR, 1), "标题有误，重新发文")
    with pytest.raises(RegistryError, match="已作废"):
        store.claim(DocNumber(CODE, YEAR, 1), "plans/d.yaml")
    assert store.allocate(CODE, YEAR).number.serial == 4  # a void serial never comes back
    assert store.lookup(DocNumber(CODE, YEAR, 9)) is None
    return [(e.number.code, e.number.serial, e.title, e.plan, e.state, e.reason, e.created_at, e.updated_at)
            for e in store.list()]


def test_the_same_rules_as_the_sqlite_file(url: str, tmp_path: Path) -> None:
    with PostgresStore(url, clock=TickingClock()) as pg, SQLiteStore(tmp_path / "r.sqlite", clock=TickingClock()) as lite:
        assert pg.created and lite.created
        on_server, in_file = scenario(pg), scenario(lite)
        assert on_server == in_file
        assert [row[4] for row in on_server] == [State.ISSUED, State.VOID, State.ISSUED, State.RESERVED,
                                                 State.ISSUED]
    with PostgresStore(url) as again:
        assert not again.created and len(again.list(CODE)) == 4 and again.list(year=2023) == []


# --- many clients ----------------------------------------------------------------------


def pg_allocate_many(url: str, worker: int, count: int, start: Barrier, results: Any) -> None:
    start.wait()
    with PostgresStore(url) as store:  # the tables do not exist yet: creating them races too
        serials = [store.allocate(CODE, YEAR, title=f"客户端{worker}-{i}").number.serial for i in range(count)]
    results.put((worker, serials))


def test_eight_processes_allocate_exactly_1_to_800(url: str) -> None:
    by_worker = run_workers(pg_allocate_many, (url, 100), 8)
    every = sorted(serial for serials in by_worker.values() for serial in serials)
    assert every == list(range(1, 801))
    for serials in by_worker.values():
        assert serials == sorted(serials)
    with PostgresStore(url) as store:
        entries = store.list(CODE, YEAR)
    assert [e.number.serial for e in entries] == list(range(1, 801))
    assert len({e.title for e in entries}) == 800


def pg_open(url: str, worker: int, start: Barrier, results: Any) -> None:
    start.wait()
    with PostgresStore(url) as store:
        results.put((worker, store.created))


def test_clerks_opening_a_new_registry_at_once_make_its_tables_once(url: str) -> None:
    made = run_workers(pg_open, (url,), 8)
    assert sorted(made.values()) == [False] * 7 + [True]  # one announces the new registry


HOLD_INSERTS = """
CREATE FUNCTION test_hold_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(4242);
    RETURN NEW;
END $$;
CREATE TRIGGER test_hold BEFORE INSERT ON gongwen_numbers FOR EACH ROW EXECUTE FUNCTION test_hold_insert();
"""

ALLOCATE_ONE = """
import sys
from render.registry import open_store
store = open_store(sys.argv[1])
print(store.allocate(sys.argv[2], int(sys.argv[3]), title="被中断的分配").number, flush=True)
"""


def _backends(conn: psycopg.Connection[Any], waiting: bool) -> int:
    """gongwen's connections to this database; `waiting`: those stuck on the test's lock."""
    row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gongwen'"
                       " AND datname = current_database() AND (NOT %s OR wait_event_type = 'Lock')"
                       " AND pid <> pg_backend_pid()", (waiting,)).fetchone()
    return int(row[0]) if row else 0


def test_a_client_killed_mid_allocation_loses_and_doubles_nothing(url: str) -> None:
    with PostgresStore(url) as store:
        assert [store.allocate(CODE, YEAR).number.serial for _ in range(3)] == [1, 2, 3]
    with psycopg.connect(url, autocommit=True) as test:
        test.execute(HOLD_INSERTS)  # type: ignore[arg-type]
        test.execute("SELECT pg_advisory_lock(4242)")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        client = subprocess.Popen([sys.executable, "-c", ALLOCATE_ONE, url, CODE, str(YEAR)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The client is inside its transaction: it has locked the sequence, chosen serial 4
        # and is inserting it, held by the trigger. Wait for that (or for it to fail).
        while client.poll() is None and _backends(test, waiting=True) == 0:
            test.execute("SELECT pg_sleep(0.05)")
        assert client.poll() is None, client.communicate()
        client.send_signal(signal.SIGKILL)
        client.communicate()
        test.execute("SELECT pg_advisory_unlock(4242)")
        # Its server process finishes the insert, finds the client gone and rolls back.
        while _backends(test, waiting=False):
            test.execute("SELECT pg_sleep(0.05)")
        test.execute("DROP TRIGGER test_hold ON gongwen_numbers")
    with PostgresStore(url) as store:
        assert store.allocate(CODE, YEAR).number.serial == 4  # not lost: the next client gets it
        assert [e.number.serial for e in store.list()] == [1, 2, 3, 4]
        assert all(e.title != "被中断的分配" for e in store.list())


# --- the server's failures in words ----------------------------------------------------


def test_a_stopped_server_is_a_chinese_error_and_exit_1(server: PostgresServer, url: str, tmp_path: Path) -> None:
    (tmp_path / "gongwen.toml").write_text(f'[registry]\nlocation = "{url}"\n', encoding="utf-8")
    (tmp_path / "auto.yaml").write_text(
        f"类型: 通知\n发文机关: 重庆市北碚区教育委员会\n发文字号: {{代字: {CODE}, 年份: {YEAR}, 序号: 自动}}\n"
        "标题: 关于做好2024年秋季学期开学工作的通知\n主送机关: 各中小学校\n正文: 现将有关事项通知如下。\n"
        "成文日期: 2024-08-20\n", encoding="utf-8")
    took = gongwen("number", "next", CODE, "--year", str(YEAR), cwd=tmp_path)
    assert (took.returncode, took.stdout) == (0, f"{CODE}〔{YEAR}〕1号\n")
    assert "服务器上新建了登记簿数据表" in took.stderr and "throwaway-pw" not in took.stderr
    server.stop()
    try:
        for args in (("number", "next", CODE), ("number", "list"), ("render", "auto.yaml", "-o", "out")):
            done = gongwen(*args, cwd=tmp_path)
            output = done.stdout + done.stderr
            assert done.returncode == 1, output
            assert "无法连接发文字号登记簿服务器" in output and "Traceback" not in output
            assert "throwaway-pw" not in output  # the password in the address is never shown
        assert not (tmp_path / "out" / "auto.docx").exists()
        # validate only reads the registry: a server that is down is said once, and the
        # plans are still checked.
        written = (tmp_path / "auto.yaml").read_text(encoding="utf-8").replace("序号: 自动", "序号: 5")
        (tmp_path / "written.yaml").write_text(written, encoding="utf-8")
        checked = gongwen("validate", "written.yaml", cwd=tmp_path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stderr.count("没有对照登记簿检查发文字号") == 1 and "无法连接" in checked.stderr
        assert checked.stdout.splitlines()[-1].startswith("检查了 1 个计划：0 个错误")
    finally:
        server.start()
    again = gongwen("render", "auto.yaml", "-o", "out", cwd=tmp_path)
    assert again.returncode == 0 and f"发文字号 {CODE}〔{YEAR}〕2号" in again.stdout


def test_a_refused_login_is_a_chinese_error(server: PostgresServer, url: str, tmp_path: Path) -> None:
    wrong = url.replace(":throwaway-pw-42@", ":not-the-password@")
    with pytest.raises(RegistryError, match="拒绝登录") as refused:
        open_store(wrong)
    assert refused.value.kind == "login" and "not-the-password" not in refused.value.message
    done = gongwen("number", "list", "--registry", wrong, cwd=tmp_path)
    assert done.returncode == 1 and "拒绝登录" in done.stderr and "Traceback" not in done.stderr
    missing = gongwen("number", "list", "--registry", server.url("no_such_db"), cwd=tmp_path)
    assert missing.returncode == 1 and "没有这个数据库" in missing.stderr
