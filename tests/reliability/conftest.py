"""Fixtures of the reliability suite: a project with the bundled example."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchkit import make_project
from ogi_report.batch import plan as batch_plan


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp project (the bundled example and the test report notebook), kit version pinned."""
    monkeypatch.setattr(batch_plan, "kit_version", lambda: "pinned")
    return make_project(tmp_path / "project")
