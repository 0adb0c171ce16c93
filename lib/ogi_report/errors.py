"""The kit's exceptions: every error it explains to an analyst instead of printing a traceback.

    OgiError                     anything the kit reports to an analyst instead of a traceback
    ├── InputError               an input could not be read or does not follow the format (exit 2)
    │   ├── DataError            one or more problems, each naming file, table, row and column
    │   │   └── NotebookDataError    the same, raised in the report notebook (no traceback shown)
    │   └── NotebookInputError   any other kit error raised in the report notebook
    ├── UsageError               the command line asks for what cannot be done (exit 2)
    │   └── BatchBusy            another batch is writing the same output folder
    └── RenderError              a report could not be rendered or written (e.g. a glyph missing)
        ├── KernelFailure        a warm kernel could not be started, warmed or reset
        └── StaleBatch           the batch that started a report has ended: its files are not committed

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


NOTEBOOK_HINT = (
    "请检查笔记本第一个单元格的参数（slug、year、data_root）和数据文件，修改后选择「运行 › 运行所有单元格」。"
)


class _ShortTraceback:
    """Mixin: IPython shows the Chinese message and a hint instead of a traceback.

    IPython prints an exception's ``_render_traceback_()`` in place of its traceback.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: 无法生成报告", str(self), NOTEBOOK_HINT]


class NotebookDataError(_ShortTraceback, DataError):
    """A :class:`DataError` raised in the notebook: the same problems, shown without a traceback."""


class NotebookInputError(_ShortTraceback, InputError):
    """Any other kit error raised in the notebook, shown without a traceback."""


def in_notebook(exc: OgiError) -> NotebookDataError | NotebookInputError:
    """``exc`` as the notebook shows it: the same message, without a traceback."""
    if isinstance(exc, DataError):
        return NotebookDataError(exc.problems)
    return NotebookInputError(str(exc))


class UsageError(OgiError):
    """The command line asks for something that cannot be done (exit code 2, nothing rendered)."""


class BatchBusy(UsageError):
    """Another batch is writing the same output folder."""


class RenderError(OgiError):
    """A report could not be rendered or written."""


class KernelFailure(RenderError):
    """A warm kernel could not be started, warmed or reset."""


class StaleBatch(RenderError):
    """The batch that started a report is gone and another holds its output folder: nothing is committed."""
