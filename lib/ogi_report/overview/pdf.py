"""The overview's PDF, typeset by Typst in this process (``overview.typ``, beside this module).

The blocks of :mod:`ogi_report.overview.document` reach the template as JSON in ``sys.inputs``,
never as markup; charts travel as their SVG, which Typst draws with real text, so ``pdftotext``
finds the labels of every chart.  The fonts are the 黑体 role's chain
(:mod:`ogi_report.render.fonts`), checked glyph by glyph before typesetting so nothing prints as
tofu.  Typst is the engine the reports' PDFs use too.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ogi_report.errors import RenderError
from ogi_report.model.printed import table_grid
from ogi_report.overview.blocks import (
    Block,
    Chart,
    DataTable,
    Document,
    Heading,
    Keys,
    Official,
    Para,
    Style,
)
from ogi_report.render.fonts import Role, check_glyphs, load_setup
from ogi_report.spec.grid import Kind

TEMPLATE = Path(__file__).with_name("overview.typ")


def _table(table: DataTable) -> dict[str, Any]:
    numeric = [any(row[i].style == Style.NUMBER for row in table.rows) for i in range(len(table.headers))]
    rows = [[asdict(c) for c in row] for row in table.rows]
    return {"kind": "table", "headers": list(table.headers), "rows": rows, "numeric": numeric}


def _official(block: Official) -> dict[str, Any]:
    grid = table_grid(block.table)
    split = grid.header_rows or grid.first_value_row
    rows = grid.row_cells()

    def cell(c: Any) -> dict[str, Any]:
        return {"text": c.text, "rowspan": c.rowspan, "colspan": c.colspan, "num": c.kind is Kind.VALUE}

    return {
        "kind": "official",
        "columns": grid.cols,
        "head": [[cell(c) for c in row] for row in rows[:split]],
        "body": [[cell(c) for c in row] for row in rows[split:]],
    }


def _chart(c: Chart) -> dict[str, Any]:
    return {
        "title": c.title,
        "svg": c.svg,
        "numbers": _table(c.numbers) if c.numbers else None,
        "note": c.note,
    }


def block_data(block: Block) -> dict[str, Any]:
    """One block as the template reads it."""
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": block.text}
    if isinstance(block, Para):
        return {"kind": "para", "style": block.style, "parts": [asdict(p) for p in block.parts]}
    if isinstance(block, Keys):
        return {"kind": "keys", "items": [asdict(k) for k in block.items]}
    if isinstance(block, DataTable):
        return _table(block)
    if isinstance(block, Official):
        return _official(block)
    if isinstance(block, Chart):
        return {"kind": "chart", **_chart(block)}
    return {"kind": "pair", "charts": [_chart(c) for c in block.charts]}


def _texts(value: Any) -> str:
    """Every string the template prints (SVG markup aside: its labels are checked through the data)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(_texts(v) for k, v in value.items() if k != "svg")
    if isinstance(value, list):
        return "".join(_texts(v) for v in value)
    return ""


def overview_pdf(doc: Document) -> bytes:
    """The PDF of the overview ``doc`` (RenderError naming characters no font has, or Typst's error)."""
    import typst

    setup = load_setup()
    blocks = [block_data(b) for b in doc.blocks]
    check_glyphs(setup, {Role.HEITI: doc.title + doc.subtitle + _texts(blocks)})
    files = setup.font_files()
    dirs = sorted({str(f.parent) for f in files})
    found = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=dirs)
    names = {(Path(f.path), f.index): f.family for f in found.fonts() if f.path}
    families = [names[(f.file, f.index)] for f in setup.installed(Role.HEITI) if (f.file, f.index) in names]
    data = {
        "title": doc.title,
        "subtitle": doc.subtitle,
        "author": "ogi-report",
        "fonts": families,
        "blocks": blocks,
    }
    try:
        out = typst.compile(
            str(TEMPLATE),
            root=str(TEMPLATE.parent),
            font_paths=dirs,
            ignore_system_fonts=True,
            sys_inputs={"overview": json.dumps(data, ensure_ascii=False)},
        )
    except typst.TypstError as exc:
        raise RenderError(f"概览 PDF 排版失败（Typst）：{exc.message}") from exc
    if not isinstance(out, bytes):
        raise RenderError("概览 PDF 排版失败（Typst）：没有得到 PDF")
    return out
