"""A Markdown reference of both format generations, written from their declarations.

``docs/format.md`` is this text (a test keeps them equal), so the documented sections, tables, keys
and labels cannot drift from the ones the kit reads, checks and prints.  Regenerate it with
``python -m ogi_report.spec.reference docs/format.md`` (without a file it prints to stdout).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ogi_report.spec.formats import FORMATS, Block, FormatSpec, Layout, TableSpec

COMMAND = "python -m ogi_report.spec.reference docs/format.md"

_LAYOUT = {
    Layout.ROWS: "逐行（每个声明的行印成一行）",
    Layout.WIDE: "宽表（每个「行 × 列」印成一列，数值只占一行）",
}


def _cells(*texts: str) -> str:
    return "| " + " | ".join(texts) + " |"


def _group(path: tuple[str, ...]) -> str:
    return " / ".join(path) if path else "—"


def _sections(spec: FormatSpec) -> list[str]:
    lines = [
        "### 正文的六个部分",
        "",
        _cells("部分", "标准标题", "格式允许的其他标题", "标准小标题", "本部分的表格"),
        _cells(*["---"] * 5),
    ]
    for section in spec.sections:
        table = f"表{spec.table(section.table).number}（`{section.table}`）" if section.table else "—"
        lines.append(
            _cells(
                section.number,
                section.heading,
                "；".join(section.variants) or "—",
                "；".join(section.subheads) or "—",
                table,
            )
        )
    return [*lines, ""]


def _block(block: Block) -> list[str]:
    lines = [f"#### {block.title}", ""] if block.title else []
    lines += [
        "列：",
        "",
        _cells("JSON 键", "官方标签", "上级表头", "单元格内容", "总计"),
        _cells(*["---"] * 5),
    ]
    for col in block.columns:
        total = "总计列（本行其他列之和）" if col.total else ""
        lines.append(_cells(f"`{col.key}`", col.label, _group(col.path), col.kind.label, total))
    lines += ["", "行：", "", _cells("JSON 键", "官方标签", "上级分组", "总计"), _cells(*["---"] * 4)]
    for row in block.rows:
        total = "总计行（各“计入总计”行之和）" if row.total else "计入总计" if row.in_total else ""
        lines.append(_cells(f"`{row.key}`", row.label, _group(row.path), total))
    return [*lines, ""]


def _table(spec: TableSpec) -> list[str]:
    lines = [
        f"### {spec.name}（`{spec.id}`）：{spec.title}",
        "",
        f"- 版式：{_LAYOUT[spec.layout]}",
        f"- 空白单元格：{'允许' if spec.blank_allowed else '不允许（BLANK 规则），无数据填 0'}",
    ]
    if spec.corner:
        lines.append(f"- 左上角注：{spec.corner}")
    lines.append("")
    for block in spec.blocks:
        lines += _block(block)
    return lines


def _generation(spec: FormatSpec) -> list[str]:
    years = f"{spec.first_year}–{spec.last_year} 年度" if spec.last_year else f"{spec.first_year} 年度起"
    lines = [
        f"## {spec.name}",
        "",
        f'- meta.toml：`format = "{spec.id}"`',
        f"- 依据：{spec.basis}",
        f"- 适用：{years}",
        "",
        *_sections(spec),
    ]
    for table in spec.tables:
        lines += _table(table)
    return lines


def format_reference() -> str:
    """The whole reference, as Markdown."""
    lines = [
        f"# 报告格式（由 `{COMMAND}` 从 `lib/ogi_report/spec/` 生成，勿手改）",
        "",
        "两代官方格式的正文部分与表格。单元格以「行键, 列键」定位（JSON 形式与 CSV 文件所用的键）；",
        "在总计行或总计列上的单元格是总计，数据文件可以省略，读入时自动计算。",
        "行的「上级分组」与列的「上级表头」是印刷时合并单元格的分组标签。",
        "",
    ]
    for spec in FORMATS.values():
        lines += _generation(spec)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_reference(text: str, argv: Sequence[str] | None = None) -> int:
    """Write a generated reference to the file named in ``argv`` (UTF-8), or to stdout without one.

    The ``python -m`` entry of each generator (this one, :mod:`ogi_report.checks.reference`).
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/format.md's text to the file named in ``argv``, or to stdout."""
    return write_reference(format_reference(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
