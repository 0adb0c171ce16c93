"""The overview as a list of blocks, walked by the HTML page, the PDF and the Word document.

Built once per overview (:func:`ogi_report.overview.document.document`), so the three editions
cannot disagree on order, text or numbers: headings, paragraphs, the key-figure boxes, plain data
tables (each chart's numbers too), the summed official tables, and charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ogi_report.model.bureau import Table


class Style:
    """How a cell or paragraph is marked (a CSS class; the PDF and DOCX map them to colours)."""

    PLAIN = ""
    NUMBER = "num"
    OK = "ok"
    WARN = "warn"
    BAD = "bad"
    NOTE = "note"


@dataclass(frozen=True)
class Text:
    """A cell's or paragraph's text, with its style; ``small`` a second line (a slug)."""

    text: str
    style: str = Style.PLAIN
    small: str = ""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 the title, 2 a part (一、…), 3 within a part


@dataclass(frozen=True)
class Para:
    parts: tuple[Text, ...]  # runs: a bold label then its text, for instance
    style: str = Style.PLAIN


@dataclass(frozen=True)
class Key:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Keys:
    """The boxes at the top: each a figure with its label."""

    items: tuple[Key, ...]


@dataclass(frozen=True)
class DataTable:
    """A plain table: a header row, then rows whose first cell names the row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    kind: str = ""  # "status" for the status table (kept on one line per cell)


@dataclass(frozen=True)
class Official:
    """A summed official table, printed in its official layout."""

    table: Table


@dataclass(frozen=True)
class Chart:
    """A chart (SVG) with its title, the table of its numbers and an optional note."""

    key: str
    title: str
    svg: str
    numbers: DataTable | None = None
    note: str = ""


@dataclass(frozen=True)
class Pair:
    """Two small charts side by side (one under the other on a phone)."""

    charts: tuple[Chart, ...]


Block = Heading | Para | Keys | DataTable | Official | Chart | Pair


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: Sequence[Block] = field(default_factory=tuple)


def cells(*texts: str, numeric_from: int = 1, numeric_to: int = 99) -> tuple[Text, ...]:
    """A row of plain texts, those from ``numeric_from`` to ``numeric_to`` marked as numbers."""
    return tuple(
        Text(t, Style.NUMBER if numeric_from <= i <= numeric_to else Style.PLAIN) for i, t in enumerate(texts)
    )
