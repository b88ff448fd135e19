"""`set_phases`: the facilitator changes a game's phase lengths, from the next phase on."""

from __future__ import annotations

from crisisgame.engine.commands import End, SetPhases, Start
from crisisgame.engine.events import PhasesSet
from tests.engine.support import FAC, Table


def test_new_lengths_apply_from_the_next_phase_and_the_running_one_keeps_its_deadline() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)  # briefing, deadline 120
    [event] = table.do(SetPhases(by=FAC, diplomacy=600), now=10.0)
    assert isinstance(event, PhasesSet)
    assert table.state.deadline == 120.0
    assert table.state.scenario.turns.phases.diplomacy == 600
    assert table.state.scenario.turns.phases.orders == Table().state.scenario.turns.phases.orders  # kept
    table.advance_to("diplomacy")
    assert table.state.deadline == table.now + 600


def test_set_phases_needs_a_length_and_a_game_that_goes_on() -> None:
    table = Table()
    assert "at least one phase length" in table.refuse(SetPhases(by=FAC))
    table.do(Start(by=FAC))
    table.do(End(by=FAC))
    assert "ended" in table.refuse(SetPhases(by=FAC, orders=60))
