"""Headless games (`crisisgame.simulate`) and `crisisgame simulate`: a line per turn, the scores, and a
JSONL event log that reads back, folds, and is byte-identical for the same scenario and seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crisisgame.cli import main
from crisisgame.engine.apply import fold
from crisisgame.engine.events import GameCreated, GameEnded, event_from_json
from crisisgame.engine.objectives import scores
from crisisgame.simulate import final_summary, play, turn_summary
from tests.conftest import MINIMAL, ROOT
from tests.engine.support import check_invariants, plain, trio

TRIO = ROOT / "tests" / "engine" / "trio.yaml"


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["simulate", *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


def test_simulate_prints_a_line_per_turn_then_the_scores_and_writes_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "game.jsonl"
    code, lines = simulate(capsys, str(TRIO), "--seed", "4", "--out", str(log))
    assert code == 0
    turns = [line for line in lines if line.startswith("turn ")]
    assert [line.split(":")[0] for line in turns] == ["turn 1", "turn 2", "turn 3"]
    assert all("tension" in line and "behaviour:" in line for line in turns)
    events = [event_from_json(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert isinstance(events[0], GameCreated)
    assert isinstance(events[-1], GameEnded)
    ranked = ", ".join(f"{a} {v:.0f}" for a, v in sorted(events[-1].scores.items(), key=lambda kv: (-kv[1], kv[0])))
    assert lines[-3:] == [f"scores: {ranked}", f"{len(events)} events", f"wrote {log}"]
    state = fold(events)
    assert state.phase == "ended"
    assert events[-1].scores == scores(state)
    check_invariants(state)


def test_simulate_stops_after_the_turns_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = simulate(capsys, str(TRIO), "--turns", "1", "--seed", "2")
    assert code == 0
    assert [line.split(":")[0] for line in lines if line.startswith("turn ")] == ["turn 1"]


def test_simulate_runs_a_shipped_scenario_by_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = simulate(capsys, "taiwan-strait", "--turns", "2")
    assert code == 0
    assert lines[0].startswith("turn 1:")


def test_simulate_an_unknown_scenario_fails_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "atlantis"]) == 1
    _, err = capsys.readouterr()
    assert "no scenario file or shipped scenario named 'atlantis'" in err


def test_simulating_twice_writes_byte_identical_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    simulate(capsys, "baltic", "--seed", "7", "--turns", "3", "--out", str(first))
    simulate(capsys, "baltic", "--seed", "7", "--turns", "3", "--out", str(second))
    simulate(capsys, "baltic", "--seed", "8", "--turns", "3", "--out", str(other))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_separate_processes_write_byte_identical_logs_whatever_their_hash_seed(tmp_path: Path) -> None:
    """Nothing may depend on the iteration order of sets of strings, which changes between processes."""
    outputs = []
    for hash_seed in ("0", "1", "4242"):
        out = tmp_path / f"log-{hash_seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "crisisgame",
                "simulate",
                "horn-of-africa",
                "--seed",
                "3",
                "--turns",
                "3",
                "--out",
                str(out),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append((done.stdout.replace(str(out), "LOG"), out.read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


def test_play_calls_back_after_each_turn_and_ends_the_game() -> None:
    seen: list[int] = []
    game = play(trio(), 3, on_turn=lambda g: seen.append(g.state.turn))
    assert seen == [1, 2, 3]
    assert game.state.phase == "ended"
    assert plain(fold(game.log)) == plain(game.state)
    assert turn_summary(game).startswith("turn 3: tension ")
    summary = list(final_summary(game))
    assert summary[-1] == f"{len(game.log)} events"


def test_play_of_fewer_turns_ends_the_game_early() -> None:
    game = play(trio(), 3, turns=1)
    assert (game.state.turn, game.state.phase) == (1, "ended")


def test_a_minimal_world_plays_through() -> None:
    from tests.engine.support import minimal

    assert play(minimal(), 0).state.phase == "ended"
    assert MINIMAL.exists()


@pytest.mark.parametrize(("turns", "says"), [("0", "at least 1, not 0"), ("-2", "at least 1, not -2")])
def test_simulate_refuses_fewer_than_one_turn(turns: str, says: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--turns 0` used to play the whole game and `--turns -2` to play none, both without a word."""
    assert main(["simulate", str(TRIO), "--turns", turns]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"crisisgame: --turns must be {says}\n"


def test_simulate_refuses_more_turns_than_the_scenario_has(capsys: pytest.CaptureFixture[str]) -> None:
    """`--turns 60` on a three-turn scenario used to play three turns as if it had been asked for them."""
    assert main(["simulate", str(TRIO), "--turns", "60"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        err
        == "crisisgame: --turns 60 is more than the scenario's 3 turns (raise turns.count in the file to play more)\n"
    )
