"""The body's name and the year, from every place a published report states them.

Real titles vary: 「某局2024年政府信息公开工作年度报告」, the year first (「2024年某局政府信息公开
工作年度报告」), 年度 (「2020年度…」), without 工作 (「…2023年政府信息公开年度报告」), the name on the
line above, or the title wrapped over two lines.  When the title itself does not name the body, the
name is taken from the document's own title (HTML ``<title>`` / ``<meta name="ArticleTitle">``, the
PDF's Title, passed in as notes), then the signature line, then the preamble
(「本报告由某局根据《条例》…编制」).  Nothing is invented: without any of them the name stays "".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ogi_report.importers.lines import Line

TITLE = re.compile(
    r"^(?P<pre>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?P<mid>.*?)\s*政府信息公开\s*(?:工作\s*)?(?:年\s*度\s*)?报\s*告"
)
_TITLE_IN = re.compile(
    r"(?P<pre>[\u4e00-\u9fff（）()]*)\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?P<mid>[\u4e00-\u9fff]*?)"
    r"\s*政府信息公开\s*(?:工作\s*)?(?:年\s*度\s*)?报\s*告"
)
MAX_TITLE = 60  # characters: a longer line is prose that mentions the report
HEAD_LINES = 40  # the title is among the first lines
_SENTENCE = re.compile(r"[。；;，,：:！？]")
_PREAMBLE = re.compile(
    r"本报告(?:是)?(?:由|系)(?P<name>[\u4e00-\u9fff（）()]{2,40}?)(?:根据|按照|依据|依照|严格按照|编制|制作)"
)
_SEPARATORS = re.compile(r"\s*[-_|｜—–/>]+\s*|\s{2,}")
_KEY = re.compile(r"^[\w ]{1,20}[:：]\s*")
_FIELD = re.compile(r"^(?:标题|题目|名称|文章标题|Title|title)\s*[:：]\s*")
_QUOTES = "《》〈〉“”\"'「」【】[]"
# A name read from prose must look like a body's name: Chinese, ending as bodies' names end.
_NAME_END = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|委员会|局|厅|部|委|署|院|所|中心|馆|站|处|会|社|队|公司|集团|银行|"
    r"街道办事处|办事处|管委会|管理委员会|省|市|区|县|旗|州|盟|镇|乡|街道)$"
)


@dataclass(frozen=True)
class Title:
    """What the report says of itself: the body's name ('' unknown), the year and the title's last line."""

    name: str
    year: int | None
    last: int  # index of the title's last line in the lines, -1 when not found there
    where: str = ""  # where the name was found, when not in the title itself


def _clean(text: str) -> str:
    text = re.sub(r"\s+", "", text).strip(_QUOTES)
    return text[2:] if text.startswith("关于") else text


def is_name(text: str) -> bool:
    """Whether ``text`` reads as a body's name (not a sentence, a date or a masthead)."""
    return (
        2 <= len(text) <= 40
        and not _SENTENCE.search(text)
        and not text.endswith("文件")
        and bool(_NAME_END.search(text))
        and not re.search(r"\d", text)
    )


def parse_title(text: str) -> tuple[str, int] | None:
    """(name, year) of a title line or document title; the name '' when the title has none."""
    compact = text.strip()
    if len(compact) > MAX_TITLE or _SENTENCE.search(compact):
        return None
    match = TITLE.match(compact)
    if not match:
        return None
    name = _clean(match.group("pre")) or _clean(match.group("mid"))
    if name and not is_name(name):
        name = ""
    return name, int(match.group("year"))


def title_in(text: str) -> tuple[str, int] | None:
    """(name, year) of a title quoted inside a longer text (a provenance note, a sentence)."""
    match = _TITLE_IN.search(text)
    if not match:
        return None
    name = _clean(match.group("pre")) or _clean(match.group("mid"))
    return (name if is_name(name) else ""), int(match.group("year"))


def metadata_title(notes: Sequence[str]) -> tuple[str, int] | None:
    """The (name, year) of the first note (a document title, a provenance line) stating a title."""
    for note in notes:
        text = _KEY.sub("", note)  # "Title: …", "来源：…"
        for part in [text, *_SEPARATORS.split(text)]:
            parsed = parse_title(part)
            if parsed is not None and parsed[0]:
                return parsed
    for note in notes:
        for part in [note, *_SEPARATORS.split(note)]:
            parsed = parse_title(part)
            if parsed is not None:
                return parsed
    for note in notes:
        parsed = title_in(_KEY.sub("", note))
        if parsed is not None:
            return parsed
    return None


def find_title(lines: Sequence[Line], notes: Sequence[str]) -> Title:
    """The title among the first lines (whole, or wrapped onto the next line); else the notes'."""
    # A page saved with its fields ("标题: …", "Title: …") keeps the title after a short key.
    head = [_FIELD.sub("", ln.text.strip()) for ln in lines[:HEAD_LINES]]
    candidates = [(text, index, index) for index, text in enumerate(head)]
    candidates += [(text + head[index + 1], index, index + 1) for index, text in enumerate(head[:-1])]
    for candidate, index, last in candidates:
        parsed = parse_title(candidate)
        if parsed is None:
            continue
        name, year = parsed
        where = ""
        if not name:
            # The name printed on the line above the title (「洪泽区人民政府」 / 「2023年…年度报告」).
            previous = _clean(next((x for x in reversed(head[:index]) if x), ""))
            name = previous if is_name(previous) else ""
        if not name:
            meta = metadata_title(notes)
            if meta is not None and meta[0]:
                name, where = meta[0], "文档标题"
        return Title(name, year, last, where)
    meta = metadata_title(notes)
    if meta is not None:
        return Title(meta[0], meta[1], -1, "文档标题" if meta[0] else "")
    return Title("", None, -1)


def preamble_name(lines: Sequence[Line]) -> str:
    """The body named in the preamble (「本报告由某局根据…编制」), its office suffix dropped; or ''."""
    text = re.sub(r"\s+", "", "".join(ln.text for ln in lines[:HEAD_LINES]))
    match = _PREAMBLE.search(text)
    if not match:
        return ""
    name = match.group("name")
    for office in ("办公室", "办公厅"):
        if name.endswith(office) and len(name) > len(office) + 2:
            name = name[: -len(office)]
    return name if is_name(name) else ""
