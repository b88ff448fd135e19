"""Fixtures every server test file may use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisgame.store.sqlite import SqliteStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A real SQLite store in the test's own directory, closed after the test."""
    s = SqliteStore(tmp_path / "games.db")
    yield s
    s.close()
