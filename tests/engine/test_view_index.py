"""The outcome index that lets a phase change build every seat's view cheaply shows each seat exactly
what a plain pass over the results shows: every seat, every state of a played game, visited in order,
out of order (a rollback, a team in the results phase seeing an earlier state than the facilitator)
and on branches of their own."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.events import (
    AgreementConcluded,
    Event,
    GameCreated,
    Outcome,
    PhaseStarted,
    ProposalMade,
    SanctionImposed,
    SanctionLifted,
)
from crisisgame.engine.state import State, evolve
from crisisgame.engine.view import OUTCOMES_IN_VIEW, _redacted, _released_state, _sanction_seen, view
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play


def reference(state: State, seat: str) -> tuple[list[Event], dict[str, int]]:
    """The view's results and per-turn counts of the older ones, by a plain pass over every result
    (the computation before the index: slow, with no cache)."""
    s = _released_state(state, seat)

    def seen(e: Event) -> bool:
        if seat == FACILITATOR:
            return True
        if isinstance(e, Outcome):
            return e.audience == "public" or seat in e.audience
        if isinstance(e, AgreementConcluded):
            return e.proposal.public or seat in e.proposal.parties
        return True

    visible = [e for e in s.outcomes if seen(e)]
    newest, older = visible[-OUTCOMES_IN_VIEW:], visible[:-OUTCOMES_IN_VIEW]
    shown: list[Event] = []
    for e in newest:
        if isinstance(e, Outcome):
            e = _redacted(e, seat)
        elif isinstance(e, SanctionImposed | SanctionLifted):
            e = _sanction_seen(e, seat, s)
        shown.append(e)
    counts: dict[int, int] = {}
    for e in older:
        turn: int = getattr(e, "turn", 0)
        counts[turn] = counts.get(turn, 0) + 1
    return shown, {str(t): n for t, n in sorted(counts.items())}


@cache
def game() -> tuple[tuple[Event, ...], tuple[str, ...]]:
    """The Baltic played by bots (seed 3), every playable actor a team, every other agreement secret (the
    bots conclude public ones only; a secret one is seen by its parties only)."""
    scenario = load_scenario(find("baltic"))
    log = play(scenario, seed=3).log
    teams = tuple(a.id for a in scenario.actors if a.playable)
    created = log[0]
    assert isinstance(created, GameCreated)
    concluded = [e.proposal.model_dump_json() for e in log if isinstance(e, AgreementConcluded)]
    secret = set(concluded[::2])
    events: list[Event] = [created.model_copy(update={"teams": list(teams)})]
    for e in log[1:]:
        if isinstance(e, ProposalMade | AgreementConcluded) and e.proposal.model_dump_json() in secret:
            e = e.model_copy(update={"proposal": e.proposal.model_copy(update={"public": False})})
        events.append(e)
    return tuple(events), (FACILITATOR, OBSERVER, *teams)


@cache
def states() -> tuple[State, ...]:
    """The state after each event of the game, all sharing one growing outcome list; in the results phase,
    as before the facilitator releases them (teams see the state sealed before the adjudication)."""
    events, _ = game()
    out: list[State] = []
    state: State | None = None
    for e in events:
        state = fold([e], state)
        out.append(evolve(state, released=False) if state.phase == "results" else state)
    return tuple(out)


def assert_same(state: State, seat: str) -> None:
    v = view(state, seat)
    shown, older = reference(state, seat)
    assert v.outcomes == shown, (seat, len(state.outcomes))
    assert v.older_outcomes == older, (seat, len(state.outcomes))


def test_every_seat_at_every_phase_of_a_played_game_sees_what_a_plain_pass_shows() -> None:
    events, seats = game()
    marks = [i for i, e in enumerate(events) if isinstance(e, PhaseStarted)] + [len(events) - 1]
    all_states = states()
    assert sum(1 for e in events if isinstance(e, Outcome) and e.audience != "public") > 100  # secrets to keep
    assert sum(1 for e in events if isinstance(e, AgreementConcluded) and not e.proposal.public) >= 5
    assert any(s.phase == "results" and s.sealed is not None for s in all_states)  # teams see less
    for i in marks:
        for seat in seats:
            assert_same(all_states[i], seat)
        assert_same(all_states[i - 1], FACILITATOR)  # the end of the batch before (another length)
    for i in reversed(marks):  # back to shorter states: rollbacks
        for seat in seats:
            assert_same(all_states[i], seat)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_views_in_any_order_and_on_branches_match_a_plain_pass(data: st.DataObject) -> None:
    events, seats = game()
    all_states = states()
    for _ in range(6):
        i = data.draw(st.integers(0, len(all_states) - 1), label="state")
        seat = data.draw(st.sampled_from(seats), label="seat")
        if data.draw(st.booleans(), label="branch"):
            # a state of its own list: an earlier state with the next events folded again (a rollback)
            back = data.draw(st.integers(0, i), label="back")
            state = fold(events[back + 1 : i + 1], all_states[back])
        else:
            state = all_states[i]
        assert_same(state, seat)
