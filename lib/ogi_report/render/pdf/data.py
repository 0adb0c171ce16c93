"""The report as the data the Typst template reads: plain JSON, never markup.

:func:`report_data` walks the render model (:mod:`ogi_report.render.model`) into the dictionary
``report.typ`` receives through ``sys.inputs``: metadata, the draft marks, masthead and title, the
narrative's blocks as paragraphs and sub-heads of spans, each section's table as rows of cells with
their spans, the signature and (in the review edition) the 数据校验 appendix.  The template places
every string as text, so the narrative — untrusted — can hold any Typst syntax and still prints
literally.

The narrative's blocks are flattened here to the two kinds the template prints, as the Word
document prints them: a list item is a paragraph (a numbered one starts with its number), a quote
its paragraphs, a fenced block a paragraph keeping its line breaks; a thematic break prints nothing.

:func:`role_texts` gathers the text each font role prints, for the glyph check before compiling.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from ogi_report.render.fonts import Role
from ogi_report.render.model import DRAFT_BANNER, DRAFT_MARK, Checks, Report, outcome_text
from ogi_report.render.prose import LINE_BREAK, Block, CodeBlock, Heading, ListBlock, Paragraph, Quote, Span
from ogi_report.spec.grid import Grid, GridCell, Kind

SUBJECT = "政府信息公开工作年度报告"
KEYWORDS = ("政府信息公开", "年度报告")
PAGE_NUMBER_TEXT = "— 0123456789"  # what the page footers print
TABLE_PT = 10.5  # 五号: table 三's ten columns fit the 156 mm text block
WIDE_TABLE_PT = 9.0  # table 四's fifteen value columns


def _spans(spans: Sequence[Span]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for span in spans:
        for n, piece in enumerate(span.text.split(LINE_BREAK)):
            if n:
                out.append({"br": True})
            if piece:
                out.append({"text": piece, "strong": span.strong, "em": span.em})
    return out


def _paragraphs(blocks: Sequence[Block]) -> Iterator[dict[str, Any]]:
    """The blocks as the template's paragraphs (``p``) and sub-heads (``h``)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield {"kind": "p", "spans": _spans(block.spans)}
        elif isinstance(block, Heading):
            yield {"kind": "h", "level": block.level, "spans": _spans(block.spans)}
        elif isinstance(block, ListBlock):
            for item in block.items:
                inner = list(_paragraphs(item.blocks))
                if item.number is not None:
                    marker = {"text": f"{item.number}. ", "strong": False, "em": False}
                    if inner and inner[0]["kind"] in ("p", "h"):
                        inner[0] = {**inner[0], "spans": [marker, *inner[0]["spans"]]}
                    else:
                        inner.insert(0, {"kind": "p", "spans": [marker]})
                yield from inner
        elif isinstance(block, Quote):
            yield from _paragraphs(block.blocks)
        elif isinstance(block, CodeBlock):
            yield {"kind": "p", "spans": _spans((Span(block.text),))}


def _cell(cell: GridCell) -> dict[str, Any]:
    label = cell.kind is Kind.ROW_LABEL and not cell.group
    return {"t": cell.text, "r": cell.rowspan, "c": cell.colspan, "k": "label" if label else "cell"}


def _columns(grid: Grid) -> list[str]:
    """Column widths: narrow row-group columns, the item labels take the rest, values 3 characters."""
    labels = grid.label_columns
    if labels == 0:
        return ["1fr"] * grid.cols
    if grid.cols - labels <= 3:  # table 二: a label column beside a few wide value columns
        return ["1.6fr"] * labels + ["1fr"] * (grid.cols - labels)
    return ["2.6em"] * (labels - 1) + ["1fr"] + ["3.3em"] * (grid.cols - labels)


def table_data(grid: Grid) -> dict[str, Any]:
    """A printed grid as the template's table: its heading parts repeat on every page they run onto,
    and a block's heading rows inside the body (table 二) stay with the rows they head."""
    parts: list[dict[str, Any]] = []
    rows = grid.row_cells()
    if grid.header_rows:
        head = [_cell(c) for row in rows[: grid.header_rows] for c in row]
        parts.append({"kind": "head", "level": 1, "cells": head})
    level = 2 if grid.header_rows else 1
    for row in rows[grid.header_rows :]:
        kind = "head" if all(c.kind not in (Kind.VALUE, Kind.ROW_LABEL) for c in row) else "rows"
        if not parts or parts[-1]["kind"] != kind or parts[-1]["level"] != level:
            parts.append({"kind": kind, "level": level, "cells": []})
        parts[-1]["cells"].extend(_cell(c) for c in row)
    size = WIDE_TABLE_PT if grid.label_columns == 0 and grid.cols > 10 else TABLE_PT
    return {"columns": _columns(grid), "size": size, "parts": parts}


def _appendix(checks: Checks) -> dict[str, Any]:
    rules = [[o.rule.id, o.rule.title, o.rule.severity.label, outcome_text(o)[1]] for o in checks.outcomes]
    findings = [
        [f.rule, f.severity.label, f.location or "—", f.found, f.expected, f.message] for f in checks.findings
    ]
    return {
        "title": "数据校验",
        "summary": checks.summary(),
        "notes": list(checks.notes),
        "rules": {
            "title": "检查的规则",
            "header": ["规则", "检查内容", "级别", "结果"],
            "columns": ["1fr", "4fr", "1fr", "2fr"],
            "rows": rules,
        },
        "findings": {
            "title": "发现的问题",
            "header": ["规则", "级别", "位置", "实际", "应为", "说明"],
            "columns": ["1fr", "1fr", "2.5fr", "1.2fr", "1.2fr", "4fr"],
            "rows": findings,
            "empty": "未发现问题。",
        },
    }


def document_date(report: Report) -> date:
    """The PDF's creation date: the publish date, else the last day of the year reported on (PDF/A
    needs one, and a fixed one keeps the same data giving the same bytes)."""
    return report.publish_date or date(report.year, 12, 31)


def report_data(report: Report, fonts: Mapping[str, Any]) -> dict[str, Any]:
    """The template's data for ``report`` (already the edition to print), typeset in ``fonts``
    (role → ``{"families": [...], "weight": n}``)."""
    day = document_date(report)
    draft = None
    if report.draft:
        draft = {"banner": DRAFT_BANNER, "notice": DRAFT_BANNER + report.draft_notice, "mark": DRAFT_MARK}
    return {
        "meta": {
            "title": report.title,
            "author": report.name,
            "subject": SUBJECT,
            "keywords": list(KEYWORDS),
            "date": [day.year, day.month, day.day],
        },
        "fonts": dict(fonts),
        "draft": draft,
        "masthead": report.masthead,
        "title": report.title,
        "opening": list(_paragraphs(report.opening.blocks)),
        "sections": [
            {
                "heading": s.heading,
                "blocks": list(_paragraphs(s.body.blocks)),
                "table": table_data(s.table) if s.table is not None else None,
            }
            for s in report.sections
        ],
        "signature": [line for line in (report.signature.signer, report.signature.date) if line],
        "appendix": _appendix(report.checks) if report.checks is not None else None,
    }


def _block_texts(blocks: Sequence[dict[str, Any]], texts: dict[Role, list[str]]) -> None:
    for block in blocks:
        role = Role.FANGSONG if block["kind"] == "p" else Role.KAITI
        texts[role].extend(s.get("text", "") for s in block["spans"])


def role_texts(data: Mapping[str, Any]) -> dict[Role, str]:
    """The text each font role prints in the document ``data`` describes."""
    texts: dict[Role, list[str]] = {role: [] for role in Role}
    texts[Role.XIAOBIAOSONG] += [data["title"], data["masthead"]]
    texts[Role.FANGSONG] += [PAGE_NUMBER_TEXT, *data["signature"]]
    if data["draft"] is not None:
        texts[Role.HEITI] += list(data["draft"].values())
    _block_texts(data["opening"], texts)
    for section in data["sections"]:
        texts[Role.HEITI].append(section["heading"])
        _block_texts(section["blocks"], texts)
        if section["table"] is not None:
            texts[Role.FANGSONG] += [c["t"] for part in section["table"]["parts"] for c in part["cells"]]
    appendix = data["appendix"]
    if appendix is not None:
        texts[Role.HEITI].append(appendix["title"])
        texts[Role.KAITI] += [appendix["rules"]["title"], appendix["findings"]["title"]]
        texts[Role.FANGSONG] += [appendix["summary"], *appendix["notes"], appendix["findings"]["empty"]]
        for key in ("rules", "findings"):
            table = appendix[key]
            texts[Role.FANGSONG] += [*table["header"], *(x for row in table["rows"] for x in row)]
    return {role: "".join(parts) for role, parts in texts.items()}
