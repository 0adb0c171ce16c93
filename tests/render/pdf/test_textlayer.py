"""The PDF's text layer: radicals in Chromium's ToUnicode maps go back to the ideographs printed.

The CMap rewriting and the radical pairs are tested without a browser; the printed example is read
back with pdfplumber, which (unlike pdftotext) does not normalize radicals away.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from kit import SEED_DIR
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear
from ogi_report.render import fonts
from ogi_report.render.html.page import render_page
from ogi_report.render.pdf.printer import PdfPrinter, printed_faces
from ogi_report.render.pdf.textlayer import is_radical, radical_map, repair_cmap
from ogi_report.storage.workspace import load

SEED = SEED_DIR
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")

CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
3 beginbfchar
<41> <2F00>
<42> <2EA0>
<43> <6C11>
endbfchar
2 beginbfrange
<50> <52> <2F07>
<60> <61> <5B89>
endbfrange
1 beginbfrange
<70> <71> [<2F08> <0041>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def default_faces() -> tuple[tuple[Path, int], ...]:
    setup = fonts.default_setup()
    faces: dict[tuple[Path, int], None] = {}
    for role in fonts.Role:
        for face in setup.installed(role):
            faces.setdefault((face.file, face.index), None)
    return tuple(faces)


def to_unicode(cmap: bytes) -> dict[str, str]:
    """Code → text of a CMap, read the way a PDF reader does (pdfminer's CMap parser)."""
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    umap = FileUnicodeMap()
    CMapParser(umap, BytesIO(cmap)).run()  # type: ignore[no-untyped-call]
    return {f"{code:02X}": text for code, text in umap.cid2unichr.items()}


# --- without a browser -------------------------------------------------------------------------


def test_the_fonts_decide_which_ideograph_a_radical_stands_for() -> None:
    pairs = radical_map(default_faces())
    assert pairs[0x2F00] == ord("一") and pairs[0x2F08] == ord("人")
    assert pairs[0x2EA0] == ord("民") and pairs[0x2ED3] == ord("长") and pairs[0x2EEC] == ord("齐")
    assert pairs[0x2F3E] == ord("户")  # the SC glyph: NFKC would say 戶
    assert all(is_radical(r) and not is_radical(i) for r, i in pairs.items())


def test_without_fonts_kangxi_radicals_fall_back_to_nfkc() -> None:
    pairs = radical_map(())
    assert pairs[0x2F00] == ord("一") and pairs[0x2F3E] == ord("戶")
    assert 0x2EA0 not in pairs  # CJK Radicals Supplement has no compatibility mapping


def test_cmap_entries_and_ranges_reaching_radicals_are_remapped() -> None:
    pairs = radical_map(default_faces())
    before = to_unicode(CMAP)
    assert before["41"] == "⼀" and before["51"] == "⼈"
    fixed = repair_cmap(CMAP, pairs, frozenset())
    assert fixed is not None
    assert to_unicode(fixed) == {
        "41": "一",
        "42": "民",
        "43": "民",
        "50": "亠",  # the range <50>–<52> from U+2F07 ⼇ ⼈ ⼉ is written out code by code
        "51": "人",
        "52": "儿",
        "60": "安",  # a range with no radical stays a range
        "61": "宊",
        "70": "人",  # so does an array range, remapped item by item
        "71": "A",
    }
    assert b"<60> <61> <5B89>" in fixed
    assert fixed.startswith(CMAP[: CMAP.index(b"3 beginbfchar")]) and fixed.endswith(b"end\nend\n")


def test_a_radical_the_report_contains_is_kept() -> None:
    fixed = repair_cmap(CMAP, radical_map(default_faces()), frozenset("⼀"))
    assert fixed is not None
    assert to_unicode(fixed)["41"] == "⼀" and to_unicode(fixed)["42"] == "民"


def test_a_cmap_without_radicals_is_left_alone() -> None:
    plain = CMAP.replace(b"<2F00>", b"<4E00>").replace(b"<2EA0>", b"<6C11>").replace(b"<2F07>", b"<4E8C>")
    assert repair_cmap(plain.replace(b"<2F08>", b"<4EBA>"), radical_map(default_faces()), frozenset()) is None


# --- with a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printer() -> Iterator[PdfPrinter]:
    with PdfPrinter() as p:
        yield p


def extracted(data: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdfplumber copies it, lines joined and page numbers dropped."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() for page in doc.pages)
    return PAGE_NUMBER.sub("", text.replace("\n", ""))


def with_paragraph(by: BureauYear, paragraph: str) -> BureauYear:
    return dataclasses.replace(by, narrative=f"{by.narrative.rstrip()}\n\n{paragraph}\n")


@pytest.mark.slow
def test_the_example_reads_back_without_radicals(printer: PdfPrinter, tmp_path: Path) -> None:
    loaded = load(SEED)
    text = extracted(printer.print_html(render_page(loaded.by, check(loaded.by, loaded.previous))), tmp_path)
    assert not [c for c in text if is_radical(ord(c))]
    for phrase in ("海东市人民政府网站", "市应急管理局", "一是加强组织领导", "应急管理局主要负责人任组长"):
        assert phrase in text, phrase
    # Every paragraph of the narrative reads back whole: no spaces slipped in, nothing reordered.
    for block in loaded.by.narrative.split("\n\n"):
        block = block.strip()
        if block and not block.startswith("#") and "{{" not in block and "|" not in block:
            assert block.replace("**", "") in text, block[:30]


@pytest.mark.slow
def test_a_radical_in_the_narrative_is_kept(printer: PdfPrinter, tmp_path: Path) -> None:
    by = with_paragraph(load(SEED).by, "康熙部首⼀（U+2F00）不是汉字一。")
    text = extracted(printer.print_html(render_page(by, check(by))), tmp_path)
    assert "康熙部首⼀（U+2F00）不是汉字" in text


def test_the_printer_repairs_with_the_fonts_the_page_printed_in() -> None:
    setup = fonts.default_setup()
    faces = printed_faces(setup, {setup.css_stack(fonts.Role.KAITI): "（一）", '"DejaVu Sans", serif': "A"})
    assert faces[: len(setup.installed(fonts.Role.KAITI))] == tuple(
        (f.file, f.index) for f in setup.installed(fonts.Role.KAITI)
    )
