"""The consistency rules (docs/rules.md) and running them on a bureau-year.

Each rule is declared once (:mod:`~ogi_report.checks.declaration`: id, severity, title, description,
check function) in the module of its subject — :mod:`~ogi_report.checks.tables`,
:mod:`~ogi_report.checks.meta`, :mod:`~ogi_report.checks.crossyear`,
:mod:`~ogi_report.checks.narrative` — and listed in :mod:`~ogi_report.checks.registry`;
:mod:`~ogi_report.checks.runner` runs them and stamps each finding with its rule's id and severity,
and :mod:`~ogi_report.checks.reference` writes docs/rules.md.
"""

from ogi_report.checks.declaration import Context, Found, Rule
from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.meta import statutory_deadline
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import CheckResult, RuleOutcome, check
from ogi_report.spec.ids import RuleId

__all__ = [
    "RULES",
    "CheckResult",
    "Context",
    "Finding",
    "Found",
    "Rule",
    "RuleId",
    "RuleOutcome",
    "Severity",
    "check",
    "statutory_deadline",
]
