"""A synthetic city for the overview tests: 14 bodies over 2021–2023, built from the JSON form.

Every number is a small formula of the body's index ``i``, the year and the applicant column, so
the tests can add them up by hand (plain loops over the JSON dicts, not the kit's code).  The year
2023 holds every case the overview must tell apart:

- ``b01`` … ``b11`` filed (``b04`` a draft: a blank cell in table 四; its totals left out, so computed);
- ``b12``, ``b13`` filed in 2022 but not in 2023 (未报送);
- ``b14`` has a 2023 folder whose table 三 cannot be read (数据无法读取);
- ``b03`` published after the statutory deadline, ``b07`` after its own ``deadline``, ``b05`` (a
  government, deadline 3月31日) in March on time, ``b08`` left its date out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit import standard_narrative
from ogi_report.storage import jsonform
from ogi_report.storage.folder import save_bureau_year

YEARS = (2021, 2022, 2023)
YEAR = 2023
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
T3_ROWS = (
    "new",
    "carried_over",
    "granted",
    "partly_granted",
    "refused.state_secret",
    "refused.prohibited_by_law",
    "refused.three_safeties",
    "refused.third_party",
    "refused.internal_affairs",
    "refused.process_info",
    "refused.enforcement_files",
    "refused.inquiry",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear",
    "not_processed.petition",
    "not_processed.repeated",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
    "other.overdue_correction",
    "other.unpaid_fee",
    "other.other",
    "carried_forward",
)
T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending")


def slug(i: int) -> str:
    return f"b{i:02d}"


def t3_json(i: int, year: int) -> dict[str, dict[str, int]]:
    """Table 三 without totals (the kit computes them): balanced, so rule T3-A holds."""
    k = year - 2020
    table: dict[str, dict[str, int]] = {row: {} for row in T3_ROWS}
    for c, col in enumerate(COLUMNS):
        values = {row: 0 for row in T3_ROWS}
        values["granted"] = (i * (c + 1) + k) % 17
        values["partly_granted"] = (i + c) % 3
        values["refused.third_party"] = (c + k) % 2
        values["unable.not_held"] = (i + k) % 2
        values["not_processed.repeated"] = i % 2
        values["other.other"] = 1 if (i + c) % 5 == 0 else 0
        results = sum(v for row, v in values.items() if row not in ("new", "carried_over", "carried_forward"))
        values["new"] = results  # nothing carried over or forward: X-1 holds across years
        for row, v in values.items():
            table[row][col] = v
    return table


def t4_json(i: int, year: int) -> dict[str, dict[str, int | None]]:
    k = year - 2020
    return {
        "review": {"upheld": i % 3, "corrected": 1 if i % 4 == 0 else 0, "other": 0, "pending": k % 2},
        "litigation_direct": {"upheld": i % 2, "corrected": 1 if i % 5 == 0 else 0, "other": 0, "pending": 0},
        "litigation_after_review": {"upheld": 0, "corrected": 1 if i == 6 else 0, "other": 0, "pending": 0},
    }


def t2_json(i: int) -> dict[str, Any]:
    return {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 3},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 10 + i},
        "licensing": 20 + i,
        "punishment": i,
        "enforcement": i % 3,
        "fees_10k_yuan": "0.25",
    }


def meta_json(i: int, year: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": f"示范市第{i}局",
        "slug": slug(i),
        "year": year,
        "publisher_type": "government" if i == 5 else "department",
        "format": "2021",
        "publish_date": f"{year + 1}-01-20",
    }
    if year == YEAR:
        if i == 3:
            meta["publish_date"] = f"{year + 1}-02-15"
        elif i == 5:
            meta["publish_date"] = f"{year + 1}-03-01"
        elif i == 7:
            meta["deadline"], meta["publish_date"] = f"{year + 1}-01-15", f"{year + 1}-01-20"
        elif i == 8:
            del meta["publish_date"]
    return meta


def body_json(i: int, year: int) -> dict[str, Any]:
    """One bureau-year in the JSON form of ``ogi-report export-json``."""
    t4: dict[str, Any] = t4_json(i, year)
    if (i, year) == (4, YEAR):
        t4["litigation_after_review"]["other"] = None  # printed blank: rule BLANK, a draft
    return {
        "format": "2021",
        "meta": meta_json(i, year),
        "t2": t2_json(i),
        "t3": t3_json(i, year),
        "t4": t4,
        "narrative": standard_narrative("2021"),
    }


@dataclass
class City:
    """The synthetic project: its root and the JSON dicts of every bureau-year written."""

    root: Path
    written: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def filed(self, year: int) -> Iterator[dict[str, Any]]:
        """The JSON dicts of the readable bureau-years of ``year``."""
        return (d for (_s, y), d in sorted(self.written.items()) if y == year)


def build_city(root: Path) -> City:
    city = City(root)
    for year in YEARS:
        for i in range(1, 15):
            if (i in (12, 13) and year == YEAR) or (i == 14 and year != YEAR):
                continue
            data = body_json(i, year)
            folder = root / "data" / slug(i) / str(year)
            save_bureau_year(jsonform.from_data(data, f"{slug(i)}-{year}"), folder, computed=False)
            if i == 14:  # unreadable: a word where table 三 wants a count
                path = folder / "table3.csv"
                path.write_text(path.read_text("utf-8").replace(",0,", ",许多,", 1), "utf-8")
                continue
            city.written[(slug(i), year)] = data
    (root / "params").mkdir(exist_ok=True)
    return city
