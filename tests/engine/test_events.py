"""`events`: every event is one line of JSON that reads back as the same event."""

from __future__ import annotations

from typing import get_args

import pytest

from crisisgame.engine.events import EVENT_ADAPTER, Event, event_from_json, event_to_json
from crisisgame.simulate import play
from tests.engine.support import Table, check_log, trio

EVENT_TYPES = {cls.model_fields["type"].default for cls in get_args(get_args(Event)[0])}


def test_every_event_of_a_game_round_trips_through_one_line_of_json() -> None:
    game = play(trio(), seed=3)
    lines = [event_to_json(e) for e in game.log]
    assert all("\n" not in line for line in lines)
    back = [event_from_json(line) for line in lines]
    assert back == game.log
    assert [event_to_json(e) for e in back] == lines
    check_log(back, game.state)


def test_a_game_log_holds_most_kinds_of_event() -> None:
    kinds = {e.type for e in play(trio(), seed=3).log}
    assert kinds >= {"game_created", "phase_started", "orders_submitted", "inject_released", "outcome"}
    assert kinds <= EVENT_TYPES


def test_an_unknown_event_type_or_field_is_refused() -> None:
    with pytest.raises(ValueError, match="does not match any of the expected tags"):
        event_from_json('{"type": "nonsense"}')
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        event_from_json('{"type": "ready_changed", "actor": "A", "ready": true, "secret": 1}')


def test_events_are_immutable() -> None:
    event = Table().log[0]
    with pytest.raises(ValueError, match="frozen"):
        setattr(event, "seed", 3)  # noqa: B010
    assert EVENT_ADAPTER.validate_python(event.model_dump()) == event
