"""A bureau-year's meta names its format by :class:`FormatId` and its tables by :class:`TableId`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kit import build_by
from ogi_report.model.bureau import Meta, is_slug, slug_problem
from ogi_report.spec.formats import FORMATS
from ogi_report.spec.ids import FormatId, TableId


def test_meta_takes_a_plain_format_id_as_its_enum() -> None:
    meta = build_by("2019").meta
    assert meta.format_id is FormatId.V2019
    assert meta.format is FORMATS[FormatId.V2019]
    assert replace(meta, format_id="2021").format_id is FormatId.V2021  # type: ignore[arg-type]


def test_meta_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="2018"):
        Meta(name="x", slug="x", year=2018, publisher_type=build_by().meta.publisher_type, format_id="2018")  # type: ignore[arg-type]


def test_tables_by_id() -> None:
    by = build_by()
    assert (by.t2, by.t3, by.t4) == tuple(by.tables[t] for t in TableId)
    assert by.tables["t3"] is by.tables[TableId.T3]


@pytest.mark.parametrize("slug", ["index", "overview"])
def test_the_batch_pages_names_are_not_slugs(slug: str) -> None:
    # output/<year>/<slug>.html sits beside the batch's index.html and overview.html.
    problem = slug_problem(slug)
    assert not is_slug(slug) and problem is not None and "索引页与概览" in problem
    assert is_slug(f"{slug}-1") and slug_problem(f"{slug}-1") is None


def test_a_malformed_slug_says_what_a_slug_is() -> None:
    problem = slug_problem("Haidong_emergency")
    assert problem is not None and "[a-z0-9-]+" in problem
