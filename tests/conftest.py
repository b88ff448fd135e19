"""Shared fixtures: paths to the test scenarios and the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "scenario" / "minimal.yaml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")
