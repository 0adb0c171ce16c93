"""The official report format, declared once as data.

Everything that knows the shape of the report — loaders, checks, the JSON form, the HTML, PDF and
DOCX renderers, the Excel template and the importer — reads the declarations here.  Two generations
exist: v1 「试行」 (国办公开办函〔2019〕60号, reports for 2019 and 2020) and v2 (国办公开办函〔2021〕30号,
reports from 2021 on).  Adding a generation means adding one :class:`FormatSpec` to :data:`FORMATS`.

A table is a list of *blocks* (table 二 has one per 第二十条 item; tables 三 and 四 have one).  A block
has rows and columns; a cell is addressed by ``(row.key, column.key)``.  Row and column *paths* hold
the labels of the enclosing header groups, from which the renderers derive every rowspan/colspan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

Cell = tuple[str, str]  # (row key, column key) of one value cell


class CellKind(StrEnum):
    """What a cell may hold."""

    COUNT = "count"  # whole number >= 0
    SIGNED = "signed"  # whole number, may be negative (v1 本年增/减)
    DECIMAL = "decimal"  # exact decimal >= 0 (行政事业性收费, 采购总金额)


class Layout(StrEnum):
    """How a table is printed."""

    ROWS = "rows"  # one printed row per declared row (tables 二 and 三)
    WIDE = "wide"  # every row × column becomes one printed column of a single data row (table 四)


@dataclass(frozen=True)
class Column:
    """A column of a block: its JSON key, its printed label and the header groups above it."""

    key: str
    label: str
    kind: CellKind = CellKind.COUNT
    total: bool = False  # the sum of the block's other columns in the same row
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A row of a block: its JSON key, its printed label and the label groups enclosing it."""

    key: str
    label: str
    path: tuple[str, ...] = ()
    total: bool = False  # the sum of the rows with ``in_total``
    in_total: bool = False

    @property
    def qualified_label(self) -> str:
        """The label analysts write in a data file: enclosing sub-groups, then the row's own."""
        inner = self.path[1:] if len(self.path) > 1 else ()
        return "/".join((*inner, self.label))

    @property
    def display_label(self) -> str:
        """The label used in messages: the whole path, as 表三 prints it."""
        return "/".join((*self.path, self.label))


@dataclass(frozen=True)
class Block:
    """A rectangular part of a table with its own column headings (e.g. 第二十条第（五）项)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    row_header: str = "信息内容"

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def total_column(self) -> Column | None:
        return next((c for c in self.columns if c.total), None)

    @property
    def total_row(self) -> Row | None:
        return next((r for r in self.rows if r.total), None)


@dataclass(frozen=True)
class TableSpec:
    """One official table: its number, title, blocks and how it is printed."""

    id: str  # "t2" | "t3" | "t4"
    number: str  # 二 / 三 / 四
    title: str
    blocks: tuple[Block, ...]
    layout: Layout = Layout.ROWS
    corner: str = ""  # text of the top-left header block (table 三's 勾稽关系 note)
    label_columns: int = 1  # printed label columns (table 三: 3)
    blank_allowed: bool = True  # False where the BLANK rule applies

    @property
    def name(self) -> str:
        """The table's name in the analyst's words (表三)."""
        return f"表{self.number}"

    def cells(self) -> Iterator[tuple[Block, Row, Column]]:
        for block in self.blocks:
            for row in block.rows:
                for col in block.columns:
                    yield block, row, col

    def rows(self) -> Iterator[tuple[Block, Row]]:
        for block in self.blocks:
            for row in block.rows:
                yield block, row

    def block_of(self, row_key: str) -> Block:
        for block in self.blocks:
            if any(r.key == row_key for r in block.rows):
                return block
        raise KeyError(row_key)

    def is_total(self, row_key: str, col_key: str) -> bool:
        block = self.block_of(row_key)
        return block.row(row_key).total or block.column(col_key).total


@dataclass(frozen=True)
class SectionSpec:
    """One of the six fixed sections of the narrative."""

    number: str  # 一 … 六
    heading: str  # the standard heading, e.g. 一、总体情况
    variants: tuple[str, ...] = ()  # other headings the format itself allows
    table: str | None = None  # the table printed in this section
    subheads: tuple[str, ...] = ()  # the standard sub-heads (section 一)


@dataclass(frozen=True)
class FormatSpec:
    """One generation of the official format."""

    id: str  # "2021" | "2019"
    name: str
    basis: str  # the document that issued it
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...] = field(default=())

    def table(self, table_id: str) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(table_id)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


# ---------------------------------------------------------------------------------------------
# Table 三 — shared by both generations except for （六）其他处理.

_T3_COLUMNS = (
    Column("natural_person", "自然人", path=("申请人情况",)),
    Column("commercial", "商业企业", path=("申请人情况", "法人或其他组织")),
    Column("research", "科研机构", path=("申请人情况", "法人或其他组织")),
    Column("social_welfare", "社会公益组织", path=("申请人情况", "法人或其他组织")),
    Column("legal_service", "法律服务机构", path=("申请人情况", "法人或其他组织")),
    Column("other_org", "其他", path=("申请人情况", "法人或其他组织")),
    Column("total", "总计", total=True, path=("申请人情况",)),
)

_RESULTS = "三、本年度办理结果"


def _t3_rows(other: tuple[Row, ...]) -> tuple[Row, ...]:
    def group(label: str, items: tuple[tuple[str, str], ...]) -> tuple[Row, ...]:
        return tuple(Row(key, text, (_RESULTS, label), in_total=True) for key, text in items)

    return (
        Row("new", "一、本年新收政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量"),
        Row("granted", "（一）予以公开", (_RESULTS,), in_total=True),
        Row(
            "partly_granted",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            (_RESULTS,),
            in_total=True,
        ),
        *group(
            "（三）不予公开",
            (
                ("refused.state_secret", "1.属于国家秘密"),
                ("refused.prohibited_by_law", "2.其他法律行政法规禁止公开"),
                ("refused.three_safeties", "3.危及“三安全一稳定”"),
                ("refused.third_party", "4.保护第三方合法权益"),
                ("refused.internal_affairs", "5.属于三类内部事务信息"),
                ("refused.process_info", "6.属于四类过程性信息"),
                ("refused.enforcement_files", "7.属于行政执法案卷"),
                ("refused.inquiry", "8.属于行政查询事项"),
            ),
        ),
        *group(
            "（四）无法提供",
            (
                ("unable.not_held", "1.本机关不掌握相关政府信息"),
                ("unable.needs_creation", "2.没有现成信息需要另行制作"),
                ("unable.unclear", "3.补正后申请内容仍不明确"),
            ),
        ),
        *group(
            "（五）不予处理",
            (
                ("not_processed.petition", "1.信访举报投诉类申请"),
                ("not_processed.repeated", "2.重复申请"),
                ("not_processed.publication", "3.要求提供公开出版物"),
                ("not_processed.excessive", "4.无正当理由大量反复申请"),
                ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
            ),
        ),
        *other,
        Row("total", "（七）总计", (_RESULTS,), total=True),
        Row("carried_forward", "四、结转下年度继续办理"),
    )


_T3_OTHER_V2 = tuple(
    Row(key, text, (_RESULTS, "（六）其他处理"), in_total=True)
    for key, text in (
        ("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other.other", "3.其他"),
    )
)
_T3_OTHER_V1 = (Row("other", "（六）其他处理", (_RESULTS,), in_total=True),)

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _table3(other: tuple[Row, ...]) -> TableSpec:
    return TableSpec(
        id="t3",
        number="三",
        title="三、收到和处理政府信息公开申请情况",
        blocks=(Block("", _T3_COLUMNS, _t3_rows(other), row_header=""),),
        corner=T3_CORNER,
        label_columns=3,
        blank_allowed=False,
    )


# ---------------------------------------------------------------------------------------------
# Table 四 — the same in both generations.

_T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", total=True),
)

TABLE4 = TableSpec(
    id="t4",
    number="四",
    title="四、政府信息公开行政复议、行政诉讼情况",
    blocks=(
        Block(
            "",
            _T4_COLUMNS,
            (
                Row("review", "行政复议"),
                Row("litigation_direct", "未经复议直接起诉", ("行政诉讼",)),
                Row("litigation_after_review", "复议后起诉", ("行政诉讼",)),
            ),
            row_header="",
        ),
    ),
    layout=Layout.WIDE,
    blank_allowed=False,
)


# ---------------------------------------------------------------------------------------------
# Table 二.

_DECISIONS = Column("decisions", "本年处理决定数量")

TABLE2_V2 = TableSpec(
    id="t2",
    number="二",
    title="二、主动公开政府信息情况",
    blocks=(
        Block(
            "第二十条第（一）项",
            (
                Column("issued", "本年制发件数"),
                Column("repealed", "本年废止件数"),
                Column("in_force", "现行有效件数"),
            ),
            (Row("regulations", "规章"), Row("normative_documents", "行政规范性文件")),
        ),
        Block("第二十条第（五）项", (_DECISIONS,), (Row("licensing", "行政许可"),)),
        Block(
            "第二十条第（六）项",
            (_DECISIONS,),
            (Row("punishment", "行政处罚"), Row("enforcement", "行政强制")),
        ),
        Block(
            "第二十条第（八）项",
            (Column("amount", "本年收费金额（单位：万元）", CellKind.DECIMAL),),
            (Row("fees_10k_yuan", "行政事业性收费"),),
        ),
    ),
)

_V1_ITEMS = (
    Column("previous", "上一年项目数量"),
    Column("change", "本年增/减", CellKind.SIGNED),
)

TABLE2_V1 = TableSpec(
    id="t2",
    number="二",
    title="二、主动公开政府信息情况",
    blocks=(
        Block(
            "第二十条第（一）项",
            (
                Column("new_made", "本年新制作数量"),
                Column("new_published", "本年新公开数量"),
                Column("total_published", "对外公开总数量"),
            ),
            (Row("regulations", "规章"), Row("normative_documents", "规范性文件")),
        ),
        Block(
            "第二十条第（五）项",
            (*_V1_ITEMS, Column("decisions", "处理决定数量")),
            (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
        ),
        Block(
            "第二十条第（六）项",
            (*_V1_ITEMS, Column("decisions", "处理决定数量")),
            (Row("punishment", "行政处罚"), Row("enforcement", "行政强制")),
        ),
        Block("第二十条第（八）项", _V1_ITEMS, (Row("fees", "行政事业性收费"),)),
        Block(
            "第二十条第（九）项",
            (Column("items", "采购项目数量"), Column("amount", "采购总金额", CellKind.DECIMAL)),
            (Row("procurement", "政府集中采购"),),
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Sections.

SUBHEADS_ONE = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
)


def _sections(five_variants: tuple[str, ...]) -> tuple[SectionSpec, ...]:
    return (
        SectionSpec("一", "一、总体情况", subheads=SUBHEADS_ONE),
        SectionSpec("二", "二、主动公开政府信息情况", table="t2"),
        SectionSpec("三", "三、收到和处理政府信息公开申请情况", table="t3"),
        SectionSpec("四", "四、政府信息公开行政复议、行政诉讼情况", table="t4"),
        SectionSpec("五", "五、存在的主要问题及改进情况", variants=five_variants),
        SectionSpec("六", "六、其他需要报告的事项"),
    )


FORMAT_V2 = FormatSpec(
    id="2021",
    name="政府信息公开工作年度报告格式（2021年版）",
    basis="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=_sections(()),
    tables=(TABLE2_V2, _table3(_T3_OTHER_V2), TABLE4),
)

FORMAT_V1 = FormatSpec(
    id="2019",
    name="政府信息公开工作年度报告格式（试行）",
    basis="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=_sections(("五、政府信息公开工作存在的主要问题及改进情况",)),
    tables=(TABLE2_V1, _table3(_T3_OTHER_V1), TABLE4),
)

FORMATS: dict[str, FormatSpec] = {spec.id: spec for spec in (FORMAT_V2, FORMAT_V1)}
TABLE_IDS = ("t2", "t3", "t4")


def format_for_year(year: int) -> FormatSpec:
    """The generation a report for ``year`` must use (v1 for 2019–2020, v2 from 2021)."""
    for spec in FORMATS.values():
        if spec.covers(year):
            return spec
    # Reports before 2019 followed no national table format; the oldest declared one is closest.
    return FORMAT_V1
