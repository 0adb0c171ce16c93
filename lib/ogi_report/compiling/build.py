"""``ogi-report compile SLUG YEAR``: a government's tables as the sum of its members', with provenance.

The government's folder keeps its own ``meta.toml`` and ``narrative.md`` (its narrative quotes the
compiled figures with the usual placeholders, ``{{ t3.new }}``); ``members.toml`` beside them lists
the members.  Before anything is written, every member is read and checked, and the compile is
refused — nothing written, every reason listed at once — when a member

- has no data for the year, or its data cannot be read;
- is filed in another generation of the official format than the government (the tables of two
  generations have other rows and cannot be added cell by cell);
- has errors under its own checks (with last year's data beside it, as ``check`` runs them),
  unless ``allow_drafts``: then it is summed and recorded as a draft in ``compiled.toml``.

Then ``table2.csv`` … ``table4.csv`` are replaced by the sums and ``compiled.toml`` records each
member's fingerprint, so that rule COMPILE warns when a member changes afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ogi_report.checks.findings import Finding
from ogi_report.checks.runner import check
from ogi_report.compiling.sums import sum_table
from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Meta, Table
from ogi_report.storage.folder import META_FILE, NARRATIVE_FILE, TABLE_FILES, read_meta, table_csv
from ogi_report.storage.members import (
    MEMBERS_FILE,
    CompiledMember,
    Member,
    Provenance,
    fingerprint,
    member_folder,
    read_members,
    write_provenance,
)
from ogi_report.storage.textfiles import read_text, write_text
from ogi_report.storage.workspace import Workspace, load

MAX_ERRORS_LISTED = 5  # a member's errors listed one by one in a refusal; beyond, counted


@dataclass(frozen=True)
class IncludedMember:
    """A member as it went into the sum: its data, its group, and its errors (a draft's)."""

    member: Member
    by: BureauYear
    errors: tuple[Finding, ...] = ()

    @property
    def draft(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True)
class Compiled:
    """What ``compile`` wrote: the government's bureau-year, its members and the provenance."""

    by: BureauYear
    folder: Path
    members: tuple[IncludedMember, ...]
    provenance: Provenance

    @property
    def drafts(self) -> tuple[IncludedMember, ...]:
        return tuple(m for m in self.members if m.draft)

    def groups(self) -> dict[str, list[IncludedMember]]:
        """The members by group, in the order ``members.toml`` lists them ("" for ungrouped)."""
        out: dict[str, list[IncludedMember]] = {}
        for m in self.members:
            out.setdefault(m.member.group, []).append(m)
        return out


def _government(workspace: Workspace, slug: str, year: int) -> tuple[Path, Meta, str]:
    """The government's folder, its meta (which must name it) and its narrative."""
    folder = member_folder(workspace, slug, year)
    if not (folder / META_FILE).is_file():
        raise DataError.one(
            folder,
            f"找不到 {slug} 的 {year} 年 {META_FILE}：请先运行 ogi-report new {slug} {year} "
            "--name 机关名称 --type government，再在该目录写 members.toml",
        )
    meta = read_meta(folder / META_FILE)
    if (meta.slug, meta.year) != (slug, year):
        raise DataError.one(
            folder / META_FILE, f"meta 为 {meta.slug} 的 {meta.year} 年，应为 {slug} 的 {year} 年"
        )
    return folder, meta, read_text(folder / NARRATIVE_FILE)


def _member_problem(folder: Path, who: str, message: str, finding: Finding | None = None) -> Problem:
    if finding is None:
        return Problem(str(folder), f"{who}：{message}")
    detail = f"（实际 {finding.found or '—'}，应为 {finding.expected or '—'}）" if finding.expected else ""
    return Problem(
        str(folder),
        f"{who}：{finding.message}{detail}",
        table=finding.table,
        row=finding.row,
        column=finding.column,
        rule=finding.rule,
    )


def _read_member(
    workspace: Workspace, member: Member, meta: Meta, problems: list[Problem]
) -> IncludedMember | None:
    """A member's data checked as ``check`` would; None (with ``problems`` said) when it cannot be summed."""
    folder = member_folder(workspace, member.slug, meta.year)
    who = f"成员「{member.slug}」"
    if not folder.is_dir():
        problems.append(
            _member_problem(folder, who, f"没有 {meta.year} 年的数据：请补上，或从 {MEMBERS_FILE} 中删去")
        )
        return None
    try:
        loaded = load(folder)
    except DataError as exc:
        problems.append(_member_problem(folder, who, f"数据无法读取：{exc.problems[0]}"))
        return None
    by = loaded.by
    who = f"成员「{by.meta.name}」（{member.slug}）"
    if by.meta.format_id != meta.format_id:
        problems.append(
            _member_problem(
                folder,
                who,
                f"按 {by.meta.format.name} 填报，而 {meta.name} 按 {meta.format.name}："
                "两代格式的表格行列不同，不能逐格相加",
            )
        )
        return None
    errors = check(by, loaded.previous).errors
    return IncludedMember(member, by, errors)


def _refusals(included: Sequence[IncludedMember], members_file: Path) -> list[Problem]:
    """The errors of every member that has some, a few each (the rest counted)."""
    problems: list[Problem] = []
    for m in included:
        if not m.errors:
            continue
        folder = Path(m.by.source)
        who = f"成员「{m.by.meta.name}」（{m.member.slug}）有 {len(m.errors)} 条错误"
        problems += [_member_problem(folder, who, "", f) for f in m.errors[:MAX_ERRORS_LISTED]]
        if len(m.errors) > MAX_ERRORS_LISTED:
            problems.append(
                _member_problem(
                    folder, who, f"… 另有 {len(m.errors) - MAX_ERRORS_LISTED} 条，见 ogi-report check"
                )
            )
    if problems:
        problems.append(
            Problem(
                str(members_file),
                "有错误的成员未汇总：请先改正（ogi-report check 成员数据目录），"
                "或以 --allow-drafts 照样汇总（compiled.toml 会记下哪些是草稿）",
            )
        )
    return problems


def compile_government(
    workspace: Workspace, slug: str, year: int, *, allow_drafts: bool = False, now: datetime | None = None
) -> Compiled:
    """Sum the members of ``slug``'s ``year`` into its tables and record their provenance.

    DataError, with nothing written, when the members cannot be summed (see the module docstring).
    """
    folder, meta, narrative = _government(workspace, slug, year)
    members = read_members(folder, slug)
    problems: list[Problem] = []
    read = [_read_member(workspace, m, meta, problems) for m in members]
    if problems:
        raise DataError(problems)
    included = [m for m in read if m is not None]
    if not allow_drafts and (refused := _refusals(included, folder / MEMBERS_FILE)):
        raise DataError(refused)
    tables: dict[str, Table] = {
        spec.id: sum_table(spec, [m.by.tables[spec.id] for m in included]) for spec in meta.format.tables
    }
    by = BureauYear(meta, tables, narrative, source=str(folder))
    provenance = Provenance(
        compiled_at=(now or datetime.now(UTC)).replace(microsecond=0),
        members=tuple(
            CompiledMember(m.member.slug, m.by.meta.name, m.member.group, fingerprint(m.by), m.draft)
            for m in included
        ),
        tables=fingerprint(by),
    )
    for table_id, name in TABLE_FILES.items():
        write_text(folder / name, table_csv(tables[table_id]))
    write_provenance(folder, provenance)
    return Compiled(by, folder, tuple(included), provenance)
