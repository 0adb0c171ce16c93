"""The report text parser: from a published report's lines to a bureau-year.

Every source format ends here as a list of :class:`~ogi_report.importers.tables.Line`.  The parser
finds the title (body name and year), the six section headings in order, the three tables inside
sections 二–四, the closing signature and date, and turns the prose into the kit's narrative
Markdown (opening paragraph, ``## 一、…`` headings as printed, ``### （一）…`` sub-heads standing on
their own line).  The format generation is decided from the tables themselves and cross-checked
with the year.  Nothing is guessed: what cannot be placed is returned with the line it came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ogi_report.importers.tables import Line, TableRead, Unplaced, read_table, row_values, table_markers
from ogi_report.model.bureau import BureauYear, Meta, PublisherType, Table
from ogi_report.spec.formats import FORMATS, FormatSpec, SectionSpec, format_for_year
from ogi_report.spec.labels import normalize_label

PROVENANCE = "# "
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)
_TITLE = re.compile(r"^(?P<name>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?政府信息公开工作年度报告")
_DATE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(
    r"^\s*(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日\s*$"
)
_SUBHEAD = re.compile(r"^（[一二三四五六七八九十]+）")
_SENTENCE_END = "。！？；：!?;:”）)"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_GOVERNMENT = re.compile(r"(人民政府|^[\u4e00-\u9fff]{1,12}(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗))$")
_SPACES = re.compile(r" {2,}")
_COLUMN_GAP = re.compile(r"\S {3,}\S")  # words spread into columns: a layout table's header
MAX_HEADING = 40
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


@dataclass
class Imported:
    """A bureau-year read from a published report, with what could not be placed and notes."""

    by: BureauYear
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ReportNotRecognised(ValueError):
    """The text is not a recognisable annual report (no title, year or tables): nothing is written."""


_RADICALS = re.compile("[\u2e80-\u2fdf]")
# CJK fonts share one glyph between an ideograph and its radical form, and PDF text extraction may
# return the radical: Kangxi radicals (⼀ ⼯ ⾏) fold to ideographs under NFKC; the simplified
# radical forms below do not, so they are listed (Unicode's EquivalentUnifiedIdeograph data), with
# 戶, which Noto CJK SC draws for 户 — these reports are in simplified Chinese.
_RADICAL_FORMS = str.maketrans(
    "⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻚⻛⻜⻝⻢⻥⻩⻬⻮⻰⻳戶",
    "母民西见角贝车长门青页风飞食马鱼黄齐齿龙龟户",
)


def fix_radicals(text: str) -> str:
    """Radical code points that PDF fonts map their glyphs to, as the ideographs they show."""
    # NFKC first: it folds ⼾ to 戶, which the table then takes to 户.
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).translate(_RADICAL_FORMS)


def text_lines(text: str) -> tuple[list[Line], list[str]]:
    """Lines of a plain-text report (tab-separated table rows keep their cells) and provenance notes.

    Form feeds and page footers ("-3-", "第 3 页") are dropped: they cut tables and paragraphs.
    """
    text = fix_radicals(text)
    lines: list[Line] = []
    notes: list[str] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\f", "").rstrip()
        if raw.startswith(PROVENANCE):
            notes.append(raw[len(PROVENANCE) :])
            continue
        if _FOOTER.match(raw):
            continue
        cells = tuple(raw.split("\t")) if "\t" in raw else None
        text_of = " ".join(c.strip() for c in cells if c.strip()) if cells else raw
        lines.append(Line(number, text_of if cells else raw, cells))
    return lines, notes


def _norm(text: str) -> str:
    return normalize_label(text)


def _find_title(lines: Sequence[Line], notes: Sequence[str]) -> tuple[str, int | None, int]:
    """(body name, year, index of the title's last line) from the first lines; -1 when not found.

    A title may wrap: the name on the line above, or 年度报告 on the line below.
    """
    head = [ln.text.strip() for ln in lines[:40]]
    # Whole lines first; then a title wrapped onto the next line (…工作年 / 度报告).
    candidates = [(text, index, index) for index, text in enumerate(head)]
    candidates += [(text + head[index + 1], index, index + 1) for index, text in enumerate(head[:-1])]
    for candidate, index, last in candidates:
        match = _TITLE.match(candidate)
        if not match:
            continue
        name = re.sub(r"\s+", "", match.group("name"))
        if not name:
            previous = next((x for x in reversed(head[:index]) if x), "")
            name = re.sub(r"\s+", "", previous)
        return name, int(match.group("year")), last
    for note in notes:  # a partial copy may keep the title only in its provenance note
        match = _TITLE.search(note.split(":", 1)[-1].strip())
        if match:
            return re.sub(r"\s+", "", match.group("name")), int(match.group("year")), -1
    return "", None, -1


def _section_number(text: str, fmt: FormatSpec) -> SectionSpec | None:
    norm = _norm(text)
    for spec in fmt.sections:
        if norm.startswith(spec.number + "、"):
            return spec
    return None


def _is_table_row_label(text: str, fmt: FormatSpec) -> bool:
    norm = _norm(text)
    return any(norm.startswith(_norm(row.label)[:6]) for spec in fmt.tables for _b, row in spec.rows())


def find_headings(lines: Sequence[Line], start: int, fmt: FormatSpec) -> list[tuple[int, SectionSpec]]:
    """Indexes of the six section headings, in order: short lines numbered 一、…六、, not table rows."""
    found: list[tuple[int, SectionSpec]] = []
    numbers = [s.number for s in fmt.sections]
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text.strip()
        if not text or (line.cells is not None and len([c for c in line.cells if c.strip()]) > 1):
            continue
        spec = _section_number(text, fmt)
        if spec is None:
            continue
        position = numbers.index(spec.number)
        if found and position <= numbers.index(found[-1][1].number):
            continue
        if len(_norm(text)) > MAX_HEADING or "。" in text or _is_table_row_label(text, fmt):
            continue
        if row_values(line, 1) is not None or (line.cells and len([c for c in line.cells if c.strip()]) > 1):
            continue
        found.append((index, spec))
    return found


_SPACED = re.compile(r"\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d")
_UNSPACED = re.compile(r"\d[\u4e00-\u9fff]|[\u4e00-\u9fff]\d")


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
    widths = sorted(display_width(ln.text.strip()) for ln in lines if ln.text.strip())
    return widths[int(len(widths) * 0.9)] if widths else 0


def _paragraphs(lines: Sequence[Line], spaced: bool = False, page_width: int = 0) -> list[str]:
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
    page_width = max(page_width, width)
    indents = [len(t) - len(t.lstrip()) for t in texts if t.strip()]
    base = min(indents)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line, text in zip(lines, texts, strict=True):
        stripped = text.strip()
        if line.whole:
            if current:
                paragraphs.append(current)
            current, previous = "", ""
            if stripped:
                paragraphs.append(stripped)
            continue
        if not stripped:
            # A page break leaves blank lines inside a paragraph: a long line not ending a sentence
            # goes on after them.
            if current and (previous.endswith(tuple(_SENTENCE_END)) or display_width(previous) < 0.7 * width):
                paragraphs.append(current)
                current, previous = "", ""
            continue
        indent = len(text) - len(text.lstrip())
        starts = (
            not current
            or indent >= base + 2
            or bool(_SUBHEAD.match(stripped))
            or (previous.endswith(tuple(_SENTENCE_END)) and display_width(previous) < 0.85 * width)
            or (current == previous and _is_subhead_line(previous, page_width))
        )
        if starts:
            if current:
                paragraphs.append(current)
            current = stripped
        else:
            current += _joiner(current, stripped, spaced) + stripped
        previous = stripped
    if current:
        paragraphs.append(current)
    # Runs of spaces are layout (justified lines, column gaps), not the author's text.
    return [_SPACES.sub(" ", p) for p in paragraphs]


def _is_subhead_line(text: str, page_width: int) -> bool:
    """A （一）-style sub-head printed as a line of its own: short, with no sentence in it."""
    return (
        bool(_SUBHEAD.match(text))
        and not re.search(r"[。！？；]", text)
        and display_width(text) < 0.85 * page_width
    )


def display_width(text: str) -> int:
    """Printed width of a line: CJK and full-width characters take two columns, as on the page."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def _markdown(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs as Markdown blocks; a （一）-style sub-head standing alone becomes ``###``."""
    blocks: list[str] = []
    for text in paragraphs:
        body = text.rstrip("。.")
        if _SUBHEAD.match(text) and len(text) <= MAX_HEADING and not re.search(r"[。！？；]", body):
            blocks.append(f"### {text}")
        else:
            blocks.append(text)
    return blocks


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


def _is_signature(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，；：！？,.;:]", text) and not _SUBHEAD.match(text)


def _closing(lines: list[Line], name: str) -> tuple[list[Line], str, date | None]:
    """Split the closing signature and date off the end of the last section.

    The signature is the short line before the date, or — without a date — a last line that is
    exactly the body's name (a signature equal to the name is stored as the default, "").
    """
    content = [ln for ln in lines if ln.text.strip()]
    if not content:
        return lines, "", None
    last = content[-1].text.strip()
    published = _parse_date(last)
    if published is None:
        if re.sub(r"\s+", "", last) == name:
            return lines[: lines.index(content[-1])], "", None
        return lines, "", None
    cut = lines.index(content[-1])
    signature = ""
    if len(content) >= 2 and _is_signature(content[-2].text.strip()):
        signature = re.sub(r"\s+", "", content[-2].text)
        cut = lines.index(content[-2])
    return lines[:cut], "" if signature == name else signature, published


def _split_table(lines: Sequence[Line], spec_markers: tuple[str, ...]) -> int:
    """Index of the first line of a section's table (prose before it stays narrative)."""
    for index, line in enumerate(lines):
        if line.cells is not None or row_values(line, 99) is not None:
            return index
        norm = _norm(line.text)
        if any(marker in norm for marker in spec_markers) or _COLUMN_GAP.search(line.text.strip()):
            return index
    return len(lines)


def _choose_format(
    year: int, regions: dict[str, list[Line]]
) -> tuple[FormatSpec, dict[str, TableRead], list[Unplaced], list[str]]:
    """Read the tables with every generation and keep the one the report's tables fit best.

    Table 三's （六）其他处理 sub-items and table 二's rows tell the generations apart; a report
    whose tables fit another generation than its year's is imported as printed and flagged.
    """
    best: tuple[int, FormatSpec, dict[str, TableRead]] | None = None
    for fmt in sorted(FORMATS.values(), key=lambda f: f.id != format_for_year(year).id):
        reads = {spec.id: read_table(spec, regions.get(spec.id, [])) for spec in fmt.tables}
        score = sum(r.rows_found * 10 - len(r.unplaced) for r in reads.values())
        if best is None or score > best[0]:
            best = (score, fmt, reads)
    assert best is not None
    _score, fmt, reads = best
    unplaced = [u for r in reads.values() for u in r.unplaced]
    notes = [n for r in reads.values() for n in r.notes]
    expected = format_for_year(year)
    if fmt.id != expected.id:
        notes.append(
            f"表格符合「{fmt.name}」，但 {year} 年度应使用「{expected.name}」：按表格原样导入，校验将提示 FMT"
        )
    return fmt, reads, unplaced, notes


def guess_publisher(name: str) -> PublisherType:
    """A level government (某市人民政府, or a bare 某市 compiling the whole city) or a department."""
    return PublisherType.GOVERNMENT if _GOVERNMENT.search(name) else PublisherType.DEPARTMENT


def parse_report(
    lines: Sequence[Line], notes: Sequence[str], options: ImportOptions, source: str
) -> Imported:
    """Turn a report's lines into a bureau-year (see the module docstring)."""
    lines = [ln for ln in lines if not _norm(ln.text).startswith(KIT_BANNER)]
    name, year, title_index = _find_title(lines, notes)
    messages: list[str] = []
    if options.name:
        name = options.name
    if options.year is not None:
        if year is not None and year != options.year:
            messages.append(f"标题中的年度为 {year}，按 --year 使用 {options.year}")
        year = options.year
    if year is None:
        raise ReportNotRecognised("找不到标题「…年政府信息公开工作年度报告」中的年度，请用 --year 指定")
    if not name:
        raise ReportNotRecognised(
            "找不到标题「某机关…年政府信息公开工作年度报告」中的机关名称，请用 --name 指定"
        )
    fmt_guess = format_for_year(year)
    headings = find_headings(lines, title_index + 1, fmt_guess)
    if not headings:
        raise ReportNotRecognised(
            "找不到「一、总体情况」…「六、其他需要报告的事项」等章节标题，不像是政府信息公开工作年度报告"
        )
    masthead = ""
    for line in lines[: max(title_index, 0)]:
        text = re.sub(r"\s+", "", line.text)
        if text.endswith("文件") and len(text) <= 30:
            masthead = text
    opening_lines = list(lines[title_index + 1 : headings[0][0]])
    bodies: list[tuple[Line, SectionSpec, list[Line]]] = []
    for position, (index, spec) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        bodies.append((lines[index], spec, list(lines[index + 1 : end])))
    last_heading, last_spec, last_body = bodies[-1]
    appendix = next((i for i, ln in enumerate(last_body) if _norm(ln.text) == KIT_APPENDIX), None)
    if appendix is not None:
        last_body = last_body[:appendix]
    trimmed, signature, published = _closing(last_body, name)
    bodies[-1] = (last_heading, last_spec, trimmed)
    regions: dict[str, list[Line]] = {}
    prose: list[tuple[str, list[Line]]] = []
    for heading, spec, body in bodies:
        if spec.table is not None:
            table_spec = fmt_guess.table(spec.table)
            markers = tuple({m for f in FORMATS.values() for m in table_markers(f.table(spec.table))})
            cut = _split_table(body, markers)
            regions[table_spec.id] = body[cut:]
            body = body[:cut]
        prose.append((heading.text.strip(), body))
    if not any(regions.values()):
        raise ReportNotRecognised("章节二、三、四中找不到表格，无法导入")
    fmt, reads, unplaced, table_notes = _choose_format(year, regions)
    tables: dict[str, Table] = {table_id: read.table() for table_id, read in reads.items()}
    for table_spec in fmt.tables:
        if table_spec.id not in regions:
            unplaced.append(
                Unplaced(None, "", f"找不到{table_spec.name}所在的章节，表格已留空", table_spec.name)
            )
    spaced = spaces_numbers(lines)
    page_width = line_width(
        [ln for ln in [*opening_lines, *(x for _h, body in prose for x in body)] if not ln.whole]
    )
    blocks = _markdown(_paragraphs(opening_lines, spaced, page_width))
    for heading_text, prose_lines in prose:
        blocks.append("## " + re.sub(r"\s+", "", heading_text))
        blocks.extend(_markdown(_paragraphs(prose_lines, spaced, page_width)))
    narrative = "\n\n".join(blocks) + "\n"
    publisher = options.publisher_type
    if publisher is None:
        publisher = guess_publisher(name)
        messages.append(f"未指定 --type，按名称「{name}」判为{publisher.label}（{publisher.value}）")
    meta = Meta(
        name=name,
        slug=options.slug,
        year=year,
        publisher_type=publisher,
        format_id=fmt.id,
        publish_date=published,
        signature=signature,
        masthead=masthead,
    )
    by = BureauYear(meta, tables, narrative, source=source)
    return Imported(by, unplaced, [*messages, *table_notes])
