"""A year at a glance, for the office that coordinates it: :func:`build_overview` → :class:`YearOverview`.

Who is in the year: every selected body with data for the year, or for the year before (a body
that reported last year but has no data this year is 未报送).  Each body's status comes from its
data: 已通过 (no check errors), 草稿 (errors: its totals are still counted, and named as such),
数据无法读取 (its folder cannot be read).  Tables 二, 三 and 四 are summed over the bodies that
reported in the year's format; key figures per body-year and per year (every earlier year with
data, for the year-over-year comparison) come from :mod:`ogi_report.overview.totals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import cast

import pandas as pd

from ogi_report.checks.copying import measure_years
from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.meta import statutory_deadline
from ogi_report.checks.runner import check
from ogi_report.errors import OgiError
from ogi_report.model.bureau import BureauYear, Table
from ogi_report.overview.collect import RootData, matches
from ogi_report.overview.frames import findings_frame, long_frame
from ogi_report.overview.totals import key_figures, sum_tables, yearly
from ogi_report.spec.formats import FormatId, TableId, format_for_year
from ogi_report.storage.members import read_provenance


class BodyState(StrEnum):
    """Where a body stands in the year."""

    PASSED = "passed"
    DRAFT = "draft"
    FAILED = "failed"
    NOT_FILED = "not_filed"

    @property
    def label(self) -> str:
        return {"passed": "已通过", "draft": "草稿", "failed": "数据无法读取", "not_filed": "未报送"}[
            self.value
        ]


@dataclass(frozen=True)
class BodyStatus:
    """One body in the year: its state, publication against the deadline, its findings."""

    slug: str
    name: str
    state: BodyState
    publish_date: date | None = None
    deadline: date | None = None
    findings: tuple[Finding, ...] = ()
    message: str = ""  # why the data cannot be read, or in which format it was filed
    in_totals: bool = False
    copy_rate: float | None = None  # 重复率 against last year's narrative (rule COPY); None: no last year
    compiled_from: tuple[str, ...] = ()  # a compiled body (全市汇总): the slugs of its members
    compiled_into: str = ""  # a member: the name of the compiled body it is summed into

    @property
    def compiled(self) -> bool:
        return bool(self.compiled_from)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def late(self) -> bool:
        """Published after its deadline (a missing date is not "late": it is said separately)."""
        return (
            self.publish_date is not None and self.deadline is not None and self.publish_date > self.deadline
        )

    @property
    def reported(self) -> bool:
        return self.state in (BodyState.PASSED, BodyState.DRAFT)


@dataclass(frozen=True)
class YearOverview:
    """Everything the overview shows, computed once."""

    year: int
    title: str
    format_id: FormatId
    bodies: tuple[BodyStatus, ...]
    totals: dict[TableId, Table]
    figures: pd.DataFrame  # key figures per body-year (index body, year), years up to ``year``
    findings: pd.DataFrame  # one row per finding of the year's bodies
    selection: tuple[str, ...] = ()
    history: pd.DataFrame = field(default_factory=pd.DataFrame)  # key figures per year
    compiled: frozenset[str] = frozenset()  # compiled bodies whose members are in the overview

    @property
    def copy_rates(self) -> list[BodyStatus]:
        """The bodies with a 重复率 (last year's data present), highest first."""
        rated = [b for b in self.bodies if b.copy_rate is not None]
        return sorted(rated, key=lambda b: (-(b.copy_rate or 0.0), b.name))

    def in_state(self, state: BodyState) -> list[BodyStatus]:
        return [b for b in self.bodies if b.state is state]

    @property
    def reported(self) -> list[BodyStatus]:
        return [b for b in self.bodies if b.reported]

    @property
    def late(self) -> list[BodyStatus]:
        return [b for b in self.bodies if b.reported and b.late]

    @property
    def undated(self) -> list[BodyStatus]:
        return [b for b in self.bodies if b.reported and b.publish_date is None]

    @property
    def in_totals(self) -> list[BodyStatus]:
        return [b for b in self.bodies if b.in_totals]

    @property
    def left_out(self) -> list[BodyStatus]:
        """Bodies that reported, but in another format than the year's: not in the summed tables."""
        return [b for b in self.bodies if b.reported and not b.in_totals]

    @property
    def this_year(self) -> pd.DataFrame:
        """Key figures of the year's bodies (index body)."""
        if self.figures.empty:
            return self.figures
        if self.year not in self.years:
            return self.figures.iloc[0:0]
        this = pd.DataFrame(self.figures.xs(self.year, level="year"))
        return this[~this.index.isin(list(self.compiled))]  # a compiled body would count its members again

    @property
    def years(self) -> list[int]:
        return sorted(set(self.figures.index.get_level_values("year"))) if not self.figures.empty else []

    def figure(self, key: str) -> float:
        """A key figure of the whole set this year (0 when nobody reported)."""
        if self.year not in self.history.index:
            return 0.0
        return float(cast(float, self.history.loc[self.year, key]))

    def rule_counts(self) -> pd.DataFrame:
        """Rules by how many findings they have this year, with the bodies that have them."""
        columns = ["rule", "severity", "findings", "bodies", "names"]
        if self.findings.empty:
            return pd.DataFrame(columns=columns)
        grouped = self.findings.groupby("rule", sort=False)
        counts = grouped.agg(
            severity=("severity", lambda s: "error" if (s == "error").any() else s.iloc[0]),
            findings=("message", "size"),
            bodies=("body", "nunique"),
            names=("name", lambda s: "、".join(dict.fromkeys(s))),
        ).reset_index()
        return counts.sort_values(["findings", "bodies", "rule"], ascending=[False, False, True])[columns]


def compiled_members(by: BureauYear) -> tuple[str, ...]:
    """The members a bureau-year was compiled from (its ``compiled.toml``), none when not compiled."""
    if not by.source or not Path(by.source).is_dir():
        return ()
    try:
        provenance = read_provenance(Path(by.source))
    except OgiError:
        return ()  # rule COMPILE says what is wrong with the file
    return tuple(m.slug for m in provenance.members) if provenance else ()


def _status(by: BureauYear, previous: BureauYear | None, fmt: FormatId) -> BodyStatus:
    findings = check(by, previous).findings
    meta = by.meta
    errors = any(f.severity is Severity.ERROR for f in findings)
    same_format = meta.format_id == fmt
    return BodyStatus(
        slug=meta.slug,
        name=meta.name,
        state=BodyState.DRAFT if errors else BodyState.PASSED,
        publish_date=meta.publish_date,
        deadline=meta.deadline or statutory_deadline(meta.publisher_type, meta.year),
        findings=findings,
        message="" if same_format else f"按 {meta.format.name} 填报，未计入汇总表",
        in_totals=same_format,
        copy_rate=measure_years(by, previous).rate if previous is not None else None,
        compiled_from=compiled_members(by),
    )


def _mark_compiled(bodies: list[BodyStatus]) -> tuple[list[BodyStatus], frozenset[str]]:
    """Compiled bodies and their members marked; a compiled body whose members are here is left
    out of the summed tables (its members are in them already)."""
    reported = {b.slug for b in bodies if b.reported}
    into: dict[str, str] = {}
    compiled: set[str] = set()
    marked = []
    for body in bodies:
        inside = [m for m in body.compiled_from if m in reported]
        if inside:
            compiled.add(body.slug)
            into.update({m: body.name for m in inside})
            note = (
                f"汇总报告：由 {len(body.compiled_from)} 个成员汇总，成员已逐个计入，本机关不重复计入汇总表"
            )
            body = replace(body, in_totals=False, message="\n".join(filter(None, (note, body.message))))
        marked.append(body)
    marked = [replace(b, compiled_into=into[b.slug]) if b.slug in into else b for b in marked]
    return marked, frozenset(compiled)


def _statuses(data: RootData, year: int, slugs: Sequence[str], fmt: FormatId) -> list[BodyStatus]:
    unreadable = {u.slug: u for u in data.unreadable if u.year == year}
    candidates = {b.meta.slug for b in data.bureau_years if b.meta.year in (year, year - 1)}
    candidates |= {u.slug for u in data.unreadable if u.year in (year, year - 1)}
    statuses = []
    for slug in sorted(s for s in candidates if matches(s, slugs)):
        by, last = data.get(slug, year), data.get(slug, year - 1)
        if by is not None:
            statuses.append(_status(by, last, fmt))
        elif slug in unreadable:
            statuses.append(
                BodyStatus(
                    slug,
                    unreadable[slug].name or (last.meta.name if last else slug),
                    BodyState.FAILED,
                    message=unreadable[slug].message,
                )
            )
        elif last is not None:
            statuses.append(BodyStatus(slug, last.meta.name, BodyState.NOT_FILED))
    return statuses


def build_overview(data: RootData, year: int, slugs: Sequence[str] = (), title: str = "") -> YearOverview:
    """The overview of ``year`` for the bodies ``slugs`` selects (slugs or patterns; none: all)."""
    fmt = format_for_year(year).id
    statuses, compiled = _mark_compiled(_statuses(data, year, slugs, fmt))
    bodies = tuple(statuses)
    counted = [data.by_key[(b.slug, year)] for b in bodies if b.in_totals]
    spec = format_for_year(year)
    totals = {t.id: sum_tables(t, (by.tables[t.id] for by in counted)) for t in spec.tables}
    history_bys = [by for by in data.bureau_years if by.meta.year <= year and matches(by.meta.slug, slugs)]
    figures = key_figures(long_frame(history_bys))
    # The yearly sums leave compiled bodies out, as the summed tables do: their members are counted.
    summed = figures[~figures.index.get_level_values("body").isin(list(compiled))]
    this_year = [data.by_key[(b.slug, year)] for b in bodies if b.reported]
    findings = findings_frame(
        (by, b.findings) for by, b in zip(this_year, [b for b in bodies if b.reported], strict=True)
    )
    return YearOverview(
        year=year,
        title=title or f"{year}年度政府信息公开工作年度报告汇总",
        format_id=fmt,
        bodies=bodies,
        totals=totals,
        figures=figures,
        findings=findings,
        selection=tuple(slugs),
        history=yearly(summed),
        compiled=compiled,
    )
