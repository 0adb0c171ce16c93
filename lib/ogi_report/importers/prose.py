"""A report's prose as the kit's narrative Markdown: wrapped lines joined back into paragraphs.

Layout text (a PDF's text, ``pdftotext -layout``) wraps every paragraph at the page width: the
lines are joined again where the printed layout says a paragraph goes on, and （一）-style sub-heads
standing on their own line become ``###`` headings.  Paragraphs from HTML and DOCX arrive whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ogi_report.importers.lines import Line
from ogi_report.spec.wording import display_width

SUBHEAD = re.compile(r"^（[一二三四五六七八九十]+）")
MAX_HEADING = 40  # characters: a longer line is prose, whatever it starts with
_SENTENCE_END = tuple("。！？；：!?;:”）)")
_SENTENCE_INSIDE = re.compile(r"[。！？；]")
_SPACES = re.compile(r" {2,}")
_SPACED = re.compile(r"\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d")
_UNSPACED = re.compile(r"\d[\u4e00-\u9fff]|[\u4e00-\u9fff]\d")


def _printed_width(text: str) -> int:
    """Columns a line takes on the page: ambiguous characters (“”, ①) are wide in Chinese fonts."""
    return display_width(text, ambiguous_wide=True)


def spaces_numbers(lines: Sequence[Line]) -> bool:
    """Whether the text writes a space between figures and Chinese ("3119 件"), as some reports do."""
    text = "\n".join(ln.text for ln in lines if ln.cells is None)
    return len(_SPACED.findall(text)) > len(_UNSPACED.findall(text))


def _joiner(before: str, after: str, spaced: bool) -> str:
    """What goes between two wrapped lines: nothing in Chinese, a space between Latin words, and
    between a figure and Chinese when the report spaces its figures (the wrap ate that space)."""
    a, b = before[-1:], after[:1]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return " "
    if spaced and ((a.isdigit() and _is_cjk(b)) or (_is_cjk(a) and b.isdigit())):
        return " "
    return ""


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def line_width(lines: Sequence[Line]) -> int:
    """The printed line width of ``lines`` (0 when there are none), ignoring a few odd long lines."""
    widths = sorted(_printed_width(ln.text.strip()) for ln in lines if ln.text.strip())
    return widths[int(len(widths) * 0.9)] if widths else 0


@dataclass(frozen=True)
class _Page:
    """How a run of layout lines is set: the body's indent, its line width and the whole report's."""

    base: int
    width: int
    page_width: int

    def ends_at_blank(self, previous: str) -> bool:
        """Whether a blank line after ``previous`` ends its paragraph.

        A page break leaves blank lines inside a paragraph: a long line not ending a sentence goes
        on after them.
        """
        return previous.endswith(_SENTENCE_END) or _printed_width(previous) < 0.7 * self.width

    def starts(self, text: str, current: str, previous: str) -> bool:
        """Whether the line ``text`` starts a paragraph after ``previous`` (``current`` so far)."""
        stripped = text.strip()
        return (
            not current
            or len(text) - len(text.lstrip()) >= self.base + 2
            or bool(SUBHEAD.match(stripped))
            or (previous.endswith(_SENTENCE_END) and _printed_width(previous) < 0.85 * self.width)
            or (current == previous and _is_subhead_line(previous, self.page_width))
        )


def paragraphs(lines: Sequence[Line], spaced: bool = False, page_width: int = 0) -> list[str]:
    """Join a layout's wrapped lines back into paragraphs.

    A new paragraph starts after a blank line, at an indented line (when the body is not indented),
    at a （一）-style sub-head, after a sub-head standing alone on a short line, or after a short
    line ending a sentence.  ``page_width`` is the width of the whole report's lines: a section
    made of short lines only (a template's 「（请填写）」) would otherwise see its sub-heads as full.
    """
    texts = [ln.text.rstrip() for ln in lines]
    width = line_width(lines)
    if not width:
        return []
    page = _Page(min(len(t) - len(t.lstrip()) for t in texts if t.strip()), width, max(page_width, width))
    found: list[str] = []
    current = ""
    previous = ""
    for line, text in zip(lines, texts, strict=True):
        stripped = text.strip()
        if line.whole or (not stripped and current and page.ends_at_blank(previous)):
            found += [p for p in (current, stripped) if p]
            current, previous = "", ""
        elif not stripped:
            continue
        elif page.starts(text, current, previous):
            found += [current] if current else []
            current = previous = stripped
        else:
            current += _joiner(current, stripped, spaced) + stripped
            previous = stripped
    if current:
        found.append(current)
    # Runs of spaces are layout (justified lines, column gaps), not the author's text.
    return [_SPACES.sub(" ", p) for p in found]


def _is_subhead_line(text: str, page_width: int) -> bool:
    """A （一）-style sub-head printed as a line of its own: short, with no sentence in it."""
    return (
        bool(SUBHEAD.match(text))
        and not _SENTENCE_INSIDE.search(text)
        and _printed_width(text) < 0.85 * page_width
    )


def markdown(texts: Sequence[str]) -> list[str]:
    """Paragraphs as Markdown blocks; a （一）-style sub-head standing alone becomes ``###``."""
    blocks: list[str] = []
    for text in texts:
        body = text.rstrip("。.")
        if SUBHEAD.match(text) and len(text) <= MAX_HEADING and not _SENTENCE_INSIDE.search(body):
            blocks.append(f"### {text}")
        else:
            blocks.append(text)
    return blocks
