"""Fixtures shared by every test; the helpers behind them live in :mod:`kit`."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import REPO_ROOT, REPORTS_DIR, SEED_DIR, copy_seed


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture
def reports_dir() -> Path:
    return REPORTS_DIR


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    return copy_seed(tmp_path)
