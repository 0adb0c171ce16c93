"""Reading an HTML report: paragraphs and headings as lines, tables expanded into exact grids.

The parser never touches the network, expands no entities and refuses deep or huge documents;
rowspan and colspan are expanded so every row has its cells in their real columns (a cell covered
by a span is dropped from the row, so a merged label or value is read once).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs installed

from ogi_report.errors import DataError
from ogi_report.importers.lines import Line

BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "dt", "dd", "caption"}
)
SKIP = frozenset({"script", "style", "head", "template", "noscript", "svg", "math"})
# The kit's own additions to a rendered report (its 草稿 banner and 数据校验 appendix) are not
# part of the report: importing the kit's HTML gives back exactly the data it was made from.
KIT_CLASSES = frozenset({"ogi-banner", "ogi-checks"})
MAX_SPAN = 100  # no official table spans more rows or columns; larger spans are junk
MAX_GRID_CELLS = 20_000


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    """The element's text with <br> as line breaks, skipping nested tables."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text and _tag(node) not in SKIP:
            parts.append(node.text)
        for child in node:
            tag = _tag(child)
            if tag == "br":
                parts.append("\n")
            elif tag not in SKIP and tag != "table":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _span(cell: Any, name: str) -> int:
    raw = (cell.get(name) or "1").strip()
    return max(1, min(int(raw), MAX_SPAN)) if raw.isdigit() else 1


def table_grid(table: Any, path: Path) -> list[list[str | None]]:
    """The table's rows with spans expanded: a cell's text at its top-left slot, None where covered."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    grid: list[list[str | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(rows):
        row: list[str | None] = []
        c = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            while taken.get((r, c)):
                c += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            if (r + rowspan) * (c + colspan) > MAX_GRID_CELLS:
                raise DataError.one(path, "HTML 表格过大（单元格过多），不像是年度报告的表格")
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
            text = " ".join(_text(cell).split())
            while len(row) < c:
                row.append(None)
            row.append(text)
            row.extend([None] * (colspan - 1))
            c += colspan
        grid.append(row)
    return grid


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode(data: bytes, path: Path) -> str:
    """The document as text: UTF-8, else the charset its <meta> declares, else GB18030."""
    if b"\x00" in data[:4096]:
        raise DataError.one(path, "不是 HTML 文件（含有二进制内容）")
    try:
        return _XML_DECLARATION.sub("", data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["gb18030"]:
        try:
            return _XML_DECLARATION.sub("", data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    raise DataError.one(path, "无法识别 HTML 的文字编码，应为 UTF-8 或 GB18030")


MAX_DEPTH = 256  # libxml2's nesting limit without XML_PARSE_HUGE (which stays off)


def _refuse_truncation(parser: Any, path: Path) -> None:
    """Refuse a document the parser cut short at one of its limits (it recovers without a word)."""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in entry.message:
            if "depth" in entry.message:
                limit = f"元素嵌套超过解析器上限 {MAX_DEPTH} 层"
            else:
                limit = f"超过解析器的大小上限（{entry.message.strip()}）"
            raise DataError.one(
                path, f"HTML {limit}，其后的内容无法读取：拒绝导入，以免只导入一部分", line=entry.line
            )


def html_lines(data: bytes, path: Path) -> list[Line]:
    """Lines of an HTML report in document order: block texts, then each table's grid rows."""
    return html_document(data, path)[0]


def _titles(root: Any) -> list[str]:
    """The page's own titles: ``<meta name="ArticleTitle">`` (government CMSs), then ``<title>``."""
    found: list[str] = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title", "og:title") and meta.get("content"):
            found.append("ArticleTitle: " + " ".join(meta.get("content").split()))
    for title in root.iter("title"):
        text = " ".join((title.text or "").split())
        if text:
            found.append("title: " + text)
    return found


def html_document(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    """Lines of an HTML report (see :func:`html_lines`) and the page's own titles, as notes."""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(_decode(data, path), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise DataError.one(path, f"无法解析 HTML：{exc}") from exc
    _refuse_truncation(parser, path)
    if root is None:
        raise DataError.one(path, "HTML 中没有内容")
    lines: list[Line] = []

    def emit_text(text: str) -> None:
        for part in text.split("\n"):
            lines.append(Line(len(lines) + 1, part.strip(), whole=True))

    def walk(node: Any) -> None:
        for child in node:
            tag = _tag(child)
            if not tag or tag in SKIP or KIT_CLASSES & set((child.get("class") or "").split()):
                continue
            if tag == "table":
                for cells in table_grid(child, path):
                    kept = tuple(c for c in cells if c is not None)
                    lines.append(Line(len(lines) + 1, " ".join(c for c in kept if c), kept, grid=True))
                lines.append(Line(len(lines) + 1, ""))
            elif tag in BLOCKS:
                emit_text(_text(child))
                lines.append(Line(len(lines) + 1, ""))
            else:
                if child.text and child.text.strip():
                    emit_text(child.text)
                walk(child)
            if child.tail and child.tail.strip():
                emit_text(child.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    return lines, _titles(root)
