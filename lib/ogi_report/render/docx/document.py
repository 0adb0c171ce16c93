"""The report as a Word document (DOCX), editable in Word and WPS.

Same content as the HTML report, from the same model (:mod:`ogi_report.render.model`): a 草稿 notice
on top when the checks found errors, an optional masthead, the title, the opening, the six sections
with tables 二/三/四 after their section's text, and the signature; the review edition
(:class:`~ogi_report.render.model.Edition`) adds the 数据校验 appendix on a page of its own.
The page, type and styles are GB/T 9704's (:mod:`.styles`); tables are real Word tables with
the official merged cells (:mod:`.tables`).

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
from docx.enum.style import WD_STYLE_TYPE
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
    STYLE_TABLE,
    STYLE_TITLE,
    clean_text,
    red_rule,
    setup_page,
    setup_styles,
)
from ogi_report.render.docx.tables import add_table
from ogi_report.render.model import (
    Checks,
    Draft,
    Edition,
    Report,
    Section,
    Signature,
    outcome_text,
    report_model,
)
from ogi_report.render.prose import Block, CodeBlock, Heading, ListBlock, ListItem, Paragraph, Quote, Span
from ogi_report.storage.textfiles import write_bytes

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(
    by: BureauYear, result: CheckResult | Sequence[Finding] | None, notes: Sequence[str] = ()
) -> Report:
    """The model of ``by``; unknown placeholders stay visible in the text and make it a draft."""
    try:
        text = fill(by)
    except DataError as exc:
        findings = list(result.findings if isinstance(result, CheckResult) else result or ())
        findings.extend(Finding("PLACEHOLDER", Severity.ERROR, str(p)) for p in exc.problems)
        return report_model(by, findings, text=by.narrative)
    return report_model(by, result, notes, text=text)


# --------------------------------------------------------------------------------------------
# The narrative's blocks.


def _paragraph(doc: Any, style: str, text: str = "") -> Any:
    """A new body paragraph in ``style`` holding ``text``: ``doc.add_paragraph(text, style=style)``.

    python-docx's style setter looks the style up and then scans every style for the default on
    each call (most of a DOCX's time once the tables were built from the grid); the ids are
    looked up once per document, as the setter would find them, and set directly: the same XML.
    """
    ids: dict[str, str | None] = doc.__dict__.setdefault("_ogi_style_ids", {})
    if style not in ids:
        ids[style] = doc.part.get_style_id(doc.styles[style], WD_STYLE_TYPE.PARAGRAPH)
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = ids[style]
    return paragraph


def _add_paragraph(doc: Any, style: str, spans: Sequence[Span]) -> None:
    """A paragraph of ``spans`` (bold and italic kept); none when nothing printable is left."""
    runs = [(clean_text(span.text), span) for span in spans]
    if not any(text for text, _span in runs):
        return
    paragraph = _paragraph(doc, style)
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
    props.keywords = "政府信息公开, 年度报告"
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
    notice = _paragraph(doc, STYLE_NOTICE)
    notice.add_run(f"草稿：数据校验发现 {len(draft.errors)} 处错误，改正前不得发布").bold = True
    for finding in draft.errors:
        _paragraph(doc, STYLE_NOTICE, clean_text(str(finding)))


def _head(doc: Any, report: Report) -> None:
    """The masthead in red over its red rule (when the report has one), then the title."""
    if report.masthead:
        masthead = _paragraph(doc, STYLE_TITLE)
        run = masthead.add_run(clean_text(report.masthead))
        run.font.size = Pt(MASTHEAD_PT)
        run.font.color.rgb = RED
        red_rule(masthead)
    _paragraph(doc, STYLE_TITLE, clean_text(report.title))


def _add_section(doc: Any, section: Section) -> None:
    heading = _paragraph(doc, STYLE_HEADING)
    text = clean_text(section.heading)
    if text:
        heading.add_run(text)
    _add_blocks(doc, section.body.blocks)
    if section.table is not None:
        add_table(doc, section.table)


def _signature(doc: Any, signature: Signature) -> None:
    """A blank line, the body's name and the date, right-aligned, never broken across pages."""
    lines = [line for line in (signature.signer, signature.date) if line]
    _paragraph(doc, STYLE_BODY).paragraph_format.keep_with_next = True
    for n, line in enumerate(lines):
        paragraph = _paragraph(doc, STYLE_BODY, clean_text(line))
        paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(2 * BODY_PT)
        ind = paragraph.paragraph_format._element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")


def _plain_table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table of the appendix: a heading row (repeated on each page), then one row per entry."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    # The cell list and the style id taken once: python-docx rebuilds both on every lookup.
    cells = table._cells
    style_id = doc.part.get_style_id(doc.styles[STYLE_TABLE], WD_STYLE_TYPE.PARAGRAPH)
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            paragraph = cells[r * len(header) + c].paragraphs[0]
            paragraph._p.style = style_id
            paragraph.add_run(clean_text(value))
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(header_row.makeelement(qn("w:tblHeader"), {}))


def _appendix(doc: Any, checks: Checks) -> None:
    """The 数据校验 appendix of the review edition: summary, notes, the rules and the findings."""
    heading = _paragraph(doc, STYLE_HEADING)
    heading.add_run("数据校验")
    heading.paragraph_format.page_break_before = True
    _paragraph(doc, STYLE_BODY, clean_text(checks.summary()))
    for note in checks.notes:
        _paragraph(doc, STYLE_BODY, clean_text(note))
    _paragraph(doc, STYLE_SUBHEAD, "检查的规则")
    rules = [[o.rule.id, o.rule.title, o.rule.severity.label, outcome_text(o)[1]] for o in checks.outcomes]
    _plain_table(doc, ("规则", "检查内容", "级别", "结果"), rules)
    _paragraph(doc, STYLE_SUBHEAD, "发现的问题")
    if not checks.findings:
        _paragraph(doc, STYLE_BODY, "未发现问题。")
        return
    found = [
        [f.rule, f.severity.label, f.location or "—", f.found, f.expected, f.message] for f in checks.findings
    ]
    _plain_table(doc, ("规则", "级别", "位置", "实际", "应为", "说明"), found)


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
    if report.checks is not None:
        _appendix(doc, report.checks)
    return doc


def report_docx(report: Report) -> bytes:
    """A report's model (already the edition to print) as DOCX bytes."""
    out = io.BytesIO()
    _document(report).save(out)
    return out.getvalue()


def render_docx(
    by: BureauYear,
    result: CheckResult | Sequence[Finding] | None = None,
    edition: Edition = Edition.PUBLISHED,
    notes: Sequence[str] = (),
) -> bytes:
    """The report of ``by`` as DOCX bytes; ``result`` (a check result or its findings) marks drafts,
    and a check result gives the review edition its appendix."""
    return report_docx(_report(by, result, notes).edition(edition))


def write_docx(
    by: BureauYear,
    path: Path,
    result: CheckResult | Sequence[Finding] | None = None,
    edition: Edition = Edition.PUBLISHED,
) -> Path:
    """Render ``by`` and write it to ``path`` atomically; returns the path."""
    write_bytes(path, render_docx(by, result, edition))
    return path
