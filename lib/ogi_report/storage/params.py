"""Params files: ``params/<slug>-<year>.toml`` names one bureau-year of a batch.

Keys: ``slug``, ``year``, optional ``data`` (default ``data/<slug>/<year>``, relative to the
project root).  The file's name must agree with its content: last year's file copied and not
updated is the classic mistake.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ogi_report.errors import DataError
from ogi_report.model.bureau import SLUG_RE
from ogi_report.spec.labels import suggestion
from ogi_report.storage.textfiles import read_text

PARAM_KEYS = ("slug", "year", "data")


@dataclass(frozen=True)
class Params:
    """One bureau-year of a batch, validated."""

    slug: str
    year: int
    data: Path  # the bureau-year folder
    file: Path | None = None

    @property
    def name(self) -> str:
        return f"{self.slug}-{self.year}"


def validate_slug(slug: object, where: str | Path) -> str:
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise DataError.one(where, f"slug 读到「{slug}」，应只含小写字母、数字和连字符（[a-z0-9-]+）")
    return slug


def validate_year(year: object, where: str | Path) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise DataError.one(where, f"year 读到「{year}」（{type(year).__name__}），应为四位整数年份，如 2021")
    return year


def data_folder(root: Path, slug: str, year: int) -> Path:
    """The default data folder of a bureau-year."""
    return root / "data" / slug / str(year)


def read_params(path: Path, root: Path) -> Params:
    """Read and validate a params file; ``root`` is the folder relative paths start from."""
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError.one(path, f"TOML 格式错误：{exc}") from exc
    for key in data:
        if key not in PARAM_KEYS:
            raise DataError.one(path, f"未知的键「{key}」，{suggestion(key, PARAM_KEYS)}")
    slug = validate_slug(data.get("slug"), path)
    year = validate_year(data.get("year"), path)
    expected = f"{slug}-{year}.toml"
    if path.name != expected:
        raise DataError.one(
            path, f"文件名应为「{expected}」（与其中的 slug、year 一致）：是否复制了别的参数文件而未修改？"
        )
    raw = data.get("data")
    if raw is None:
        folder = data_folder(root, slug, year)
    else:
        if not isinstance(raw, str) or not raw.strip():
            raise DataError.one(path, f"data 读到「{raw}」，应为数据目录的路径（文字）")
        rel = PurePosixPath(raw)
        if rel.is_absolute() or ".." in rel.parts:
            raise DataError.one(path, f"data 读到「{raw}」，应为项目内的相对路径（不含 ..）")
        folder = root / rel
    return Params(slug, year, folder, path)
