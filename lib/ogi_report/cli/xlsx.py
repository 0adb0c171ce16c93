"""The ``xlsx`` and ``import-xlsx`` sub-commands: the official tables as an Excel/WPS workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.data import TARGET_HELP
from ogi_report.errors import InputError
from ogi_report.storage.folder import NARRATIVE_FILE
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import read_text
from ogi_report.storage.workspace import load
from ogi_report.storage.xlsx import read_workbook, write_workbook


def _xlsx_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help=TARGET_HELP)
    p.add_argument("--out", type=Path, required=True, help="写入的工作簿（.xlsx）")
    p.add_argument("--no-narrative", action="store_true", help="不写入「正文」工作表")


def run_xlsx(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise InputError(f"输出文件应以 .xlsx 结尾：{args.out}")
    by = load(args.target).by
    write_workbook(by, args.out, narrative=not args.no_narrative)
    print(f"已写入 {args.out}", file=sys.stderr)
    return ExitCode.OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="由 ogi-report xlsx 生成并填写的工作簿（.xlsx）")
    add_out_args(p)


def run_import_xlsx(args: argparse.Namespace) -> int:
    refuse_existing(args.out, args.overwrite)
    # A workbook written without 正文 keeps the narrative already in the target folder.
    existing = args.out / NARRATIVE_FILE
    narrative = read_text(existing) if existing.is_file() else None
    by = read_workbook(args.file, narrative=narrative)
    write_imported(by, args.out, args.overwrite, "改正工作簿「基本信息」中的「年度」「标识」")
    computed = sum(len(t.computed) for t in by.tables.values())
    note = f"{computed} 个总计按公式计算，直接填写的总计已保留；请运行 ogi-report check 校验"
    print(f"已写入 {args.out}（{note}）", file=sys.stderr)
    return ExitCode.OK


COMMANDS = (
    Command("xlsx", "把一个机关年度的数据写成官方表格样式的 Excel 工作簿", _xlsx_args, run_xlsx),
    Command("import-xlsx", "从 Excel 工作簿读入一个机关年度的数据", _import_args, run_import_xlsx),
)
