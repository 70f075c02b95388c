"""Shared test fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# ``tests/sitefixture`` (the fixture news site) is importable as ``sitefixture``.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
