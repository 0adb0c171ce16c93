"""Reading a plain-text or Markdown report (.txt, .md, and the text bands of a PDF) into lines.

Tab-separated rows (a table copied out of a browser, Word or Excel) keep their cells, empty ones
and trailing ones included; form feeds, page footers ("-3-", "— 3 —", "第 3 页") and a browser's
print header and footer (「12/7/26, 1:22 PM 标题」, 「https://… 3/8」) are dropped, as they cut tables
and paragraphs; a browser's copy of cells that are paragraphs, one a line, is put back into rows
(:mod:`.pasted`); lines starting with ``# `` are provenance notes (where the text
was copied from), not part of the report — except in Markdown (a converter's output), whose
headings lose their ``#``s and whose pipe tables' rows keep their cells.  Radical code points that
PDF fonts map their glyphs to are read as the ideographs they show.
"""

from __future__ import annotations

import re
import unicodedata

from ogi_report.importers.lines import Line
from ogi_report.importers.pasted import paragraph_rows

PROVENANCE = "# "
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
# What a browser prints on every page of a web page saved as PDF (Chromium's default header and
# footer): the date and time, then the page's title; the page's address, then 「3/8」.
_BROWSER_MARGIN = re.compile(
    r"^\s*(?:\S+://\S+\s+\d{1,4}/\d{1,4}"
    r"|\d{1,4}/\d{1,2}/\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?(?:\s.*)?)\s*$"
)
_RADICALS = re.compile("[\u2e80-\u2fdf]")
# CJK fonts share one glyph between an ideograph and its radical form, and PDF text extraction may
# return the radical: Kangxi radicals (⼀ ⼯ ⾏) fold to ideographs under NFKC; the simplified
# radical forms below do not, so they are listed (Unicode's EquivalentUnifiedIdeograph data), with
# 戶, which Noto CJK SC draws for 户 — these reports are in simplified Chinese.
_RADICAL_FORMS = str.maketrans(
    "⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻚⻛⻜⻝⻢⻥⻩⻬⻮⻰⻳戶",
    "母民西见角贝车长门青页风飞食马鱼黄齐齿龙龟户",
)


def fix_radicals(text: str) -> str:
    """Radical code points that PDF fonts map their glyphs to, as the ideographs they show."""
    # NFKC first: it folds ⼾ to 戶, which the table then takes to 户.
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).translate(_RADICAL_FORMS)


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NOTE_KEY = re.compile(r"^[A-Za-z][\w ]{0,19}:")  # "# source: …" — a provenance note, not a heading
_MD_EMPHASIS = re.compile(r"\*\*|__")


def is_markdown(text: str) -> bool:
    """Whether a text is Markdown (a converter's output): ``##`` headings or pipe tables with a rule row."""
    lines = text.split("\n")
    return any(_MD_HEADING.match(x) and not x.startswith(PROVENANCE) for x in lines) or any(
        _MD_RULE.match(x) and "|" in x for x in lines
    )


def _markdown_line(raw: str) -> tuple[str, tuple[str, ...] | None] | None:
    """A Markdown line as (text, pipe cells); None for a table's rule row (|---|---|)."""
    if _MD_RULE.match(raw) and "|" in raw:
        return None
    row = _MD_ROW.match(raw)
    if row:
        cells = tuple(_MD_EMPHASIS.sub("", c).strip() for c in row.group(1).split("|"))
        return " ".join(c for c in cells if c), cells
    heading = _MD_HEADING.match(raw)
    if heading:
        return _MD_EMPHASIS.sub("", heading.group(2)), None
    return _MD_EMPHASIS.sub("", raw), None


def text_lines(text: str, markdown: bool | None = None) -> tuple[list[Line], list[str]]:
    """Lines of a plain-text report (tab-separated table rows keep their cells) and provenance notes.

    Form feeds and page footers ("-3-", "— 3 —", "第 3 页") are dropped: they cut tables and
    paragraphs.  Markdown (``markdown``, or detected when None) has its headings' ``#``s taken off
    and its pipe tables' rows read as cells (empty cells kept as empty fields); a ``# key: …``
    line stays a provenance note.
    """
    text = fix_radicals(text)
    if markdown is None:
        markdown = is_markdown(text)
    lines: list[Line] = []
    notes: list[str] = []
    raws = text.split("\n")
    # A browser's copy of paragraph cells, one cell a line (:mod:`.pasted`): each row one Line.
    pasted = (
        {}
        if markdown
        else {r.first: r for r in paragraph_rows([x.replace("\f", "").rstrip("\r\v") for x in raws])}
    )
    skip_to = -1
    for number, raw in enumerate(raws, start=1):
        if number - 1 <= skip_to:
            continue
        row = pasted.get(number - 1)
        if row is not None:
            lines.append(
                Line(
                    number,
                    " ".join(c for c in row.cells if c),
                    row.cells,
                    complete=True,
                )
            )
            skip_to = row.last
            continue
        # Trailing tabs are kept: a browser's copy ends a row whose last cells are empty with them.
        raw = raw.replace("\f", "").rstrip(" \r\v")
        if raw.startswith(PROVENANCE) and (not markdown or _NOTE_KEY.match(raw[len(PROVENANCE) :])):
            notes.append(raw[len(PROVENANCE) :])
            continue
        if _FOOTER.match(raw) or _BROWSER_MARGIN.match(raw):
            continue
        if markdown:
            read = _markdown_line(raw)
            if read is None:
                continue
            if read[1] is not None:
                lines.append(Line(number, read[0], read[1]))
                continue
            if raw.lstrip().startswith("#"):
                notes.append(read[0])  # a heading may be the title: the name may be read from it
            raw = read[0]
        cells = tuple(raw.split("\t")) if "\t" in raw else None
        text_of = " ".join(c.strip() for c in cells if c.strip()) if cells else raw
        lines.append(Line(number, text_of if cells else raw, cells))
    return lines, notes
