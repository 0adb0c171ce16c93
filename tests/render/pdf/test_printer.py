"""The PDF printer: layout (A4, thead repeated, rows whole, page numbers), fonts, refusals, cleanup.

Tests that start a browser are marked slow and share one printer per module, as a batch does.
The PDFs are read back with poppler (pdfinfo, pdftotext, pdffonts), as a reviewer would.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from fontkit import RARE, renamed_font
from kit import SEED_DIR
from ogi_report.checks.runner import check
from ogi_report.errors import RenderError
from ogi_report.model.bureau import BureauYear, complete_table
from ogi_report.model.narrative import fill
from ogi_report.render import fonts
from ogi_report.render.pdf.printer import PAGE_NUMBER_FONT, PdfPrinter, print_css, with_print_style, write_pdf
from ogi_report.storage.workspace import load

SEED = SEED_DIR
PAGE_NUMBER = re.compile(r"—(\d+)—")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def long_table_page(rows: int = 70, paragraphs: int = 12, extra: str = "") -> str:
    """A page like the report: title, headings, 16pt paragraphs, then a long table with a 3-row thead."""
    para = (
        "我局坚持政务信息透明阳光，不断拓宽政务信息公开渠道，严格遵循依法规范公开原则，真实、准确发布信息。"
    )
    body = [f"<p>第{i + 1}段。{para * 2}</p>" for i in range(paragraphs)]
    head = (
        '<tr><th colspan="2" rowspan="3">'
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>"
        '<th colspan="7">申请人情况</th></tr>'
        '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>'
        "<tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</th></tr>"
    )
    trs = [
        f'<tr><th class="ogi-label" colspan="2">第{r}行</th>'
        + "".join(f"<td>{r * 10 + c}</td>" for c in range(7))
        + "</tr>"
        for r in range(1, rows + 1)
    ]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试</title></head><body>'
        "<h1>测试市测试局2021年政府信息公开工作年度报告</h1>"
        "<h2>一、总体情况</h2><h3>（一）主动公开</h3>"
        + "".join(body)
        + extra
        + "<h2>三、收到和处理政府信息公开申请情况</h2>"
        f"<table><thead>{head}</thead><tbody>{''.join(trs)}</tbody></table>"
        "<p>表后正文。</p></body></html>"
    )


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_text(pdf: Path, layout: bool = True) -> list[str]:
    """pdftotext of each page (form feeds separate pages)."""
    text = run("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    """Text without whitespace and page numbers (which interrupt paragraphs at page breaks)."""
    return PAGE_NUMBER.sub("", re.sub(r"\s+", "", text))


def assert_a4(pdf: Path) -> int:
    info = run("pdfinfo", str(pdf))
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def assert_fonts_embedded(pdf: Path) -> list[str]:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    assert lines, "no fonts in the PDF"
    for line in lines:
        # name, type…, encoding, emb, sub, uni, object, gen — the flags are the 5th–3rd from the end.
        emb, _sub, uni = line.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), line
    return lines


def assert_page_numbers(pages: list[str]) -> None:
    for n, text in enumerate(pages, start=1):
        assert f"—{n}—" in re.sub(r"\s+", "", text), f"page {n} has no page number “— {n} —”"


@pytest.fixture(scope="module")
def printer() -> Iterator[PdfPrinter]:
    with PdfPrinter() as p:
        yield p


# --- without a browser -------------------------------------------------------------------------


def test_print_style_is_appended_last_in_head() -> None:
    html = '<!DOCTYPE html><html lang="zh-CN"><head><style>x{}</style></head><body><p>正文</p></body></html>'
    out = with_print_style(html, fonts.default_setup())
    assert out.startswith("<!DOCTYPE html>")
    assert out.index("x{}") < out.index("@page") < out.rindex("--ogi-font-fangsong") < out.index("</head>")
    assert "@page" in with_print_style("<body><p>正文</p></body>", fonts.default_setup())


def test_page_number_font_is_the_one_print_css_declares() -> None:
    assert f"font-family: {PAGE_NUMBER_FONT};" in print_css()


def test_missing_browser_is_a_render_error() -> None:
    with (
        PdfPrinter(executable="/nonexistent/chromium") as printer,
        pytest.raises(RenderError, match="Chromium"),
    ):
        printer.print_html(long_table_page(rows=2, paragraphs=1))


# --- with a browser ----------------------------------------------------------------------------


@pytest.mark.slow
@needs_poppler
def test_long_table_repeats_its_header_and_never_splits_a_row(printer: PdfPrinter, tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    write_pdf(long_table_page(), pdf, printer)
    n_pages = assert_a4(pdf)
    assert n_pages >= 4
    pages = pages_text(pdf)
    assert len(pages) == n_pages
    assert_page_numbers(pages)
    assert_fonts_embedded(pdf)
    table_pages = [i for i, text in enumerate(pages) if re.search(r"第\d+行", text)]
    assert len(table_pages) >= 2
    for i in table_pages:
        assert "申请人情况" in pages[i] and "总计" in pages[i], f"page {i + 1} lacks the header"
    for r in range(1, 71):
        # the label and all seven figures of a row are on one line of one page
        line = next(ln for text in pages for ln in text.splitlines() if re.search(rf"第{r}行(\s|$)", ln))
        assert line.split()[-7:] == [str(r * 10 + c) for c in range(7)], line
    for i, text in enumerate(pages):
        assert PAGE_NUMBER.sub("", re.sub(r"\s+", "", text)), f"page {i + 1} is blank"
    # no blank page before the table: it starts on the page its heading is on
    heading_page = next(i for i, t in enumerate(pages) if "三、收到和处理" in t)
    assert table_pages[0] == heading_page


@pytest.mark.slow
@needs_poppler
def test_body_is_22_lines_a_page_with_title_heading_and_indent(printer: PdfPrinter, tmp_path: Path) -> None:
    pdf = tmp_path / "body.pdf"
    pdf.write_bytes(printer.print_html(long_table_page(rows=1, paragraphs=20)))
    pages = pages_text(pdf)
    second = [
        ln for ln in pages[1].splitlines() if ln.strip() and not PAGE_NUMBER.search(ln.replace(" ", ""))
    ]
    assert len(second) == 22, second
    words = run("pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-")
    title = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">测试市', words)
    assert title is not None
    # the text block starts 37 mm (104.9 pt) from the top (the middle of the title's first glyphs lies in
    # its first line box, 36 pt high)
    # and 28 mm (79.4 pt) from the left
    assert 104.9 < (float(title.group(2)) + float(title.group(4))) / 2 < 104.9 + 36
    para = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">第1段', words)
    assert para is not None and abs(float(para.group(1)) - (79.37 + 32)) < 2  # 2-character indent of 16 pt


@pytest.mark.slow
@needs_poppler
def test_kaiti_headings_embed_ar_pl_ukai_and_fall_back_per_character(printer: PdfPrinter) -> None:
    if "AR PL UKai CN" not in [f.face.family for f in fonts.default_setup().installed(fonts.Role.KAITI)]:
        pytest.skip("AR PL UKai CN (fonts-arphic-ukai) is not installed")
    import pdfplumber

    lacking = "呉"  # in Noto Serif CJK SC, not in UKai
    page = long_table_page(rows=1, paragraphs=1).replace("（一）主动公开", f"（一）主动公开{lacking}")
    data = printer.print_html(page)
    with pdfplumber.open(BytesIO(data)) as pdf:
        chars = pdf.pages[0].chars
    heading = "".join(c["text"] for c in chars if "UKai" in c["fontname"])
    assert heading == "（一）主动公开"
    assert any(c["text"] == lacking and "NotoSerifCJK" in c["fontname"] for c in chars)
    listed = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert re.search(r"\+UKaiCN\s+CID TrueType\s+Identity-H\s+yes yes yes", listed), listed


@pytest.mark.slow
def test_uncovered_characters_are_refused_naming_them_and_the_font(printer: PdfPrinter) -> None:
    with pytest.raises(RenderError) as info:
        printer.print_html(long_table_page(rows=2, paragraphs=1, extra=f"<p>生僻字{RARE}</p>"))
    message = str(info.value)
    assert "U+20000" in message and RARE in message and "Noto Serif CJK SC" in message
    assert "仿宋（正文）" in message


@pytest.mark.slow
def test_the_check_follows_the_cascade(printer: PdfPrinter) -> None:
    """Text in a font the page's own CSS names is checked against that font; hidden text is not."""
    extra = "<p><span style=\"font-family: 'DejaVu Sans', sans-serif\">公开</span></p>"
    with pytest.raises(RenderError, match=r"「DejaVu Sans」.*U\+516C"):
        printer.print_html(long_table_page(rows=2, paragraphs=1, extra=extra))
    hidden = f'<p style="display: none">{RARE}</p><p class="x">可见</p>'
    assert printer.print_html(long_table_page(rows=2, paragraphs=1, extra=hidden)).startswith(b"%PDF-")


@pytest.mark.slow
def test_a_refused_report_does_not_stop_the_batch(printer: PdfPrinter) -> None:
    with pytest.raises(RenderError, match=re.escape("(U+E000)")):
        printer.print_html(long_table_page(rows=2, paragraphs=1, extra="<h2>二、\ue000</h2>"))
    assert printer.print_html(long_table_page(rows=2, paragraphs=1)).startswith(b"%PDF-")


@pytest.mark.slow
def test_timeout_kills_the_browser_and_the_next_report_starts_afresh() -> None:
    with PdfPrinter() as printer:
        printer.start()
        pid = printer.browser_pid
        assert pid is not None
        with pytest.raises(RenderError, match="超时"):
            printer.print_html(long_table_page(rows=400, paragraphs=40), timeout=0.05)
        assert printer.browser_pid is None
        assert_group_gone(pid)
        assert printer.print_html(long_table_page(rows=2, paragraphs=1)).startswith(b"%PDF-")
        pid = printer.browser_pid
        assert pid is not None
    assert_group_gone(pid)


def assert_group_gone(pgid: int) -> None:
    """No live process is left in the browser's process group (zombies await their reaper)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(stat.parent.name)
    assert not live, f"browser processes still running: {live}"


@pytest.mark.slow
def test_write_pdf_is_atomic_and_leaves_no_browser(tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.pdf"
    write_pdf(long_table_page(rows=3, paragraphs=2), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.pdf"]
    with pytest.raises(RenderError):
        write_pdf(long_table_page(rows=3, paragraphs=2, extra=f"<p>{RARE}</p>"), tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()


@pytest.mark.slow
@needs_poppler
def test_deployment_font_is_used_and_embedded(tmp_path: Path) -> None:
    dejavu = fonts._system_faces().get(("dejavu serif", "book"))
    if dejavu is None:
        pytest.skip("DejaVu Serif (fonts-dejavu-core) is not installed")
    renamed_font(dejavu[0], tmp_path / "licensed.ttf", "OGI Licensed Fangsong")
    (tmp_path / "fonts.toml").write_text('fangsong = "licensed.ttf"\n', encoding="utf-8")
    setup = fonts.load_setup({fonts.FONTS_DIR_ENV: str(tmp_path)})
    with PdfPrinter(fonts=setup) as printer:
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(printer.print_html(long_table_page(rows=2, paragraphs=1, extra="<p>Latin 2021</p>")))
    names = " ".join(line.split()[0] for line in assert_fonts_embedded(pdf))
    assert "OGILicensedFangsong" in names


# --- the report pages (ogi_report.render.html.page) --------------------------------------------------------


def long_report(by: BureauYear, repeat: int = 6) -> BureauYear:
    """The example with every result row of table 三 non-zero and each paragraph repeated."""
    t3 = by.tables["t3"]
    (block,) = t3.spec.blocks
    cells: dict[tuple[str, str], int | None] = {}
    for i, col in enumerate(c for c in block.columns if not c.total):
        results = 0
        for j, row in enumerate(r for r in block.rows if r.in_total):
            cells[(row.key, col.key)] = 1 + (i + j) % 9
            results += 1 + (i + j) % 9
        cells[("carried_over", col.key)] = 3
        cells[("carried_forward", col.key)] = 2
        cells[("new", col.key)] = results - 1
    blocks = []
    for block_text in by.narrative.split("\n\n"):
        plain = block_text.strip() and not block_text.lstrip().startswith("#")
        blocks.extend([block_text] * (repeat if plain else 1))
    return dataclasses.replace(
        by, narrative="\n\n".join(blocks), tables={**by.tables, "t3": complete_table(t3.spec, cells)}
    )


def render(by: BureauYear) -> str:
    from ogi_report.render.html.page import render_page  # the HTML half of issue 5, built alongside

    return render_page(by, check(by))


def assert_report(pdf: Path, by: BureauYear) -> list[str]:
    """A4, fonts embedded, numbered pages, and the narrative and tables' figures in order."""
    assert_a4(pdf)
    assert_fonts_embedded(pdf)
    pages = pages_text(pdf)
    assert_page_numbers(pages)
    flow = squeeze("".join(pages_text(pdf, layout=False)))
    pos = 0
    for block in fill(by).split("\n\n"):
        text = squeeze(block.lstrip("#").replace("**", ""))
        if not text:
            continue
        found = flow.find(text, pos)
        assert found >= 0, f"not found in order: {text[:40]}…"
        pos = found + len(text)
    # Table rows read across in the layout text: the label, then the row's figures.
    lines = [ln.split() for page in pages for ln in page.splitlines()]
    t2, t3 = by.tables["t2"], by.tables["t3"]
    for key, label in (("licensing", "行政许可"), ("punishment", "行政处罚"), ("enforcement", "行政强制")):
        assert [label, str(t2.get(key, "decisions"))] in lines, label
    for row, label in (("new", "一、本年新收政府信息公开申请数量"), ("total", "（七）总计")):
        figures = [str(t3.get(row, c.key)) for c in t3.spec.blocks[0].columns]
        assert any(ln[-8:] == [label, *figures] for ln in lines), label
    return pages


def is_t3_row(tokens: list[str]) -> bool:
    """A printed row of table 三: a label, then seven figures (table 四's row has no label)."""
    return len(tokens) > 7 and all(t.isdigit() for t in tokens[-7:]) and not tokens[-8].isdigit()


@pytest.mark.slow
@needs_poppler
def test_bundled_example(printer: PdfPrinter, tmp_path: Path) -> None:
    by = load(SEED).by
    pdf = tmp_path / "example.pdf"
    write_pdf(render(by), pdf, printer)
    pages = assert_report(pdf, by)
    assert "海东市应急管理局" in pages[0] and "年度报告" in pages[0]
    flow = squeeze("".join(pages))
    assert "海东市应急管理局2022年1月7日" in flow  # the signature, after the last section
    assert flow.index("六、下一步工作思路") < flow.index("海东市应急管理局2022年1月7日")


@pytest.mark.slow
@needs_poppler
def test_long_generated_report(printer: PdfPrinter, tmp_path: Path) -> None:
    by = long_report(load(SEED).by)
    assert not check(by).errors
    pdf = tmp_path / "long.pdf"
    write_pdf(render(by), pdf, printer)
    pages = assert_report(pdf, by)
    assert len(pages) >= 8
    report = pages[: next(i for i, p in enumerate(pages) if "检查的规则" in p)]  # not the appendix
    t3_pages = [p for p in report if any(is_t3_row(ln.split()) for ln in p.splitlines())]
    assert len(t3_pages) >= 2
    for text in t3_pages:
        assert "申请人情况" in text and "法人或其他组织" in text


@pytest.mark.slow
@needs_poppler
def test_pasted_indents_and_code_marks_print_in_the_body_font(printer: PdfPrinter, tmp_path: Path) -> None:
    """A tab-indented paragraph and a `code` span (typed by analysts) are text in the kit's fonts."""
    by = load(SEED).by
    pasted = (
        "\t下一步，我局将继续加强政务公开工作。\n\n"
        "按`《条例》`第五十条要求编制。\n\n"
        "```\n附：联系电话 0972-8612345\n```"
    )
    by = dataclasses.replace(by, narrative=by.narrative.rstrip() + "\n\n" + pasted + "\n")
    pdf = tmp_path / "pasted.pdf"
    pdf.write_bytes(printer.print_html(render(by)))
    text = squeeze(" ".join(pages_text(pdf)))
    for phrase in ("下一步，我局将继续加强政务公开工作。", "按《条例》第五十条要求编制。", "附：联系电话"):
        assert squeeze(phrase) in text
