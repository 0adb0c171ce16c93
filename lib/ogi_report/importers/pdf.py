"""Reading a PDF report with pdfplumber: ruled tables as grids, the text around them as laid out.

Ruled tables (the kit's PDFs and most published ones) are read cell by cell, merged cells
included; the prose between them is extracted band by band as layout text (as ``pdftotext
-layout`` does), so a table without rules still reaches the text parser as aligned rows; in
such a table a row with empty cells has its figures placed by their word positions, under the
columns where the rows printed in full stand (:func:`_align`).  A ruled table's row that lost its
top rule at a page break (Chromium's print of a web page draws none there) falls out of the grid
into the text: its figures are placed under the ruled table's own columns (:func:`_under_grid`).
Watermarks are left out.  A file that is not a PDF, is truncated or encrypted, or has too many
pages is refused with a message.

What pdfminer inflates is bounded by what is actually produced, not by what the file declares: its
Flate decoding runs through :class:`_BoundedZlib`, which stops a stream (or the file's streams
together) at a running byte budget — a 1 MB page stream that inflates to 1 GB is refused at
:data:`MAX_STREAM_BYTES` — and the objects interpreted for one page are counted
(:data:`MAX_PAGE_TOKENS`), however they arrive.  Each page also checks the import's time budget.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from ogi_report.errors import DataError
from ogi_report.importers.budget import check_time
from ogi_report.importers.lines import Line, is_value_text
from ogi_report.importers.text import fix_radicals, text_lines
from ogi_report.spec.wording import is_wide

MAX_PAGES = 150  # an annual report is a few to a few dozen pages
MAX_CHARS = 5_000_000
MAX_STREAM_BYTES = 16 * 1024 * 1024  # one inflated stream: a text page is ~10–200 KB
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # all streams of the file together
# Objects (operands and operators) interpreted to lay out one page, forms drawn on it included: a
# dense page has ~50,000; each becomes a layout object of a few hundred bytes.
MAX_PAGE_TOKENS = 500_000
SPACE_GAP = 0.15  # a gap wider than this share of the font size, next to a narrow character, is a space
MIN_FULL_ROWS = 2  # rows with every figure printed, from which a band's column boundaries are taken


@dataclass(frozen=True)
class _Band:
    """A band of layout text, and the cells of its rows whose figures were placed by position."""

    text: str
    cells: dict[int, tuple[str, ...]] = field(default_factory=dict)  # band line index → label, fields


Part = _Band | list[tuple[str, ...]]  # a band of layout text, or a ruled table's rows


@dataclass(frozen=True)
class _Grid:
    """A ruled table's place on its page: its top and bottom, and each column's left and right edge."""

    top: float
    bottom: float
    columns: tuple[tuple[float, float], ...]


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``: inflation within a budget.

    pdfminer calls ``zlib.decompress(data)`` on a whole stream, and for a damaged one feeds
    ``zlib.decompressobj()`` a byte at a time: both are bounded here, per stream and per file.
    """

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = 0
        self.tokens = 0  # of the page being read

    def too_large(self, what: str) -> DataError:
        return DataError.one(self.path, f"PDF 内容解压后过大（{what}），不像是年度报告，拒绝读取")

    def _count(self, produced: int) -> None:
        self.total += produced
        if self.total > MAX_INFLATED_BYTES:
            raise self.too_large(f"全部流解压后超过 {MAX_INFLATED_BYTES:,} 字节")

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, MAX_STREAM_BYTES + 1)
        if len(out) > MAX_STREAM_BYTES:
            raise self.too_large(f"一个流解压后超过 {MAX_STREAM_BYTES:,} 字节")
        if not inflater.eof:  # as zlib.decompress: pdfminer then tries its recovery for damaged streams
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        self._count(len(out))
        return out

    def decompressobj(self, wbits: int = zlib.MAX_WBITS) -> Any:
        bounded = self
        inner = zlib.decompressobj(wbits)

        class _Stream:
            produced = 0

            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = inner.decompress(data, MAX_STREAM_BYTES + 1 - self.produced)
                self.produced += len(out)
                if self.produced > MAX_STREAM_BYTES:
                    raise bounded.too_large(f"一个流解压后超过 {MAX_STREAM_BYTES:,} 字节")
                bounded._count(len(out))
                return out

        return _Stream()


@contextlib.contextmanager
def _bounded_pdfminer(path: Path) -> Iterator[_BoundedZlib]:
    """pdfminer within budgets for the block: Flate decoding (bytes) and page content (objects).

    The page budget holds however the content arrives — an uncompressed stream, or a small form
    drawn thousands of times — since it counts what the interpreter parses.
    """
    from pdfminer import pdftypes
    from pdfminer.pdfinterp import PDFContentParser

    bounded = _BoundedZlib(path)
    original_zlib = pdftypes.__dict__["zlib"]
    inherited = PDFContentParser.nextobject

    def nextobject(parser: Any) -> Any:
        bounded.tokens += 1
        if bounded.tokens > MAX_PAGE_TOKENS:
            raise DataError.one(
                path, f"PDF 一页的绘制内容超过 {MAX_PAGE_TOKENS:,} 项，不像是年度报告，拒绝读取"
            )
        return inherited(parser)

    pdftypes.__dict__["zlib"] = bounded
    setattr(PDFContentParser, "nextobject", nextobject)  # noqa: B010  (mypy: a method replaced)
    try:
        yield bounded
    finally:
        pdftypes.__dict__["zlib"] = original_zlib
        delattr(PDFContentParser, "nextobject")  # back to the inherited one


def pdf_lines(data: bytes, path: Path) -> list[Line]:
    """Lines of a PDF's text, page by page, in layout order."""
    return pdf_document(data, path)[0]


def pdf_document(data: bytes, path: Path) -> tuple[list[Line], list[str]]:
    """Lines of a PDF's text (see :func:`pdf_lines`) and the document's Title, as a note."""
    with _bounded_pdfminer(path) as bounded:
        pages, title = _pages(data, path, bounded)
    return _lines(pages, path), ([f"Title: {title}"] if title else [])


def _pages(data: bytes, path: Path, bounded: _BoundedZlib) -> tuple[list[list[Part]], str]:
    """Each page's text bands and ruled tables, and the document's Title ('' when none)."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise DataError.one(path, "不是 PDF 文件（文件头不是 %PDF-）")
    if b"%%EOF" not in data[-2048:]:
        raise DataError.one(path, "PDF 文件不完整（缺少结尾标记 %%EOF），可能下载或复制时被截断")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer logs every recoverable oddity of real-world PDFs as a warning; they are not the user's.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Part]] = []
    title = ""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            raw_title = (pdf.metadata or {}).get("Title")
            title = " ".join(raw_title.split())[:200] if isinstance(raw_title, str) else ""
            if len(pdf.pages) > MAX_PAGES:
                raise DataError.one(
                    path, f"PDF 有 {len(pdf.pages)} 页，超过上限 {MAX_PAGES} 页，不像是年度报告"
                )
            total = 0
            last_grid: _Grid | None = None
            for page in pdf.pages:
                check_time()
                bounded.tokens = 0
                parts, last_grid = _page_parts(page, last_grid)
                total += sum(len(p.text) if isinstance(p, _Band) else len(p) * 10 for p in parts)
                if total > MAX_CHARS:
                    raise DataError.one(path, "PDF 文字过多，不像是年度报告")
                pages.append(parts)
                page.close()
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise DataError.one(path, "PDF 已加密，无法读取文字，请提供未加密的文件") from exc
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as exc:
        # pdfplumber wraps what pdfminer raises, our own budgets' errors included: those speak for themselves.
        inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else None
        if isinstance(inner, DataError):
            raise inner from None
        raise DataError.one(path, f"PDF 文件损坏或格式不符，无法读取（{type(exc).__name__}）") from exc
    return pages, title


def _lines(pages: list[list[Part]], path: Path) -> list[Line]:
    """The lines of the pages' parts, numbered in order."""
    if not any(p.text.strip() if isinstance(p, _Band) else p for parts in pages for p in parts):
        raise DataError.one(path, "PDF 中没有可提取的文字（可能是扫描件图片），请提供文字版 PDF 或 DOCX")
    lines: list[Line] = []
    for parts in pages:
        for part in parts:
            if isinstance(part, _Band):
                for index, text in enumerate(part.text.split("\n")):
                    cells = part.cells.get(index)
                    if cells is not None:  # a row whose figures stand under the band's columns
                        lines.append(Line(len(lines) + 1, " ".join(c for c in cells if c), cells, grid=True))
                        continue
                    band, _notes = text_lines(text)
                    lines.extend(Line(len(lines) + 1, ln.text, ln.cells) for ln in band)
            else:
                for row in part:
                    lines.append(Line(len(lines) + 1, " ".join(c for c in row if c), row, grid=True))
    return lines


def _is_table(table: Any) -> bool:
    """A real table has rows of several cells; page frames and boxed titles are single cells."""
    return sum(1 for row in table.extract() if _width(row) >= 2) >= 2


WHITE = ((1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0))  # gray, RGB and CMYK white


def _is_background(obj: dict[str, Any], page_height: float) -> bool:
    """Whether a page object is a page background: a tall rect only filled with white.

    Only tall ones: some PDFs draw a table's rules as a dark rect covered by white cells, and
    those cells (short) must stay for the rules to show.
    """
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return False
    if float(obj.get("height", 0)) < page_height / 3:
        return False
    color = obj.get("non_stroking_color")
    if not obj.get("fill") or not isinstance(color, (tuple, list)):
        return False
    if not all(isinstance(c, (int, float)) for c in color):
        return False  # a pattern or another colour space: painted, kept
    return tuple(float(c) for c in color) in WHITE


def _is_watermark(obj: dict[str, Any], body_size: float) -> bool:
    """Whether a page object is a watermark's character: rotated, or over three times the body size."""
    if obj.get("object_type") != "char":
        return False
    matrix = obj.get("matrix") or (1, 0, 0, 1, 0, 0)
    rotated = abs(float(matrix[1])) > 0.01 or abs(float(matrix[2])) > 0.01
    return rotated or float(obj.get("size", 0)) > 3 * body_size


def _width(row: list[str | None]) -> int:
    return sum(1 for c in row if c is not None)


def _page_parts(page: Any, previous: _Grid | None = None) -> tuple[list[Part], _Grid | None]:
    """A page as text bands and ruled tables, top to bottom, and the last ruled table's grid.

    A detected table may take in boxed prose above or below it as single-cell rows: the table is
    cut to its rows of several cells, and what is outside is read as text.  The text's rows of
    figures may be placed under the columns of the page's ruled tables, or of ``previous`` (the
    last table of the page before, continued on this one) when the page has none.
    """
    # Table rules are found without the page background: Chromium paints it as one white rect,
    # whose edges would make the whole page one table and pull the prose between two tables (a
    # section's heading and its opening sentence) into a grid cell.
    height = float(page.height)
    # Watermarks (a 草稿 stamp, WPS's 水印) are drawn over the text, rotated or many times the body's
    # size: their characters would land inside cells and words ("稿12").
    body_size = _char_size(page)
    page = page.filter(lambda obj: not _is_watermark(obj, body_size))
    ruled = page.filter(lambda obj: not _is_background(obj, height))
    tables = sorted((t for t in ruled.find_tables() if _is_table(t)), key=lambda t: t.bbox[1])
    grids = [_grid(t) for t in tables]
    if not grids and previous is not None:
        grids = [_Grid(page.bbox[1], page.bbox[1], previous.columns)]
    size = _char_size(page)
    left = min((c["x0"] for c in page.chars), default=page.bbox[0])
    parts: list[Part] = []
    top = page.bbox[1]
    for table in tables:
        texts = table.extract()
        wide = [i for i, row in enumerate(texts) if _width(row) >= 2]
        first, last = wide[0], wide[-1]
        # Single-cell rows directly above the first wide row are the table's own titles (第二十条…).
        while (
            first > 0
            and _width(texts[first - 1]) == 1
            and table.rows[first - 1].bbox[3] - table.rows[first - 1].bbox[1] < 3 * size
        ):
            first -= 1
        t_top, t_bottom = table.rows[first].bbox[1], table.rows[last].bbox[3]
        if t_top > top:
            parts.append(_band(page, top, t_top, left, size, grids))
        rows = []
        for row in texts[first : last + 1]:
            # None marks a slot covered by a merged cell; wrapped cell text is one value.
            rows.append(tuple(fix_radicals("".join((c or "").split())) for c in row if c is not None))
        parts.append(rows)
        top = max(top, t_bottom)
    if top < page.bbox[3]:
        parts.append(_band(page, top, page.bbox[3], left, size, grids))
    return parts, grids[-1] if grids else previous


def _grid(table: Any) -> _Grid:
    """A ruled table's grid: its columns run from one column's left rule to the next one's (a
    merged cell makes pdfplumber's column boxes wider, never their left edges)."""
    edges = [float(c.bbox[0]) for c in table.columns] + [float(table.bbox[2])]
    return _Grid(float(table.bbox[1]), float(table.bbox[3]), tuple(pairwise(edges)))


def _char_size(page: Any) -> float:
    sizes = sorted(float(c["size"]) for c in page.chars) or [12.0]
    return max(sizes[len(sizes) // 2], 1.0)


Token = tuple[float, float, str]  # a word's left and right edge on the page, and its text


def _band(
    page: Any, top: float, bottom: float, left: float, size: float, grids: Sequence[_Grid] = ()
) -> _Band:
    """The band's text lines, each indented by its distance from the page's left text edge, and
    the rows of an unruled table whose figures could be placed under its columns (:func:`_align`)
    or under the columns of the nearest ruled table (:func:`_under_grid`).

    Words are rebuilt from the characters: justified Chinese spreads its characters, so a gap
    between two CJK characters is never a space, while a gap next to a digit or a Latin letter
    is the space the author typed ("2024 年").
    """
    region = page.crop((page.bbox[0], top, page.bbox[2], bottom), strict=False)
    lines = []
    tokens: list[list[Token]] = []
    heights: list[tuple[float, float]] = []
    for line in region.extract_text_lines(layout=False, strip=True, return_chars=True):
        heights.append((float(line["top"]), float(line["bottom"])))
        chars = line["chars"]
        text = ""
        words: list[Token] = []
        for previous, char in zip([None, *chars[:-1]], chars, strict=True):
            gap = previous is not None and float(char["x0"]) - float(previous["x1"]) > SPACE_GAP * size
            if gap and not (_starts_wide(str(previous["text"])) and _starts_wide(str(char["text"]))):
                text += " "
            if not words or text.endswith(" "):
                words.append((float(char["x0"]), float(char["x1"]), ""))
            x0, _x1, word = words[-1]
            words[-1] = (x0, float(char["x1"]), word + str(char["text"]))
            text += str(char["text"])
        indent = max(0, round((float(line["x0"]) - left) / size))
        lines.append(" " * indent + text.strip())
        tokens.append([w for w in words if w[2].strip()])
    aligned = _align(tokens, size)
    for index, (words, (line_top, line_bottom)) in enumerate(zip(tokens, heights, strict=True)):
        if index in aligned or not grids:
            continue
        # The ruled table nearest the line (a row that lost its rule stands right above or below it).
        grid = min(grids, key=lambda g: max(g.top - line_bottom, line_top - g.bottom, 0.0))
        placed = _under_grid(words, grid.columns, size)
        if placed is not None:
            aligned[index] = placed
    return _Band("\n".join(lines), aligned)


def _trailing_values(words: list[Token]) -> int:
    """How many of a line's last words are values (figures, dashes, slashes)."""
    count = 0
    for _x0, _x1, text in reversed(words):
        if not is_value_text(text):
            break
        count += 1
    return count


def _align(lines: list[list[Token]], size: float) -> dict[int, tuple[str, ...]]:
    """Rows of an unruled table with empty cells, their figures placed under the band's columns.

    The columns are where the figures of the rows printed in full stand (at least
    :data:`MIN_FULL_ROWS` rows with the same, largest number of figures); a row with fewer
    figures gets each one in the column it stands under, and empty fields elsewhere — only when
    every figure stands under a column of its own and the label ends before the first column.
    """
    counts = Counter(n for n in (_trailing_values(w) for w in lines) if n >= 2)
    width = max((n for n, c in counts.items() if c >= MIN_FULL_ROWS), default=0)
    if not width:
        return {}
    full = [w[-width:] for w in lines if _trailing_values(w) == width]
    spans = [(min(r[j][0] for r in full), max(r[j][1] for r in full)) for j in range(width)]
    if any(a[1] >= b[0] for a, b in pairwise(spans)):
        return {}  # the figures do not stand in columns
    slack = size / 2
    aligned: dict[int, tuple[str, ...]] = {}
    for index, words in enumerate(lines):
        count = _trailing_values(words)
        if not 1 <= count < width:
            continue
        label, figures = words[:-count], words[-count:]
        if not label or label[-1][1] > spans[0][0] - slack / 2:
            continue
        columns = [
            next((j for j, (x0, x1) in enumerate(spans) if x0 - slack <= (a + b) / 2 <= x1 + slack), None)
            for a, b, _text in figures
        ]
        if None in columns or any(b <= a for a, b in pairwise(c for c in columns if c is not None)):
            continue
        fields = [""] * width
        for column, (_a, _b, text) in zip(columns, figures, strict=True):
            fields[column or 0] = text
        aligned[index] = (fix_radicals(" ".join(w[2] for w in label)), *fields)
    return aligned


def _under_grid(
    words: list[Token], columns: Sequence[tuple[float, float]], size: float
) -> tuple[str, ...] | None:
    """A text line's label and fields under a ruled table's ``columns``, or None when it is no row
    of that table.

    It is one when every word stands inside one column (prose runs across the rules), the label's
    words in columns left of every figure's, and the figures in distinct columns, left to right;
    the fields are the columns right of the label's, figures in theirs and the others empty.
    """
    count = _trailing_values(words)
    if not count or count == len(words):
        return None
    slack = size / 4

    def column(x0: float, x1: float) -> int | None:
        return next((j for j, (a, b) in enumerate(columns) if a - slack <= x0 and x1 <= b + slack), None)

    label, figures = words[:-count], words[-count:]
    label_columns = [column(x0, x1) for x0, x1, _text in label]
    figure_columns = [column(x0, x1) for x0, x1, _text in figures]
    if None in label_columns or None in figure_columns:
        return None
    last_label = max(c for c in label_columns if c is not None)
    placed = [c for c in figure_columns if c is not None]
    if placed[0] <= last_label or any(b <= a for a, b in pairwise(placed)):
        return None
    fields = [""] * (len(columns) - last_label - 1)
    for col, (_x0, _x1, text) in zip(placed, figures, strict=True):
        fields[col - last_label - 1] = text
    return (fix_radicals(" ".join(w[2] for w in label)), *fields)


def _starts_wide(text: str) -> bool:
    """Whether a PDF character (its text may be empty, or a ligature) is a wide CJK one."""
    return bool(text) and is_wide(text[0])
