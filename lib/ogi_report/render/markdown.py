"""The narrative's Markdown as safe HTML.

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
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

# What a narrative may contain once rendered: prose, lists, quotes, emphasis, links and sub-heads.
NARRATIVE_TAGS = frozenset({
    "p", "br", "h3", "h4", "h5", "h6", "strong", "em", "a",
    "ul", "ol", "li", "blockquote", "code", "pre", "hr",
})  # fmt: skip
NARRATIVE_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # an image would be fetched from the network when the page is opened
    # Text pasted from Word often starts a paragraph with a tab or four spaces: in CommonMark that
    # is a code block (monospace, unwrapped).  In a report it is always a paragraph.
    md.disable("code")
    return md


def sanitize(html: str) -> str:
    """``html`` reduced to the narrative allow-list (dangerous content removed, not escaped)."""
    return nh3.clean(
        html,
        tags=set(NARRATIVE_TAGS),
        attributes={tag: set(attrs) for tag, attrs in NARRATIVE_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Markdown → sanitized HTML fragment."""
    md = _parser()
    tokens = md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in ("h1", "h2"):
            token.tag = "h3"
    return sanitize(md.renderer.render(tokens, md.options, {}))
