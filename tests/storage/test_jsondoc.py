"""docs/json.md is generated from the format declarations and documents every exported key."""

from __future__ import annotations

import json
from typing import Any

from kit import REPO_ROOT
from ogi_report.storage import jsonform
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.jsondoc import json_reference

ROOT = REPO_ROOT


def _keys(data: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            keys.add(key)
            keys |= _keys(value)
    return keys


def test_docs_json_is_the_generated_reference() -> None:
    assert (ROOT / "docs" / "json.md").read_text(encoding="utf-8") == json_reference(), (
        "docs/json.md is stale: regenerate it with `ogi-report formats > docs/json.md`"
    )


def test_every_exported_key_is_documented() -> None:
    by = load_bureau_year(ROOT / "data" / "haidong-emergency" / "2021")
    data = json.loads(jsonform.dumps(by))
    data.pop("narrative")
    reference = json_reference()
    missing = sorted(k for k in _keys(data) if f"`{k}`" not in reference)
    assert missing == []


def test_both_generations_are_documented() -> None:
    reference = json_reference()
    for key in (
        "other.overdue_correction",
        "fees_10k_yuan",
        "procurement",
        "change",
        "litigation_after_review",
    ):
        assert f"`{key}`" in reference
