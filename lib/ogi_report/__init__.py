"""ogi-report: 政府信息公开工作年度报告 — the official format as data, checks, and rendering.

The public surface used by the notebook and by other tools.
"""

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult, check
from ogi_report.errors import DataError, InputError, OgiError, RenderError
from ogi_report.model.bureau import BureauYear, Meta, Table
from ogi_report.spec.formats import FORMATS, format_for_year
from ogi_report.storage.workspace import Loaded, load, load_for

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "BureauYear",
    "CheckResult",
    "DataError",
    "Finding",
    "InputError",
    "Loaded",
    "Meta",
    "OgiError",
    "RenderError",
    "Severity",
    "Table",
    "__version__",
    "check",
    "format_for_year",
    "load",
    "load_for",
]
