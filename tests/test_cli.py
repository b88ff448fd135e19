"""The `crisisgame` command as a facilitator uses it: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crisisgame.cli import main
from tests.conftest import MINIMAL, ROOT, SHIPPED


def test_validate_valid_file_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(MINIMAL)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{MINIMAL}: ok (Two states and a guarantor: 2 actors, 2 playable)\n"
    assert err == ""


def test_validate_reports_every_error_on_stderr_and_exits_one(
    tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("strength: 0.6", "strenght: 0.6").replace("turn: 2", "turn: 9"))
    assert main(["validate", str(MINIMAL), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "ok" in out
    assert err.splitlines() == [
        f"{bad}:61:5: missing required field 'strength'",
        "    hint: add `strength:` (s: how binding and substantial the commitment is)",
        f"{bad}:66:5: unknown field 'strenght'",
        "    hint: did you mean 'strength'?",
        f"{bad}:75:11: inject 'exercise' is set for turn 9, after the last turn (3)",
        "    hint: use a turn from 1 to 3, or raise turns.count",
        f"{bad}: 3 errors",
    ]


def test_schema_is_json_schema_matching_the_committed_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out, _ = capsys.readouterr()
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "actors" in schema["properties"]
    assert out == (ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8")


def test_scenarios_lists_every_shipped_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out, _ = capsys.readouterr()
    assert len(out.splitlines()) == len(SHIPPED) >= 3


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crisisgame", "validate", str(MINIMAL)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
