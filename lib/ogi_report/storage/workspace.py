"""Finding a bureau-year on disk: from a data folder or a params file, with last year beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.params import Params, data_folder, read_params, validate_slug, validate_year


@dataclass(frozen=True)
class Loaded:
    """A bureau-year, last year's data when they exist, and why last year's could not be used."""

    by: BureauYear
    previous: BureauYear | None
    previous_problem: str = ""


def project_root_of(params_file: Path) -> Path:
    """The project root of a params file (``<root>/params/<slug>-<year>.toml``)."""
    return params_file.resolve().parent.parent


def resolve_target(target: Path) -> Path:
    """The data folder named by ``target``: a data folder itself, or a params file."""
    if target.suffix == ".toml" and not target.is_dir():
        return read_params(target, project_root_of(target)).data
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


def load_for(slug: object, year: object, root: Path) -> Loaded:
    """Load by (slug, year) under a project root, validating both first (the notebook's entry)."""
    slug = validate_slug(slug, "参数 slug")
    year = validate_year(year, "参数 year")
    params_file = root / "params" / f"{slug}-{year}.toml"
    if params_file.is_file():
        params: Params = read_params(params_file, root)
        return load(params.data)
    folder = data_folder(root, slug, year)
    if not folder.is_dir():
        raise DataError.one(folder, f"找不到 {slug} 的 {year} 年数据：应有 {params_file} 或数据目录 {folder}")
    return load(folder)
