"""The stable ids the kit's files and messages carry: format generations, tables and rules.

Each is a :class:`~enum.StrEnum` whose values are the strings written in meta.toml (``format``), in
the JSON form and CSV file names (``t2``/``t3``/``t4``) and in findings (``T3-A`` … ``DATE``), so a
member compares, hashes and serialises exactly as its string does.  Rule ids live here, below the
checks, because the loaders tag the cell problems they find with rule N too.
"""

from __future__ import annotations

from enum import StrEnum


class FormatId(StrEnum):
    """A generation of the official format, named by the year its notice was issued."""

    V2021 = "2021"  # 国办公开办函〔2021〕30号
    V2019 = "2019"  # 国办公开办函〔2019〕60号 (试行)


class TableId(StrEnum):
    """One of the three official tables (表二、表三、表四)."""

    T2 = "t2"
    T3 = "t3"
    T4 = "t4"


class RuleId(StrEnum):
    """A consistency rule (docs/rules.md), in the order the rules run and are listed."""

    T3_A = "T3-A"
    T3_B = "T3-B"
    T3_C = "T3-C"
    T3_HINT = "T3-HINT"
    T4 = "T4"
    N = "N"
    BLANK = "BLANK"
    IMPORT = "IMPORT"
    FMT = "FMT"
    X_1 = "X-1"
    X_2 = "X-2"
    TXT = "TXT"
    S5 = "S5"
    S6_FEE = "S6-FEE"
    STRUCT = "STRUCT"
    DATE = "DATE"
    PLACEHOLDER = "PLACEHOLDER"
    DRAFT = "DRAFT"
    COPY = "COPY"
    COMPILE = "COMPILE"
