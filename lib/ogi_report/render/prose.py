"""The narrative's text as data: blocks of inline spans, read once from the markdown-it tokens.

:func:`parse_prose` parses a piece of the narrative (the opening or one section's body) with the
kit's CommonMark parser (:mod:`ogi_report.render.markdown`) and keeps both the tokens — the HTML page
renders them — and the blocks read from them, which the Word document (and any other output that
is not HTML) prints.  Both outputs therefore see the same text: what markdown-it shows as text
(raw HTML typed in the narrative, a link it refuses) is text in every output.

A block is a :class:`Paragraph`, a :class:`Heading` (a sub-head inside a section, level 3 to 6 as
shown), a :class:`ListBlock` of :class:`ListItem` (each holding blocks), a :class:`Quote`, a
:class:`Rule` or a :class:`CodeBlock` (a fenced block, verbatim).  Inline text is a sequence of
:class:`Span`: text with its emphasis, code and link destination.

A soft line break (a line of a paragraph wrapped in the source) joins the lines as Chinese prose
reads: no space between Chinese characters, one space between Latin words.  A hard line break is a
span of its own whose text is :data:`LINE_BREAK`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeAlias

from markdown_it.token import Token

from ogi_report.render.markdown import parse_markdown

LINE_BREAK = "\n"


@dataclass(frozen=True)
class Span:
    """A piece of inline text with its emphasis; ``href`` is the destination when it is a link's text."""

    text: str
    strong: bool = False
    em: bool = False
    code: bool = False
    href: str = ""


def spans_text(spans: Sequence[Span]) -> str:
    """The plain text of ``spans``."""
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose."""

    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return spans_text(self.spans)


@dataclass(frozen=True)
class Heading:
    """A sub-head inside a section: level 3 is the （一） level, 4 to 6 below it."""

    level: int
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return spans_text(self.spans)


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its number when the list is ordered (None for a bullet), and its blocks."""

    number: int | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list."""

    ordered: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Quote:
    """A block quote and the blocks it holds."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule:
    """A thematic break (``---``)."""


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block: its lines verbatim, joined by newlines."""

    text: str


Block: TypeAlias = Paragraph | Heading | ListBlock | Quote | Rule | CodeBlock


@dataclass(frozen=True, eq=False)
class Prose:
    """A piece of the narrative: its Markdown source, markdown-it's tokens and the blocks read from them."""

    source: str
    tokens: tuple[Token, ...]
    blocks: tuple[Block, ...]

    def __bool__(self) -> bool:
        return bool(self.source)


def parse_prose(markdown: str) -> Prose:
    """``markdown`` parsed once, as tokens and as blocks."""
    tokens = parse_markdown(markdown) if markdown else ()
    blocks, _end = _read_blocks(tokens, 0, None)
    return Prose(markdown, tokens, tuple(blocks))


# ---------------------------------------------------------------------------------------------
# Tokens → blocks.


def _read_blocks(tokens: Sequence[Token], start: int, close: str | None) -> tuple[list[Block], int]:
    """The blocks from ``tokens[start]`` up to the token of type ``close``; returns them and the index
    after that token (or the end)."""
    blocks: list[Block] = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == close:
            return blocks, i + 1
        if kind in ("paragraph_open", "heading_open"):
            spans = _read_spans(tokens[i + 1].children or [])
            blocks.append(Heading(int(token.tag[1:]), spans) if kind == "heading_open" else Paragraph(spans))
            i += 3  # open, inline, close
        elif kind in ("bullet_list_open", "ordered_list_open"):
            listed, i = _read_list(tokens, i)
            blocks.append(listed)
        elif kind == "blockquote_open":
            inner, i = _read_blocks(tokens, i + 1, "blockquote_close")
            blocks.append(Quote(tuple(inner)))
        elif kind == "hr":
            blocks.append(Rule())
            i += 1
        elif kind in ("fence", "code_block"):
            blocks.append(CodeBlock(token.content.removesuffix("\n")))
            i += 1
        else:  # raw HTML blocks never come: the parser has HTML switched off
            i += 1
    return blocks, i


def _read_list(tokens: Sequence[Token], start: int) -> tuple[ListBlock, int]:
    """The list opened at ``tokens[start]``, numbered from its start as the page numbers it."""
    opening = tokens[start]
    ordered = opening.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    number = int(opening.attrGet("start") or 1)
    items: list[ListItem] = []
    i = start + 1
    while i < len(tokens) and tokens[i].type != close:
        blocks, i = _read_blocks(tokens, i + 1, "list_item_close")
        items.append(ListItem(number if ordered else None, tuple(blocks)))
        number += 1
    return ListBlock(ordered, tuple(items)), i + 1


def _read_spans(children: Sequence[Token]) -> tuple[Span, ...]:
    """An inline token's children as spans.

    Linear in the paragraph's length: a paragraph may be one very long line of placeholders, so text
    of one style is gathered as pieces and joined once, and a soft break looks only at its
    neighbours, never at the whole text before it.
    """
    spans: list[Span] = []
    pieces: list[str] = []  # the text of the span being gathered
    style: Span | None = None  # that span's style (its text unused)
    last_char = ""  # the last character of the text so far
    strong = em = 0
    href = ""

    def flush() -> None:
        text = "".join(pieces)
        if style is not None and text:
            spans.append(replace(style, text=text))
        pieces.clear()

    for i, token in enumerate(children):
        kind = token.type
        if kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            em += 1 if kind == "em_open" else -1
        elif kind in ("link_open", "link_close"):
            href = str(token.attrGet("href") or "") if kind == "link_open" else ""
        else:
            if kind == "softbreak":
                text = _soft_break(last_char, _next_text(children, i + 1))
            elif kind == "hardbreak":
                text = LINE_BREAK
            else:  # text, a code span, or anything else markdown-it shows as its text
                text = token.content
            if not text:  # an empty piece neither adds nor splits a span
                continue
            span_style = Span("", strong > 0, em > 0, kind == "code_inline", href)
            if span_style != style:
                flush()
                style = span_style
            pieces.append(text)
            last_char = text[-1]
    flush()
    return tuple(spans)


def _next_text(children: Sequence[Token], start: int) -> str:
    """The first text from ``children[start]`` on, up to the next line break.

    Stopping at a break keeps a paragraph of many empty lines-with-markup linear.
    """
    for i in range(start, len(children)):
        token = children[i]
        if token.content:
            return token.content
        if token.type in ("softbreak", "hardbreak"):
            return ""
    return ""


def _soft_break(before: str, following: str) -> str:
    """A wrapped line's join: one space between Latin letters or digits, none in Chinese text."""
    latin = before[-1:] + following[:1]
    return " " if len(latin) == 2 and latin.isascii() and latin.isalnum() else ""
