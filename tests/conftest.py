"""Shared fixtures: paths to the articles written for these tests, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def articles() -> Path:
    return FIXTURES / "articles"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")
