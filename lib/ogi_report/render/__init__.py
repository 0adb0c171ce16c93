"""Rendering a report: one model every output walks, and the outputs.

:mod:`.model` builds the report once — head, sections with their printed tables, signature, draft
state, 数据校验 appendix — with the narrative parsed once by :mod:`.markdown` and read into blocks
and spans by :mod:`.prose`.  The HTML page (:mod:`.html`) and the Word document (:mod:`.docx`) walk
it, and so does the PDF (:mod:`.pdf`, typeset by Typst in the fonts of :mod:`.fonts`; not imported
here: it loads the compiler).  :class:`Edition` says what each file holds.
"""

from ogi_report.render.model import (
    Checks,
    Draft,
    Edition,
    OutcomeState,
    Report,
    Section,
    Signature,
    outcome_text,
    report_model,
)
from ogi_report.render.prose import (
    Block,
    CodeBlock,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Prose,
    Quote,
    Rule,
    Span,
    parse_prose,
)

__all__ = [
    "Block",
    "Checks",
    "CodeBlock",
    "Draft",
    "Edition",
    "Heading",
    "ListBlock",
    "ListItem",
    "OutcomeState",
    "Paragraph",
    "Prose",
    "Quote",
    "Report",
    "Rule",
    "Section",
    "Signature",
    "Span",
    "outcome_text",
    "parse_prose",
    "report_model",
]
