"""Importing a published annual report (.txt, .md, .html, .pdf, .docx) into a bureau-year.

Each source format registers a *reader* (:mod:`.text`, :mod:`.html`, :mod:`.pdf`, :mod:`.docx`) that
turns the file's bytes into :class:`~ogi_report.importers.lines.Line` objects; one parser
(:mod:`.report`) makes the bureau-year, reading the tables with :mod:`.tables` and the prose with
:mod:`.prose`.  Files are refused before being read when they are too large, and each reader bounds
what it unpacks (pages, zip members, HTML size), so a broken or hostile file costs bounded memory.

    import_report(path, options) -> Imported      raises DataError (the file cannot be read)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ogi_report.errors import DataError
from ogi_report.importers.budget import time_budget
from ogi_report.importers.lines import Line, Unplaced
from ogi_report.importers.report import Imported, ImportOptions, parse_report
from ogi_report.importers.text import text_lines
from ogi_report.storage.textfiles import decode_text, read_bytes

__all__ = [
    "READERS",
    "ImportOptions",
    "Imported",
    "Line",
    "Reader",
    "Unplaced",
    "import_report",
    "parse_report",
    "read_lines",
    "suffixes",
]

MB = 1024 * 1024


@dataclass(frozen=True)
class Reader:
    """How to read one source format: the size cap and the function producing lines (and notes)."""

    label: str
    limit: int
    read: Callable[[bytes, Path], tuple[list[Line], list[str]]]


def _read_text(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    return text_lines(decode_text(data, path))


def _read_markdown(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    return text_lines(decode_text(data, path), markdown=True)


def _read_html(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    from ogi_report.importers.html import html_document

    return html_document(data, path)


def _read_pdf(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    from ogi_report.importers.pdf import pdf_document

    return pdf_document(data, path)


def _read_docx(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    from ogi_report.importers.docx import docx_document

    return docx_document(data, path)


READERS: dict[str, Reader] = {
    ".txt": Reader("文本", 5 * MB, _read_text),
    ".md": Reader("Markdown", 5 * MB, _read_markdown),
    ".markdown": Reader("Markdown", 5 * MB, _read_markdown),
    ".html": Reader("HTML", 20 * MB, _read_html),
    ".htm": Reader("HTML", 20 * MB, _read_html),
    ".pdf": Reader("PDF", 50 * MB, _read_pdf),
    ".docx": Reader("DOCX", 50 * MB, _read_docx),
}


def suffixes() -> tuple[str, ...]:
    """The file suffixes that can be imported."""
    return tuple(READERS)


def read_lines(path: Path) -> tuple[list[Line], list[str]]:
    """The lines of a report file, refusing unknown, empty, oversized or unreadable files."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DataError.one(
            path, f"不支持的文件类型「{path.suffix or '（无后缀）'}」，应为 " + "、".join(READERS)
        )
    try:
        size = path.stat().st_size
    except OSError:
        size = reader.limit  # read_bytes reports the missing or unreadable file
    # read_bytes(path, n) reserves n + 1 bytes up front: ask for no more than the file holds.
    data = read_bytes(path, reader.limit if size > reader.limit else max(size, 1))
    if not data.strip():
        raise DataError.one(path, "文件为空")
    return reader.read(data, path)


def import_report(path: Path, options: ImportOptions) -> Imported:
    """Read a published report into a bureau-year; DataError when it cannot be read as one.

    The whole import of the file runs within ``options.max_seconds`` (:mod:`.budget`).
    """
    with time_budget(path, options.max_seconds):
        lines, notes = read_lines(path)
        return parse_report(lines, notes, options, str(path))
