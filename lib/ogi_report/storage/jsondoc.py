"""A Markdown reference of the JSON form's keys, written from the format declarations.

``docs/json.md`` is this text (a test keeps them equal), so the documented keys cannot drift from
the keys the kit reads and writes.
"""

from __future__ import annotations

from ogi_report.model.bureau import PublisherType
from ogi_report.spec.formats import FORMATS, FormatSpec, TableSpec
from ogi_report.storage.mappings import CONTACT_KEYS, META_KEYS

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


def json_reference() -> str:
    """The whole reference, as Markdown."""
    lines = [
        "# JSON 形式的键（由 `ogi-report formats` 生成，勿手改）",
        "",
        "`ogi-report export-json DIR` 输出、`ogi-report import-json FILE --out DIR` 读入的 JSON：",
        "顶层键 `format`、`meta`、`t2`、`t3`、`t4`、`narrative`（Markdown 字符串）。",
        "空白单元格写 `null`（保留为空白，由 BLANK 规则报出）；总计可以省略（自动计算）。",
        "`meta` 的键："
        + "、".join(f"`{k}`" for k in META_KEYS)
        + "；`publisher_type` 为 "
        + "／".join(f"`{t.value}`（{t.label}）" for t in PublisherType)
        + "，日期写 `YYYY-MM-DD`；",
        "`contact` 的键：" + "、".join(f"`{k}`" for k in CONTACT_KEYS) + "。",
        "",
    ]
    for spec in FORMATS.values():
        lines += _format(spec)
    return "\n".join(lines).rstrip("\n") + "\n"
