"""The narrative: Markdown split into the opening and the six sections, and placeholders filled.

Placeholders keep prose and tables from drifting: ``{{ t2.行政许可 }}``, ``{{ t2.规章.现行有效件数 }}``,
``{{ t3.new.total }}`` (or ``{{ t3.new }}``: a row's 总计), ``{{ t3.refused }}`` / ``{{ t3.（三）不予公开 }}``
(a group's sum), ``{{ t4.review }}``, ``{{ t4.行政诉讼 }}``, and ``{{ name }}``, ``{{ year }}``.
Rows and columns may be named by their JSON key or their printed label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Table, sum_values
from ogi_report.model.values import format_value
from ogi_report.spec.formats import FormatSpec, Row, SectionSpec, TableSpec
from ogi_report.spec.labels import normalize_label, suggestion

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# What `ogi-report new` writes where the analyst's own text belongs (STRUCT reports leftovers).
FILL_IN = "（请填写）"
HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Section:
    """One ``## `` section of the narrative as written."""

    heading: str
    body: str
    line: int
    spec: SectionSpec | None  # the official section it is, by its number 一…六; None if unknown


@dataclass(frozen=True)
class Narrative:
    """The narrative split into its parts."""

    opening: str
    sections: tuple[Section, ...]

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.spec and s.spec.number == number), None)


def section_spec(heading: str, fmt: FormatSpec) -> SectionSpec | None:
    """The official section a heading stands for, recognised by its leading number (一、…六、)."""
    text = normalize_label(heading)
    for spec in fmt.sections:
        if text.startswith(spec.number + "、"):
            return spec
    return None


def split_sections(markdown: str, fmt: FormatSpec) -> Narrative:
    """Split at ``## `` headings; text before the first heading is the opening paragraph(s)."""
    opening: list[str] = []
    sections: list[Section] = []
    current: tuple[str, int] | None = None
    body: list[str] = []
    fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fence = not fence
        match = None if fence else HEADING.match(line)
        if match:
            if current is not None:
                sections.append(
                    Section(
                        current[0], "\n".join(body).strip("\n"), current[1], section_spec(current[0], fmt)
                    )
                )
            current = (match.group(1).strip(), number)
            body = []
        elif current is None:
            opening.append(line)
        else:
            body.append(line)
    if current is not None:
        sections.append(
            Section(current[0], "\n".join(body).strip("\n"), current[1], section_spec(current[0], fmt))
        )
    return Narrative("\n".join(opening).strip("\n"), tuple(sections))


def _rows_for(spec: TableSpec, ref: str) -> list[Row]:
    norm = normalize_label(ref)
    rows = [row for _b, row in spec.rows()]
    exact = [
        r
        for r in rows
        if r.key == ref or normalize_label(r.label) == norm or normalize_label(r.display_label) == norm
    ]
    if exact:
        return exact[:1]
    by_prefix = [r for r in rows if r.key.startswith(ref + ".")]
    if by_prefix:
        return by_prefix
    return [r for r in rows if any(normalize_label(g) == norm for g in r.path)]


def table_value(table: Table, ref: str) -> int | Decimal:
    """The number a placeholder's reference (``row[.column]`` after the table id) stands for."""
    spec = table.spec
    parts = ref.split(".")
    # Row keys contain dots (refused.state_secret): try the longest row reference first.
    for cut in range(len(parts), 0, -1):
        row_ref, col_ref = ".".join(parts[:cut]), ".".join(parts[cut:])
        rows = _rows_for(spec, row_ref)
        if not rows:
            continue
        block = spec.block_of(rows[0].key)
        if col_ref:
            cols = [
                c
                for c in block.columns
                if c.key == col_ref or normalize_label(c.label) == normalize_label(col_ref)
            ]
            if not cols:
                choices = [c.key for c in block.columns] + [c.label for c in block.columns]
                raise KeyError(f"「{rows[0].label}」没有列「{col_ref}」，{suggestion(col_ref, choices)}")
            col = cols[0]
        else:
            col = block.total_column or block.columns[0]
            if len(block.columns) > 1 and not block.total_column:
                raise KeyError(
                    f"「{rows[0].label}」有多列，请写明列，如 {spec.id}.{rows[0].key}.{block.columns[0].key}"
                )
        return sum_values([table.get(r.key, col.key) for r in rows])
    choices = [r.key for _b, r in spec.rows()] + [r.label for _b, r in spec.rows()]
    raise KeyError(f"{spec.name}没有「{parts[0]}」，{suggestion(parts[0], choices)}")


def resolve(by: BureauYear, expression: str) -> str:
    """The text a placeholder is replaced by; KeyError with a Chinese message when unknown."""
    if expression in ("name", "机关名称"):
        return by.meta.name
    if expression in ("year", "年度"):
        return str(by.meta.year)
    if expression in ("next_year",):
        return str(by.meta.year + 1)
    table_id, _, ref = expression.partition(".")
    if table_id not in by.tables or not ref:
        raise KeyError(f"未知的占位符「{{{{ {expression} }}}}」，应为 t2./t3./t4. 开头，或 name、year")
    return format_value(table_value(by.tables[table_id], ref))


MAX_LISTED = 50  # unknown placeholders listed one by one; beyond, only counted


def fill(by: BureauYear, file: str = "narrative.md") -> str:
    """The narrative with every placeholder filled; all unknown placeholders reported together.

    Linear in the narrative's size: each distinct placeholder is resolved once (a narrative may
    repeat one 150,000 times), line numbers are counted incrementally, and past
    :data:`MAX_LISTED` unknown placeholders are only counted.
    """
    problems: list[Problem] = []
    resolved: dict[str, str | KeyError] = {}
    position, line, omitted = 0, 1, 0

    def replace(match: re.Match[str]) -> str:
        nonlocal position, line, omitted
        expression = match.group(1)
        if expression not in resolved:
            try:
                resolved[expression] = resolve(by, expression)
            except KeyError as exc:
                resolved[expression] = exc
        value = resolved[expression]
        if isinstance(value, str):
            return value
        line += by.narrative.count("\n", position, match.start())
        position = match.start()
        if len(problems) < MAX_LISTED:
            problems.append(Problem(file, str(value.args[0]), line=line))
        else:
            omitted += 1
        return match.group(0)

    text = PLACEHOLDER.sub(replace, by.narrative)
    if omitted:
        problems.append(
            Problem(file, f"… 以及另外 {omitted:,} 个无法识别的占位符（只列出前 {MAX_LISTED} 个）")
        )
    if problems:
        raise DataError(problems)
    return text
