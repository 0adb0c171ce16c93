"""A Markdown reference of the JSON form's keys, written from the format declarations.

``docs/json.md`` is this text (a test keeps them equal), so the documented keys cannot drift from
the keys the kit reads and writes.
"""

from __future__ import annotations

from ogi_report.model.bureau import PublisherType
from ogi_report.spec.formats import FORMATS, FormatSpec, TableSpec
from ogi_report.storage.mappings import CONTACT_KEYS, META_KEYS
from ogi_report.storage.provenance import PROVENANCE_FILE, RECORD_KEYS, CellSource

_SOURCE_TEXT = {
    CellSource.READ: "从报告中读出（印为空白或「/」的单元格也是读出，为空白）",
    CellSource.COMPUTED: "报告未印出的总计，由读出的单元格相加",
    CellSource.UNREAD: "报告中有、但未能读出，留为空白，check 以 IMPORT 报出而不是 BLANK",
    CellSource.ABSENT: "报告按另一代格式印制，没有这个单元格（由 FMT 报出）",
    CellSource.INVALID: "印出的不是数值（如「251000元」），留为空白，`printed` 记下印出的文字，由 N 报出",
}

_KIND = {"count": "非负整数", "signed": "整数（可为负）", "decimal": '十进制数字符串，如 "96171.6"'}


def _table(spec: TableSpec) -> list[str]:
    lines = [f"### `{spec.id}` — {spec.title}", ""]
    for block in spec.blocks:
        if block.title:
            lines += [f"{block.title}", ""]
        scalar = len(block.columns) == 1
        cols = ", ".join(f"`{c.key}` {c.label}" + ("（总计）" if c.total else "") for c in block.columns)
        if scalar:
            col = block.columns[0]
            lines.append(f"每行是一个值（{col.label}，{_KIND[col.kind.value]}）：")
        else:
            kinds = {c.kind.value for c in block.columns}
            kind_text = "、".join(_KIND[k] for k in sorted(kinds))
            lines.append(f"每行是一个对象，列键：{cols}（{kind_text}）。行：")
        lines.append("")
        lines += [
            f"- `{row.key}` {row.display_label}" + ("（总计行）" if row.total else "") for row in block.rows
        ]
        lines.append("")
    return lines


def _format(spec: FormatSpec) -> list[str]:
    years = f"{spec.first_year}–{spec.last_year}" if spec.last_year else f"{spec.first_year} 起"
    lines = [f'## `"format": "{spec.id}"` — {spec.name}（{spec.basis}，{years}年度报告）', ""]
    for table in spec.tables:
        lines += _table(table)
    return lines


def _import_record() -> list[str]:
    """The optional ``import`` key: the import record of a bureau-year imported from a report."""
    source, tables, printed = RECORD_KEYS
    return [
        "## 可选的顶层键 `import` — 导入记录",
        "",
        f"用 `ogi-report import` 从已发布的报告导入的数据目录有 `{PROVENANCE_FILE}`，"
        "记下各单元格是怎样得到的；",
        "`export-json` 把它原样放在键 `import` 下，"
        f"`import-json` 读入时把它写回新目录的 `{PROVENANCE_FILE}`：",
        "往返之后 `check` 的结论不变，未能读出的单元格仍以 IMPORT 报出，而不当作报告本身的空白（BLANK）；",
        "已经填写了数值的单元格不再报出，即使记录仍写着未能读出。",
        "没有 `import` 键的 JSON（手工录入的数据）照旧读入；",
        "`import` 的内容不合要求时，报错指明键的位置（如 `import.tables.t3.new.commercial`），退出码 2。",
        "",
        f"- `{source}`：导入的文件名（文字）；",
        f"- `{tables}`：`{{表: {{行键: {{列键: 来源}}}}}}`，表、行键、列键与下文相同，来源为：",
        *[f"  - `{s.value}` {_SOURCE_TEXT[s]}" for s in CellSource],
        f"- `{printed}`（可省略）：`{{表: {{行键: {{列键: 文字}}}}}}`，"
        "来源为 `invalid` 的单元格在报告中印出的文字。",
        "",
    ]


def json_reference() -> str:
    """The whole reference, as Markdown."""
    lines = [
        "# JSON 形式的键（由 `ogi-report formats` 生成，勿手改）",
        "",
        "`ogi-report export-json DIR` 输出、`ogi-report import-json FILE --out DIR` 读入的 JSON：",
        "顶层键 `format`、`meta`、`t2`、`t3`、`t4`、`narrative`（Markdown 字符串），"
        "以及导入的数据才有的 `import`（导入记录，见下）。",
        "空白单元格写 `null`（保留为空白，由 BLANK 规则报出）；总计可以省略（自动计算）。",
        "`meta` 的键："
        + "、".join(f"`{k}`" for k in META_KEYS)
        + "；`publisher_type` 为 "
        + "／".join(f"`{t.value}`（{t.label}）" for t in PublisherType)
        + "，日期写 `YYYY-MM-DD`；",
        "`contact` 的键：" + "、".join(f"`{k}`" for k in CONTACT_KEYS) + "。",
        "",
        *_import_record(),
    ]
    for spec in FORMATS.values():
        lines += _format(spec)
    return "\n".join(lines).rstrip("\n") + "\n"
