"""The turn table (`crisisgame.engine.turns`): every phase change a command makes is a row of it,
and every command the table refuses is refused by the engine."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.engine.commands import Advance, Command, End, Extend, Pause, Release, Resume, Rollback, SetReady, Start
from crisisgame.engine.errors import Rejected
from crisisgame.engine.turns import PHASES, PLAYING, TABLE, Trigger, allows, transition
from tests.engine.support import FAC, Table

TRIGGERS: dict[type, Trigger] = {
    Start: "start",
    Advance: "advance",
    Pause: "pause",
    Resume: "resume",
    Extend: "extend",
    Release: "release",
    Rollback: "rollback",
    End: "end",
}

facilitator_commands = st.sampled_from(
    [
        Start(by=FAC),
        Advance(by=FAC),
        Advance(by=FAC),
        Advance(by=FAC),
        Pause(by=FAC),
        Resume(by=FAC),
        Extend(by=FAC, seconds=60),
        Release(by=FAC),
        Rollback(by=FAC, reason="replay the turn"),
        End(by=FAC),
        SetReady(by="ALPHA"),
        SetReady(by="BETA"),
    ]
)


def test_every_row_names_known_phases_and_each_phase_is_reachable() -> None:
    for row in TABLE:
        assert row.phase in PHASES
        assert row.to in PHASES
    reached = {row.to for row in TABLE} | {"lobby"}
    assert reached == set(PHASES)
    assert set(PLAYING) <= {row.phase for row in TABLE if row.trigger == "advance"}


def run(table: Table, command: Command) -> tuple[str, bool]:
    """Play `command`: the phase before it and whether it was accepted."""
    before = table.state
    try:
        table.do(command)
    except Rejected:
        return before.phase, False
    return before.phase, True


@settings(max_examples=60, deadline=None)
@given(st.lists(facilitator_commands, max_size=25), st.booleans())
def test_each_phase_change_is_a_row_and_each_refusal_a_missing_or_guarded_row(
    commands: list[Command], auto_release: bool
) -> None:
    table = Table(teams=["ALPHA", "BETA"], auto_release=auto_release)
    for command in commands:
        before = table.state
        phase, accepted = run(table, command)
        if isinstance(command, SetReady):
            if accepted and table.state.phase != phase:
                assert table.state.phase in {r.to for r in TABLE if r.phase == phase and r.trigger == "all_ready"}
            continue
        trigger = TRIGGERS[type(command)]
        if before.phase == "ended":
            assert not accepted
            continue
        assert accepted == allows(before, trigger), (phase, trigger)
        if accepted:
            row = transition(before, trigger)
            if trigger == "resume" and table.state.phase != phase:
                continue  # every team was ready while paused: the phase ends on resume (an all_ready row)
            assert table.state.phase == row.to, (phase, trigger)
