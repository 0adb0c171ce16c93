"""Reading a plain-text report (.txt, and the text bands of a PDF) into lines.

Tab-separated rows (a table copied out of Word or Excel) keep their cells; form feeds and page
footers ("-3-", "第 3 页") are dropped, as they cut tables and paragraphs; lines starting with
``# `` are provenance notes (where the text was copied from), not part of the report.  Radical code
points that PDF fonts map their glyphs to are read as the ideographs they show.
"""

from __future__ import annotations

import re
import unicodedata

from ogi_report.importers.lines import Line

PROVENANCE = "# "
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
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


def text_lines(text: str) -> tuple[list[Line], list[str]]:
    """Lines of a plain-text report (tab-separated table rows keep their cells) and provenance notes.

    Form feeds and page footers ("-3-", "第 3 页") are dropped: they cut tables and paragraphs.
    """
    text = fix_radicals(text)
    lines: list[Line] = []
    notes: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\f", "").rstrip()
        if raw.startswith(PROVENANCE):
            notes.append(raw[len(PROVENANCE) :])
            continue
        if _FOOTER.match(raw):
            continue
        cells = tuple(raw.split("\t")) if "\t" in raw else None
        text_of = " ".join(c.strip() for c in cells if c.strip()) if cells else raw
        lines.append(Line(number, text_of if cells else raw, cells))
    return lines, notes
