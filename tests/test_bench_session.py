"""The session benchmark (benchmarks/bench_session.py) drives the server's own sessions: every command is
taken, broadcast to its game's clients and acknowledged, each client written to once per group commit."""

from __future__ import annotations

import re

import pytest

from tests.benchmarks import load


def measured(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, float]:
    assert load("bench_session").main(["--games", "2", "--clients", "4", "--rounds", "6", "--warm", "2", *args]) == 0
    out = capsys.readouterr().out
    found = re.search(r"CPU ([\d.]+) ms/command.* ([\d.]+) writes and (\d+) bytes/command", out)
    assert found is not None, out
    return {"cpu": float(found[1]), "writes": float(found[2]), "bytes": float(found[3])}


def test_each_client_is_written_to_once_per_group_commit(capsys: pytest.CaptureFixture[str]) -> None:
    one = measured(capsys)
    assert one["writes"] == 4.0  # (four clients, one command a game per commit: the sender's ack rides along)
    assert one["cpu"] > 0
    three = measured(capsys, "--burst", "3")
    assert three["writes"] == pytest.approx(4 / 3, abs=0.05)  # (three commands a game per commit)
    assert three["bytes"] == pytest.approx(one["bytes"], rel=0.05)  # (the same messages, framed alike)
