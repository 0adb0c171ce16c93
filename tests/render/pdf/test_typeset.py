"""The PDF typeset by Typst: archive-grade (PDF/A-2b, tagged, CID fonts, outline, metadata), the
seed's every word in the text layer, the same bytes for the same data, untrusted narrative printed
literally and missing glyphs refused.  Editions and layout: ``test_editions.py``, ``test_layout.py``.

One typesetter serves the module, as a batch worker keeps one."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from fontkit import RARE
from kit import SEED_DIR, build_by
from ogi_report.checks.runner import check
from ogi_report.errors import RenderError
from ogi_report.model.bureau import BureauYear, Cell, Value, complete_table
from ogi_report.render.fonts import Role, missing_in
from ogi_report.render.model import Report, report_model
from ogi_report.render.pdf.typeset import Typesetter
from ogi_report.render.prose import Paragraph
from ogi_report.storage.workspace import load

if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
    pytest.skip("poppler-utils (scripts/setup-system.sh) is not installed", allow_module_level=True)

SEED_TEXT = "tests/fixtures/seed/000_73748dfa6b923913.txt"
PARAGRAPH = (
    "本机关坚持以公开为常态、不公开为例外，围绕中心工作，及时、准确、全面公开政府信息，"
    "回应社会关切，保障人民群众的知情权、参与权、表达权和监督权。"
)


@pytest.fixture(scope="session")
def typesetter() -> Iterator[Typesetter]:
    yield Typesetter()


def seed_by() -> BureauYear:
    return load(SEED_DIR).by


def seed_report() -> Report:
    loaded = load(SEED_DIR)
    return report_model(loaded.by, check(loaded.by, loaded.previous))


def full_t3(by: BureauYear) -> BureauYear:
    """``by`` with every result row of table 三 non-zero and balanced (the checks still pass)."""
    t3 = by.tables["t3"]
    block = t3.spec.blocks[0]
    cells: dict[Cell, Value] = {}
    for i, col in enumerate(c for c in block.columns if not c.total):
        results = 0
        for j, row in enumerate(block.rows):
            if row.key in ("new", "carried_over", "total", "carried_forward") or not row.in_total:
                continue
            cells[(row.key, col.key)] = 1 + (i + j) % 9
            results += 1 + (i + j) % 9
        cells[("carried_over", col.key)] = 3
        cells[("carried_forward", col.key)] = 2
        cells[("new", col.key)] = results + 2 - 3
    return dataclasses.replace(by, tables={**by.tables, "t3": complete_table(t3.spec, cells)})


def long_by(pages_of_prose: int = 8) -> BureauYear:
    """The seed with table 三 filled and about ``pages_of_prose`` pages of extra prose (22 lines of
    28 characters a page: about 8 paragraphs of 3 lines each)."""
    by = full_t3(seed_by())
    extra = "\n\n".join([PARAGRAPH] * (8 * pages_of_prose // 2))
    narrative = by.narrative.replace("## 二、", f"{extra}\n\n## 二、", 1)
    narrative = narrative.replace("## 六、", f"{extra}\n\n## 六、", 1)
    return dataclasses.replace(by, narrative=narrative)


def norm(text: str) -> str:
    """Text as compared: NFKC (the seed prints some brackets half-width), no whitespace."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def pdftotext(pdf: Path, *args: str) -> str:
    """The PDF's text (poppler), page by page separated by form feeds; page numbers removed."""
    out = subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"^\s*—\s*\d+\s*—\s*$", "", out.stdout, flags=re.M)


def pages_text(pdf: Path, *args: str) -> list[str]:
    return pdftotext(pdf, *args).split("\f")[:-1]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def seed_units() -> tuple[list[str], list[str]]:
    """The seed as published: its sentences and headings in order, and its table cells in order."""
    text = unicodedata.normalize("NFKC", (SEED_DIR.parents[2] / SEED_TEXT).read_text(encoding="utf-8"))
    sentences: list[str] = []
    cells: list[str] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        sentences.extend(s for s in re.split(r"(?<=[。；！？：])", pending) if s)
        pending = ""

    for line in text.splitlines():
        if "\t" in line:
            flush()
            cells.extend(norm(c) for c in line.split("\t") if c.strip())
        elif line.strip():
            pending += norm(line)
            # A short line ending without a comma is a heading or the signature: a unit of its own.
            if len(line.strip()) < 40 and not line.rstrip().endswith(("，", "、")):
                flush()
    flush()
    return sentences, cells


def in_order(units: list[str], text: str) -> list[str]:
    """The units not found in ``text`` after the previous one."""
    missing, at = [], 0
    for unit in units:
        found = text.find(unit, at)
        if found < 0:
            missing.append(unit)
        else:
            at = found + len(unit)
    return missing


def outline(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as doc, doc.open_outline() as tree:
        return [item.title for item in tree.root] + [c.title for item in tree.root for c in item.children]


# ---------------------------------------------------------------------------------------------
# The bundled example: archive-grade, and every word of the published report.


@pytest.fixture(scope="module")
def seed_pdf(typesetter: Typesetter, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("seed"), "seed.pdf", typesetter.pdf(seed_report()))


def test_the_example_is_pdfa_2b_tagged_with_cid_fonts_and_metadata(seed_pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and not [r for r in rows if "Type 3" in r]
    assert all("CID" in r and " yes yes yes " in r for r in rows), fonts  # embedded, subset, ToUnicode
    info = subprocess.run(["pdfinfo", str(seed_pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M)
    with pikepdf.open(seed_pdf) as doc:
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == "海东市应急管理局2021年政府信息公开工作年度报告"
        assert "海东市应急管理局" in str(meta["dc:creator"])
        assert str(doc.Root.Lang) == "zh-CN"
        assert str(doc.docinfo["/Subject"]) == "政府信息公开工作年度报告"
        assert str(doc.docinfo["/CreationDate"]).startswith("D:20220107")  # the publish date
    assert seed_pdf.stat().st_size <= 250_000


def test_the_outline_has_the_title_and_the_six_sections(seed_pdf: Path) -> None:
    report = seed_report()
    assert outline(seed_pdf) == [report.title, *(s.heading for s in report.sections)]
    assert len(report.sections) == 6


def test_every_sentence_and_table_cell_of_the_seed_is_in_the_text_layer(seed_pdf: Path) -> None:
    sentences, cells = seed_units()
    assert len(sentences) > 40 and len(cells) > 250
    # Reading order (pdftotext's default): every sentence, heading and the signature in order.
    assert in_order(sentences, norm(pdftotext(seed_pdf))) == []
    # Table cells in the order they were typeset (pdftotext -raw: its reading-order analysis
    # splits the lines of cells wrapped within a row, which says nothing about the PDF).
    raw = norm(pdftotext(seed_pdf, "-raw"))
    assert [c for c in cells if c not in raw] == []
    assert in_order([c for c in cells if not c.isdigit()][:12], raw) == []  # table 二's cells


def test_the_same_data_give_the_same_bytes(typesetter: Typesetter) -> None:
    report = seed_report()
    assert typesetter.pdf(report) == Typesetter().pdf(report)


def test_rare_ideographs_read_back_as_themselves(typesetter: Typesetter, tmp_path: Path) -> None:
    # Ideographs that look like Kangxi radicals (Chromium's text layer once mapped them to
    # U+2F00…) and CJK Extension A characters the body font has.
    wanted = "一丨丶丿乙亅二人儿入八冂冖冫几凵刀力勹匕匚十卜卩厂厶又口囗土士"
    wanted += "夂夕大女子宀寸小尢尸山巛工己巾干幺广㐀㐂㐆㑇㒰鿏"
    chars = "".join(c for c in wanted if not missing_in(typesetter.fonts.installed(Role.FANGSONG), c))
    assert len(chars) > 40
    by = seed_by()
    narrative = by.narrative.replace("## 一、", f"生僻字：{chars}。\n\n## 一、", 1)
    by = dataclasses.replace(by, narrative=narrative)
    pdf = write(tmp_path, "rare.pdf", typesetter.pdf(report_model(by, check(by))))
    text = pdftotext(pdf)
    assert norm(f"生僻字：{chars}。") in norm(text)
    assert not re.search("[\u2f00-\u2fdf\u2e80-\u2eff]", text)


# ---------------------------------------------------------------------------------------------
# Untrusted narrative, missing glyphs.

HOSTILE = [
    '#read("/etc/passwd")',
    '#include "x.typ"',
    '#import "y.typ": *',
    "$x^2$",
    "@label",
    "<label>",
    "反斜杠\\n与 \\\\ 原样",
    "#{1 + 1} #let a = 1",
]


def test_hostile_narrative_prints_literally(typesetter: Typesetter, tmp_path: Path) -> None:
    by = seed_by()
    hostile = "\n\n".join(f"正文：`{h}` 与 {h}" if "<" not in h else f"正文：{h}" for h in HOSTILE)
    by = dataclasses.replace(by, narrative=by.narrative.replace("## 一、", f"{hostile}\n\n## 一、", 1))
    report = report_model(by, check(by))
    pdf = write(tmp_path, "hostile.pdf", typesetter.pdf(report))
    text = norm(pdftotext(pdf))
    for block in (b for b in report.opening.blocks if isinstance(b, Paragraph) and "正文" in b.text):
        assert norm(block.text) in text  # exactly what the HTML page and the DOCX show
    for literal in ('#read("/etc/passwd")', '#include"x.typ"', "$x^2$", "@label", "<label>", "#{1+1}"):
        assert literal in text
    assert "root:" not in text and "2#let" not in text


def test_a_missing_glyph_is_refused_naming_it_and_the_next_report_prints(
    typesetter: Typesetter, tmp_path: Path
) -> None:
    by = seed_by()
    odd = dataclasses.replace(by, narrative=by.narrative.replace("## 三、", f"## 三、{RARE}", 1))
    with pytest.raises(RenderError) as info:
        typesetter.pdf(report_model(odd, check(odd)))
    message = str(info.value)
    assert "U+20000" in message and "黑体（一级标题）" in message and "Noto Sans CJK SC" in message
    assert typesetter.pdf(seed_report()).startswith(b"%PDF-")


# ---------------------------------------------------------------------------------------------
# Layout: a long report, a 2019-format report.


def test_a_long_table_repeats_its_header_and_keeps_rows_whole(typesetter: Typesetter, tmp_path: Path) -> None:
    by = long_by()
    pdf = write(tmp_path, "long.pdf", typesetter.pdf(report_model(by, check(by))))
    pages = [norm(p) for p in pages_text(pdf, "-raw")]  # cells as typeset (see above)
    assert len(pages) >= 12  # 8 pages of extra prose
    first = next(i for i, p in enumerate(pages) if "一、本年新收政府信息公开申请数量" in p)
    last = next(i for i, p in enumerate(pages) if "四、结转下年度继续办理" in p)
    assert last == first + 1, "the long report's table 三 should run onto a second page"
    for page in pages[first : last + 1]:
        assert norm("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）") in page
        assert "申请人情况" in page and "法律服务机构" in page
    # The section heading stays with its table; every row's label is whole on one page.
    assert "三、收到和处理政府信息公开申请情况" in pages[first]
    grid = report_model(by, check(by)).sections[2].table
    assert grid is not None
    labels = [c.text for c in grid.cells if c.kind.value == "row_label" and c.rowspan == 1]
    assert [label for label in labels if not any(norm(label) in p for p in pages[first : last + 1])] == []


def test_a_2019_format_report_prints_its_own_tables(typesetter: Typesetter, tmp_path: Path) -> None:
    by = build_by("2019")
    report = report_model(by, check(by))
    pdf = write(tmp_path, "v1.pdf", typesetter.pdf(report))
    text = norm(pdftotext(pdf))
    assert in_order([norm(s.heading) for s in report.sections], text) == []
    assert norm("第二十条第（九）项") in text and "政府集中采购" in text and "24252.311082" in text
    assert outline(pdf) == [report.title, *(s.heading for s in report.sections)]
