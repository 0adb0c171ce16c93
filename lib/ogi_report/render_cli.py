"""``ogi-report render DIR_OR_PARAMS --out FILE.html``: one bureau-year → its standalone HTML page.

Straight from data, without a notebook or kernel (:func:`ogi_report.page.render_page`).  A report
whose data fail the checks is still written — marked 草稿 at the top, the findings in its 数据校验
appendix — and the command exits 1, as ``check`` does; 2 when the input cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ogi_report.checks import check
from ogi_report.cli import EXIT_ERRORS, EXIT_OK, command
from ogi_report.page import render_page
from ogi_report.textfiles import write_text
from ogi_report.workspace import load


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "target", type=Path, help="数据目录（data/<slug>/<year>）或参数文件（params/<slug>-<year>.toml）"
    )
    p.add_argument("--out", type=Path, required=True, help="写入的 HTML 文件")


@command("render", "把一个机关年度的数据生成为独立的 HTML 报告页", _render_args)
def run_render(args: argparse.Namespace) -> int:
    loaded = load(args.target)
    result = check(loaded.by, loaded.previous)
    notes = (loaded.previous_problem,) if loaded.previous_problem else ()
    write_text(args.out, render_page(loaded.by, result, notes))
    status = f"（草稿：错误 {len(result.errors)} 条）" if result.errors else ""
    print(f"已写入 {args.out}{status}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_ERRORS
