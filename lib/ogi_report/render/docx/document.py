"""The report as a Word document (DOCX), editable in Word and WPS.

Same content as the HTML report, from the same model (:mod:`ogi_report.render.model`): a 草稿 notice
on top when the checks found errors, an optional masthead, the title, the opening, the six sections
with tables 二/三/四 after their section's text, and the signature.  The page, type and styles are
GB/T 9704's (:mod:`.styles`); tables are real Word tables with the official merged cells
(:mod:`.tables`).

The narrative is untrusted text.  It reaches Word as the model's blocks — paragraphs, sub-heads,
list items (a numbered item keeps its number, a bullet item is a plain paragraph), quotes and fenced
blocks as paragraphs — with bold and italic; a link keeps only its text, and what the HTML page
shows as text (raw HTML typed in the narrative, a link markdown-it refuses) is plain text here too.
Everything is run text, never a field, hyperlink or other markup that could execute.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import fill
from ogi_report.render.docx.styles import (
    BODY_PT,
    MASTHEAD_PT,
    RED,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_NOTICE,
    STYLE_SUBHEAD,
    STYLE_TITLE,
    clean_text,
    red_rule,
    setup_page,
    setup_styles,
)
from ogi_report.render.docx.tables import add_table
from ogi_report.render.model import Draft, Report, Section, Signature, report_model
from ogi_report.render.prose import Block, CodeBlock, Heading, ListBlock, ListItem, Paragraph, Quote, Span
from ogi_report.storage.textfiles import write_bytes

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(by: BureauYear, result: CheckResult | Sequence[Finding] | None) -> Report:
    """The model of ``by``; unknown placeholders stay visible in the text and make it a draft."""
    findings = list(result.findings if isinstance(result, CheckResult) else result or ())
    try:
        text = fill(by)
    except DataError as exc:
        text = by.narrative
        findings.extend(Finding("PLACEHOLDER", Severity.ERROR, str(p)) for p in exc.problems)
    return report_model(by, findings, text=text)


# --------------------------------------------------------------------------------------------
# The narrative's blocks.


def _add_paragraph(doc: Any, style: str, spans: Sequence[Span]) -> None:
    """A paragraph of ``spans`` (bold and italic kept); none when nothing printable is left."""
    runs = [(clean_text(span.text), span) for span in spans]
    if not any(text for text, _span in runs):
        return
    paragraph = doc.add_paragraph(style=style)
    for text, span in runs:
        if not text:
            continue
        run = paragraph.add_run(text)
        if span.strong:
            run.bold = True
        if span.em:
            run.italic = True


def _add_item(doc: Any, item: ListItem) -> None:
    """A list item's blocks; a numbered item's first paragraph starts with its number."""
    blocks = list(item.blocks)
    if item.number is not None:
        marker = Span(f"{item.number}. ")
        first = blocks[0] if blocks else None
        if isinstance(first, Paragraph):
            blocks[0] = Paragraph((marker, *first.spans))
        elif isinstance(first, Heading):
            blocks[0] = Heading(first.level, (marker, *first.spans))
        else:
            blocks.insert(0, Paragraph((marker,)))
    _add_blocks(doc, blocks)


def _add_blocks(doc: Any, blocks: Sequence[Block]) -> None:
    """The narrative's blocks as body paragraphs and sub-heads (a thematic break prints nothing)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(doc, STYLE_BODY, block.spans)
        elif isinstance(block, Heading):
            _add_paragraph(doc, STYLE_SUBHEAD, block.spans)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _add_item(doc, item)
        elif isinstance(block, Quote):
            _add_blocks(doc, block.blocks)
        elif isinstance(block, CodeBlock):
            _add_paragraph(doc, STYLE_BODY, (Span(block.text),))


# --------------------------------------------------------------------------------------------
# The document, part by part.


def _properties(doc: Any, report: Report) -> None:
    props = doc.core_properties
    props.title = clean_text(report.title)
    props.author = clean_text(report.name)
    props.subject = "政府信息公开工作年度报告"
    props.language = "zh-CN"
    props.last_modified_by = "ogi-report"
    props.comments = ""
    if report.publish_date is not None:
        stamp = datetime.combine(report.publish_date, time())
        props.created = stamp
        props.modified = stamp


def _notice(doc: Any, draft: Draft) -> None:
    """The 草稿 notice and every error, before the masthead."""
    if not draft:
        return
    notice = doc.add_paragraph(style=STYLE_NOTICE)
    notice.add_run(f"草稿：数据校验发现 {len(draft.errors)} 处错误，改正前不得发布").bold = True
    for finding in draft.errors:
        doc.add_paragraph(clean_text(str(finding)), style=STYLE_NOTICE)


def _head(doc: Any, report: Report) -> None:
    """The masthead in red over its red rule (when the report has one), then the title."""
    if report.masthead:
        masthead = doc.add_paragraph(style=STYLE_TITLE)
        run = masthead.add_run(clean_text(report.masthead))
        run.font.size = Pt(MASTHEAD_PT)
        run.font.color.rgb = RED
        red_rule(masthead)
    doc.add_paragraph(clean_text(report.title), style=STYLE_TITLE)


def _add_section(doc: Any, section: Section) -> None:
    heading = doc.add_paragraph(style=STYLE_HEADING)
    text = clean_text(section.heading)
    if text:
        heading.add_run(text)
    _add_blocks(doc, section.body.blocks)
    if section.table is not None:
        add_table(doc, section.table)


def _signature(doc: Any, signature: Signature) -> None:
    """A blank line, the body's name and the date, right-aligned, never broken across pages."""
    lines = [line for line in (signature.signer, signature.date) if line]
    doc.add_paragraph(style=STYLE_BODY).paragraph_format.keep_with_next = True
    for n, line in enumerate(lines):
        paragraph = doc.add_paragraph(clean_text(line), style=STYLE_BODY)
        paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(2 * BODY_PT)
        ind = paragraph.paragraph_format._element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")


def _document(report: Report) -> Any:
    doc = Document()
    setup_styles(doc)
    setup_page(doc, draft=bool(report.draft))
    _properties(doc, report)
    # The template's body starts with one empty paragraph; the report starts with its own.
    body = doc.element.body
    for paragraph in list(doc.paragraphs):
        body.remove(paragraph._p)
    _notice(doc, report.draft)
    _head(doc, report)
    _add_blocks(doc, report.opening.blocks)
    for section in report.sections:
        _add_section(doc, section)
    _signature(doc, report.signature)
    return doc


def render_docx(by: BureauYear, result: CheckResult | Sequence[Finding] | None = None) -> bytes:
    """The report of ``by`` as DOCX bytes; ``result`` (a check result or its findings) marks drafts."""
    out = io.BytesIO()
    _document(_report(by, result)).save(out)
    return out.getvalue()


def write_docx(by: BureauYear, path: Path, result: CheckResult | Sequence[Finding] | None = None) -> Path:
    """Render ``by`` and write it to ``path`` atomically; returns the path."""
    write_bytes(path, render_docx(by, result))
    return path
