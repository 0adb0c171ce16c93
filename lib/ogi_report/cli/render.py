"""``ogi-report render DIR_OR_PARAMS --out FILE.html``: one bureau-year → its standalone HTML page.

Straight from data, without a notebook or kernel (:func:`ogi_report.render.html.page.render_page`).  A report
whose data fail the checks is still written — marked 草稿 at the top, the findings in its 数据校验
appendix — and the command exits 1, as ``check`` does; 2 when the input cannot be read or the
output path cannot be used.  ``--out`` may name an existing folder: the page is then written there
as ``<slug>-<year>.html``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ogi_report.checks.runner import check
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.data import TARGET_HELP
from ogi_report.errors import DataError
from ogi_report.render.html.page import render_page
from ogi_report.storage.textfiles import write_text
from ogi_report.storage.workspace import load

HTML_SUFFIXES = (".html", ".htm")


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help=TARGET_HELP)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="写入的 HTML 文件（.html），或已有的文件夹（其中写入 <slug>-<year>.html）",
    )


def _refuse_suffix(out: Path) -> None:
    """Only HTML is written here: a .pdf or .docx name would hold HTML and mislead whoever opens it."""
    if out.is_dir() or out.suffix.lower() in HTML_SUFFIXES:
        return
    raise DataError.one(
        out,
        "render 只生成 HTML 网页，输出文件应以 .html 或 .htm 结尾；"
        "PDF、DOCX 请用 ogi-report batch --format pdf,docx（或 run_reports.py --format pdf,docx）批量生成，"
        "或对笔记本运行 jupyter nbconvert --to ogi_report_pdf（ogi_report_docx）",
    )


def run_render(args: argparse.Namespace) -> int:
    out: Path = args.out
    _refuse_suffix(out)  # before loading: a wrong name costs nothing
    loaded = load(args.target)
    if out.is_dir():
        out = out / f"{loaded.by.meta.slug}-{loaded.by.meta.year}.html"
        if out.is_dir():
            raise DataError.one(out, "是一个目录，无法写入报告页；请换一个 --out")
    result = check(loaded.by, loaded.previous)
    notes = (loaded.previous_problem,) if loaded.previous_problem else ()
    write_text(out, render_page(loaded.by, result, notes))
    status = f"（草稿：错误 {len(result.errors)} 条）" if result.errors else ""
    print(f"已写入 {out}{status}", file=sys.stderr)
    return ExitCode.OK if result.ok else ExitCode.PROBLEMS


COMMAND = Command("render", "把一个机关年度的数据生成为独立的 HTML 报告页", _render_args, run_render)
