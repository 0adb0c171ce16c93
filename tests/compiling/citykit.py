"""A test city for ``compile``: 示范市人民政府 and its 12 members (8 市直部门, 4 县区) over 2023–2024.

The members' tables are the formulas of :mod:`overview.citykit` (balanced, nothing carried across
years, so every member passes its own checks and X-1/X-2 hold); the government has its own meta,
narrative (quoting compiled figures with placeholders) and ``members.toml``.  Tests add the
members' JSON dicts up by hand — plain loops, not the kit's code — to compare with what compile
wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w
from kit import standard_narrative
from ogi_report.model.bureau import Meta, PublisherType
from ogi_report.spec.ids import FormatId
from ogi_report.storage import jsonform
from ogi_report.storage.folder import META_FILE, NARRATIVE_FILE, meta_toml, save_bureau_year
from overview.citykit import t2_json, t3_json, t4_json

YEARS = (2023, 2024)
CITY = "demo-city"
DEPARTMENTS = tuple(f"demo-d{i:02d}" for i in range(1, 9))  # 市直部门
DISTRICTS = tuple(f"demo-x{i:02d}" for i in range(1, 5))  # 县区
MEMBERS = (*DEPARTMENTS, *DISTRICTS)
# Each year's words, so no report repeats last year's (rule COPY stays quiet).
WORK = {
    2023: "本部分写明全年政务公开的主要举措与成效。",
    2024: "本部分介绍本年度公开平台建设和制度落实的新进展。",
}


def index(slug: str) -> int:
    """The member's ``i`` in the formulas of :mod:`overview.citykit` (1–12)."""
    return MEMBERS.index(slug) + 1


def narrative(year: int) -> str:
    return standard_narrative("2021").replace("本部分写明工作情况。", WORK[year])


def member_json(slug: str, year: int) -> dict[str, Any]:
    i = index(slug)
    kind = "区人民政府" if slug in DISTRICTS else "局"
    return {
        "format": "2021",
        "meta": {
            "name": f"示范市第{i}{kind}",
            "slug": slug,
            "year": year,
            "publisher_type": "government" if slug in DISTRICTS else "department",
            "format": "2021",
            "publish_date": f"{year + 1}-01-20",
        },
        "t2": t2_json(i),
        "t3": t3_json(i, year),
        "t4": t4_json(i, year),
        "narrative": narrative(year),
    }


@dataclass
class DemoCity:
    """The project: its root and the JSON dict of every member-year written."""

    root: Path
    members: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def folder(self, slug: str, year: int) -> Path:
        return self.root / "data" / slug / str(year)

    def of_year(self, year: int) -> list[dict[str, Any]]:
        return [d for (_s, y), d in sorted(self.members.items()) if y == year]

    def write_member(self, data: dict[str, Any]) -> None:
        meta = data["meta"]
        by = jsonform.from_data(data, f"{meta['slug']}-{meta['year']}")
        save_bureau_year(by, self.folder(meta["slug"], meta["year"]), computed=False)
        self.members[(meta["slug"], meta["year"])] = data


def members_toml(departments: tuple[str, ...] = DEPARTMENTS, districts: tuple[str, ...] = DISTRICTS) -> str:
    return tomli_w.dumps({"groups": {"市直部门": list(departments), "县区": list(districts)}})


def build_demo_city(root: Path) -> DemoCity:
    """The members' data of both years and the government's meta, narrative and members.toml
    (not compiled yet)."""
    city = DemoCity(root)
    (root / "params").mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        for slug in MEMBERS:
            city.write_member(member_json(slug, year))
        folder = city.folder(CITY, year)
        folder.mkdir(parents=True)
        meta = Meta(
            name="示范市人民政府",
            slug=CITY,
            year=year,
            publisher_type=PublisherType.GOVERNMENT,
            format_id=FormatId.V2021,
            publish_date=date(year + 1, 3, 20),
        )
        (folder / META_FILE).write_text(meta_toml(meta), encoding="utf-8")
        (folder / NARRATIVE_FILE).write_text(narrative(year), encoding="utf-8")
        (folder / "members.toml").write_text(members_toml(), encoding="utf-8")
    return city
