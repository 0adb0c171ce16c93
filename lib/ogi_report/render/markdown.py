"""The narrative's Markdown: parsed once into markdown-it tokens, and those tokens as safe HTML.

The narrative is typed by people (or imported from published reports) and is untrusted: whatever HTML
or script it holds must reach the page as text or not at all.  Two independent lines of defence:

1. markdown-it-py's CommonMark parser with raw HTML *disabled*: ``<script>`` typed in the text is
   escaped and shows as text; its link validator refuses ``javascript:``/``vbscript:``/``data:``
   destinations, and images are switched off (a shared page loads nothing from the network);
2. nh3 (ammonia) with an allow-list of tags, attributes and URL schemes, applied to the result.

Indented lines are paragraphs, not code blocks (see ``_parser``); code spans and fenced blocks,
rare in a report, are set in the body font so that every character stays in the kit's fonts.

Heading levels: ``## `` starts a section (split off by :mod:`ogi_report.model.narrative`), ``### `` is the
（一） level and ``#### `` below it; a stray ``# `` or ``## `` inside a body is shown at the （一) level
so it never competes with the report's title or section headings.

The tokens :func:`parse_markdown` returns are what every output starts from: the HTML page renders
them with :func:`markdown_html`, and :mod:`ogi_report.render.prose` reads the same tokens into the
blocks and spans the Word document prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# What a narrative may contain once rendered: prose, lists, quotes, emphasis, links and sub-heads.
NARRATIVE_TAGS = frozenset({
    "p", "br", "h3", "h4", "h5", "h6", "strong", "em", "a",
    "ul", "ol", "li", "blockquote", "code", "pre", "hr",
})  # fmt: skip
NARRATIVE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The highest heading a narrative body shows: the report's title is h1, its sections h2.
TOP_SUBHEAD = "h3"


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # an image would be fetched from the network when the page is opened
    # Text pasted from Word often starts a paragraph with a tab or four spaces: in CommonMark that
    # is a code block (monospace, unwrapped).  In a report it is always a paragraph.
    md.disable("code")
    return md


def parse_markdown(text: str) -> tuple[Token, ...]:
    """The tokens of ``text``, with stray ``# ``/``## `` headings demoted to the （一） level."""
    tokens = _parser().parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in ("h1", "h2"):
            token.tag = TOP_SUBHEAD
    return tuple(tokens)


def sanitize(html: str) -> str:
    """``html`` reduced to the narrative allow-list (dangerous content removed, not escaped)."""
    return nh3.clean(
        html,
        tags=set(NARRATIVE_TAGS),
        attributes={tag: set(attrs) for tag, attrs in NARRATIVE_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def markdown_html(tokens: Sequence[Token]) -> str:
    """Parsed Markdown (from :func:`parse_markdown`) → sanitized HTML fragment."""
    md = _parser()
    return sanitize(md.renderer.render(list(tokens), md.options, {}))
