"""Reading a DOCX report: paragraphs and tables in document order, merged cells expanded.

A DOCX is a zip: :func:`~ogi_report.storage.archives.check_archive` checks its members (count,
total unpacked size, compression ratio, the main part present) before python-docx opens it, so a
zip bomb or a truncated file is refused without unpacking it.  python-docx parses the XML without
resolving entities or fetching anything.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ogi_report.errors import DataError
from ogi_report.importers.lines import Line
from ogi_report.storage.archives import WORD_DOCUMENT, check_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_text(tc: Any) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")).strip()


def _grid_rows(tbl: Any) -> list[tuple[str, ...]]:
    """The table's rows: each cell once, at its top-left; cells covered by a merge left out."""
    rows: list[tuple[str, ...]] = []
    for tr in tbl.findall(f"{W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            merge = props.find(f"{W}vMerge") if props is not None else None
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                continue  # covered by the cell above (vertical merge)
            cells.append(" ".join(_cell_text(tc).split()))
        rows.append(tuple(cells))
    return rows


def docx_lines(data: bytes, path: Path) -> list[Line]:
    """Lines of a DOCX: each paragraph whole, each table row with its cells."""
    return docx_document(data, path)[0]


def docx_document(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    """Lines of a DOCX (see :func:`docx_lines`) and the document's Title property, as a note."""
    check_archive(data, path, WORD_DOCUMENT)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError.one(path, f"DOCX 文件无法打开（{type(exc).__name__}）") from exc
    except Exception as exc:  # lxml raises its own syntax errors for damaged XML parts
        raise DataError.one(path, f"DOCX 内容损坏，无法读取（{type(exc).__name__}）") from exc
    lines: list[Line] = []
    body: Any = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            text = "".join(t.text or "" for t in child.iter(f"{W}t"))
            lines.append(Line(len(lines) + 1, text.strip(), whole=True))
        elif child.tag == f"{W}tbl":
            for cells in _grid_rows(child):
                lines.append(Line(len(lines) + 1, " ".join(c for c in cells if c), cells, grid=True))
            lines.append(Line(len(lines) + 1, "", whole=True))
    title = " ".join((document.core_properties.title or "").split())[:200]
    return lines, ([f"Title: {title}"] if title else [])
