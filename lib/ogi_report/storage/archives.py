"""Zip-packaged documents (.xlsx workbooks, .docx reports): refused before anything is unpacked.

Both formats are zip archives of XML parts.  :func:`check_archive` first looks at the archive's
directory — member count, total unpacked size, compression ratio, the main part present — so a zip
bomb, a truncated download or another kind of file is refused before anything is inflated.  The
directory can lie, so it then inflates every part as a stream with a running byte budget on what
is actually produced, and pull-parses each XML part counting elements and depth: a part that would
make openpyxl or python-docx build millions of nodes (gigabytes from a few MB of ``<w:p/>``) is
refused before they parse it.  One set of limits serves both formats: a filled workbook is ~30 KB
in a dozen parts, a Word report a few MB in a few dozen.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # no stubs installed

from ogi_report.errors import DataError

MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what the parts may expand to in all
MAX_RATIO = 200  # unpacked / packed: XML packs ~10:1, images ~1:1; far beyond that is a zip bomb
MAX_XML_ELEMENTS = 1_000_000  # all parts together; a long Word report has ~100,000
MAX_XML_DEPTH = 100  # WordprocessingML nests tables in tables, a few dozen levels at most
CHUNK = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, .doc, and password-encrypted .xlsx/.docx


@dataclass(frozen=True)
class ZipDocument:
    """A kind of zip-packaged document: the part every such document has, and how messages name it."""

    noun: str  # how the limit messages name the file: 工作簿, DOCX 文件
    main_part: str
    not_zip: str  # a file that is no zip at all, or a truncated one
    legacy: str  # an OLE file: the format's old binary form, or a password-encrypted document
    missing_main: str  # a zip without the main part: some other kind of zip


WORKBOOK = ZipDocument(
    noun="工作簿",
    main_part="xl/workbook.xml",
    not_zip="不是 .xlsx 工作簿（文件不是 zip 格式），请选择 ogi-report xlsx 生成的文件",
    legacy="这是旧版 .xls/.et 文件或设置了打开密码的工作簿：请在 Excel/WPS 中取消密码并“另存为 .xlsx”",
    missing_main="不是 .xlsx 工作簿（缺少 xl/workbook.xml），请选择 ogi-report xlsx 生成的文件",
)
WORD_DOCUMENT = ZipDocument(
    noun="DOCX 文件",
    main_part="word/document.xml",
    not_zip="不是有效的 DOCX 文件（zip 结构损坏或文件被截断）",
    legacy="这是旧版 .doc 文件或设置了打开密码的 DOCX 文件：请在 Word/WPS 中取消密码并“另存为 .docx”",
    missing_main="DOCX 中没有 word/document.xml，不是 Word 文档",
)


def check_archive(data: bytes, path: Path, kind: ZipDocument) -> None:
    """Refuse ``data`` unless it is a sane zip of ``kind``, reading only the archive's directory."""
    if data.startswith(OLE_MAGIC):
        raise DataError.one(path, kind.legacy)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DataError.one(path, kind.not_zip)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError.one(path, f"{kind.noun}已损坏，无法打开（{exc}）") from exc
    if len(members) > MAX_MEMBERS:
        raise DataError.one(path, f"{kind.noun}含 {len(members)} 个部件，超过上限 {MAX_MEMBERS}，拒绝读取")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        detail = f"{len(members)} 个部件，{unpacked} 字节，上限 {MAX_UNPACKED_BYTES}"
        raise DataError.one(path, f"{kind.noun}解压后过大（{detail}），拒绝读取")
    packed = sum(m.compress_size for m in members) or 1
    if unpacked / packed > MAX_RATIO:
        detail = f"压缩比 {unpacked // packed}:1，上限 {MAX_RATIO}:1，可能是压缩炸弹"
        raise DataError.one(path, f"{kind.noun}解压后过大（{detail}），拒绝读取")
    if kind.main_part not in {m.filename for m in members}:
        raise DataError.one(path, kind.missing_main)
    _inflate_within_budget(data, path, kind)


class _XmlBudget:
    """Counts the elements and depth of XML parts fed to it piece by piece; raises past the limits."""

    def __init__(self, path: Path, kind: ZipDocument) -> None:
        self.path, self.kind = path, kind
        self.elements = 0

    def scan(self, name: str, chunks: Any) -> None:
        parser = etree.XMLPullParser(
            events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
        )
        depth = 0
        try:
            for chunk in chunks:
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "end":
                        depth -= 1
                        # Counted: dropped, so the scan holds one branch of the tree, never all of it.
                        element.clear()
                        while element.getprevious() is not None:
                            del element.getparent()[0]
                        continue
                    depth += 1
                    self.elements += 1
                    if depth > MAX_XML_DEPTH:
                        self._refuse(f"部件 {name} 的 XML 嵌套超过 {MAX_XML_DEPTH} 层")
                    if self.elements > MAX_XML_ELEMENTS:
                        self._refuse(f"XML 元素超过 {MAX_XML_ELEMENTS:,} 个（读到部件 {name}）")
            parser.close()
        except etree.XMLSyntaxError:
            return  # damaged XML: the document's own parser says so, in its place

    def _refuse(self, what: str) -> None:
        raise DataError.one(self.path, f"{self.kind.noun}内容过多（{what}），不像是年度报告，拒绝读取")


def _inflate_within_budget(data: bytes, path: Path, kind: ZipDocument) -> None:
    """Inflate every part as a stream, refusing the archive once what it produces passes the limits."""
    produced = 0
    xml = _XmlBudget(path, kind)

    def chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Any:
        nonlocal produced
        with archive.open(member) as fh:
            while chunk := fh.read(CHUNK):
                produced += len(chunk)
                if produced > MAX_UNPACKED_BYTES:
                    detail = f"实际解压超过 {MAX_UNPACKED_BYTES:,} 字节，目录中登记的大小不实"
                    raise DataError.one(path, f"{kind.noun}解压后过大（{detail}），拒绝读取")
                yield chunk

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                if member.filename.endswith((".xml", ".rels")):
                    xml.scan(member.filename, chunks(archive, member))
                else:
                    for _chunk in chunks(archive, member):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise DataError.one(path, f"{kind.noun}已损坏，无法解压（{exc}）") from None
    except (RuntimeError, ValueError) as exc:  # an encrypted member, a bad compression method
        raise DataError.one(path, f"{kind.noun}无法解压（{exc}）") from None
