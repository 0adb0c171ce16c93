"""Rendering a report: one model every output walks, and the outputs.

:mod:`.model` builds the report once — head, sections with their printed tables, signature, draft
state, 数据校验 appendix — with the narrative parsed once by :mod:`.markdown` and read into blocks
and spans by :mod:`.prose`.  The HTML page (:mod:`.html`) and the Word document (:mod:`.docx`) walk
it; the PDF (:mod:`.pdf`, not imported here: it pulls in the browser code) prints the page in the
fonts of :mod:`.fonts`.
"""

from ogi_report.render.model import (
    Checks,
    Draft,
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
