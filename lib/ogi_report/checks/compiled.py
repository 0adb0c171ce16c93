"""Rule COMPILE: a compiled government's tables (全市汇总) still are the sum of its members' tables.

``ogi-report compile`` writes ``compiled.toml`` beside the government's data with each member's
fingerprint (:mod:`ogi_report.storage.members`).  This rule reads the members as they are now and
says which changed, disappeared or can no longer be read since, which members were drafts when
compiled, whether ``members.toml`` now lists other members, and whether the compiled tables were
edited by hand.  A bureau-year without ``compiled.toml`` is not compiled: nothing to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.ids import RuleId
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.members import (
    COMPILED_FILE,
    MEMBERS_FILE,
    Provenance,
    fingerprint,
    member_folder,
    read_members,
    read_provenance,
)
from ogi_report.storage.workspace import DATA_DIR, Workspace

RECOMPILE = "请运行 ogi-report compile {slug} {year} 重新汇总"


def workspace_of(folder: Path) -> Workspace:
    """The project a bureau-year folder belongs to: the one above it, else ``<root>/data/<slug>/<year>``."""
    found = Workspace.find(folder)
    if found is not None:
        return found
    data = folder.parent.parent
    return Workspace(data.parent if data.name == DATA_DIR else data)


@rule(
    RuleId.COMPILE,
    Severity.WARNING,
    "汇总报告（全市汇总）：成员数据在汇总后未改动",
    "由 ogi-report compile 汇总而成的报告（目录中有 compiled.toml），其表二、表三、表四是各成员机关表格的"
    "逐格合计。成员的表格在汇总后有改动、成员数据已不存在或无法读取、members.toml 增删了成员、"
    "汇总表在汇总后被手工改动，或汇总时含有草稿（--allow-drafts），都会报出：请重新汇总。",
)
def compiled_members(ctx: Context) -> Iterator[Found]:
    folder = Path(ctx.by.source) if ctx.by.source else None
    if folder is None or not folder.is_dir():
        return  # read from JSON or built in memory: no compiled.toml to compare with
    try:
        provenance = read_provenance(folder)
    except DataError as exc:
        yield Found(f"{COMPILED_FILE} 无法读取：{exc.problems[0].message}", table="基本信息")
        return
    if provenance is None:
        return
    meta = ctx.by.meta
    again = RECOMPILE.format(slug=meta.slug, year=meta.year)
    if fingerprint(ctx.by) != provenance.tables:
        yield Found(
            f"汇总表在汇总（{provenance.compiled_at:%Y-%m-%d %H:%M}）后被改动，已不是成员表格的合计：{again}",
            table="表二、表三、表四",
        )
    yield from _members(provenance, workspace_of(folder), meta.year, again)
    yield from _listed(provenance, folder, meta.slug, again)


def _members(provenance: Provenance, workspace: Workspace, year: int, again: str) -> Iterator[Found]:
    """Each recorded member that changed, vanished, cannot be read, or was a draft."""
    for member in provenance.members:
        who = f"成员「{member.name or member.slug}」（{member.slug}）"
        folder = member_folder(workspace, member.slug, year)
        current: BureauYear | None = None
        try:
            current = load_bureau_year(folder)
        except DataError as exc:
            yield Found(
                f"{who}的 {year} 年数据无法读取：{exc.problems[0]}", table="基本信息", row=member.slug
            )
        if current is not None and fingerprint(current) != member.fingerprint:
            yield Found(
                f"{who}的表格在汇总后有改动，汇总表已不是各成员的合计：{again}",
                table="基本信息",
                row=member.slug,
                found=fingerprint(current),
                expected=member.fingerprint,
            )
        if member.draft:
            yield Found(
                f"{who}汇总时是草稿（有错误，以 --allow-drafts 汇总）：改正后{again}",
                table="基本信息",
                row=member.slug,
            )


def _listed(provenance: Provenance, folder: Path, slug: str, again: str) -> Iterator[Found]:
    """Members added to or removed from ``members.toml`` since compiling."""
    try:
        listed = {m.slug for m in read_members(folder, slug)}
    except DataError as exc:
        yield Found(f"{MEMBERS_FILE} 无法读取：{exc.problems[0].message}", table="基本信息")
        return
    compiled = {m.slug for m in provenance.members}
    added, removed = sorted(listed - compiled), sorted(compiled - listed)
    if added or removed:
        change = "；".join(
            part
            for part in (
                f"新增 {'、'.join(added)}" if added else "",
                f"删去 {'、'.join(removed)}" if removed else "",
            )
            if part
        )
        yield Found(f"{MEMBERS_FILE} 的成员在汇总后有变动（{change}）：{again}", table="基本信息")


RULES = (compiled_members,)
