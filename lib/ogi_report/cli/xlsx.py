"""The ``xlsx`` and ``import-xlsx`` sub-commands: the official tables as an Excel/WPS workbook.

``import-xlsx`` never loses an edit: when the folder's narrative.md and the workbook's 正文 sheet
differ, the digest the workbook was written with (:data:`~ogi_report.storage.xlsx.layout.
NARRATIVE_DIGEST_PROPERTY`) tells which of them was edited since the export, and that one is kept;
when both were (or, for a workbook without the digest, narrative.md is the newer file), nothing is
written and the analyst chooses: ``--tables-only`` or ``--narrative folder|workbook``.  After an
import the data are checked, and every finding on a cell names it as the workbook does (「表三」!J5).
The import record of an imported bureau-year (``import.json``) goes into the workbook and comes back
with it, so cells the import could not read stay IMPORT, not BLANK, until the analyst fills them in.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ogi_report.checks.draft import fill_known
from ogi_report.checks.findings import Finding
from ogi_report.checks.runner import check
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.data import TARGET_HELP
from ogi_report.errors import DataError, InputError
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.formats import FORMATS, TableSpec
from ogi_report.storage.folder import META_FILE, NARRATIVE_FILE, load_bureau_year
from ogi_report.storage.provenance import attach, provenance_of, read_provenance
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import read_bytes, read_text, write_bytes
from ogi_report.storage.workspace import load
from ogi_report.storage.xlsx import (
    WorkbookOrigin,
    narrative_digest,
    read_workbook_origin,
    workbook_cell,
    write_workbook,
)

FIX = "改正工作簿「基本信息」中的「年度」「标识」"
MAX_SMALL_FILE = 4 * 1024 * 1024  # meta.toml and narrative.md kept byte for byte by --tables-only


def _xlsx_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help=TARGET_HELP)
    p.add_argument("--out", type=Path, required=True, help="写入的工作簿（.xlsx）")
    p.add_argument("--no-narrative", action="store_true", help="不写入「正文」工作表")


def run_xlsx(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise InputError(f"输出文件应以 .xlsx 结尾：{args.out}")
    by = load(args.target).by
    write_workbook(by, args.out, narrative=not args.no_narrative, provenance=provenance_of(by))
    print(f"已写入 {args.out}", file=sys.stderr)
    return ExitCode.OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="由 ogi-report xlsx 生成并填写的工作簿（.xlsx）")
    add_out_args(p)
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--tables-only",
        action="store_true",
        help="只导入表二、表三、表四：数据目录中的 meta.toml 与 narrative.md 原样保留（目录须已存在）",
    )
    choice.add_argument(
        "--narrative",
        choices=["folder", "workbook"],
        help="两边的正文都改过时，以哪一边为准：folder 保留 narrative.md，workbook 用工作簿的「正文」",
    )


def _same(a: str, b: str) -> bool:
    return narrative_digest(a) == narrative_digest(b)


def choose_narrative(
    book: BureauYear, origin: WorkbookOrigin, book_path: Path, folder_file: Path, choice: str | None
) -> tuple[str, str]:
    """The narrative to write and a note saying where it came from; refuses (InputError) when
    either choice would lose edits and the analyst has not chosen."""
    if not origin.has_narrative or not folder_file.is_file():
        return book.narrative, ""
    folder_text = read_text(folder_file)
    if _same(folder_text, book.narrative):
        return folder_text, ""
    if choice == "workbook":
        return (
            book.narrative,
            f"正文取自工作簿的「正文」（--narrative workbook），{folder_file} 原来的内容已替换",
        )
    if choice == "folder":
        return folder_text, f"正文保留 {folder_file}（--narrative folder）"
    exported = origin.exported_digest
    if exported == narrative_digest(folder_text):
        return book.narrative, "正文取自工作簿：导出后只在工作簿中修改过"
    if exported == narrative_digest(book.narrative):
        return folder_text, f"正文保留 {folder_file}：导出后只在 narrative.md 中修改过，工作簿的「正文」未改"
    if exported is None and folder_file.stat().st_mtime <= book_path.stat().st_mtime:
        return book.narrative, "正文取自工作簿（工作簿比 narrative.md 新）"
    why = (
        "导出工作簿之后，narrative.md 与工作簿的「正文」都修改过"
        if exported is not None
        else "narrative.md 比工作簿新，且与工作簿的「正文」不同"
    )
    raise InputError(
        f"{folder_file}：{why}，导入任何一边都会丢失另一边的修改，未写入任何文件。请选择：\n"
        f"  --tables-only          只导入表格，meta.toml 与 narrative.md 原样保留\n"
        f"  --narrative folder     导入表格与基本信息，正文保留 narrative.md\n"
        f"  --narrative workbook   正文以工作簿为准（narrative.md 的修改将丢失）"
    )


def _tables_only(book: BureauYear, out: Path) -> BureauYear:
    """The folder's bureau-year with the workbook's tables; the two must be the same body and year."""
    if not (out / META_FILE).is_file():
        raise InputError(f"{out}：--tables-only 只把表格导入已有的数据目录，但目录中没有 {META_FILE}")
    current = load_bureau_year(out)
    mine, theirs = current.meta, book.meta
    if (mine.slug, mine.year, mine.format_id) != (theirs.slug, theirs.year, theirs.format_id):
        raise DataError.one(
            book.source or "工作簿",
            f"工作簿是「{theirs.slug}」{theirs.year} 年（{FORMATS[theirs.format_id].name}），"
            f"数据目录是「{mine.slug}」{mine.year} 年（{FORMATS[mine.format_id].name}）："
            "不是同一份报告，未导入",
        )
    return replace(current, tables=book.tables)


def _print_findings(by: BureauYear) -> None:
    """The checks on what was imported, each cell named as the workbook names it."""
    result = check(by, text=fill_known(by))
    specs = {spec.name: spec for spec in by.format.tables}
    for finding in result.findings:
        print("  " + workbook_finding(finding, specs), file=sys.stderr)
    print(f"校验：错误 {len(result.errors)} 条，警告 {len(result.warnings)} 条。", file=sys.stderr)


def workbook_finding(finding: Finding, specs: dict[str, TableSpec]) -> str:
    """A finding as ``check`` prints it, then the workbook cell it is about (when it is one)."""
    spec = specs.get(finding.table)
    cell = workbook_cell(spec, finding.row, finding.column) if spec is not None else ""
    return f"{finding}（工作簿单元格 {cell}）" if cell else str(finding)


def run_import_xlsx(args: argparse.Namespace) -> int:
    if not args.tables_only:
        refuse_existing(args.out, args.overwrite)
    existing = args.out / NARRATIVE_FILE
    # A workbook written without 正文 keeps the narrative already in the target folder.
    folder_text = read_text(existing) if existing.is_file() else None
    book, origin = read_workbook_origin(args.file, narrative=folder_text)
    # The import record of what is written: the workbook's, else the import.json the folder keeps
    # (read first: a broken one is refused before anything is written).
    record = origin.provenance if origin.provenance is not None else read_provenance(args.out)
    if args.tables_only:
        by = _tables_only(book, args.out)
        kept = {name: read_bytes(args.out / name, MAX_SMALL_FILE) for name in (META_FILE, NARRATIVE_FILE)}
        write_imported(by, args.out, True, FIX, origin.provenance)
        for name, data in kept.items():  # byte for byte: comments and layout of the analyst's files
            write_bytes(args.out / name, data)
        note = "只导入了表格，meta.toml 与 narrative.md 未改"
    else:
        text, note = choose_narrative(book, origin, args.file, existing, args.narrative)
        by = replace(book, narrative=text)
        write_imported(by, args.out, args.overwrite, FIX, origin.provenance)
    if record is not None:  # the findings below are then check's on the folder
        attach(by, record)
    computed = sum(len(t.computed) for t in by.tables.values())
    done = f"{computed} 个总计按公式计算，直接填写的总计已保留"
    print(f"已写入 {args.out}（{done}{'；' + note if note else ''}）", file=sys.stderr)
    _print_findings(by)
    return ExitCode.OK


COMMANDS = (
    Command("xlsx", "把一个机关年度的数据写成官方表格样式的 Excel 工作簿", _xlsx_args, run_xlsx),
    Command("import-xlsx", "从 Excel 工作簿读入一个机关年度的数据", _import_args, run_import_xlsx),
)
