"""Time lost while the server was down is given back to the phase clock (a pure rule)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crisisgame.engine.apply import apply
from crisisgame.engine.commands import Pause, Start
from crisisgame.engine.downtime import downtime_events
from crisisgame.engine.events import ServerDowntime
from tests.engine.support import FAC, Table


def test_a_crash_mid_phase_moves_the_deadline_on_by_the_time_down() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)  # briefing deadline 120
    [event] = downtime_events(table.state, down_since=50.0, now=59.0)
    assert isinstance(event, ServerDowntime)
    assert (event.seconds, event.deadline, event.at) == (9.0, 129.0, 59.0)
    assert apply(table.state, event).deadline == 129.0


def test_a_deadline_that_passed_while_down_is_restored_to_the_time_that_was_left() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    [event] = downtime_events(table.state, down_since=110.0, now=400.0)
    assert event.deadline is not None
    assert event.deadline - 400.0 == 10.0  # ten seconds were left at the crash: ten are left now


def test_nothing_is_owed_without_a_running_clock() -> None:
    table = Table()
    assert downtime_events(table.state, 0.0, 10.0) == []  # lobby
    table.do(Start(by=FAC), now=0.0)
    assert downtime_events(table.state, 130.0, 200.0) == []  # ran out before the crash
    assert downtime_events(table.state, 50.0, 50.0) == []  # no time passed
    assert downtime_events(table.state, 50.0, 50.5, at_least=1.0) == []  # quicker than the heartbeat
    table.do(Pause(by=FAC), now=10.0)
    assert downtime_events(table.state, 50.0, 80.0) == []  # paused: the clock did not run


@given(st.floats(0.0, 119.0), st.floats(0.001, 10_000.0))
def test_the_time_left_after_a_restart_is_the_time_left_at_the_crash(down_since: float, seconds: float) -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    assert table.state.deadline is not None
    left_at_crash = table.state.deadline - down_since
    [event] = downtime_events(table.state, down_since, down_since + seconds)
    after = apply(table.state, event)
    assert after.deadline is not None
    assert abs((after.deadline - (down_since + seconds)) - left_at_crash) < 1e-6
