"""A government's report compiled from its members' (全市汇总): ``ogi-report compile``.

- :mod:`.sums`: the members' tables added up cell by cell, totals computed from the sums;
- :mod:`.build`: reading the members listed in ``members.toml``, refusing what cannot be summed
  (a member missing, unreadable, in another format, or with errors), and writing the government's
  tables with their provenance (``compiled.toml``, read back by rule COMPILE).

This layer uses checks (each member must pass its own), storage and model; nothing below knows it.
"""

from ogi_report.compiling.build import Compiled, IncludedMember, compile_government
from ogi_report.compiling.sums import sum_table

__all__ = ["Compiled", "IncludedMember", "compile_government", "sum_table"]
