"""The loader reports every problem with its exact line, column, message and hint."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crisisgame.scenario.loader import (
    MAX_BYTES,
    ScenarioInvalid,
    check_file,
    check_text,
    diagnose_file,
    load_scenario,
)
from tests.conftest import MINIMAL
from tests.scenario.test_korea_2027 import Mistake, mistakes, render_mistake

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))


def render(path: Path) -> str:
    """Everything `crisisgame validate --strict` says about a file: its errors, then its warnings."""
    diagnosis = diagnose_file(path)
    return "".join(str(e).removeprefix(f"{path}:") + "\n" for e in [*diagnosis.errors, *diagnosis.warnings])


def test_the_broken_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 25


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_scenario_reports_exact_errors(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    assert expected.strip(), "every broken scenario states the errors it must produce"
    assert render(path) == expected


def test_minimal_scenario_is_valid() -> None:
    scenario = load_scenario(MINIMAL)
    assert [a.id for a in scenario.actors] == ["ALPHA", "BETA"]
    assert scenario.actor("ALPHA").capabilities is not None


def test_load_scenario_raises_with_every_error(minimal_text: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_text.replace("approval: 0.55", "approval: 2").replace("turn: 2", "turn: 7"))
    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(bad)
    assert [(e.line, e.column) for e in info.value.errors] == [(28, 17), (75, 11)]
    assert str(info.value).startswith(f"{bad}:28:17: must be at most 1.0, got 2")


def test_every_error_is_reported_not_only_the_first(minimal_text: str) -> None:
    text = minimal_text.replace("strength: 0.6", "strenght: 0.6").replace("with: BETA", "with: BETTA")
    text = text.replace("turn: 2", "turn: 4").replace("regime: autocracy", "regime: tyranny")
    _, errors = check_text(text)
    messages = [e.message for e in errors]
    assert "unknown field 'strenght'" in messages
    assert "unknown actor 'BETTA'" in messages
    assert "inject 'exercise' is set for turn 4, after the last turn (3)" in messages
    assert "'tyranny' is not a valid regime" in messages


def test_anchors_and_merge_keys_can_share_figures(minimal_text: str) -> None:
    text = minimal_text.replace(
        "      milex: {value: 10.5, unit: usd_bn, year: 2024, source: made-up}",
        "      milex: &m {value: 10.5, unit: usd_bn, year: 2024, source: made-up}",
    ).replace(
        "      milex: {value: 60, unit: usd_bn, year: 2024, source: made-up}",
        "      milex: {<<: *m, value: 60}",
    )
    scenario, errors = check_text(text)
    assert errors == []
    assert scenario is not None
    beta = scenario.actor("BETA").capabilities
    assert beta is not None
    assert beta.milex.value == 60
    assert beta.milex.unit == "usd_bn"


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    _, errors = check_file(big)
    assert len(errors) == 1
    assert errors[0].message == f"file is {big.stat().st_size:,} bytes, more than the {MAX_BYTES:,} allowed"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    _, errors = check_text("\n".join(lines))
    elapsed = time.perf_counter() - started
    assert [e.message for e in errors] == ["the document expands to more than 100,000 values"]
    assert "alias bomb" in (errors[0].hint or "")
    assert elapsed < 5, "refusal must not expand the bomb"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.yaml"
    path.write_bytes(b"id: x\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _, errors = check_file(path)
    assert [(e.line, e.message) for e in errors] == [(4, "this is a binary file, not YAML text")]


def test_invalid_utf8_is_located() -> None:
    _, errors = check_text(b"id: x\nmeta:\n  title: caf\xe9\n")
    assert [(e.line, e.column, e.message) for e in errors] == [(3, 13, "the file is not valid UTF-8 text")]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    _, errors = check_file(tmp_path / "nope.yaml")
    assert errors[0].message == "cannot read the file: No such file or directory"


def test_folder_is_not_a_scenario(tmp_path: Path) -> None:
    _, errors = check_file(tmp_path)
    assert errors[0].message == "this is a folder, not a scenario file"


def test_utf8_bom_is_accepted(minimal_text: str) -> None:
    scenario, errors = check_text(b"\xef\xbb\xbf" + minimal_text.encode())
    assert errors == []
    assert scenario is not None


# --------------------------------------------------------------------------- one message per mistake

LOADER_MISTAKES = mistakes("loader")


@pytest.mark.parametrize("mistake", LOADER_MISTAKES, ids=[m.name for m in LOADER_MISTAKES])
def test_one_mistake_gives_one_located_message(mistake: Mistake) -> None:
    """A value of a union (a bare obligation kind or a clause; `public` or a list of recipients) is reported
    once, for the form it was written in; a list of the wrong length says how many entries it needs; a key
    indented less than the key above it, and more than any key it could belong to, names the line to line
    it up with (tests/scenario/korea_2027_loader.yaml)."""
    assert render_mistake(mistake) == mistake.says
