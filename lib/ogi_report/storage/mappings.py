"""Plain mappings (TOML, JSON) ⇄ model objects, with strict, located validation.

The JSON form's keys are a contract (see docs/json.md): table 三 rows and columns, table 四's
three rows, table 二's row keys — a single-column row is a scalar (``"licensing": 34``), a
multi-column row an object (``"regulations": {"issued": 0, …}``).  Unknown keys are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ogi_report.errors import Problem
from ogi_report.model.bureau import (
    Contact,
    Meta,
    PublisherType,
    Table,
    complete_table,
    is_year,
    missing_cells,
    slug_problem,
)
from ogi_report.model.values import (
    MAX_DIGITS,
    Invalid,
    Value,
    check_value,
    expected_text,
    format_value,
    parse_value,
)
from ogi_report.spec.formats import FORMATS, Block, Cell, CellKind, Column, Row, TableSpec, format_for_year
from ogi_report.spec.ids import FormatId, RuleId
from ogi_report.spec.labels import suggestion

META_KEYS = (
    "name",
    "slug",
    "year",
    "publisher_type",
    "format",
    "publish_date",
    "signature",
    "masthead",
    "deadline",
    "contact",
)
CONTACT_KEYS = tuple(Contact.__dataclass_fields__)


MAX_LISTED = 50  # problems listed one by one per file; beyond, each kind is only counted


class Collector:
    """Collects problems found while reading one file, so all are reported at once.

    A file of a million wrong lines must not give a million messages (nor take minutes computing
    a suggestion for each): past :data:`MAX_LISTED`, problems are counted by ``kind`` and summed up
    at the end (「… 以及另外 999,990 个未知的行」).  :attr:`full` tells a caller it may skip
    composing a message that would only be counted.
    """

    def __init__(self, file: str, limit: int = MAX_LISTED) -> None:
        self.file = file
        self.limit = limit
        self._listed: list[Problem] = []
        self._omitted: dict[str, int] = {}

    @property
    def full(self) -> bool:
        return len(self._listed) >= self.limit

    @property
    def count(self) -> int:
        """How many problems were added, listed or only counted."""
        return len(self._listed) + sum(self._omitted.values())

    def add(self, message: str, kind: str = "问题", **where: Any) -> None:
        if self.full:
            self._omitted[kind] = self._omitted.get(kind, 0) + 1
        else:
            self._listed.append(Problem(self.file, message, **where))

    @property
    def problems(self) -> list[Problem]:
        """The problems listed, then one line per kind of those only counted."""
        more = [
            Problem(self.file, f"… 以及另外 {count:,} 个{kind}（只列出前 {self.limit} 个问题）")
            for kind, count in self._omitted.items()
        ]
        return [*self._listed, *more]


def _as_date(value: Any, key: str, out: Collector) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    out.add(f"「{key}」读到「{value}」，应为日期（如 2022-01-07）")
    return None


def _year(value: Any, out: Collector) -> int | None:
    """A four-digit year (written as a number or as digits); problems go to ``out``."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not is_year(value):
        out.add(f"「year」读到「{value}」，应为四位年份，如 2021")
        return None
    return value


def _contact(raw: Any, out: Collector) -> Contact:
    """The contact details: a table of text values under the known keys; problems go to ``out``."""
    if not isinstance(raw, Mapping):
        out.add("「contact」应为表（[contact] 下写 address、phone 等）")
        return Contact()
    for key, value in raw.items():
        if key not in CONTACT_KEYS:
            out.add(f"「contact」中未知的键「{key}」，{suggestion(key, CONTACT_KEYS)}")
        elif not isinstance(value, str):
            out.add(f"「contact.{key}」应为文字")
    return Contact(**{k: v for k, v in raw.items() if k in CONTACT_KEYS and isinstance(v, str)})


def _text(data: Mapping[str, Any], key: str, out: Collector) -> str:
    """An optional text value ('' when absent); anything but text is reported to ``out``."""
    value = data.get(key, "")
    if not isinstance(value, str):
        out.add(f"「{key}」应为文字")
        return ""
    return value


def meta_from_mapping(data: Mapping[str, Any], out: Collector) -> Meta | None:
    """Build :class:`Meta` from a TOML/JSON mapping; problems go to ``out``."""
    for key in data:
        if key not in META_KEYS:
            out.add(f"未知的键「{key}」，{suggestion(key, META_KEYS)}")
    name = data.get("name")
    if name is None or (isinstance(name, str) and not name.strip()):
        out.add("缺少「name」（机关名称），应为文字，如“海东市应急管理局”")
    elif not isinstance(name, str):
        out.add(f"「name」读到「{name}」（{type(name).__name__}），应为文字，如“海东市应急管理局”")
    slug = data.get("slug")
    if (problem := slug_problem(slug)) is not None:
        out.add(f"「slug」{problem}")
    year = _year(data.get("year"), out)
    ptype_raw = data.get("publisher_type", "")
    try:
        ptype = PublisherType(ptype_raw)
    except ValueError:
        out.add(f"「publisher_type」读到「{ptype_raw}」，应为 department（部门）或 government（政府）")
        ptype = PublisherType.DEPARTMENT
    fmt = data.get("format")
    if fmt is None and isinstance(year, int):
        fmt = format_for_year(year).id
    fmt = str(fmt) if fmt is not None else None
    if fmt is not None and fmt not in FORMATS:
        out.add(f"「format」读到「{fmt}」，应为 " + " 或 ".join(FORMATS))
    publish_date = _as_date(data.get("publish_date"), "publish_date", out)
    deadline = _as_date(data.get("deadline"), "deadline", out)
    contact = _contact(data.get("contact", {}), out)
    texts = {key: _text(data, key, out) for key in ("signature", "masthead")}
    if out.problems or not isinstance(name, str) or not isinstance(slug, str) or year is None or fmt is None:
        return None
    return Meta(
        name=name.strip(),
        slug=slug,
        year=year,
        publisher_type=ptype,
        format_id=FormatId(fmt),
        publish_date=publish_date,
        signature=texts["signature"],
        masthead=texts["masthead"],
        deadline=deadline,
        contact=contact,
    )


def meta_to_mapping(meta: Meta, *, dates_as_text: bool) -> dict[str, Any]:
    """The mapping form of :class:`Meta` (TOML keeps dates as dates, JSON as ISO text)."""

    def day(value: date | None) -> Any:
        if value is None:
            return None
        return value.isoformat() if dates_as_text else value

    data: dict[str, Any] = {
        "name": meta.name,
        "slug": meta.slug,
        "year": meta.year,
        "publisher_type": meta.publisher_type.value,
        "format": meta.format_id,
        "publish_date": day(meta.publish_date),
        "signature": meta.signature,
        "masthead": meta.masthead,
        "deadline": day(meta.deadline),
        "contact": {k: v for k, v in vars(meta.contact).items() if v},
    }
    return {k: v for k, v in data.items() if v not in (None, "", {})}


def cell_from_json(value: Any, col: Column, out: Collector, table: str, row: Row) -> Value:
    """A JSON cell: int for counts, a decimal string or number for amounts, null for blank."""
    where = {"table": table, "row": row.display_label, "column": col.label}
    if value is None:
        return None
    if isinstance(value, bool):
        out.add(f"读到 {str(value).lower()}，应为{expected_text(col.kind)}", **where)
        return None
    if isinstance(value, str):
        parsed = parse_value(value, col.kind)
        if isinstance(parsed, Invalid):
            out.add(parsed.message, **where, rule=RuleId.N)
            return None
        return parsed
    if isinstance(value, (int, Decimal)):
        number: int | Decimal = value
        if isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() >= MAX_DIGITS):
            out.add(
                f"读到「{value}」，数值无效或位数过多，应为{expected_text(col.kind)}", **where, rule=RuleId.N
            )
            return None
        if col.kind is CellKind.DECIMAL:
            number = Decimal(value)
        elif isinstance(value, Decimal):
            if value != value.to_integral_value():
                out.add(f"读到小数 {value}，应为{expected_text(col.kind)}", **where, rule=RuleId.N)
                return None
            number = int(value)
        problem = check_value(number, col.kind)
        if problem:
            out.add(problem, **where, rule=RuleId.N)
            return None
        return number
    out.add(f"读到「{value}」（{type(value).__name__}），应为{expected_text(col.kind)}", **where)
    return None


def cell_to_json(value: Value, col: Column) -> Any:
    if value is None:
        return None
    if col.kind is CellKind.DECIMAL:
        return format_value(value)
    return value


def _row_is_scalar(block: Block) -> bool:
    return len(block.columns) == 1


def table_from_json(spec: TableSpec, data: Any, out: Collector) -> Table | None:
    """Table cells from the JSON form; totals may be left out (then computed)."""
    if not isinstance(data, Mapping):
        out.add(f"{spec.name}应为对象（键为行的英文标识）", table=spec.name)
        return None
    row_keys = [row.key for _block, row in spec.rows()]
    given: dict[Cell, Value] = {}
    for key, value in data.items():
        if key not in row_keys:
            out.add(f"未知的行键「{key}」，{suggestion(key, row_keys)}", table=spec.name)
            continue
        block = spec.block_of(key)
        row = block.row(key)
        if _row_is_scalar(block):
            given[(key, block.columns[0].key)] = cell_from_json(value, block.columns[0], out, spec.name, row)
            continue
        if not isinstance(value, Mapping):
            out.add("应为对象（键为列的英文标识）", table=spec.name, row=row.display_label)
            continue
        col_keys = [c.key for c in block.columns]
        for col_key, cell in value.items():
            if col_key not in col_keys:
                out.add(
                    f"未知的列键「{col_key}」，{suggestion(col_key, col_keys)}",
                    table=spec.name,
                    row=row.display_label,
                )
                continue
            given[(key, col_key)] = cell_from_json(cell, block.column(col_key), out, spec.name, row)
    report_missing(spec, given, out)
    return complete_table(spec, given)


def report_missing(
    spec: TableSpec, given: Mapping[Cell, Value], out: Collector, blank_hint: str = "空白请写 null"
) -> None:
    """Add a problem for every non-total cell the data lacks, a whole row or table as one problem.

    A file that lost a table or a row would otherwise bury its one real problem under a hundred
    identical lines; a cell missing from a row that is otherwise there is still named on its own.
    """
    missing = missing_cells(spec, given)
    if not missing:
        return
    required = [(row.key, col.key) for _b, row, col in spec.cells() if not (row.total or col.total)]
    if len(missing) == len(required):
        out.add(
            f"没有任何数据（应有 {len(required)} 个单元格）；请按模板填写，{blank_hint}，零请写 0",
            table=spec.name,
        )
        return
    by_row: dict[str, list[str]] = {}
    for row_key, col_key in missing:
        by_row.setdefault(row_key, []).append(col_key)
    for row_key, col_keys in by_row.items():
        block = spec.block_of(row_key)
        row = block.row(row_key)
        needed = [c.key for c in block.columns if not (row.total or c.total)]
        if len(needed) > 1 and col_keys == needed:
            labels = "、".join(f"「{block.column(k).label}」" for k in col_keys)
            out.add(
                f"缺少整行（{len(col_keys)} 个单元格：{labels}）；{blank_hint}，零请写 0",
                table=spec.name,
                row=row.display_label,
            )
            continue
        for col_key in col_keys:
            out.add(
                f"缺少此单元格（{blank_hint}，零请写 0）",
                table=spec.name,
                row=row.display_label,
                column=block.column(col_key).label,
            )


def table_to_json(table: Table) -> dict[str, Any]:
    """The JSON form of a table: every cell, computed totals included."""
    result: dict[str, Any] = {}
    for block in table.spec.blocks:
        for row in block.rows:
            if _row_is_scalar(block):
                col = block.columns[0]
                result[row.key] = cell_to_json(table.get(row.key, col.key), col)
            else:
                result[row.key] = {c.key: cell_to_json(table.get(row.key, c.key), c) for c in block.columns}
    return result
