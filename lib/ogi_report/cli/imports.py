"""``ogi-report import`` and ``ogi-report import-batch``: published reports → bureau-year folders.

Exit codes of ``import``: 0 every cell and section was placed; 1 the folder was written but some
items or cells could not be placed (listed on stderr, each with the line it came from; the cells
concerned are left blank and recorded as unread in ``import.json``, so ``check`` reports them under
IMPORT); 2 the file could not be read or is not a report (nothing written).  Both commands print a
one-line tally of the tables' cells: read, computed, unread.  ``import-batch`` imports every report
of a folder, never stopping at a broken one, and exits 0 when all were imported completely, 1 when
some failed or were incomplete, 2 when the folder itself cannot be read.

The slug (``[a-z0-9-]+``) is never invented from the Chinese name: ``--slug``, or the file name
when it already is a slug (``suqian.pdf``; a trailing ``-<year>`` equal to the report's year is
dropped: ``suqian-2024.pdf`` → ``suqian``).  In a batch folder, ``slugs.toml`` maps other file names::

    "02_huaian-city-gov-2024.txt" = "huaian"
    "宿迁市2024年报告.pdf" = { slug = "suqian", type = "government" }

(a table may also give ``year`` and ``name``, overriding what the report says).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ogi_report import oserrors
from ogi_report.cli.command import Command, ExitCode
from ogi_report.errors import DataError, OgiError
from ogi_report.importers import Imported, ImportOptions, import_report, suffixes
from ogi_report.importers.budget import DEFAULT_MAX_SECONDS
from ogi_report.model.bureau import PublisherType
from ogi_report.storage.parsing import parse_toml
from ogi_report.storage.provenance import CellSource
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import read_text
from ogi_report.storage.workspace import Workspace

SLUG_FILE = "slugs.toml"
_MAPPING_KEYS = ("slug", "type", "year", "name")


def slug_from_name(path: Path, year: int | None = None) -> str | None:
    """The slug a file name already is (a trailing ``-<year>`` dropped), or None."""
    stem = path.stem
    if year is not None and stem.endswith(f"-{year}"):
        stem = stem[: -len(f"-{year}")]
    return stem if Workspace.is_slug(stem) else None


def describe(imported: Imported, file: str) -> list[str]:
    """The lines telling the analyst what could not be placed, and the notes."""
    out = []
    for item in imported.unplaced:
        where = f"{file}" + (f" 第{item.line}行" if item.line else "")
        table = f" {item.table}" if item.table else ""
        quoted = f"（原文：{item.text[:60]}）" if item.text else ""
        out.append(f"  未能放置：{where}{table}：{item.message}{quoted}")
    out.extend(f"  说明：{note}" for note in imported.notes)
    return out


def tally(imported: Imported) -> str:
    """The one-line count of the tables' cells: read, computed, unread (and absent, when any)."""
    counts = imported.provenance.tally()
    line = (
        f"表格单元格：读出 {counts[CellSource.READ]} 个，计算 {counts[CellSource.COMPUTED]} 个，"
        f"未能读出 {counts[CellSource.UNREAD]} 个"
    )
    if counts[CellSource.INVALID]:
        line += f"，印的不是数值 {counts[CellSource.INVALID]} 个（由 N 报出原文）"
    if counts[CellSource.ABSENT]:
        line += f"（另有 {counts[CellSource.ABSENT]} 个为报告所用格式所无）"
    return line


def unread_count(imported: Imported) -> int:
    """How many cells of the tables could not be read from the report (or were printed as no value)."""
    counts = imported.provenance.tally()
    return counts[CellSource.UNREAD] + counts[CellSource.INVALID]


def _publisher(value: str | None, where: str) -> PublisherType | None:
    return None if value is None else Workspace.validate_publisher(value, where)


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="已发布的年度报告：.txt、.md、.html、.pdf 或 .docx")
    add_out_args(p)
    p.add_argument("--slug", help="机关代号（小写字母、数字、连字符）；文件名已是代号时可省略")
    p.add_argument("--year", type=int, help="年度（覆盖标题中的年度）")
    p.add_argument(
        "--type", choices=[t.value for t in PublisherType], help="部门（department）或政府（government）"
    )
    p.add_argument("--name", help="机关名称（覆盖标题中的名称）")
    _max_seconds_arg(p)


def _max_seconds_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-seconds",
        type=float,
        default=DEFAULT_MAX_SECONDS,
        metavar="SECONDS",
        help=f"每个文件的导入时限（默认 {DEFAULT_MAX_SECONDS:g}）",
    )


def run_import_report(args: argparse.Namespace) -> int:
    path: Path = args.file
    refuse_existing(args.out, args.overwrite)  # before the (possibly slow) reading of a PDF
    slug = args.slug or slug_from_name(path, args.year)
    if slug is None:
        raise DataError.one(
            path, "文件名不是机关代号，请用 --slug 指定（如 --slug huaian-gov），本工具不从中文名称猜拼音"
        )
    Workspace.validate_slug(slug, "--slug")
    if args.year is not None:
        Workspace.validate_year(args.year, "--year")
    options = ImportOptions(slug, args.year, _publisher(args.type, "--type"), args.name, args.max_seconds)
    imported = import_report(path, options)
    if not args.slug and args.year is None:
        # The year is known only now: "suqian-2024.txt" gives the slug "suqian".
        better = slug_from_name(path, imported.by.meta.year)
        if better and better != slug:
            imported.by = replace(imported.by, meta=replace(imported.by.meta, slug=better))
    write_imported(imported.by, args.out, args.overwrite, "用 --year、--slug 指定", imported.provenance)
    print(f"已写入 {args.out}（{imported.by.meta.title}）", file=sys.stderr)
    for line in describe(imported, str(path)):
        print(line, file=sys.stderr)
    print(tally(imported), file=sys.stderr)
    return ExitCode.PROBLEMS if imported.unplaced or unread_count(imported) else ExitCode.OK


@dataclass(frozen=True)
class BatchItem:
    """One file of a batch and what happened to it."""

    file: str
    ok: bool
    message: str


def read_mapping(folder: Path) -> dict[str, dict[str, Any]]:
    """``slugs.toml`` of a batch folder: file name → {slug, type, year, name}."""
    path = folder / SLUG_FILE
    if not path.is_file():
        return {}
    data = parse_toml(read_text(path), path)  # bounded nesting, Chinese messages
    mapping: dict[str, dict[str, Any]] = {}
    for name, value in data.items():
        entry = {"slug": value} if isinstance(value, str) else value
        if not isinstance(entry, dict) or any(k not in _MAPPING_KEYS for k in entry):
            raise DataError.one(path, f"「{name}」应为代号文字，或含 {', '.join(_MAPPING_KEYS)} 的表")
        mapping[name] = entry
    return mapping


def import_one(
    path: Path,
    workspace: Workspace,
    entry: dict[str, Any],
    overwrite: bool,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> BatchItem:
    """Import one file of a batch into ``workspace``; every failure becomes a message, never an exception."""
    try:
        year = entry.get("year")
        if year is not None:
            workspace.validate_year(year, f"{SLUG_FILE}「{path.name}」")
        mapped = entry.get("slug")
        if mapped is not None and (not isinstance(mapped, str) or not workspace.is_slug(mapped)):
            return BatchItem(
                path.name, False, f"{SLUG_FILE} 中的代号「{mapped}」应只含小写字母、数字和连字符"
            )
        options = ImportOptions(
            mapped or "pending",
            year,
            _publisher(entry.get("type"), SLUG_FILE),
            entry.get("name"),
            max_seconds,
        )
        imported = import_report(path, options)
        # Without a mapping the file name must be the slug ("suqian-2024.txt" → "suqian").
        slug = mapped or slug_from_name(path, imported.by.meta.year)
        if slug is None:
            return BatchItem(path.name, False, f"文件名不是机关代号，请在 {SLUG_FILE} 中写明其代号")
        imported.by = replace(imported.by, meta=replace(imported.by.meta, slug=slug))
        meta = imported.by.meta
        folder = workspace.data_folder(meta.slug, meta.year)
        params_file = workspace.params_file(meta.slug, meta.year)
        if not overwrite and (folder.exists() or params_file.exists()):
            return BatchItem(
                path.name, False, f"{folder} 或 {params_file} 已存在，未覆盖（需要时加 --overwrite）"
            )
        write_imported(imported.by, folder, overwrite, f"在 {SLUG_FILE} 中写明", imported.provenance)
        workspace.write_params(meta.slug, meta.year)
        details = describe(imported, path.name)
        complete = not imported.unplaced and not unread_count(imported)
        head = f"→ {folder}" + ("" if complete else f"（{len(imported.unplaced)} 项未能放置）")
        return BatchItem(path.name, complete, "\n".join([head, *details, "  " + tally(imported)]))
    except OgiError as exc:
        return BatchItem(path.name, False, str(exc))
    except OSError as exc:  # one unwritable folder must not stop the batch
        return BatchItem(path.name, False, oserrors.describe(exc))


def _batch_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, help="存放已发布报告的文件夹（可含 slugs.toml）")
    p.add_argument("--root", type=Path, default=Path("."), help="项目根目录（写入 data/ 与 params/）")
    p.add_argument("--overwrite", action="store_true", help="覆盖已存在的数据目录与参数文件")
    _max_seconds_arg(p)


def run_import_batch(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        raise DataError.one(folder, "不是文件夹")
    mapping = read_mapping(folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes())
    if not files:
        raise DataError.one(folder, "文件夹中没有可导入的报告（" + "、".join(suffixes()) + "）")
    workspace = Workspace(args.root)
    items = [
        import_one(p, workspace, mapping.get(p.name, {}), args.overwrite, args.max_seconds) for p in files
    ]
    for name in sorted(set(mapping) - {p.name for p in files}):
        items.append(BatchItem(name, False, f"{SLUG_FILE} 中列出，但文件夹中没有此文件"))
    for item in items:
        print(f"{'成功' if item.ok else '失败'}：{item.file} {item.message}")
    failed = [i for i in items if not i.ok]
    print(f"共 {len(items)} 个文件：完整导入 {len(items) - len(failed)} 个，失败或不完整 {len(failed)} 个。")
    return ExitCode.PROBLEMS if failed else ExitCode.OK


COMMANDS = (
    Command(
        "import",
        "从已发布的年度报告（txt/md/html/pdf/docx）导入一个机关年度",
        _import_args,
        run_import_report,
    ),
    Command("import-batch", "批量导入一个文件夹中的已发布年度报告", _batch_args, run_import_batch),
)
