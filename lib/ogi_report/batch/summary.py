"""What a batch leaves for people: ``index.html``, ``summary.csv``, ``findings.csv`` and
``<year>-reports.zip`` of one year.

The index (:mod:`ogi_report.batch.index_page`) is one self-contained page in Chinese listing every
bureau-year with its status, dates, counts and links, the year overview and the archive.  The CSV
files are UTF-8 with BOM so Excel and WPS on Chinese Windows open them as text, not mojibake.  The
archive holds every published file of the year (each report's HTML/PDF/DOCX, the overview, the
index and the CSV files) for one download.  All are written atomically.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO, cast

from ogi_report.batch.index_page import Dates, YearFiles, index_html
from ogi_report.batch.jobs import FORMATS, Outcome
from ogi_report.checks.meta import statutory_deadline
from ogi_report.errors import OgiError
from ogi_report.storage.folder import META_FILE, read_meta
from ogi_report.storage.textfiles import atomic_writer, write_text
from ogi_report.storage.workspace import Workspace

__all__ = [
    "FINDINGS_HEADERS",
    "SUMMARY_HEADERS",
    "csv_cell",
    "findings_rows",
    "index_html",
    "summary_rows",
    "write_findings",
    "write_summary",
    "write_year",
]
REVIEW_DIR = "review"  # output/<year>/review/<slug>.html|pdf|docx: report with its 数据校验 appendix
OVERVIEW = "overview"  # output/<year>/overview.html|pdf|docx

SUMMARY_HEADERS = (
    "机关名称",
    "代号",
    "年度",
    "状态",
    "错误数",
    "警告数",
    "用时（秒）",
    "HTML",
    "PDF",
    "DOCX",
    "执行笔记本",
    "说明",
    "发布日期",
    "发布期限",
)
FINDINGS_HEADERS = (
    "机关名称",
    "代号",
    "年度",
    "规则编号",
    "严重程度",
    "位置",
    "表",
    "行",
    "列",
    "实际值",
    "应为",
    "说明",
)
# Excel and WPS run a cell starting with one of these as a formula (=HYPERLINK(…), =cmd|…), and
# names and messages come from data files anyone may edit: such cells get a leading apostrophe,
# which the spreadsheet shows as text (OWASP "CSV injection").  A plain number such as "-3" is
# not a formula and stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value: object) -> object:
    """``value`` made safe to open in a spreadsheet (text that would run as a formula is quoted)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_text(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _sorted(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=lambda o: (o.year, o.slug))


def _iso(day: object) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else ""


def summary_rows(outcomes: Sequence[Outcome], dates: Mapping[str, Dates] | None = None) -> list[list[object]]:
    """One row per bureau-year, in :data:`SUMMARY_HEADERS` order."""
    dates = dates or {}
    return [
        [
            o.name,
            o.slug,
            o.year,
            o.status_label,
            o.errors,
            o.warnings,
            f"{o.seconds:.2f}",
            *(o.outputs.get(f, "") for f in FORMATS),
            o.outputs.get("ipynb", ""),
            o.message,
            _iso(d.published) if (d := dates.get(o.slug)) else "",
            _iso(d.deadline) if d else "",
        ]
        for o in _sorted(outcomes)
    ]


def findings_rows(outcomes: Sequence[Outcome]) -> list[list[object]]:
    """One row per finding of every bureau-year, in :data:`FINDINGS_HEADERS` order."""
    rows: list[list[object]] = []
    for o in _sorted(outcomes):
        for f in o.findings:
            rows.append(
                [
                    o.name,
                    o.slug,
                    o.year,
                    f.rule,
                    f.severity.label,
                    f.location,
                    f.table,
                    f.row,
                    f.column,
                    f.found,
                    f.expected,
                    f.message,
                ]
            )
    return rows


def write_summary(path: Path, outcomes: Sequence[Outcome], dates: Mapping[str, Dates] | None = None) -> None:
    """``summary.csv``: UTF-8 with BOM, Chinese headers."""
    write_text(path, _csv_text(SUMMARY_HEADERS, summary_rows(outcomes, dates)), encoding="utf-8-sig")


def write_findings(path: Path, outcomes: Sequence[Outcome]) -> None:
    """``findings.csv``: every finding with its rule id, UTF-8 with BOM, Chinese headers."""
    write_text(path, _csv_text(FINDINGS_HEADERS, findings_rows(outcomes)), encoding="utf-8-sig")


def existing_outputs(out_dir: Path, outcome: Outcome) -> Outcome:
    """``outcome`` listing only the outputs still on disk (someone may have deleted or moved one)."""
    kept = {kind: name for kind, name in outcome.outputs.items() if (out_dir / name).is_file()}
    return outcome if kept == outcome.outputs else replace(outcome, outputs=kept)


def publication_dates(workspace: Workspace, year: int, slugs: Sequence[str]) -> dict[str, Dates]:
    """Each bureau-year's publish date and deadline, read from its meta file (unreadable: left out)."""
    dates = {}
    for slug in slugs:
        try:
            params = workspace.params_file(slug, year)
            folder = (
                workspace.read_params(params).data if params.is_file() else workspace.data_folder(slug, year)
            )
            meta = read_meta(folder / META_FILE)
        except (OgiError, OSError):
            continue
        dates[slug] = Dates(meta.publish_date, meta.deadline or statutory_deadline(meta.publisher_type, year))
    return dates


def year_files(
    out_dir: Path, year: int, outcomes: Sequence[Outcome], dates: Mapping[str, Dates]
) -> YearFiles:
    """The review editions, the overview and the archive of a year: those that exist."""
    review = {
        o.slug: {
            fmt: f"{REVIEW_DIR}/{o.slug}.{fmt}"
            for fmt in FORMATS
            if (out_dir / REVIEW_DIR / f"{o.slug}.{fmt}").is_file()
        }
        for o in outcomes
    }
    overview = {fmt: f"{OVERVIEW}.{fmt}" for fmt in FORMATS if (out_dir / f"{OVERVIEW}.{fmt}").is_file()}
    return YearFiles(dates, {k: v for k, v in review.items() if v}, overview, archive_name(year))


def archive_name(year: int) -> str:
    return f"{year}-reports.zip"


def published_files(out_dir: Path, outcomes: Sequence[Outcome]) -> list[str]:
    """Every published file of the year, relative to ``out_dir``: reports, overview, index, CSV files."""
    names = [name for o in _sorted(outcomes) for fmt in FORMATS if (name := o.outputs.get(fmt))]
    names += [f"{OVERVIEW}.{fmt}" for fmt in FORMATS]
    names += ["index.html", "summary.csv", "findings.csv"]
    return [n for n in dict.fromkeys(names) if (out_dir / n).is_file()]


def write_archive(out_dir: Path, year: int, outcomes: Sequence[Outcome]) -> Path:
    """``<year>-reports.zip`` with :func:`published_files`, written beside and renamed into place."""
    path = out_dir / archive_name(year)
    with atomic_writer(path, "wb", encoding=None) as fh, zipfile.ZipFile(cast(IO[bytes], fh), "w") as zf:
        for name in published_files(out_dir, outcomes):
            source = out_dir / name
            # The file's own time, so an unchanged report gives the same entry in every archive.
            info = zipfile.ZipInfo(
                f"{year}/{name}", datetime.fromtimestamp(source.stat().st_mtime).timetuple()[:6]
            )
            info.compress_type = (
                zipfile.ZIP_STORED if source.suffix in (".pdf", ".docx") else zipfile.ZIP_DEFLATED
            )
            with source.open("rb") as src, zf.open(info, "w") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    return path


def write_year(
    out_dir: Path, year: int, outcomes: Sequence[Outcome], workspace: Workspace | None = None
) -> None:
    """Every shared file of one year; they link only outputs that exist.

    With the ``workspace``, the index and summary.csv also show each bureau-year's publish date
    against its deadline (read from its meta file).
    """
    outcomes = [existing_outputs(out_dir, o) for o in outcomes]
    dates = publication_dates(workspace, year, [o.slug for o in outcomes]) if workspace else {}
    write_summary(out_dir / "summary.csv", outcomes, dates)
    write_findings(out_dir / "findings.csv", outcomes)
    write_text(out_dir / "index.html", index_html(year, outcomes, year_files(out_dir, year, outcomes, dates)))
    write_archive(out_dir, year, outcomes)
