"""The batch on a Dask cluster gives what the local pool gives, survives a killed worker, and skips
what is unchanged.

A :class:`distributed.LocalCluster` of two worker processes is started here, in the test run; the
batch reaches it by its TCP address (``--scheduler tcp://…``), as it would a real cluster, and one
test starts its own with ``--scheduler local:2``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from batchkit import add_bureau, batch, make_project, read_summary, write_notebook
from ogi_report.storage.folder import DATA_FILES

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

BODIES = 29  # with the bundled example: 30 bureau-years


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[str, object]]:
    """A two-process LocalCluster and a client of the test's own (to find and kill workers)."""
    import logging

    local = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    client = distributed.Client(local)
    try:
        yield local.scheduler_address, client
    finally:
        client.close()
        local.close()


def test_reports_are_grouped_into_tasks_only_when_every_worker_keeps_several() -> None:
    from ogi_report.batch.cluster import MAX_CHUNK, chunk_sizes

    assert chunk_sizes(7, 2) == [1] * 7  # a small batch: one report per task, the finest balance
    assert chunk_sizes(0, 2) == []
    for reports, workers in ((30, 2), (200, 2), (200, 0), (1000, 2), (200, 8)):
        sizes = chunk_sizes(reports, workers)
        assert sum(sizes) == reports and all(1 <= size <= MAX_CHUNK for size in sizes)
        assert sizes == sorted(sizes, reverse=True)  # the large tasks first, shrinking as it ends
        assert sizes[-1] == 1
    big = chunk_sizes(200, 2)
    assert big[:18] == [MAX_CHUNK] * 18  # the bulk: a lost worker reruns at most 8 reports
    assert len(big) < 200 // 4  # far fewer tasks (messages) than reports
    assert chunk_sizes(30, 2)[0] == 4  # ⌈30 ÷ (4 × 2)⌉


def test_a_workers_scratch_copy_is_in_memory_when_there_is_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from ogi_report.batch import cluster

    free = shutil.disk_usage(tmp_path).free
    monkeypatch.setattr(cluster, "SHM_ROOM", free // 2)
    assert cluster.scratch_folder(tmp_path) == str(tmp_path)  # room enough: in memory
    monkeypatch.setattr(cluster, "SHM_ROOM", free * 2)
    assert cluster.scratch_folder(tmp_path) is None  # a small /dev/shm (containers): the disk
    monkeypatch.setattr(cluster, "SHM_ROOM", 0)
    assert cluster.scratch_folder(tmp_path / "missing") is None  # no /dev/shm: the disk


def test_scratch_copies_of_dead_workers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    from ogi_report.batch.cluster import SCRATCH_PREFIX, _remove_orphans

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f"{SCRATCH_PREFIX}{dead.pid}-x1"
    live = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-x2"
    other = tmp_path / "ogi-dask-notes"
    for folder in (orphan, live, other):
        (folder / "project").mkdir(parents=True)
    _remove_orphans(tmp_path)
    assert not orphan.exists() and live.is_dir() and other.is_dir()


def _outputs(out: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob(pattern))}


def _first_difference(mine: dict[str, bytes], theirs: dict[str, bytes]) -> str:
    """Where the first differing file first differs, with some context (for the failure message)."""
    for name in mine:
        a, b = mine[name], theirs[name]
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            return f"{name} at byte {at}: {a[at - 200 : at + 200]!r} != {b[at - 200 : at + 200]!r}"
    return ""


def test_a_cluster_batch_equals_the_local_pool_and_a_rerun_skips_everything(
    tmp_path: Path, cluster: tuple[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    address, _client = cluster
    root = make_project(tmp_path / "project")
    for i in range(BODIES):
        add_bureau(root, f"body-{i:02d}", errors=(i == 3))
    assert batch("--root", str(root), "--out", str(tmp_path / "local"), "--jobs", "2") == 1  # body-03: draft
    code = batch("--root", str(root), "--out", str(tmp_path / "dask"), "--scheduler", address)
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err

    local, dask = tmp_path / "local" / "2021", tmp_path / "dask" / "2021"
    pages = _outputs(local, "*.html")
    assert len([p for p in pages if p not in ("index.html", "overview.html")]) == BODIES + 1
    for kind in ("*.html", "review/*.html", "findings.csv"):
        mine, theirs = _outputs(dask, kind), _outputs(local, kind)
        mine.pop("index.html", None), theirs.pop("index.html", None)  # it names the run's time
        assert mine.keys() == theirs.keys()
        different = [name for name in mine if mine[name] != theirs[name]]
        assert different == [], f"differ from the local pool: {different}: {_first_difference(mine, theirs)}"
    summary = read_summary(tmp_path, out="dask")
    assert summary["body-03"]["状态"] == "草稿" and summary["body-04"]["状态"] == "已通过"
    assert (dask / "executed" / "body-04.ipynb").is_file()
    assert not list((tmp_path / "dask").rglob("*.tmp*"))  # nothing half-written left beside a file

    again = batch("--root", str(root), "--out", str(tmp_path / "dask"), "--scheduler", address)
    out = capsys.readouterr().out
    assert again == 1  # still a draft among them
    assert f"未变跳过 {BODIES + 1}" in out


def _worker_pids(client: object) -> list[int]:
    pids = client.run(os.getpid)  # type: ignore[attr-defined]
    return sorted(pids.values())


def _batch_losing_a_worker(tmp_path: Path, scheduler: str, kill: Callable[[int], None]) -> None:
    """A batch of slow reports on ``scheduler``; once they are being rendered (the first executed
    notebook is back), ``kill(batch pid)`` kills a worker.  Every report must still pass."""
    root = make_project(tmp_path / "project")
    slugs = [f"slow-{i}" for i in range(8)]  # each report sleeps 1.5 s in its notebook
    for slug in slugs:
        add_bureau(root, slug)
    out = tmp_path / "output"
    command = [sys.executable, "-m", "ogi_report", "batch", "--root", str(root), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--scheduler", scheduler], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not list((out / "2021" / "executed").glob("slow-*.ipynb")):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        kill(proc.pid)
        _stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    summary = read_summary(tmp_path)
    assert {slug: summary[slug]["状态"] for slug in slugs} == dict.fromkeys(slugs, "已通过")
    assert all((out / "2021" / f"{slug}.html").is_file() for slug in slugs)


def test_killing_a_worker_mid_batch_still_completes_every_report(
    tmp_path: Path, cluster: tuple[str, object]
) -> None:
    address, client = cluster
    victims: list[int] = []

    def kill(_batch: int) -> None:
        victims.append(_worker_pids(client)[0])
        os.kill(victims[0], signal.SIGKILL)

    _batch_losing_a_worker(tmp_path, address, kill)
    assert victims and victims[0] not in _worker_pids(client)  # the nanny replaced it


def _local_clusters() -> list[psutil.Process]:
    """The running processes of ``local:N`` clusters (:mod:`ogi_report.batch.localcluster`)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if "ogi_report.batch.localcluster" in (process.info["cmdline"] or []):
            found.append(process)
    return found


def _gone(processes: list[psutil.Process], within: float) -> bool:
    _gone, alive = psutil.wait_procs(processes, timeout=within)
    return not alive


def test_a_batch_starts_its_own_local_cluster_and_stops_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "project")
    assert batch("--root", str(root), "--scheduler", "local:2") == 0
    err = capsys.readouterr().err
    assert "Dask 调度器" in err and "Traceback" not in err
    assert (root / "output" / "2021" / "haidong-emergency.html").is_file()
    # The batch ran in this process: its cluster's process (a child of it) has exited with it.
    assert [p for p in _local_clusters() if p.ppid() == os.getpid()] == []


def test_a_killed_batch_takes_its_local_cluster_and_workers_with_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    for i in range(12):
        add_bureau(root, f"extra-{i:02d}")
    command = [sys.executable, "-m", "ogi_report", "batch", "--root", str(root), "--scheduler", "local:2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (clusters := [c for c in _local_clusters() if c.ppid() == proc.pid]):
            assert time.monotonic() < deadline and proc.poll() is None, "no local cluster started"
            time.sleep(0.1)
        family = clusters + clusters[0].children(recursive=True)  # nannies' workers and kernels
        while len(family) < 5 and time.monotonic() < deadline:  # the cluster, 2 workers, 2 kernels
            time.sleep(0.2)
            family = clusters + clusters[0].children(recursive=True)
        assert len(family) >= 5, family
        proc.kill()
        proc.wait()
        assert _gone(family, within=60), [p for p in family if p.is_running()]
    finally:
        proc.kill()


def test_a_local_clusters_killed_worker_is_replaced_and_every_report_completes(tmp_path: Path) -> None:
    def kill(batch: int) -> None:
        (launcher,) = [c for c in _local_clusters() if c.ppid() == batch]
        workers = launcher.children()  # its workers (their kernels are their children)
        assert len(workers) == 2
        workers[0].kill()
        deadline = time.monotonic() + 60
        while len([w for w in launcher.children() if w.pid != workers[0].pid]) < 2:
            assert time.monotonic() < deadline, "the worker was not replaced"
            time.sleep(0.1)

    _batch_losing_a_worker(tmp_path, "local:2", kill)


def test_a_local_cluster_closed_while_it_starts_leaves_nothing_running(tmp_path: Path) -> None:
    """A batch interrupted while planning closes its pool before the cluster has announced itself."""
    from ogi_report.batch.cluster import ClusterPool
    from ogi_report.batch.plan import NOTEBOOK

    root = make_project(tmp_path / "project")
    pool = ClusterPool("local:2", notebook=root / NOTEBOOK, root=root)
    pool.__enter__()
    started = time.monotonic()
    time.sleep(0.2)  # the launcher is importing Dask or forking its workers
    (launcher,) = [p for p in _local_clusters() if p.ppid() == os.getpid()]
    family, born = [launcher, *launcher.children(recursive=True)], launcher.create_time()
    pool.close()
    assert time.monotonic() - started < 30  # not the 30 s a launcher deaf to its stdin would take
    assert _gone(family, within=30), [p for p in family if p.is_running()]
    # Workers forked after the look (same command line as their launcher, born after it).
    late = [p for p in _local_clusters() if p.create_time() >= born]
    assert _gone(late, within=30), late


def test_workers_that_keep_dying_are_replaced_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    from ogi_report.batch import localcluster

    spawn = multiprocessing.get_context("spawn")

    def start_one_that_dies(self: object, context: object, address: str | None) -> object:
        parent, _child = spawn.Pipe()
        process = spawn.Process(target=sys.exit, args=(3,))
        process.start()
        process.join()
        return process, parent

    monkeypatch.setattr(localcluster._Workers, "_start", start_one_that_dies)
    workers = localcluster._Workers(2, plugin=None)
    replaced = sum(workers.replace_dead() for _ in range(3 * localcluster.MAX_REPLACEMENTS))
    assert replaced == workers.replaced == 2 * localcluster.MAX_REPLACEMENTS
    assert not any(process.is_alive() for process, _conn in workers.processes)


def test_a_local_cluster_that_cannot_start_says_why(tmp_path: Path) -> None:
    from ogi_report.batch.cluster import _LocalCluster
    from ogi_report.errors import UsageError

    local = _LocalCluster(2, tmp_path / "missing.ipynb", tmp_path)
    try:
        with pytest.raises(UsageError, match=r"本机 Dask 集群未能启动：.*missing\.ipynb"):
            local.address()
    finally:
        local.stop()


@pytest.mark.parametrize(
    ("scheduler", "said"),
    [("tcp://127.0.0.1:9", "无法连接 Dask 调度器"), ("local:zero", "应为 local:N")],
)
def test_a_scheduler_that_cannot_be_used_stops_the_batch_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scheduler: str, said: str
) -> None:
    root = make_project(tmp_path / "project")
    assert batch("--root", str(root), "--scheduler", scheduler) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not (root / "output" / "2021" / "haidong-emergency.html").exists()


def test_a_cluster_of_another_version_is_refused(
    tmp_path: Path,
    cluster: tuple[str, object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ogi_report

    address, _client = cluster
    root = make_project(tmp_path / "project")
    monkeypatch.setattr(ogi_report, "__version__", "0.0.0-other")
    assert batch("--root", str(root), "--scheduler", address) == 2
    err = capsys.readouterr().err
    assert "版本与本机（0.0.0-other）不同" in err and "Traceback" not in err


def test_a_compiled_government_carries_its_members_and_reruns_when_one_changes(
    tmp_path: Path, cluster: tuple[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    from compiling.citykit import CITY, build_demo_city
    from ogi_report.cli.main import main

    address, _client = cluster
    city = build_demo_city(tmp_path / "project")
    root = city.root
    write_notebook(root)
    for year in (2023, 2024):
        assert main(["compile", CITY, str(year), "--root", str(root)]) == 0
    (root / "params" / f"{CITY}-2024.toml").write_text(f'slug = "{CITY}"\nyear = 2024\n', "utf-8")
    args = ("--root", str(root), "--year", "2024", "--only", CITY)
    assert batch(*args, "--out", str(tmp_path / "local")) == 0
    assert batch(*args, "--out", str(tmp_path / "dask"), "--scheduler", address) == 0
    local, dask = (tmp_path / out / "2024" for out in ("local", "dask"))
    assert (dask / f"{CITY}.html").read_bytes() == (local / f"{CITY}.html").read_bytes()

    # A member changes after compiling: the government's render is no longer current (not skipped),
    # and the worker, which saw the member's new data, warns COMPILE.
    member = city.folder("demo-d03", 2024) / "table3.csv"
    member.write_text(member.read_text("utf-8").replace(",0,", ",1,", 1), "utf-8")
    capsys.readouterr()
    batch(*args, "--out", str(tmp_path / "dask"), "--scheduler", address)
    assert "未变跳过 0" in capsys.readouterr().out
    findings = (dask / "findings.csv").read_text("utf-8-sig")
    assert "COMPILE" in findings and "demo-d03" in findings


def test_a_shipment_carries_the_files_a_render_reads_and_nothing_else(tmp_path: Path) -> None:
    from ogi_report.batch.cluster import ship
    from ogi_report.batch.jobs import Job

    root = make_project(tmp_path / "project")
    data = root / "data" / "haidong-emergency" / "2021"
    (data / "scan-of-the-printed-report.pdf").write_bytes(b"%PDF" + b"\0" * 1_000_000)
    (data / "notes.txt").symlink_to("/etc/passwd")
    job = Job(
        slug="haidong-emergency",
        year=2021,
        name="海东市应急管理局",
        root=root,
        notebook=root / "notebooks" / "annual_report.ipynb",
        data=data,
        out_dir=root / "output" / "2021",
        formats=("html",),
        timeout=None,
        fingerprint="x",
    )
    shipment = ship(job)
    folder = "data/haidong-emergency/2021"
    assert set(shipment.files) == {
        "notebooks/annual_report.ipynb",
        "params/haidong-emergency-2021.toml",
        *(f"{folder}/{name}" for name in DATA_FILES),
    }
    assert shipment.files[f"{folder}/narrative.md"] == (data / "narrative.md").read_bytes()
