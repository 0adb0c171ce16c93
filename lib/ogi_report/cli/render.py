"""``ogi-report render DIR_OR_PARAMS --out FILE [--format F] [--review]``: one bureau-year → a file.

Straight from data, without a notebook or kernel, through the same renderers as the batch and the
nbconvert exporters: the HTML page, the PDF (Typst, :mod:`ogi_report.render.pdf.typeset`) or the
Word document.  The published edition by default; ``--review`` adds the 数据校验 appendix.  A report
whose data fail the checks is still written — marked 草稿 — and the command exits 1, as ``check``
does; 2 when the input cannot be read or the output path cannot be used.  The format defaults to
``--out``'s suffix (else HTML); ``--out`` may name an existing folder: the file is then written there
as ``<slug>-<year>.<format>``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ogi_report.checks.runner import check
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.data import TARGET_HELP
from ogi_report.errors import DataError
from ogi_report.render.html.page import report_page
from ogi_report.render.model import Edition, Report, report_model
from ogi_report.storage.textfiles import write_bytes, write_text
from ogi_report.storage.workspace import load

SUFFIXES = {"html": (".html", ".htm"), "pdf": (".pdf",), "docx": (".docx",)}


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help=TARGET_HELP)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="写入的文件（.html、.pdf 或 .docx），或已有的文件夹（其中写入 <slug>-<year>.<格式>）",
    )
    p.add_argument(
        "--format", choices=tuple(SUFFIXES), default=None, help="输出格式（默认按 --out 的扩展名，否则 html）"
    )
    p.add_argument("--review", action="store_true", help="生成审阅版：报告之后附「数据校验」")


def _format_of(out: Path, wanted: str | None) -> str:
    """The format to write; a file name whose suffix says another format is refused (it would mislead)."""
    suffix = "" if out.is_dir() else out.suffix.lower()
    by_suffix = next((fmt for fmt, suffixes in SUFFIXES.items() if suffix in suffixes), None)
    fmt = wanted or by_suffix or "html"
    if suffix and by_suffix != fmt:
        raise DataError.one(out, f"输出文件的扩展名与格式 {fmt} 不符，应以 {' 或 '.join(SUFFIXES[fmt])} 结尾")
    return fmt


def _content(report: Report, fmt: str) -> str | bytes:
    if fmt == "pdf":
        from ogi_report.render.pdf.typeset import Typesetter

        return Typesetter().pdf(report, Edition.REVIEW if report.checks is not None else Edition.PUBLISHED)
    if fmt == "docx":
        from ogi_report.render.docx.document import report_docx

        return report_docx(report)
    return report_page(report)


def run_render(args: argparse.Namespace) -> int:
    out: Path = args.out
    fmt = _format_of(out, args.format)  # before loading: a wrong name costs nothing
    loaded = load(args.target)
    if out.is_dir():
        out = out / f"{loaded.by.meta.slug}-{loaded.by.meta.year}{SUFFIXES[fmt][0]}"
        if out.is_dir():
            raise DataError.one(out, "是一个目录，无法写入报告；请换一个 --out")
    result = check(loaded.by, loaded.previous)
    notes = (loaded.previous_problem,) if loaded.previous_problem else ()
    edition = Edition.REVIEW if args.review else Edition.PUBLISHED
    content = _content(report_model(loaded.by, result, notes).edition(edition), fmt)
    if isinstance(content, str):
        write_text(out, content)
    else:
        write_bytes(out, content)
    status = f"（草稿：错误 {len(result.errors)} 条）" if result.errors else ""
    print(f"已写入 {out}{status}", file=sys.stderr)
    return ExitCode.OK if result.ok else ExitCode.PROBLEMS


COMMAND = Command("render", "把一个机关年度的数据生成为报告（HTML、PDF 或 DOCX）", _render_args, run_render)
