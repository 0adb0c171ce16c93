"""Findings: what a check found, where, and what to do about it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from ogi_report.spec.ids import RuleId


class Severity(StrEnum):
    """How much a finding matters: errors block publication, warnings are shown."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    """One rule violation, located in the analyst's words (表三 / 行「（七）总计」/ 列「自然人」)."""

    rule: str  # the RuleId of a declared rule; PLACEHOLDER for a placeholder a renderer could not fill
    severity: Severity
    message: str  # what is wrong and what to fix, in Chinese
    table: str = ""  # 表二 / 表三 / 表四, or 正文 / 基本信息
    row: str = ""
    column: str = ""
    found: str = ""
    expected: str = ""

    @property
    def location(self) -> str:
        parts = [self.table] if self.table else []
        if self.row:
            parts.append(f"行「{self.row}」")
        if self.column:
            parts.append(f"列「{self.column}」")
        return " / ".join(parts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """The finding :meth:`to_dict` wrote (its derived ``location`` is ignored)."""
        fields = {k: str(data.get(k, "")) for k in ("message", "table", "row", "column", "found", "expected")}
        return cls(_rule_id(str(data.get("rule", ""))), Severity(data["severity"]), **fields)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rule"] = str(self.rule)  # a RuleId as the plain text it stands for
        data["severity"] = self.severity.value
        data["location"] = self.location
        return data

    def __str__(self) -> str:
        detail = ""
        if self.found or self.expected:
            detail = f"（实际 {self.found or '—'}，应为 {self.expected or '—'}）"
        where = f"{self.location}：" if self.location else ""
        return f"[{self.rule}] {self.severity.label} {where}{self.message}{detail}"


def _rule_id(text: str) -> str:
    """``text`` as its :class:`RuleId` when it names a declared rule, else as written."""
    try:
        return RuleId(text)
    except ValueError:
        return text
