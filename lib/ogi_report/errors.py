"""The kit's exceptions.

    OgiError                 anything the kit reports to an analyst instead of a traceback
    ├── InputError           an input file could not be read or does not follow the format (exit 2)
    │   └── DataError        one or more problems, each naming file, table, row and column
    └── RenderError          a report could not be written (e.g. a glyph missing from the fonts)

Messages are in Chinese and say what was found, what was expected and what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class OgiError(Exception):
    """Base of every error the kit explains to its user."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located in the analyst's words."""

    file: str
    message: str
    table: str = ""
    row: str = ""
    column: str = ""
    line: int | None = None
    rule: str = ""

    def __str__(self) -> str:
        where = [self.file + (f" 第{self.line}行" if self.line else "")]
        if self.table:
            where.append(self.table)
        if self.row:
            where.append(f"行「{self.row}」")
        if self.column:
            where.append(f"列「{self.column}」")
        prefix = f"[{self.rule}] " if self.rule else ""
        return f"{prefix}{' / '.join(where)}：{self.message}"


class InputError(OgiError):
    """An input could not be read: the command exits with code 2."""


class DataError(InputError):
    """One or more located problems in a bureau-year's files, all collected before raising."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str | Path, message: str, **where: str | int | None) -> DataError:
        return cls([Problem(str(file), message, **where)])  # type: ignore[arg-type]


class RenderError(OgiError):
    """A report could not be rendered or written."""
