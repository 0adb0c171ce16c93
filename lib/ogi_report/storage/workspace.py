"""The project folder, and finding a bureau-year in it.

A project holds ``data/<slug>/<year>/`` (one folder per bureau-year, see :mod:`ogi_report.storage.folder`)
and ``params/<slug>-<year>.toml`` (one file per bureau-year of a batch).  :class:`Workspace` is the one
place that knows this layout and validates what names a bureau-year (slug, year, publisher type);
:func:`load` reads a bureau-year from a data folder or a params file, with last year's data beside it.

A params file has the keys ``slug``, ``year`` and optionally ``data`` (default ``data/<slug>/<year>``,
relative to the project root).  Its name must agree with its content: last year's file copied and
not updated is the classic mistake.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import tomli_w

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, PublisherType, is_slug, is_year, slug_problem
from ogi_report.spec.labels import suggestion
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.parsing import parse_toml
from ogi_report.storage.textfiles import read_text, write_text

DATA_DIR = "data"
PARAMS_DIR = "params"
PARAM_KEYS = ("slug", "year", "data")
_PARAMS_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<year>\d{4})$")


@dataclass(frozen=True)
class Params:
    """One bureau-year of a batch, as its params file names it (validated)."""

    slug: str
    year: int
    data: Path  # the bureau-year folder
    file: Path


@dataclass(frozen=True)
class Loaded:
    """A bureau-year, last year's data when they exist, and why last year's could not be used."""

    by: BureauYear
    previous: BureauYear | None
    previous_problem: str = ""


@dataclass(frozen=True)
class Workspace:
    """A project root with its ``data/`` and ``params/`` folders."""

    root: Path

    @classmethod
    def of_params_file(cls, params_file: Path) -> Workspace:
        """The project of a params file (``<root>/params/<slug>-<year>.toml``)."""
        return cls(params_file.resolve().parent.parent)

    @classmethod
    def find(cls, start: Path) -> Workspace | None:
        """The project at or above ``start``: the first folder holding ``data/`` and ``params/``."""
        for folder in (start, *start.parents):
            if (folder / DATA_DIR).is_dir() and (folder / PARAMS_DIR).is_dir():
                return cls(folder)
        return None

    # --- the layout --------------------------------------------------------------------------

    @property
    def params_dir(self) -> Path:
        return self.root / PARAMS_DIR

    @classmethod
    def from_parameter(cls, data_root: object) -> Workspace:
        """The project named by the ``data_root`` parameter ("" means: find it from the cwd).

        Run from JupyterLab the kernel starts in ``notebooks/``, whose parent is the project root.
        """
        if isinstance(data_root, os.PathLike):
            data_root = os.fspath(data_root)
        if not isinstance(data_root, str):
            raise DataError.one(
                "参数 data_root", f'读到「{data_root}」，应为文件夹路径字符串，或 "" 表示自动查找'
            )
        if data_root.strip():
            root = Path(data_root).expanduser()
            if not root.is_dir():
                raise DataError.one(root, "参数 data_root 指向的文件夹不存在")
            return cls(root)
        found = cls.find(Path.cwd())
        if found is None:
            raise DataError.one(
                Path.cwd(),
                "找不到项目根目录（含 data/ 与 params/ 的文件夹）："
                "请在参数 data_root 中写明数据所在的项目根目录",
            )
        return found

    def data_folder(self, slug: str, year: int) -> Path:
        """The default data folder of a bureau-year."""
        return self.root / DATA_DIR / slug / str(year)

    def params_file(self, slug: str, year: int) -> Path:
        return self.params_dir / f"{slug}-{year}.toml"

    def params_files(self) -> list[Path]:
        """Every params file of the project (also those whose name is not ``<slug>-<year>``)."""
        return sorted(self.params_dir.glob("*.toml"))

    @staticmethod
    def params_key(path: Path) -> tuple[str, int] | None:
        """The (slug, year) a params file's name gives, or None when it is not ``<slug>-<year>.toml``."""
        match = _PARAMS_NAME.match(path.stem)
        return (match["slug"], int(match["year"])) if match else None

    # --- params files ------------------------------------------------------------------------

    def read_params(self, path: Path) -> Params:
        """Read and validate a params file; a relative ``data`` starts from the project root."""
        data = parse_toml(read_text(path), path)
        for key in data:
            if key not in PARAM_KEYS:
                raise DataError.one(path, f"未知的键「{key}」，{suggestion(key, PARAM_KEYS)}")
        slug = self.validate_slug(data.get("slug"), path)
        year = self.validate_year(data.get("year"), path)
        expected = self.params_file(slug, year).name
        if path.name != expected:
            raise DataError.one(
                path,
                f"文件名应为「{expected}」（与其中的 slug、year 一致）：是否复制了别的参数文件而未修改？",
            )
        return Params(slug, year, self._data_of(data.get("data"), slug, year, path), path)

    def _data_of(self, raw: object, slug: str, year: int, path: Path) -> Path:
        """The data folder a params file names (``data``), or the default one."""
        if raw is None:
            return self.data_folder(slug, year)
        if not isinstance(raw, str) or not raw.strip():
            raise DataError.one(path, f"data 读到「{raw}」，应为数据目录的路径（文字）")
        rel = PurePosixPath(raw)
        if rel.is_absolute() or ".." in rel.parts:
            raise DataError.one(path, f"data 读到「{raw}」，应为项目内的相对路径（不含 ..）")
        return self.root / rel

    def write_params(self, slug: str, year: int) -> Path:
        """Write the params file of a bureau-year at its default data folder; returns its path."""
        path = self.params_file(slug, year)
        write_text(path, tomli_w.dumps({"slug": slug, "year": year}))
        return path

    # --- loading -----------------------------------------------------------------------------

    def load(self, slug: object, year: object) -> Loaded:
        """Load by (slug, year), validating both first: through the params file when there is one."""
        slug = self.validate_slug(slug, "参数 slug")
        year = self.validate_year(year, "参数 year")
        params_file = self.params_file(slug, year)
        if params_file.is_file():
            return load(self.read_params(params_file).data)
        folder = self.data_folder(slug, year)
        if not folder.is_dir():
            raise DataError.one(
                folder, f"找不到 {slug} 的 {year} 年数据：应有 {params_file} 或数据目录 {folder}"
            )
        return load(folder)

    # --- what names a bureau-year ------------------------------------------------------------

    @staticmethod
    def is_slug(text: str) -> bool:
        """Whether ``text`` is a slug: lower-case letters, digits and single hyphens."""
        return is_slug(text)

    @staticmethod
    def validate_slug(slug: object, where: str | Path) -> str:
        if not is_slug(slug):
            raise DataError.one(where, f"slug {slug_problem(slug)}")
        return slug

    @staticmethod
    def validate_year(year: object, where: str | Path) -> int:
        if not is_year(year):
            raise DataError.one(
                where, f"year 读到「{year}」（{type(year).__name__}），应为四位整数年份，如 2021"
            )
        return year

    @staticmethod
    def validate_publisher(value: object, where: str | Path) -> PublisherType:
        if isinstance(value, str) and value in set(PublisherType):
            return PublisherType(value)
        raise DataError.one(where, f"type 读到「{value}」，应为 department（部门）或 government（政府）")


def load_for(slug: object, year: object, root: Path) -> Loaded:
    """The bureau-year ``slug``/``year`` of the project at ``root`` (see :meth:`Workspace.load`)."""
    return Workspace(root).load(slug, year)


def resolve_target(target: Path) -> Path:
    """The data folder named by ``target``: a data folder itself, or a params file."""
    if target.suffix == ".toml" and not target.is_dir():
        return Workspace.of_params_file(target).read_params(target).data
    return target


def previous_folder(folder: Path) -> Path | None:
    """``data/<slug>/<year-1>`` beside ``data/<slug>/<year>``, when the folder is named by year."""
    if not folder.name.isdigit():
        return None
    candidate = folder.parent / str(int(folder.name) - 1)
    return candidate if candidate.is_dir() else None


def load(target: Path) -> Loaded:
    """Load the bureau-year at ``target`` and, when present and readable, the previous year."""
    folder = resolve_target(target)
    by = load_bureau_year(folder)
    prev_dir = previous_folder(folder)
    if prev_dir is None:
        return Loaded(by, None)
    try:
        previous = load_bureau_year(prev_dir)
    except DataError as exc:
        return Loaded(by, None, f"上年数据 {prev_dir} 无法读取，跨年度校验未进行：{exc.problems[0]}")
    if previous.meta.slug != by.meta.slug or previous.meta.year != by.meta.year - 1:
        return Loaded(
            by, None, f"{prev_dir} 不是 {by.meta.slug} 的 {by.meta.year - 1} 年数据，跨年度校验未进行"
        )
    return Loaded(by, previous)
