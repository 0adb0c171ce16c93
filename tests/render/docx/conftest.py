"""The bundled example rendered once for the Word tests."""

from __future__ import annotations

import pytest
from kit import SEED_DIR
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear
from ogi_report.render.docx.document import render_docx
from ogi_report.storage.workspace import load


@pytest.fixture(scope="session")
def seed() -> tuple[BureauYear, bytes]:
    loaded = load(SEED_DIR)
    return loaded.by, render_docx(loaded.by, check(loaded.by, loaded.previous))
