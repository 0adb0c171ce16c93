"""Every bureau-year of a project, read once: :func:`read_root`.

A project keeps one folder per bureau-year, ``data/<slug>/<year>/``; a params file
(``params/<slug>-<year>.toml``) may point a bureau-year at another folder (its ``data`` key), and
then that folder is the one read.  A folder that cannot be read is not skipped silently: it is kept
as an :class:`Unreadable` with the loader's Chinese message, so an overview can list the body as
failed instead of as missing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ogi_report.errors import OgiError
from ogi_report.model.bureau import BureauYear, is_slug
from ogi_report.overview.frames import long_frame
from ogi_report.storage.folder import META_FILE, load_bureau_year, read_meta
from ogi_report.storage.workspace import DATA_DIR, Workspace


@dataclass(frozen=True)
class Unreadable:
    """A bureau-year folder whose data could not be read, and why (Chinese, naming file and cell)."""

    slug: str
    year: int
    folder: Path
    message: str
    name: str = ""  # from meta.toml when that file still reads


@dataclass(frozen=True)
class RootData:
    """The bureau-years of a project that were read, and those that could not be."""

    bureau_years: tuple[BureauYear, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()
    by_key: Mapping[tuple[str, int], BureauYear] = field(default_factory=dict)

    @classmethod
    def of(cls, bureau_years: Iterable[BureauYear], unreadable: Iterable[Unreadable] = ()) -> RootData:
        """Bureau-years built in memory (tests, analysts), keyed by (slug, year)."""
        bys = tuple(sorted(bureau_years, key=lambda b: (b.meta.year, b.meta.slug)))
        return cls(bys, tuple(unreadable), {(b.meta.slug, b.meta.year): b for b in bys})

    def get(self, slug: str, year: int) -> BureauYear | None:
        return self.by_key.get((slug, year))

    @property
    def years(self) -> list[int]:
        """Every year some bureau-year (read or not) is for, ascending."""
        return sorted({b.meta.year for b in self.bureau_years} | {u.year for u in self.unreadable})

    def frame(self) -> pd.DataFrame:
        """The long frame (:func:`ogi_report.overview.frames.long_frame`) of every bureau-year read."""
        return long_frame(self.bureau_years)


def matches(slug: str, patterns: Sequence[str]) -> bool:
    """Whether ``slug`` is selected by ``patterns`` (slugs or shell patterns such as ``haidong-*``);
    no patterns select every slug."""
    return not patterns or any(fnmatch.fnmatchcase(slug, p) for p in patterns)


def bureau_folders(root: Path) -> dict[tuple[str, int], Path]:
    """(slug, year) → data folder of every bureau-year of the project at ``root``.

    ``data/<slug>/<year>/`` folders holding a ``meta.toml``, overridden by what params files name.
    """
    folders: dict[tuple[str, int], Path] = {}
    data = root / DATA_DIR
    if data.is_dir():
        for slug_dir in sorted(data.iterdir()):
            if not (slug_dir.is_dir() and is_slug(slug_dir.name)):
                continue
            for year_dir in sorted(slug_dir.iterdir()):
                if year_dir.name.isdigit() and (year_dir / META_FILE).is_file():
                    folders[(slug_dir.name, int(year_dir.name))] = year_dir
    workspace = Workspace(root)
    if workspace.params_dir.is_dir():
        for path in workspace.params_files():
            try:
                params = workspace.read_params(path)
            except OgiError:
                continue  # the batch reports a broken params file; here the data folder still counts
            folders[(params.slug, params.year)] = params.data
    return folders


def _name_hint(folder: Path) -> str:
    """The body's name from a folder whose data cannot be loaded, when its meta file still reads."""
    try:
        return read_meta(folder / META_FILE).name
    except OgiError:
        return ""


def read_root(root: Path, *, years: Iterable[int] | None = None, slugs: Sequence[str] = ()) -> RootData:
    """Read the bureau-years of the project at ``root`` (only ``years`` and ``slugs`` when given)."""
    wanted = None if years is None else set(years)
    read: list[BureauYear] = []
    unreadable: list[Unreadable] = []
    for (slug, year), folder in sorted(bureau_folders(root).items()):
        if (wanted is not None and year not in wanted) or not matches(slug, slugs):
            continue
        try:
            by = load_bureau_year(folder)
        except OgiError as exc:
            unreadable.append(Unreadable(slug, year, folder, str(exc), _name_hint(folder)))
            continue
        if (by.meta.slug, by.meta.year) != (slug, year):
            found = f"{by.meta.slug} {by.meta.year} 年"
            unreadable.append(
                Unreadable(slug, year, folder, f"{folder} 中的 meta 为 {found}，与目录名不一致")
            )
            continue
        read.append(by)
    return RootData.of(read, unreadable)


def root_frame(root: Path, *, years: Iterable[int] | None = None, slugs: Sequence[str] = ()) -> pd.DataFrame:
    """The long frame of every readable bureau-year of the project at ``root``."""
    return read_root(root, years=years, slugs=slugs).frame()
