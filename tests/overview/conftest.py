"""Fixtures of the overview tests: the synthetic city (:mod:`overview.citykit`), built once a session."""

from __future__ import annotations

import pytest
from overview.citykit import City, build_city


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> City:
    return build_city(tmp_path_factory.mktemp("city"))
