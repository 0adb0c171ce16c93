"""The report parser: from a published report's lines to a bureau-year.

Every source format ends here as a list of :class:`~ogi_report.importers.lines.Line` (a line
flattened from a whole page is first cut back into lines: :mod:`.flattened`).  The parser finds the
title (body name and year, :mod:`.title`), the six section headings in order, the three tables
inside sections 二–四 (or, printed apart as an appendix, by their titles), the closing signature and
date, and turns the prose into the kit's narrative Markdown (opening paragraph, ``## 一、…``
headings as printed, ``### （一）…`` sub-heads standing on their own line: :mod:`.prose`).  The
format generation is decided from the tables as printed — table 三's rows first — not from the
year; a report printed in another generation than its year's is imported as printed (FMT).
Nothing is guessed: what cannot be placed is returned with the line it came from, and each cell's
source (read, computed, unread, absent) is recorded (:mod:`ogi_report.storage.provenance`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ogi_report.errors import DataError
from ogi_report.importers.budget import DEFAULT_MAX_SECONDS
from ogi_report.importers.flattened import unflatten
from ogi_report.importers.lines import Line, Unplaced, row_values
from ogi_report.importers.prose import MAX_HEADING, SUBHEAD, line_width, markdown, paragraphs, spaces_numbers
from ogi_report.importers.tables import (
    TableRead,
    labels_printed,
    normalize_context,
    read_table,
    table_markers,
    translate,
)
from ogi_report.importers.title import find_title, is_name, preamble_name
from ogi_report.model.bureau import BureauYear, Meta, PublisherType, Table
from ogi_report.model.narrative import section_spec
from ogi_report.spec.formats import FORMATS, FormatSpec, SectionSpec, TableId, format_for_year
from ogi_report.spec.labels import normalize_label
from ogi_report.storage.provenance import CellSource, Key, Provenance, attach

_DATE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(
    r"^\s*(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日\s*$"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_GOVERNMENT = re.compile(r"(人民政府|^[\u4e00-\u9fff]{1,12}(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗))$")
_COLUMN_GAP = re.compile(r"\S {3,}\S")  # words spread into columns: a layout table's header
# What the kit adds to the reports it renders (see ogi_report.render.html.page): the 草稿 banner
# at the top and the 数据校验 appendix after the signature.  Reading the kit's PDF back leaves them out.
KIT_BANNER = "草稿—数据未通过校验"
KIT_APPENDIX = "数据校验"  # a section heading is a short line; longer lines starting with 一、 are prose


@dataclass(frozen=True)
class ImportOptions:
    """What the analyst tells the importer; each overrides what the report says."""

    slug: str
    year: int | None = None
    publisher_type: PublisherType | None = None
    name: str | None = None
    max_seconds: float = DEFAULT_MAX_SECONDS  # the time budget of one file (see importers.budget)


@dataclass
class Imported:
    """A bureau-year read from a published report, with what could not be placed and notes."""

    by: BureauYear
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    provenance: Provenance = field(default_factory=Provenance)  # where each cell came from


@dataclass(frozen=True)
class _Section:
    """One of the six sections as printed: its heading line, which section it is, the lines below."""

    heading: Line
    spec: SectionSpec
    body: list[Line]


def _identify(
    lines: Sequence[Line], notes: Sequence[str], options: ImportOptions, source: str
) -> tuple[str, int, int, list[str]]:
    """The body's name ('' when the title does not give it) and the year (the title's, unless the
    analyst gave them), the index of the title's last line, and what the analyst should know."""
    title = find_title(lines, notes)
    name, year = title.name, title.year
    messages: list[str] = []
    if name and title.where and not options.name:
        messages.append(f"标题中没有机关名称，按{title.where}取为「{name}」")
    if options.name:
        name = options.name
    if options.year is not None:
        if year is not None and year != options.year:
            messages.append(f"标题中的年度为 {year}，按 --year 使用 {options.year}")
        year = options.year
    if year is None:
        raise DataError.one(source, "找不到标题「…年政府信息公开工作年度报告」中的年度，请用 --year 指定")
    return name, year, title.last, messages


def _name_elsewhere(lines: Sequence[Line], signature: str, source: str, messages: list[str]) -> str:
    """The body's name from the signature line, else the preamble; DataError when neither has it."""
    if is_name(signature):
        messages.append(f"标题中没有机关名称，按落款取为「{signature}」")
        return signature
    name = preamble_name(lines)
    if name:
        messages.append(f"标题中没有机关名称，按开头的说明（本报告由…）取为「{name}」")
        return name
    raise DataError.one(
        source, "找不到标题「某机关…年政府信息公开工作年度报告」中的机关名称，请用 --name 指定"
    )


def _masthead(lines: Sequence[Line], title_index: int) -> str:
    """The red-head line above the title (…文件), or ''."""
    masthead = ""
    for line in lines[: max(title_index, 0)]:
        text = re.sub(r"\s+", "", line.text)
        if text.endswith("文件") and len(text) <= 30:
            masthead = text
    return masthead


def _is_table_row_label(text: str, fmt: FormatSpec) -> bool:
    norm = normalize_label(text)
    return any(
        norm.startswith(normalize_label(row.label)[:6]) for spec in fmt.tables for _b, row in spec.rows()
    )


def _filled_cells(line: Line) -> int:
    return len([c for c in line.cells or () if c.strip()])


def _find_headings(lines: Sequence[Line], start: int, fmt: FormatSpec) -> list[tuple[int, SectionSpec]]:
    """Indexes of the six section headings, in order: short lines numbered 一、…六、, not table rows."""
    found: list[tuple[int, SectionSpec]] = []
    numbers = [s.number for s in fmt.sections]
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text.strip()
        if not text or _filled_cells(line) > 1:
            continue
        spec = section_spec(text, fmt)
        if spec is None:
            continue
        position = numbers.index(spec.number)
        if found and position <= numbers.index(found[-1][1].number):
            continue
        # A sentence is not a heading; one closing 「。」 is (「三、…申请情况。」 in real reports).
        if (
            len(normalize_label(text)) > MAX_HEADING
            or "。" in text.rstrip("。 ")
            or _is_table_row_label(text, fmt)
        ):
            continue
        if row_values(line, 1) is not None:
            continue
        found.append((index, spec))
    return found


def _sections(lines: Sequence[Line], headings: Sequence[tuple[int, SectionSpec]]) -> list[_Section]:
    """Each heading with the lines up to the next one (the last: to the end)."""
    ends = [index for index, _spec in headings[1:]] + [len(lines)]
    return [
        _Section(lines[index], spec, list(lines[index + 1 : end]))
        for (index, spec), end in zip(headings, ends, strict=True)
    ]


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if match:
        y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    else:
        match = _CN_DATE.match(text)
        if not match:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in match.group("y")))
        m, d = _cn_number(match.group("m")), _cn_number(match.group("d"))
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    return _CN_DIGITS[text]


MAX_TRAILING_FURNITURE = 8  # short page lines after the closing date that are the page's, not the report's


def _is_signature(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，；：！？,.;:]", text) and not SUBHEAD.match(text)


def _closing(lines: list[Line], name: str) -> tuple[list[Line], str, date | None]:
    """Split the closing signature and date off the end of the last section.

    The signature is the short line before the date, or — without a date — a last line that is
    exactly the body's name (a signature equal to the name is stored as the default, "").
    """
    content = [ln for ln in lines if ln.text.strip()]
    if not content:
        return lines, "", None
    dated = _dated_line(content)
    if dated is None:
        if re.sub(r"\s+", "", content[-1].text) == name:
            return lines[: lines.index(content[-1])], "", None
        return lines, "", None
    at, published = dated
    cut = lines.index(content[at])
    signature = ""
    if at >= 1 and _is_signature(content[at - 1].text.strip()):
        signature = re.sub(r"\s+", "", content[at - 1].text)
        cut = lines.index(content[at - 1])
    return lines[:cut], "" if signature == name else signature, published


def _dated_line(content: Sequence[Line]) -> tuple[int, date] | None:
    """The closing date's index in ``content`` and the date: the last line, or a line followed only
    by a web page's furniture (「附件下载」「扫一扫在手机上查看当前页面」「关闭」: a few short lines
    without punctuation, left by copying or saving the page), which is dropped with it."""
    for back in range(1, min(MAX_TRAILING_FURNITURE + 1, len(content)) + 1):
        index = len(content) - back
        published = _parse_date(content[index].text.strip())
        if published is not None:
            return index, published
        if not _is_furniture(content[index].text.strip()):
            return None
    return None


def _is_furniture(text: str) -> bool:
    return len(text) <= 16 and not re.search(r"[。，；：！？,.;:\d]", text)


def _last_section(section: _Section, name: str) -> tuple[_Section, str, date | None]:
    """The last section without the kit's 数据校验 appendix and the closing; the signature and date."""
    body = section.body
    appendix = next((i for i, ln in enumerate(body) if normalize_label(ln.text) == KIT_APPENDIX), None)
    if appendix is not None:
        body = body[:appendix]
    trimmed, signature, published = _closing(body, name)
    return _Section(section.heading, section.spec, trimmed), signature, published


def _split_table(lines: Sequence[Line], spec_markers: tuple[str, ...]) -> int:
    """Index of the first line of a section's table (prose before it stays narrative)."""
    for index, line in enumerate(lines):
        if line.cells is not None or row_values(line, 99) is not None:
            return index
        norm = normalize_label(line.text)
        if any(marker in norm for marker in spec_markers) or _COLUMN_GAP.search(line.text.strip()):
            return index
    return len(lines)


def _split_tables(
    sections: Sequence[_Section], fmt: FormatSpec
) -> tuple[dict[TableId, list[Line]], list[tuple[str, list[Line]]]]:
    """The lines of each table (by table id) and each section's prose (by its printed heading).

    A table starts where any generation's header words or the first data row appear.
    """
    regions: dict[TableId, list[Line]] = {}
    prose: list[tuple[str, list[Line]]] = []
    for section in sections:
        body = section.body
        if section.spec.table is not None:
            table = section.spec.table
            markers = tuple({m for f in FORMATS.values() for m in table_markers(f.table(table))})
            cut = _split_table(body, markers)
            # A short line naming one of the table's rows just above its first row (a Markdown
            # "### 行政复议" over a small table) belongs to the table.
            labels = {normalize_label(r.label) for f in FORMATS.values() for _b, r in f.table(table).rows()}
            while cut > 0 and (
                not body[cut - 1].text.strip() or normalize_label(body[cut - 1].text) in labels
            ):
                cut -= 1
            while cut < len(body) and not body[cut].text.strip():
                cut += 1
            regions[fmt.table(table).id] = body[cut:]
            body = body[:cut]
        prose.append((section.heading.text.strip(), body))
    return regions, prose


def _has_rows(lines: Sequence[Line]) -> bool:
    """Whether ``lines`` hold a table's rows: cells, or a line ending in two figures or more
    (prose may end a line with one: 「不予公开答复 2」)."""
    for line in lines:
        found = row_values(line, 99)
        if found is not None and (line.cells is not None or len(found.values) >= 2):
            return True
    return False


def _title_core(title: str) -> str:
    """A table's title without its numbering: 「收到和处理政府信息公开申请情况」."""
    return re.sub(r"^[一二三四五六七八九十]+、", "", normalize_label(title))


def _tables_by_title(
    regions: dict[TableId, list[Line]], prose: list[tuple[str, list[Line]]], fmt: FormatSpec
) -> None:
    """Tables printed apart from their sections (an appendix numbered on its own, 「附表」): found by
    their titles in the prose, moved out of it into ``regions`` (when their section had none).

    A table's lines run from its title to the next table's title or the end of that section.
    """
    cores = {spec.id: _title_core(spec.title) for spec in fmt.tables}
    for index, (heading, body) in enumerate(prose):
        starts = []
        for at, line in enumerate(body):
            norm = normalize_label(line.text)
            hit = next(
                (tid for tid, core in cores.items() if core in norm and len(norm) <= len(core) + 8), None
            )
            if hit is not None:
                starts.append((at, hit))
        starts = _merge_repeated_titles(body, starts)
        taken: list[tuple[int, int]] = []
        for number, (at, table_id) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(body)
            lines = body[at + 1 : end]
            if _has_rows(regions.get(table_id, [])) or not _has_rows(lines):
                continue
            regions[table_id] = lines
            taken.append((at, end))
        if taken:
            kept = [ln for i, ln in enumerate(body) if not any(a <= i < e for a, e in taken)]
            prose[index] = (heading, kept)


def _merge_repeated_titles(
    body: Sequence[Line], starts: list[tuple[int, TableId]]
) -> list[tuple[int, TableId]]:
    """``starts`` with a table's title dropped where it repeats the title just before it.

    A converter may print the section heading 「一、主动公开政府信息情况」, some of the table's rows
    and its header words, then its own 「## 表二：主动公开政府信息情况」 over the rest: both titles
    head one table when the lines between them hold that table's header words (「第二十条第（五）项」),
    so its rows above the second title are not lost to the prose.
    """
    merged: list[tuple[int, TableId]] = []
    for at, table_id in starts:
        if merged and merged[-1][1] == table_id:
            markers = tuple({m for f in FORMATS.values() for m in table_markers(f.table(table_id))})
            between = body[merged[-1][0] + 1 : at]
            if any(marker in normalize_label(line.text) for line in between for marker in markers):
                continue
        merged.append((at, table_id))
    return merged


def _fit(read: TableRead) -> int:
    """How well a table's lines fit a generation's layout: rows found, less what could not be placed
    (0 when no row was found: a table that could not be read says nothing of its layout)."""
    return read.rows_found * 10 - len(read.unplaced) if read.rows_found else 0


def _choose_format(
    year: int, regions: dict[TableId, list[Line]]
) -> tuple[FormatSpec, dict[TableId, TableRead], list[Unplaced], list[str]]:
    """Read the tables with every generation and keep the one the report's tables are printed in.

    Table 三's （六）其他处理 rows decide (its rows are what the checks add up), then the tables
    together; the year's generation wins a tie.  A report whose tables fit another generation than
    its year's is imported as printed and flagged (FMT).  A table 二 printed in the other
    generation's layout than table 三 keeps the cells both generations share (:func:`translate`).
    What could not be placed includes each table whose section was not found.
    """
    expected = format_for_year(year)
    readings = {
        fmt.id: {spec.id: read_table(spec, regions.get(spec.id, [])) for spec in fmt.tables}
        for fmt in FORMATS.values()
    }

    printed = normalize_context("".join(ln.text for ln in regions.get(TableId.T3, [])))

    def rank(fmt: FormatSpec) -> tuple[int, int, int, int, bool]:
        reads = readings[fmt.id]
        t3 = reads[TableId.T3]
        # Rows read first; then the row labels printed at all (a row whose figures cannot be
        # read still shows the layout: （六）'s three items are the 2021 generation's).
        return (
            t3.rows_found,
            labels_printed(fmt.table(TableId.T3), printed),
            _fit(t3),
            sum(_fit(r) for r in reads.values()),
            fmt.id == expected.id,
        )

    fmt = max(FORMATS.values(), key=rank)
    reads = dict(readings[fmt.id])
    notes: list[str] = []
    t2 = reads[TableId.T2]
    other = max(
        (readings[f.id][TableId.T2] for f in FORMATS.values() if f.id != fmt.id),
        key=_fit,
        default=None,
    )
    if other is not None and regions.get(TableId.T2) and _fit(other) > _fit(t2) and not other.unplaced:
        reads[TableId.T2] = translate(other, t2.spec)
    unplaced = [u for r in reads.values() for u in r.unplaced]
    notes += [n for r in reads.values() for n in r.notes]
    if fmt.id != expected.id:
        notes.append(
            f"表格符合「{fmt.name}」，但 {year} 年度应使用「{expected.name}」：按表格原样导入，校验将提示 FMT"
        )
    for table_spec in fmt.tables:
        if table_spec.id not in regions:
            unplaced.append(
                Unplaced(None, "", f"找不到{table_spec.name}所在的章节，表格已留空", table_spec.name)
            )
    return fmt, reads, unplaced, notes


def _narrative(
    lines: Sequence[Line], opening: Sequence[Line], prose: Sequence[tuple[str, list[Line]]]
) -> str:
    """The narrative Markdown: the opening paragraphs, then each section under its printed heading."""
    spaced = spaces_numbers(lines)
    page_width = line_width(
        [ln for ln in [*opening, *(x for _h, body in prose for x in body)] if not ln.whole]
    )
    blocks = markdown(paragraphs(opening, spaced, page_width))
    for heading_text, prose_lines in prose:
        blocks.append("## " + re.sub(r"\s+", "", heading_text))
        blocks.extend(markdown(paragraphs(prose_lines, spaced, page_width)))
    return "\n\n".join(blocks) + "\n"


def _guess_publisher(name: str) -> PublisherType:
    """A level government (某市人民政府, or a bare 某市 compiling the whole city) or a department."""
    return PublisherType.GOVERNMENT if _GOVERNMENT.search(name) else PublisherType.DEPARTMENT


def parse_report(
    lines: Sequence[Line], notes: Sequence[str], options: ImportOptions, source: str
) -> Imported:
    """Turn a report's lines into a bureau-year (see the module docstring)."""
    lines = unflatten([ln for ln in lines if not normalize_label(ln.text).startswith(KIT_BANNER)])
    name, year, title_index, messages = _identify(lines, notes, options, source)
    fmt_guess = format_for_year(year)
    headings = _find_headings(lines, title_index + 1, fmt_guess)
    if not headings:
        raise DataError.one(
            source,
            "找不到「一、总体情况」…「六、其他需要报告的事项」等章节标题，不像是政府信息公开工作年度报告",
        )
    sections = _sections(lines, headings)
    sections[-1], signature, published = _last_section(sections[-1], name)
    if not name:
        name = _name_elsewhere(lines, signature, source, messages)
        signature = "" if signature == name else signature
    regions, prose = _split_tables(sections, fmt_guess)
    _tables_by_title(regions, prose, fmt_guess)
    if not any(regions.values()):
        raise DataError.one(source, "章节二、三、四中找不到表格，无法导入")
    fmt, reads, unplaced, table_notes = _choose_format(year, regions)
    tables: dict[str, Table] = {}
    cells: dict[Key, CellSource] = {}
    printed: dict[Key, str] = {}
    for table_id, read in reads.items():
        tables[table_id], sources = read.result()
        cells.update(((TableId(table_id), row, col), src) for (row, col), src in sources.items())
        printed.update(
            ((TableId(table_id), row, col), read.invalid[(row, col)])
            for (row, col), src in sources.items()
            if src is CellSource.INVALID
        )
    narrative = _narrative(lines, lines[title_index + 1 : headings[0][0]], prose)
    publisher = options.publisher_type
    if publisher is None:
        publisher = _guess_publisher(name)
        messages.append(f"未指定 --type，按名称「{name}」判为{publisher.label}（{publisher.value}）")
    meta = Meta(
        name=name,
        slug=options.slug,
        year=year,
        publisher_type=publisher,
        format_id=fmt.id,
        publish_date=published,
        signature=signature,
        masthead=_masthead(lines, title_index),
    )
    by = BureauYear(meta, tables, narrative, source=source)
    provenance = Provenance(cells, source, printed)
    attach(by, provenance)
    return Imported(by, unplaced, [*messages, *table_notes], provenance)
