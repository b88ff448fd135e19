"""`view_json`, the view as the server sends it, is `view(state, seat).model_dump_json()` byte for byte:
every seat, at every phase change of a played game with secrets (secret agreements, private and group
messages, results not yet released to the teams), visited in order, out of order and on branches, with
its caches of shared JSON and of each item's JSON full and emptied along the way."""

from __future__ import annotations

import gc
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.engine import view as view_module
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.events import Event, MessageSent, PhaseStarted, ResultsReleased
from crisisgame.engine.state import State, evolve
from crisisgame.engine.view import view, view_json
from tests.engine.test_view_index import game


def plain(state: State, seat: str) -> bytes:
    """The view encoded the plain way: pydantic, the whole model, nothing cached."""
    return view(state, seat).model_dump_json().encode()


@cache
def talkative_game() -> tuple[tuple[Event, ...], tuple[str, ...]]:
    """The played Baltic with secret agreements (`test_view_index.game`), and at each diplomacy phase a
    public message, a private one between two teams, a group message of three and Control's private
    word to a team (each channel's secrecy is the view's; its JSON is encoded once per message)."""
    events, seats = game()
    teams = [s for s in seats if s not in (FACILITATOR, OBSERVER)]
    out: list[Event] = []
    for e in events:
        out.append(e)
        if isinstance(e, PhaseStarted) and e.phase == "diplomacy":
            t = e.turn
            a, b, c = teams[t % len(teams)], teams[(t + 1) % len(teams)], teams[(t + 3) % len(teams)]
            out += [
                MessageSent(id=f"m{t}p", turn=t, channel="public", sender=a, to=[], text=f"turn {t}: hello all"),
                MessageSent(id=f"m{t}q", turn=t, channel="private", sender=a, to=[b], text=f"turn {t}: {a} to {b}"),
                MessageSent(id=f"m{t}g", turn=t, channel="group", sender=b, to=[a, c], text=f"turn {t}: a group"),
                MessageSent(id=f"m{t}f", turn=t, channel="private", sender=FACILITATOR, to=[c], text="from Control"),
            ]
    return tuple(out), seats


@cache
def marked_states() -> tuple[State, ...]:
    """The state at each phase change and results release, the end of the batch before each, and each
    results phase as before the facilitator releases them (teams see the state sealed before adjudication)."""
    events, _ = talkative_game()
    marks = [i for i, e in enumerate(events) if isinstance(e, PhaseStarted | ResultsReleased)] + [len(events) - 1]
    out: list[State] = []
    state: State | None = None
    done = 0
    for mark in marks:
        if mark > done:
            state = fold(events[done:mark], state)
            out.append(state)
        state = fold(events[mark : mark + 1], state)
        done = mark + 1
        out.append(state)
        if state.phase == "results":
            out.append(evolve(state, released=False))
    return tuple(out)


def test_every_seat_at_every_phase_change_of_a_played_game_is_sent_its_views_own_json() -> None:
    events, seats = talkative_game()
    states = marked_states()
    assert sum(isinstance(e, MessageSent) for e in events) >= 20
    assert any(s.phase == "results" and not s.released and s.sealed is not None for s in states)
    for state in states:
        for seat in seats:
            assert view_json(state, seat) == plain(state, seat), (seat, state.seq, state.phase)
    for state in reversed(states):  # back to earlier states (a rollback): what was cached is not theirs
        for seat in reversed(seats):
            assert view_json(state, seat) == plain(state, seat), (seat, state.seq, state.phase)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_views_in_any_order_on_branches_and_with_caches_emptied_are_the_views_own_json(data: st.DataObject) -> None:
    events, seats = talkative_game()
    states = marked_states()
    kept = data.draw(st.sampled_from([3, 50, view_module.FRAGMENTS_KEPT]), label="fragments kept")
    shares = data.draw(st.sampled_from([1, 2, view_module.SHARES_KEPT]), label="shared records kept")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(view_module, "FRAGMENTS_KEPT", kept)
        patch.setattr(view_module, "SHARES_KEPT", shares)
        for _ in range(5):
            i = data.draw(st.integers(0, len(states) - 1), label="state")
            state = states[i]
            if data.draw(st.booleans(), label="branch"):
                # the events after this state folded again from an earlier one: a list of their own
                back = data.draw(st.integers(max(0, i - 6), i), label="back")
                start, end = states[back].seq, state.seq
                if end > start:
                    state = fold(list(events[start:end]), states[back])
            for seat in data.draw(st.lists(st.sampled_from(seats), min_size=1, max_size=4), label="seats"):
                assert view_json(state, seat) == plain(state, seat), (seat, state.seq, state.phase)


def test_seats_views_of_one_state_share_no_list_or_map() -> None:
    """The parts every seat shares are built once, but each view holds its own containers: a bot that
    changes its view changes no other seat's."""
    state = marked_states()[-2]
    _, seats = talkative_game()
    first, second = view(state, seats[2]), view(state, seats[3])
    assert first.actors == second.actors
    assert first.actors is not second.actors
    assert first.credibility is not second.credibility
    assert first.calls is not second.calls
    first.actors.clear()
    assert view(state, seats[4]).actors == second.actors != []


def test_the_shared_part_of_a_states_views_is_forgotten_with_the_state() -> None:
    events, seats = talkative_game()
    state = fold(list(events[:200]))
    key = (id(state), id(state), True)
    assert view_json(state, seats[0]) == plain(state, seats[0])
    assert key in view_module._SHARES
    # the fields encoded once for every seat are exactly those built without a seat
    assert set(view_module._SHARES[key].fields) == view_module.SHARED_FIELDS
    del state
    gc.collect()
    assert key not in view_module._SHARES
