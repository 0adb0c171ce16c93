"""Writing an imported bureau-year folder: refuse to clobber, check the layout, swap atomically.

``import``, ``import-json``, ``import-xlsx`` and ``import-batch`` write a folder an analyst may
already have edited; this module is the one place that decides whether they may, and that makes
the new folder appear whole or not at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear
from ogi_report.storage.folder import (
    META_FILE,
    NARRATIVE_FILE,
    TABLE_FILES,
    load_bureau_year,
    save_bureau_year,
)
from ogi_report.storage.provenance import Provenance, write_provenance
from ogi_report.storage.textfiles import named

DATA_FILES = frozenset((META_FILE, NARRATIVE_FILE, *TABLE_FILES.values()))


def add_out_args(p: argparse.ArgumentParser) -> None:
    """``--out`` and ``--overwrite`` of the commands that write a bureau-year folder."""
    p.add_argument("--out", type=Path, required=True, help="写入的数据目录（如 data/<slug>/<year>）")
    p.add_argument(
        "--overwrite", action="store_true", help="覆盖已存在且不为空的数据目录（目录中的其他文件保留）"
    )


def refuse_existing(out: Path, overwrite: bool) -> None:
    """Refuse an output folder that already holds something unless ``--overwrite`` was given.

    An analyst's edited narrative and tables live there; an import must never replace them
    silently.  Called before the input is read, so a refusal costs nothing.
    """
    if out.exists() and not out.is_dir():
        raise DataError.one(out, "已存在且不是文件夹，无法写入数据目录；请换一个 --out")
    if not overwrite and out.is_dir() and any(out.iterdir()):
        raise DataError.one(
            out,
            "数据目录已存在且不为空，未写入（其中可能有已修改的正文和表格）；"
            "确需覆盖请加 --overwrite，或换一个 --out",
        )


def _layout_problems(by: BureauYear, out: Path, fix: str) -> list[Problem]:
    """Where ``out`` is laid out as data/<slug>/<year> but disagrees with the imported meta.

    The same rule as the loader's (a folder named by digits is a year, its parent the slug), so
    that ``check`` can read whatever an import writes; ``fix`` says where the analyst can correct
    the year or slug (``--year``/``--slug``, the JSON, the workbook).
    """
    meta, folder = by.meta, Path(os.path.abspath(out))  # abspath: "a/../2025" is in "a"'s parent
    if not folder.name.isdigit():
        return []
    # The folder the data belong in, beside the one typed (spelled as typed when it has the parts).
    data = out.parent.parent if len(out.parts) >= 3 else folder.parent.parent
    expected = data / meta.slug / str(meta.year)
    problems = []
    if int(folder.name) != meta.year:
        problems.append(
            Problem(
                str(out),
                f"导入的数据为 {meta.year} 年，但目录名为 {folder.name}（data/<slug>/<year> 中的年度）："
                f"请{fix}，或改用 --out {expected}",
            )
        )
    if folder.parent.name != meta.slug:
        problems.append(
            Problem(
                str(out),
                f"导入的代号（slug）为「{meta.slug}」，但上级目录名为「{folder.parent.name}」"
                f"（data/<slug>/<year> 中的代号）：请{fix}，或改用 --out {expected}",
            )
        )
    return problems


def _verify(staged: Path, out: Path) -> None:
    """Read the staged folder back with the loader ``check`` uses: refuse what it could not read."""
    try:
        load_bureau_year(staged)
    except DataError as exc:
        moved = [dataclasses.replace(p, file=p.file.replace(str(staged), str(out))) for p in exc.problems]
        raise DataError([Problem(str(out), "写入前核对未通过，未写入："), *moved]) from exc


def _keep_other_files(old: Path, new: Path) -> None:
    """Copy what ``old`` holds besides the data files into ``new`` (notes, source PDFs, …); what
    the import wrote itself (its ``import.json``) is not replaced by the old folder's."""
    for entry in old.iterdir():
        if entry.name in DATA_FILES or os.path.lexists(new / entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, new / entry.name, follow_symlinks=False)


def write_imported(
    by: BureauYear, out: Path, overwrite: bool, fix: str, provenance: Provenance | None = None
) -> None:
    """Write an imported bureau-year to ``out`` as one atomic step, or refuse and write nothing.

    ``provenance``, the import record the input carried, is written with the data as the folder's
    ``import.json``; without one, an ``import.json`` already in ``out`` is kept like any other file.

    Refused: a non-empty ``out`` without ``overwrite``; a year or slug disagreeing with an ``out``
    laid out as data/<slug>/<year>; data the loader could not read back.  The folder is written
    beside ``out`` first (:func:`save_bureau_year` writes file by file), read back, then renamed
    into place; an old folder is moved aside and removed only once the new one is in place, so an
    interrupted or failed import leaves either the old folder or the new one, never a mixture.
    """
    refuse_existing(out, overwrite)
    problems = _layout_problems(by, out, fix)
    if problems:
        raise DataError(problems)
    target = Path(os.path.abspath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".import", dir=target.parent))
    try:
        _stage_and_swap(by, out, target, stage, provenance)
    except OSError as exc:
        # The staging folder is the kit's, not the analyst's: name the folder being imported to.
        raise named(exc, out) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _stage_and_swap(
    by: BureauYear, out: Path, target: Path, stage: Path, provenance: Provenance | None
) -> None:
    """Write ``by`` in ``stage``, read it back, then put it in place of ``target`` in one rename."""
    # <stage>/<slug folder>/<year folder>: the loader's folder-name checks see the final names.
    staged = stage / target.parent.name / target.name
    save_bureau_year(by, staged)
    if provenance is not None:
        write_provenance(staged, provenance)
    _verify(staged, out)
    if target.is_dir():  # empty, or --overwrite
        _keep_other_files(target, staged)
        aside = stage / "previous"
        os.rename(target, aside)
        try:
            os.rename(staged, target)
        except BaseException:
            os.rename(aside, target)
            raise
    else:
        os.rename(staged, target)
