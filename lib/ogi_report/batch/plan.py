"""Planning a batch: which bureau-years to render, validated before any kernel, skipped when unchanged.

:func:`plan` reads every ``params/*.toml`` of a project, keeps those asked for (``--year``,
``--only``), validates each params file and its data in milliseconds (a broken one fails here, not
in a kernel), and compares each bureau-year's :func:`fingerprint` with the state recorded beside its
outputs after its last successful render: unchanged ones are skipped.  What it produces —
:class:`Job` to render and :class:`Outcome` already known — is plain data, sent to worker processes.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import ogi_report
from ogi_report import oserrors
from ogi_report.errors import OgiError
from ogi_report.storage.folder import META_FILE, load_bureau_year
from ogi_report.storage.params import Params, read_params
from ogi_report.storage.textfiles import write_text
from ogi_report.storage.workspace import previous_folder

NOTEBOOK = Path("notebooks") / "annual_report.ipynb"
FORMATS = ("html", "pdf", "docx")
STATE_DIR = ".state"
EXECUTED_DIR = "executed"
TMP_DIR = ".tmp"  # staging: files are written here (or beside their final path), then renamed
_NAME_RE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<year>\d{4})$")


class UsageError(OgiError):
    """The command line asks for something that cannot be done (exit code 2)."""


class Status(StrEnum):
    """How a bureau-year's render ended."""

    OK = "ok"
    DRAFT = "draft"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"ok": "已通过", "draft": "草稿", "failed": "失败"}[self.value]


@dataclass(frozen=True)
class Job:
    """One bureau-year to render: everything a worker process needs, and nothing it must look up."""

    slug: str
    year: int
    name: str
    root: Path
    notebook: Path
    data: Path
    out_dir: Path  # output/<year>
    formats: tuple[str, ...]
    timeout: float | None
    fingerprint: str

    @property
    def key(self) -> str:
        return f"{self.slug}-{self.year}"


@dataclass(frozen=True)
class Outcome:
    """What became of one bureau-year: its status, its findings and the files written."""

    slug: str
    year: int
    name: str
    status: Status
    errors: int = 0
    warnings: int = 0
    findings: tuple[dict[str, Any], ...] = ()
    outputs: dict[str, str] = field(default_factory=dict)  # format → file name inside output/<year>
    message: str = ""
    seconds: float = 0.0
    fingerprint: str = ""
    skipped: bool = False

    @property
    def key(self) -> str:
        return f"{self.slug}-{self.year}"

    @property
    def rendered(self) -> bool:
        return self.status is not Status.FAILED

    @property
    def status_label(self) -> str:
        return f"未变跳过（{self.status.label}）" if self.skipped else self.status.label

    def to_state(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["findings"] = list(self.findings)
        data.pop("skipped")
        data["recorded_at"] = datetime.now().isoformat(timespec="seconds")
        return data

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            slug=str(data["slug"]),
            year=int(data["year"]),
            name=str(data.get("name", "")),
            status=Status(data["status"]),
            errors=int(data.get("errors", 0)),
            warnings=int(data.get("warnings", 0)),
            findings=tuple(data.get("findings", ())),
            outputs={str(k): str(v) for k, v in data.get("outputs", {}).items()},
            message=str(data.get("message", "")),
            seconds=float(data.get("seconds", 0.0)),
            fingerprint=str(data.get("fingerprint", "")),
        )


@dataclass
class Plan:
    """A batch: the jobs to run, the outcomes known without running (skipped, invalid)."""

    jobs: list[Job] = field(default_factory=list)
    known: list[Outcome] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    unplaced: list[str] = field(default_factory=list)  # params files whose year cannot be told


def state_path(out_dir: Path, slug: str) -> Path:
    return out_dir / STATE_DIR / f"{slug}.json"


def read_state(out_dir: Path, slug: str) -> Outcome | None:
    """The outcome recorded for ``slug`` in ``out_dir``, or None (absent or unreadable)."""
    try:
        return Outcome.from_state(json.loads(state_path(out_dir, slug).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_state(out_dir: Path, outcome: Outcome) -> None:
    """Record ``outcome`` (atomically) as the bureau-year's latest known state."""
    text = json.dumps(outcome.to_state(), ensure_ascii=False, indent=1)
    write_text(state_path(out_dir, outcome.slug), text)


def read_states(out_dir: Path) -> list[Outcome]:
    """Every outcome recorded in ``out_dir`` (one per bureau)."""
    folder = out_dir / STATE_DIR
    found = (read_state(out_dir, p.stem) for p in sorted(folder.glob("*.json"))) if folder.is_dir() else ()
    return [o for o in found if o is not None]


def output_path(out_dir: Path, slug: str, fmt: str) -> Path:
    """Where a bureau-year's output of format ``fmt`` (html, pdf, docx) is published."""
    return out_dir / f"{slug}.{fmt}"


def _unlink_file(path: Path) -> str | None:
    """Remove the file at ``path``, if any; a Chinese reason when it cannot be removed.

    Only files (and symlinks) are ours to remove: a folder someone put at an output path is left
    alone (the render that needs the path fails and names it).
    """
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError as exc:
        return f"警告：无法删除已过期的 {path}（{oserrors.reason(exc)}），请手动删除，以免误用旧文件"
    return None


def record_outcome(out_dir: Path, outcome: Outcome) -> tuple[Outcome, list[str]]:
    """Record a fresh (rendered or failed) outcome as its bureau-year's state; clear what it makes stale.

    An output of a format this run did not write is still current only when it was made from the
    same inputs (the recorded fingerprint equals this run's) and this render did not fail: then it
    is kept and listed in the new state, so the index still links it.  Otherwise it is removed, so
    no outdated PDF or DOCX (without the draft banner the new data may need) sits beside the new
    HTML looking publishable.  Stale files go first and the state last: a crash in between leaves
    an old state whose files are missing, which the next run simply renders again.

    Returns the outcome as recorded and warnings (Chinese) for files that could not be removed.
    When the state itself cannot be written, the outcome becomes FAILED (the next run redoes it).
    """
    previous = read_state(out_dir, outcome.slug)
    same_inputs = (
        outcome.rendered
        and previous is not None
        and previous.rendered
        and bool(outcome.fingerprint)
        and previous.fingerprint == outcome.fingerprint
    )
    outputs = dict(outcome.outputs)
    warnings: list[str] = []
    for fmt in FORMATS:
        if fmt in outputs:
            continue
        kept = previous.outputs.get(fmt) if previous is not None and same_inputs else None
        if kept and (out_dir / kept).is_file():
            outputs[fmt] = kept
        elif problem := _unlink_file(output_path(out_dir, outcome.slug, fmt)):
            warnings.append(problem)
    recorded = replace(outcome, outputs=outputs)
    try:
        write_state(out_dir, recorded)
    except OSError as exc:
        path = state_path(out_dir, outcome.slug)
        failed = replace(
            outcome,
            status=Status.FAILED,
            outputs={k: v for k, v in outcome.outputs.items() if k not in FORMATS},
            message=f"无法写入状态文件 {path}（{oserrors.reason(exc)}）：本次结果未记录，下次运行将重新生成",
        )
        # Without a state the fresh files would be unaccounted for: failed means no outputs.
        warnings.extend(w for fmt in FORMATS if (w := _unlink_file(output_path(out_dir, outcome.slug, fmt))))
        return failed, warnings
    return recorded, warnings


def _hash_files(digest: Any, label: str, folder: Path | None) -> None:
    if folder is None or not folder.is_dir():
        digest.update(f"{label}:absent\0".encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{label}:{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def kit_version() -> str:
    """A hash of the kit's sources and templates: any change to them re-renders every report."""
    digest = hashlib.sha256(ogi_report.__version__.encode())
    package = Path(ogi_report.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(params: Params, notebook: Path, kit: str) -> str:
    """What a render depends on: notebook, params file, this year's and last year's data, the kit."""
    digest = hashlib.sha256(f"kit:{kit}\0".encode())
    digest.update(b"notebook\0" + hashlib.sha256(notebook.read_bytes()).digest())
    if params.file is not None:
        digest.update(b"params\0" + hashlib.sha256(params.file.read_bytes()).digest())
    _hash_files(digest, "data", params.data)
    _hash_files(digest, "previous", previous_folder(params.data))
    return digest.hexdigest()


def _unchanged(previous: Outcome | None, fp: str, formats: Sequence[str], out_dir: Path) -> bool:
    if previous is None or previous.fingerprint != fp or not previous.rendered:
        return False
    files = [previous.outputs.get(f) for f in (*formats, "ipynb")]
    return all(name and (out_dir / name).is_file() for name in files)


def _name_hint(folder: Path) -> str:
    """The body's name from a folder whose data cannot be loaded, when its meta file still reads."""
    try:
        name = tomllib.loads((folder / META_FILE).read_text(encoding="utf-8-sig")).get("name", "")
    except (OSError, ValueError):
        return ""
    return name if isinstance(name, str) else ""


def _failed(slug: str, year: int, message: str, name: str = "") -> Outcome:
    return Outcome(slug=slug, year=year, name=name or slug, status=Status.FAILED, message=message)


def plan(
    root: Path,
    out: Path,
    *,
    years: Iterable[int] = (),
    only: Iterable[str] = (),
    formats: Sequence[str] = ("html",),
    force: bool = False,
    timeout: float | None = None,
) -> Plan:
    """Decide what the batch renders; raise :class:`UsageError` for an unknown ``only`` slug."""
    notebook = root / NOTEBOOK
    if not notebook.is_file():
        raise UsageError(f"找不到报告笔记本 {notebook}：请在项目根目录运行，或用 --root 指定项目根目录")
    files = sorted((root / "params").glob("*.toml"))
    if not files:
        raise UsageError(
            f"{root / 'params'} 中没有参数文件（<slug>-<year>.toml）：可用 `ogi-report new` 创建"
        )
    wanted_years, wanted = set(years), list(dict.fromkeys(only))
    named = {m["slug"]: m for f in files if (m := _NAME_RE.match(f.stem))}
    unknown = [s for s in wanted if s not in named]
    if unknown:
        raise UsageError(f"--only 中的 {'、'.join(unknown)} 没有参数文件；可选：{'、'.join(sorted(named))}")
    kit = kit_version()
    result = Plan()
    for path in files:
        match = _NAME_RE.match(path.stem)
        slug, year = (match["slug"], int(match["year"])) if match else (path.stem, None)
        if (wanted and slug not in wanted) or (wanted_years and year not in wanted_years):
            continue
        try:
            params = read_params(path, root)
        except OgiError as exc:
            if year is None:
                result.unplaced.append(f"{path}: {exc}")
            else:
                result.years.add(year)
                result.known.append(_failed(slug, year, f"参数文件有误：{exc}"))
            continue
        result.years.add(params.year)
        outcome_or_job = _job_for(params, root, notebook, out, formats, force, timeout, kit)
        if isinstance(outcome_or_job, Job):
            result.jobs.append(outcome_or_job)
        else:
            result.known.append(outcome_or_job)
    if not (result.jobs or result.known or result.unplaced):
        asked = "、".join([*(str(y) for y in sorted(wanted_years)), *wanted])
        raise UsageError(f"没有符合条件（{asked}）的参数文件")
    return result


def _job_for(
    params: Params,
    root: Path,
    notebook: Path,
    out: Path,
    formats: Sequence[str],
    force: bool,
    timeout: float | None,
    kit: str,
) -> Job | Outcome:
    out_dir = out / str(params.year)
    try:
        by = load_bureau_year(params.data)
    except OgiError as exc:
        return _failed(
            params.slug, params.year, f"数据无法读取，未运行笔记本：{exc}", _name_hint(params.data)
        )
    if (by.meta.slug, by.meta.year) != (params.slug, params.year):
        return _failed(
            params.slug,
            params.year,
            f"{params.data} 中的 meta 为 {by.meta.slug} {by.meta.year} 年，与参数文件 {params.file} 不一致",
            by.meta.name,
        )
    fp = fingerprint(params, notebook, kit)
    previous = read_state(out_dir, params.slug)
    if not force and _unchanged(previous, fp, formats, out_dir):
        assert previous is not None
        return replace(previous, skipped=True, seconds=0.0)
    return Job(
        slug=params.slug,
        year=params.year,
        name=by.meta.name,
        root=root,
        notebook=notebook,
        data=params.data,
        out_dir=out_dir,
        formats=tuple(formats),
        timeout=timeout,
        fingerprint=fp,
    )
