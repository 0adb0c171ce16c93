"""Text flattened onto one line (a web page's text copied as one paragraph) split back into lines.

A copy that lost its line breaks keeps the section headings inline with the paragraphs and the
table rows one after another, cells separated by single spaces.  The parser finds sections at line
starts and rows as lines ending in their figures: such a line is cut again before each official
section heading (and after it, when a paragraph follows on the same line), after the title, and
before each official table row label and 第二十条 item heading followed by figures.  Only lines
naming at least two section headings are cut, so an ordinary paragraph quoting one stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ogi_report.importers.lines import Line
from ogi_report.spec.formats import FORMATS

MIN_HEADINGS = 2
_TITLE_END = re.compile(r"政府信息公开(?:工作)?年度报告")
_FIGURE = re.compile(r"[\d/—]")
NEAR = 60  # characters after a row label within which its first figure stands


def _spaced(text: str) -> str:
    """A regex for ``text`` allowing spaces between its characters (justified or copied text)."""
    return r"\s*".join(re.escape(c) for c in text if not c.isspace())


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(section headings, table row labels and item headings) of every generation, as regexes."""
    headings = sorted({s.heading for f in FORMATS.values() for s in f.sections}, key=len, reverse=True)
    starts: set[str] = set()
    for fmt in FORMATS.values():
        for spec in fmt.tables:
            for block in spec.blocks:
                if block.title:
                    starts.add(block.title)
                for row in block.rows:
                    # The label's numbering and first words: enough to be specific, short enough to
                    # survive a wrapped or shortened label; a group label (三、本年度办理结果) too.
                    for text in (*row.path, row.label):
                        starts.add(text[:8] if text.startswith("（") else text.split("（")[0][:8])
    labels = sorted((s for s in starts if len(s) >= 2), key=len, reverse=True)
    return (
        re.compile("|".join(_spaced(h) for h in headings)),
        re.compile("|".join(_spaced(s) for s in labels)),
    )


def _cuts(text: str) -> list[int]:
    """Where to cut a flattened line: before and after headings, after the title, before labels."""
    headings, labels = _patterns()
    found_headings = list(headings.finditer(text))
    found_labels = list(labels.finditer(text))
    if len(found_headings) < MIN_HEADINGS:
        return []
    cuts = {m.start() for m in found_headings} | {m.end() for m in found_headings}
    # A label starts a row only where figures follow soon (in prose, 「规章」 is just a word).
    cuts |= {m.start() for m in found_labels if _FIGURE.search(text, m.end(), m.end() + NEAR)}
    title = _TITLE_END.search(text)
    if title and (not found_headings or title.end() <= found_headings[0].start()):
        cuts.add(title.end())
    return sorted(c for c in cuts if 0 < c < len(text))


def unflatten(lines: Sequence[Line]) -> list[Line]:
    """``lines`` with every flattened text line cut back into lines (table rows and paragraphs kept)."""
    out: list[Line] = []
    for line in lines:
        if line.cells is not None or line.whole:  # a table row, or a paragraph known to be one
            out.append(line)
            continue
        cuts = _cuts(line.text)
        if not cuts:
            out.append(line)
            continue
        for start, end in zip([0, *cuts], [*cuts, len(line.text)], strict=True):
            piece = line.text[start:end].strip()
            if piece:
                out.append(Line(line.number, piece, whole=line.whole))
    return out
