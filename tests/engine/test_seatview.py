"""The seat view's models: each seat gets its own shape, and a view read back from its JSON is the same view
(what a bot or a tool reading the wire gets is exactly what the engine built)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.seatview import FacilitatorView, SeatView, TeamView, View
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.simulate import play
from tests.engine.support import trio

VIEW = TypeAdapter(View)


@pytest.fixture(scope="module")
def played() -> State:
    return play(trio(), seed=2, turns=2).state


def test_each_seat_gets_its_own_shape(played: State) -> None:
    state = played
    assert type(view(state, FACILITATOR)) is FacilitatorView
    assert type(view(state, OBSERVER)) is SeatView
    for actor in state.actors:
        v = view(state, actor)
        assert isinstance(v, TeamView)
        assert v.me.id == actor


def test_a_view_read_back_from_its_json_is_the_same_view(played: State) -> None:
    for seat in [*played.actors, FACILITATOR, OBSERVER]:
        for history in (True, False):
            v = view(played, seat, history=history)
            back = VIEW.validate_json(v.model_dump_json())
            assert type(back) is type(v)
            assert back == v
            assert back.model_dump_json() == v.model_dump_json()


def test_objectives_are_spelt_as_in_the_scenario_file(played: State) -> None:
    """`with` and `from` on the wire (the scenario's words), not the Python names `with_` and `from_`."""
    text = view(played, FACILITATOR).model_dump_json()
    assert '"with":' in text
    assert "with_" not in text


def test_a_view_with_another_shapes_field_is_refused(played: State) -> None:
    team = view(played, "ALPHA").model_dump(mode="json")
    with pytest.raises(ValidationError):
        SeatView.model_validate(team)  # a team's `me` is not part of the plenary's view
    observer = view(played, OBSERVER).model_dump(mode="json")
    assert type(VIEW.validate_python(observer)) is SeatView
    with pytest.raises(ValidationError):
        VIEW.validate_python({**observer, "secret_objectives": {}})
