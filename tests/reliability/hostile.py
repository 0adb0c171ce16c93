"""Hostile inputs for the reliability tests and ``benchmarks/limits.py``: built, not stored.

Each builder makes the smallest file that hits one limit (or stays just under it): deeply nested
TOML/JSON/HTML, zip packages whose parts inflate to millions of XML elements, PDFs whose one
stream inflates far past its size, ruled PDF pages, and CSV files of a million unknown lines.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def deep_toml(depth: int = 50_000) -> str:
    return "name = " + "[" * depth + "]" * depth + "\n"


def deep_json(depth: int = 50_000) -> str:
    return "[" * depth + "]" * depth


def deep_html(depth: int = 300, after: str = "三、收到和处理政府信息公开申请情况") -> bytes:
    """A report whose middle nests ``depth`` divs: what follows is past the parser's limit."""
    head = "<html><body><h1>某某局2021年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
    return (head + "<div>" * depth + "深处" + "</div>" * depth + f"<p>{after}</p></body></html>").encode()


def _zip(parts: dict[str, bytes | str], stored: Sequence[str] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return buf.getvalue()


def docx_with_paragraphs(count: int, text: str = "") -> bytes:
    """A minimal DOCX of ``count`` paragraphs (each ``<w:p>`` with a run when ``text`` is given)."""
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" if text else "<w:p/>"
    body = para * count
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
        '.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    return _zip({"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": document})


def padded(package: bytes, padding: bytes) -> bytes:
    """``package`` with an incompressible stored member added, lowering its overall ratio."""
    buf = io.BytesIO(package)
    with zipfile.ZipFile(buf, "a") as archive:
        archive.writestr("word/media/pad.bin", padding, compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def xlsx_with_cells(workbook: bytes, extra_rows: int) -> bytes:
    """A copy of ``workbook`` whose first sheet has ``extra_rows`` more rows of empty cells."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    parts: dict[str, bytes | str] = {i.filename: source.read(i) for i in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode() if isinstance(parts[sheet], bytes) else str(parts[sheet])
    rows = "".join(f'<row r="{1000 + i}"><c r="A{1000 + i}"/></row>' for i in range(extra_rows))
    parts[sheet] = xml.replace("</sheetData>", rows + "</sheetData>", 1)
    return _zip(parts)


def pdf(contents: Sequence[bytes], compress: bool = True) -> bytes:
    """A PDF of one page per content stream (Helvetica as F1), with a correct xref table."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(contents)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(contents)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, content in enumerate(contents):
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        objects.append(page.encode())
        data = zlib.compress(content, 9) if compress else content
        flate = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def ruled_page(rows: int = 30, columns: int = 8, label: str = "row") -> bytes:
    """A page content stream drawing a ruled table of ``rows`` × ``columns`` cells, each with a number."""
    left, top, width, height = 40, 800, 64, 24
    ops = ["0.5 w"]
    for r in range(rows + 1):
        y = top - r * height
        ops.append(f"{left} {y} m {left + columns * width} {y} l S")
    for c in range(columns + 1):
        x = left + c * width
        ops.append(f"{x} {top} m {x} {top - rows * height} l S")
    for r in range(rows):
        for c in range(columns):
            text = f"{label}{r}" if c == 0 else str(r * columns + c)
            ops.append(f"BT /F1 9 Tf {left + c * width + 4} {top - (r + 1) * height + 8} Td ({text}) Tj ET")
    return "\n".join(ops).encode()


def unknown_rows_csv(lines: int) -> str:
    return "项目,自然人\n" + "x\n" * lines


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) → a hash of its bytes: "no data changed"."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = "link:" + str(path.readlink())
        elif path.is_file():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
