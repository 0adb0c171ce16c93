"""What a batch sends to its workers and gets back: :class:`Job` in, :class:`Outcome` out.

Both are plain data (pickled over the workers' pipes).  An outcome is also what the batch records
beside a bureau-year's outputs (:mod:`ogi_report.batch.state`): its JSON form is :meth:`Outcome.to_state`,
the findings in :meth:`Finding.to_dict` form — the only place they are dicts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ogi_report.checks.findings import Finding

FORMATS = ("html", "pdf", "docx")
REVIEW_DIR = "review"  # the review editions (report + 数据校验 appendix) the index links
REVIEW_PREFIX = "review-"  # an outcome's outputs list them as review-html, review-pdf, review-docx
OUTPUT_KINDS = (*FORMATS, *(REVIEW_PREFIX + fmt for fmt in FORMATS))
STATE_DIR = ".state"
EXECUTED_DIR = "executed"
TMP_DIR = ".tmp"  # staging: files are written here (or beside their final path), then renamed


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
    findings: tuple[Finding, ...] = ()
    # kind (html, pdf, docx, review-html …, ipynb) → file name relative to output/<year>
    outputs: dict[str, str] = field(default_factory=dict)
    message: str = ""
    seconds: float = 0.0
    fingerprint: str = ""
    skipped: bool = False

    @classmethod
    def failed(cls, job: Job, message: str) -> Outcome:
        """The outcome of a job that produced nothing (the fingerprint kept: it says what was tried)."""
        return cls(job.slug, job.year, job.name, Status.FAILED, message=message, fingerprint=job.fingerprint)

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
        data["findings"] = [f.to_dict() for f in self.findings]
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
            findings=tuple(Finding.from_dict(f) for f in data.get("findings", ())),
            outputs={str(k): str(v) for k, v in data.get("outputs", {}).items()},
            message=str(data.get("message", "")),
            seconds=float(data.get("seconds", 0.0)),
            fingerprint=str(data.get("fingerprint", "")),
        )


def output_path(out_dir: Path, slug: str, fmt: str) -> Path:
    """Where a bureau-year's output of format ``fmt`` (html, pdf, docx) is published; a ``review-``
    kind (review-html …) is its review edition, in ``review/``."""
    if fmt.startswith(REVIEW_PREFIX):
        return out_dir / REVIEW_DIR / f"{slug}.{fmt.removeprefix(REVIEW_PREFIX)}"
    return out_dir / f"{slug}.{fmt}"


def output_name(fmt: str, slug: str) -> str:
    """An output's name relative to ``output/<year>`` (as an outcome lists it)."""
    if fmt.startswith(REVIEW_PREFIX):
        return f"{REVIEW_DIR}/{slug}.{fmt.removeprefix(REVIEW_PREFIX)}"
    return f"{slug}.{fmt}"
