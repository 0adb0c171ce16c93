"""Planning a batch: which bureau-years to render, validated before any kernel, skipped when unchanged.

:func:`plan` reads every ``params/*.toml`` of a project, keeps those asked for (``--year``,
``--only``), validates each params file and its data in milliseconds (a broken one fails here, not
in a kernel), and compares each bureau-year's :func:`fingerprint` with the state recorded beside its
outputs after its last successful render: unchanged ones are skipped.  What it produces —
:class:`~ogi_report.batch.jobs.Job` to render and :class:`~ogi_report.batch.jobs.Outcome` already
known — is plain data, sent to worker processes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ogi_report
from ogi_report.batch.jobs import Job, Outcome, Status
from ogi_report.batch.state import read_state
from ogi_report.errors import OgiError, UsageError
from ogi_report.storage.folder import DATA_FILES, META_FILE, load_bureau_year
from ogi_report.storage.members import member_folders
from ogi_report.storage.parsing import parse_toml
from ogi_report.storage.textfiles import read_text
from ogi_report.storage.workspace import Params, Workspace, previous_folder

NOTEBOOK = Path("notebooks") / "annual_report.ipynb"


@dataclass
class Plan:
    """A batch: the jobs to run, the outcomes known without running (skipped, invalid)."""

    jobs: list[Job] = field(default_factory=list)
    known: list[Outcome] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    unplaced: list[str] = field(default_factory=list)  # params files whose year cannot be told
    formats: tuple[str, ...] = ("html",)  # what the year overviews are rendered in, too
    force: bool = False
    timeout: float | None = None


def _hash_file(digest: Any, label: str, path: Path) -> None:
    """Add the file's content to ``digest``, streamed and never through a symbolic link.

    A link, a missing or unreadable file or a non-file is hashed as what it is (its errno or kind),
    so the render that reads it — and refuses it — is not skipped.
    """
    digest.update(f"{label}\0".encode())
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        digest.update(f"error:{exc.errno}\0".encode())
        return
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            digest.update(b"not a file\0")
            return
        digest.update(hashlib.file_digest(fh, "sha256").digest())


def _hash_files(digest: Any, label: str, folder: Path | None) -> None:
    """Add a data folder to ``digest``: the kit's files by content (streamed), any other by its stat.

    A notebook may read other files of the folder, so they count too, but by name, size and
    modification time: a 1 GB scan kept beside the data is not read at every batch.  Nothing is
    followed through a symbolic link (a link counts by where it points).
    """
    if folder is None or not folder.is_dir():
        digest.update(f"{label}:absent\0".encode())
        return
    for name in DATA_FILES:
        _hash_file(digest, f"{label}:{name}", folder / name)
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(base, d))]):
            path = Path(base, name)
            relative = path.relative_to(folder).as_posix()
            if relative in DATA_FILES:
                continue
            info = path.lstat()
            seen = os.readlink(path) if stat.S_ISLNK(info.st_mode) else f"{info.st_size}:{info.st_mtime_ns}"
            digest.update(f"{label}:{relative}:{info.st_mode}:{seen}\0".encode())


def kit_version() -> str:
    """A hash of the kit's sources and templates: any change to them re-renders every report."""
    digest = hashlib.sha256(ogi_report.__version__.encode())
    package = Path(ogi_report.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(params: Params, notebook: Path, kit: str, workspace: Workspace | None = None) -> str:
    """What a render depends on: notebook, params file, this year's and last year's data, the kit,
    and for a compiled government (全市汇总) its members' data, which rule COMPILE compares.

    The notebook counts by its code and parameters (:func:`~ogi_report.notebook.template.source_digest`),
    not its outputs: a template saved after a run in JupyterLab re-renders nothing."""
    from ogi_report.notebook.template import source_digest  # the batch's only use of it

    digest = hashlib.sha256(f"kit:{kit}\0".encode())
    digest.update(b"notebook\0" + source_digest(notebook))
    _hash_file(digest, "params", params.file)
    _hash_files(digest, "data", params.data)
    _hash_files(digest, "previous", previous_folder(params.data))
    if workspace is not None:
        for slug, folder in member_folders(workspace, params.data, params.slug, params.year):
            _hash_files(digest, f"member:{slug}", folder)
    return digest.hexdigest()


def _unchanged(previous: Outcome | None, fp: str, formats: Sequence[str], out_dir: Path) -> bool:
    if previous is None or previous.fingerprint != fp or not previous.rendered:
        return False
    files = [previous.outputs.get(f) for f in (*formats, "ipynb")]
    return all(name and (out_dir / name).is_file() for name in files)


def _name_hint(folder: Path) -> str:
    """The body's name from a folder whose data cannot be loaded, when its meta file still reads."""
    try:
        name = parse_toml(read_text(folder / META_FILE), folder / META_FILE).get("name", "")
    except OgiError:
        return ""
    return name if isinstance(name, str) else ""


def _failed(slug: str, year: int, message: str, name: str = "") -> Outcome:
    return Outcome(slug=slug, year=year, name=name or slug, status=Status.FAILED, message=message)


@dataclass(frozen=True)
class _Planner:
    """What every bureau-year of one batch is planned against."""

    workspace: Workspace
    notebook: Path
    out: Path
    formats: tuple[str, ...]
    force: bool
    timeout: float | None
    kit: str
    on_job: Callable[[Job], None] | None = None  # told of each job as soon as it is planned

    def add(self, result: Plan, path: Path) -> None:
        """Plan the bureau-year of one params file into ``result``."""
        key = self.workspace.params_key(path)
        try:
            params = self.workspace.read_params(path)
        except OgiError as exc:
            if key is None:
                result.unplaced.append(f"{path}: {exc}")
            else:
                result.years.add(key[1])
                result.known.append(_failed(*key, f"参数文件有误：{exc}"))
            return
        result.years.add(params.year)
        job = self.job_for(params)
        if isinstance(job, Job):
            result.jobs.append(job)
            if self.on_job is not None:
                self.on_job(job)
        else:
            result.known.append(job)

    def job_for(self, params: Params) -> Job | Outcome:
        """The job rendering ``params``, or its outcome when its data fail or nothing changed."""
        out_dir = self.out / str(params.year)
        try:
            by = load_bureau_year(params.data)
        except OgiError as exc:
            message = f"数据无法读取，未运行笔记本：{exc}"
            return _failed(params.slug, params.year, message, _name_hint(params.data))
        if (by.meta.slug, by.meta.year) != (params.slug, params.year):
            found = f"{by.meta.slug} {by.meta.year} 年"
            message = f"{params.data} 中的 meta 为 {found}，与参数文件 {params.file} 不一致"
            return _failed(params.slug, params.year, message, by.meta.name)
        fp = fingerprint(params, self.notebook, self.kit, self.workspace)
        previous = read_state(out_dir, params.slug)
        if not self.force and previous is not None and _unchanged(previous, fp, self.formats, out_dir):
            return replace(previous, skipped=True, seconds=0.0)
        return Job(
            slug=params.slug,
            year=params.year,
            name=by.meta.name,
            root=self.workspace.root,
            notebook=self.notebook,
            data=params.data,
            out_dir=out_dir,
            formats=self.formats,
            timeout=self.timeout,
            fingerprint=fp,
        )


def _params_files(workspace: Workspace, only: Sequence[str]) -> list[Path]:
    """The project's params files; UsageError when there are none or ``only`` names an unknown slug."""
    files = workspace.params_files()
    if not files:
        raise UsageError(
            f"{workspace.params_dir} 中没有参数文件（<slug>-<year>.toml）：可用 `ogi-report new` 创建"
        )
    named = {key[0] for f in files if (key := workspace.params_key(f))}
    unknown = [s for s in only if s not in named]
    if unknown:
        raise UsageError(f"--only 中的 {'、'.join(unknown)} 没有参数文件；可选：{'、'.join(sorted(named))}")
    return files


def plan(
    workspace: Workspace,
    out: Path,
    *,
    years: Iterable[int] = (),
    only: Iterable[str] = (),
    formats: Sequence[str] = ("html",),
    force: bool = False,
    timeout: float | None = None,
    on_job: Callable[[Job], None] | None = None,
) -> Plan:
    """Decide what the batch renders; :class:`UsageError` when there is nothing it can render.

    ``on_job`` is called with each job as soon as it is planned: the batch starts its first worker
    then, so the worker's start overlaps the planning of the rest.
    """
    notebook = workspace.root / NOTEBOOK
    if not notebook.is_file():
        raise UsageError(f"找不到报告笔记本 {notebook}：请在项目根目录运行，或用 --root 指定项目根目录")
    wanted_years, wanted = set(years), list(dict.fromkeys(only))
    files = _params_files(workspace, wanted)
    planner = _Planner(workspace, notebook, out, tuple(formats), force, timeout, kit_version(), on_job)
    result = Plan(formats=tuple(formats), force=force, timeout=timeout)
    for path in files:
        slug, year = workspace.params_key(path) or (path.stem, None)
        if (not wanted or slug in wanted) and (not wanted_years or year in wanted_years):
            planner.add(result, path)
    if not (result.jobs or result.known or result.unplaced):
        asked = "、".join([*(str(y) for y in sorted(wanted_years)), *wanted])
        raise UsageError(f"没有符合条件（{asked}）的参数文件")
    return result
