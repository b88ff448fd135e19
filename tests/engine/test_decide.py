"""`decide`: the turn and phase machine, the clock, and the facilitator's powers (amend, release,
rollback, end, injects). Negotiation has its own module (test_negotiation.py)."""

from __future__ import annotations

import pytest

from crisisgame.engine.commands import (
    Advance,
    Amend,
    End,
    Extend,
    FireInject,
    Orders,
    Pause,
    Release,
    Resume,
    Rollback,
    SendMessage,
    SetReady,
    Start,
    SubmitOrders,
)
from crisisgame.engine.events import (
    Amended,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    Event,
    GameEnded,
    InjectReleased,
    Outcome,
    PhaseStarted,
    ResultsReleased,
    RolledBack,
)
from crisisgame.engine.objectives import scores
from crisisgame.scenario.model import ChangeApproval, Escalate
from tests.engine.support import FAC, Table, check_invariants, check_log, plain

TEAMS = ("ALPHA", "BETA", "GAMMA")
DURATIONS = {"briefing": 120, "diplomacy": 900, "orders": 300, "results": 180}


def phases_of(events: list[Event]) -> list[tuple[int, str]]:
    return [(e.turn, e.phase) for e in events if isinstance(e, PhaseStarted)]


# --------------------------------------------------------------------------- the turn machine


def test_a_game_runs_lobby_briefing_diplomacy_orders_results_each_turn_then_ends() -> None:
    table = Table()
    assert (table.state.turn, table.state.phase) == (0, "lobby")
    table.do(Start(by=FAC))
    seen = [(table.state.turn, table.state.phase)]
    while table.state.phase != "ended":
        table.do(Advance(by=FAC))
        seen.append((table.state.turn, table.state.phase))
    expected = [(t, p) for t in (1, 2, 3) for p in ("briefing", "diplomacy", "orders", "results")] + [(3, "ended")]
    assert seen == expected
    ended = table.log[-1]
    assert isinstance(ended, GameEnded)
    assert ended.scores == scores(table.state)
    check_log(table.log, table.state)


def test_each_phase_deadline_is_now_plus_the_scenario_duration() -> None:
    table = Table()
    table.do(Start(by=FAC), now=1000.0)
    assert table.state.deadline == 1000.0 + DURATIONS["briefing"]
    for phase in ("diplomacy", "orders", "results"):
        table.do(Advance(by=FAC), now=5000.0)
        assert table.state.phase == phase
        assert table.state.deadline == 5000.0 + DURATIONS[phase]


def test_start_twice_is_rejected() -> None:
    table = Table()
    table.do(Start(by=FAC))
    assert table.refuse(Start(by=FAC)) == "the game has already started"


def test_advance_is_guarded_by_the_expected_phase() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.do(Advance(by=FAC, phase="briefing"))
    assert table.state.phase == "diplomacy"
    # A timer that fired for the briefing arrives late: it must not skip the diplomacy phase.
    assert table.refuse(Advance(by=FAC, phase="briefing")) == "the phase is already diplomacy, not briefing"
    assert table.state.phase == "diplomacy"


def test_nothing_is_accepted_after_the_game_ended() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.do(End(by=FAC))
    for command in (Advance(by=FAC), Start(by=FAC), SetReady(by="ALPHA"), Pause(by=FAC), End(by=FAC)):
        assert table.refuse(command) == "the game has ended"


# --------------------------------------------------------------------------- ready flags


def test_a_phase_ends_early_when_every_team_is_ready() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.do(Advance(by=FAC), now=10.0)
    assert table.state.phase == "diplomacy"
    table.do(SetReady(by="ALPHA"), now=20.0)
    table.do(SetReady(by="BETA"), now=30.0)
    assert table.state.phase == "diplomacy"
    assert table.state.ready == {"ALPHA", "BETA"}
    events = table.do(SetReady(by="GAMMA"), now=40.0)
    assert phases_of(events) == [(1, "orders")]
    assert table.state.ready == frozenset()  # flags reset with each phase
    assert table.state.deadline == 40.0 + DURATIONS["orders"]


def test_withdrawing_readiness_keeps_the_phase_open() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.do(SetReady(by="ALPHA"))
    table.do(SetReady(by="BETA"))
    table.do(SetReady(by="BETA", ready=False))
    table.do(SetReady(by="GAMMA"))
    assert table.state.phase == "briefing"
    assert table.state.ready == {"ALPHA", "GAMMA"}


def test_bots_are_always_ready_and_cannot_mark_it() -> None:
    table = Table(teams=["ALPHA"])
    table.do(Start(by=FAC))
    assert table.refuse(SetReady(by="BETA")) == "BETA is played by a bot and is always ready"
    events = table.do(SetReady(by="ALPHA"))
    assert phases_of(events) == [(1, "diplomacy")]


def test_ready_flags_do_not_end_a_paused_phase() -> None:
    table = Table(teams=["ALPHA"])
    table.do(Start(by=FAC))
    table.do(Pause(by=FAC))
    table.do(SetReady(by="ALPHA"))
    assert table.state.phase == "briefing"


def test_a_phase_every_team_became_ready_for_during_a_pause_ends_when_the_clock_resumes() -> None:
    table = Table(teams=["ALPHA", "BETA"])
    table.do(Start(by=FAC))
    table.do(SetReady(by="ALPHA"))
    table.do(Pause(by=FAC))
    table.do(SetReady(by="BETA"))
    assert table.state.phase == "briefing"
    events = table.do(Resume(by=FAC), now=500.0)
    assert phases_of(events) == [(1, "diplomacy")]
    assert table.state.deadline == 500.0 + DURATIONS["diplomacy"]


def test_resuming_with_teams_still_to_be_ready_only_restarts_the_clock() -> None:
    table = Table(teams=["ALPHA", "BETA"])
    table.do(Start(by=FAC))
    table.do(SetReady(by="ALPHA"))
    table.do(Pause(by=FAC))
    assert [e.type for e in table.do(Resume(by=FAC))] == ["clock_resumed"]


def test_when_every_team_is_ready_at_the_end_of_orders_the_turn_is_adjudicated() -> None:
    table = Table(teams=["ALPHA"])
    table.do(Start(by=FAC))
    table.advance_to("orders")
    events = table.do(SetReady(by="ALPHA"))
    assert any(isinstance(e, Outcome) and e.reason.step == 12 for e in events)
    assert table.state.phase == "results"


def test_ready_teams_do_not_skip_results_the_facilitator_has_not_released() -> None:
    table = Table(teams=["ALPHA"], auto_release=False)
    table.do(Start(by=FAC))
    table.advance_to("results")
    assert not table.state.released
    table.do(SetReady(by="ALPHA"))
    assert (table.state.turn, table.state.phase) == (1, "results")
    assert not table.state.released
    table.do(Release(by=FAC))
    events = table.do(SetReady(by="ALPHA"))
    assert phases_of(events) == [(2, "briefing")]


# --------------------------------------------------------------------------- the clock


def test_pause_keeps_the_time_remaining_and_resume_restores_it_from_now() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)  # briefing deadline 120
    [paused] = table.do(Pause(by=FAC), now=50.0)
    assert isinstance(paused, ClockPaused)
    assert paused.remaining == 70.0
    assert (table.state.paused, table.state.deadline, table.state.remaining) == (True, None, 70.0)
    [resumed] = table.do(Resume(by=FAC), now=1000.0)
    assert isinstance(resumed, ClockResumed)
    assert resumed.deadline == 1070.0
    assert (table.state.paused, table.state.deadline, table.state.remaining) == (False, 1070.0, None)


def test_pausing_after_the_deadline_leaves_no_time_rather_than_negative_time() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    table.do(Pause(by=FAC), now=500.0)
    assert table.state.remaining == 0.0


def test_extend_adds_seconds_to_the_deadline() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    [extended] = table.do(Extend(by=FAC, seconds=60), now=10.0)
    assert isinstance(extended, ClockExtended)
    assert table.state.deadline == 180.0


def test_extend_after_the_deadline_passed_counts_from_now() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    table.do(Extend(by=FAC, seconds=60), now=200.0)
    assert table.state.deadline == 260.0


def test_extend_while_paused_adds_to_the_time_remaining() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    table.do(Pause(by=FAC), now=20.0)
    table.do(Extend(by=FAC, seconds=30), now=25.0)
    assert (table.state.deadline, table.state.remaining) == (None, 130.0)
    table.do(Resume(by=FAC), now=100.0)
    assert table.state.deadline == 230.0


def test_clock_commands_are_refused_when_they_make_no_sense() -> None:
    table = Table()
    assert table.refuse(Pause(by=FAC)) == "the game has not started"
    assert table.refuse(Extend(by=FAC, seconds=5)) == "the game has not started"
    assert table.refuse(Resume(by=FAC)) == "the clock is not paused"
    table.do(Start(by=FAC))
    table.do(Pause(by=FAC))
    assert table.refuse(Pause(by=FAC)) == "the clock is already paused"


def test_a_new_phase_starts_unpaused() -> None:
    table = Table()
    table.do(Start(by=FAC), now=0.0)
    table.do(Pause(by=FAC), now=10.0)
    table.do(Advance(by=FAC), now=20.0)
    assert (table.state.paused, table.state.deadline) == (False, 20.0 + DURATIONS["diplomacy"])


# --------------------------------------------------------------------------- amend and release


def at_unreleased_results(seed: int = 7) -> Table:
    table = Table(seed=seed, auto_release=False)
    table.do(Start(by=FAC))
    table.advance_to("results")
    return table


def test_results_wait_for_the_facilitator_when_auto_release_is_off() -> None:
    table = at_unreleased_results()
    assert not table.state.released
    assert table.refuse(Advance(by=FAC)) == "release this turn's results before moving on"
    [released] = table.do(Release(by=FAC))
    assert isinstance(released, ResultsReleased)
    assert table.state.released
    assert table.refuse(Release(by=FAC)) == "this turn's results are already released"
    table.do(Advance(by=FAC))
    assert (table.state.turn, table.state.phase) == (2, "briefing")


def test_release_outside_results_is_refused() -> None:
    table = Table()
    table.do(Start(by=FAC))
    assert table.refuse(Release(by=FAC)) == ("cannot release results during the briefing phase (only during results)")


def test_amend_sets_the_value_and_logs_the_reason_and_the_previous_value() -> None:
    table = at_unreleased_results()
    before = table.state.actors["BETA"].approval
    [amended] = table.do(
        Amend(by=FAC, target="actor", key="BETA", field="approval", value=0.25, reason="the strike failed")
    )
    assert isinstance(amended, Amended)
    assert (amended.previous, amended.reason) == (before, "the strike failed")
    assert table.state.actors["BETA"].approval == 0.25
    assert list(table.state.amendments) == [amended]
    table.do(Amend(by=FAC, target="pair", key="ALPHA>BETA", field="intent", value=0.9, reason="a scare"))
    assert table.state.intent["ALPHA>BETA"] == 0.9
    table.do(Amend(by=FAC, target="agreement", key="guarantee", field="strength", value=0.1, reason="hollowed"))
    assert table.state.agreements["guarantee"].strength == 0.1
    check_log(table.log, table.state)


def test_amend_after_release_is_refused() -> None:
    table = at_unreleased_results()
    table.do(Release(by=FAC))
    command = Amend(by=FAC, target="actor", key="BETA", field="approval", value=0.2, reason="too late now")
    assert table.refuse(command) == "results of this turn are already released; amend before releasing"


def test_a_score_can_be_amended_to_any_number_of_points() -> None:
    table = at_unreleased_results()
    table.do(Amend(by=FAC, target="actor", key="ALPHA", field="score", value=30.0, reason="bonus for the debrief"))
    assert table.state.actors["ALPHA"].score == 30.0


@pytest.mark.parametrize(
    ("target", "key", "field", "value", "reason"),
    [
        ("actor", "ALPHA", "cinc", 0.5, "cannot amend actor field 'cinc'"),
        ("actor", "NOBODY", "approval", 0.5, "unknown actor 'NOBODY'"),
        ("actor", "ALPHA", "approval", 1.5, "approval must be between 0 and 1"),
        ("actor", "ALPHA", "milex", -1.0, "milex cannot be negative"),
        ("actor", "ALPHA", "milex", float("inf"), "milex must be a finite number"),
        ("actor", "ALPHA", "milper", float("nan"), "milper must be a finite number"),
        ("actor", "ALPHA", "defence_spending", 80.0, "defence_spending must be between 0 and 50"),
        ("pair", "ALPHA>ALPHA", "intent", 0.5, "a pair names two different actors"),
        ("pair", "ALPHA", "intent", 0.5, "unknown actor ''"),
        ("pair", "ALPHA>BETA", "war", 1.0, "cannot amend pair field 'war'"),
        ("agreement", "nope", "strength", 0.5, "there is no agreement 'nope'"),
    ],
)
def test_amend_refuses_what_it_cannot_set(target: str, key: str, field: str, value: float, reason: str) -> None:
    table = at_unreleased_results()
    command = Amend.model_validate(
        {"by": FAC, "target": target, "key": key, "field": field, "value": value, "reason": "for the test"}
    )
    assert reason in table.refuse(command)


def test_amend_outside_results_is_refused() -> None:
    table = Table()
    table.do(Start(by=FAC))
    command = Amend(by=FAC, target="actor", key="ALPHA", field="approval", value=0.5, reason="too early")
    assert table.refuse(command) == "cannot amend outcomes during the briefing phase (only during results)"


# --------------------------------------------------------------------------- rollback


def test_rollback_returns_to_the_start_of_the_turn_and_re_releases_its_scripted_injects() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("briefing", turn=2)
    at_start = plain(table.state)
    start_seq = table.state.seq
    # Play the turn out: messages, an ad hoc inject, orders, adjudication.
    table.do(
        FireInject(
            by=FAC,
            title="Ad hoc",
            text="A surprise",
            effects=[ChangeApproval(kind="approval", actor="BETA", delta=-0.2)],
        )
    )
    table.advance_to("diplomacy")
    table.do(SendMessage(by="ALPHA", channel="public", text="hello"))
    table.advance_to("orders")
    table.do(SubmitOrders(by="BETA", orders=Orders(defence_spending=9.0)))
    table.advance_to("results")
    assert table.state.actors["BETA"].defence_spending == 9.0

    played = table.state.seq
    events = table.do(Rollback(by=FAC, reason="start the turn again"), now=5000.0)
    assert isinstance(events[0], RolledBack)
    assert phases_of(events) == [(2, "briefing")]
    assert [e.inject_id for e in events if isinstance(e, InjectReleased)] == ["pair-intel", "exercise"]
    assert table.state.seq == len(table.log) > start_seq  # the log only grows
    assert table.state.deadline == 5000.0 + DURATIONS["briefing"]  # a fresh clock
    after = plain(table.state)
    for changed in ("seq", "deadline", "turn_start", "corrections"):  # and the clock readings; the rollback is told
        after.pop(changed), at_start.pop(changed)
    # The messages are the turn's start's, and they record which stretch of the log the rollback undid
    # (its messages stay in the log, and no page of older messages read there may show them).
    messages = after.pop("messages")
    [(after_seq, last_seq)] = messages.pop("undone")
    assert after_seq <= start_seq
    assert last_seq == played
    assert messages == {k: v for k, v in at_start.pop("messages").items() if k != "undone"}
    assert _without_clock(after) == _without_clock(at_start)
    assert table.state.actors["BETA"].defence_spending == 5.0
    check_log(table.log, table.state)


def _without_clock(data: object) -> object:
    """Plain state data without the `at` clock readings of the events it holds."""
    if isinstance(data, dict):
        return {k: _without_clock(v) for k, v in data.items() if k != "at"}
    if isinstance(data, list):
        return [_without_clock(v) for v in data]
    return data


def test_rollback_before_any_turn_is_refused() -> None:
    table = Table()
    assert table.refuse(Rollback(by=FAC, reason="why not")) == "no turn has started yet"


def test_rollback_can_be_repeated_within_the_same_turn() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("orders")
    table.do(Rollback(by=FAC, reason="once"))
    first = plain(table.state)
    table.advance_to("results")
    table.do(Rollback(by=FAC, reason="twice"))
    second = plain(table.state)
    for changed in ("seq", "turn_start", "corrections"):  # corrections: each rollback is recorded, to be told
        first.pop(changed), second.pop(changed)
    # Each rollback records the stretch of the log it undid (whose messages no page may show).
    assert len(second["messages"].pop("undone")) == len(first["messages"].pop("undone")) + 1
    assert first == second
    assert (table.state.turn, table.state.phase) == (1, "briefing")


# --------------------------------------------------------------------------- end


def test_end_closes_the_game_with_every_actors_score() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("diplomacy", turn=2)
    [ended] = table.do(End(by=FAC))
    assert isinstance(ended, GameEnded)
    assert ended.turn == 2
    assert set(ended.scores) == set(table.state.actors)
    assert ended.scores == scores(table.state)
    assert {a: s.score for a, s in table.state.actors.items()} == ended.scores
    assert (table.state.phase, table.state.deadline) == ("ended", None)


# --------------------------------------------------------------------------- injects


def released_ids(table: Table) -> list[str]:
    return [i.inject_id for i in table.state.injects]


def test_scripted_injects_are_released_at_their_turns_briefing() -> None:
    table = Table()
    events = table.do(Start(by=FAC))
    assert [e.inject_id for e in events if isinstance(e, InjectReleased)] == ["headlines", "alpha-intel"]
    assert table.state.actors["ALPHA"].approval == pytest.approx(0.50)
    assert table.state.intent["ALPHA>BETA"] == pytest.approx(0.7)
    table.advance_to("briefing", turn=2)
    assert released_ids(table) == ["headlines", "alpha-intel", "pair-intel", "exercise"]


def test_an_inject_whose_condition_does_not_hold_is_not_released() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("briefing", turn=3)
    assert "late" not in released_ids(table)


def test_a_scripted_inject_fired_early_is_not_released_again_at_its_turn() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.do(FireInject(by=FAC, inject_id="exercise"))
    mobilisation = table.state.actors["BETA"].mobilisation
    assert table.refuse(FireInject(by=FAC, inject_id="exercise")) == "inject 'exercise' has already been released"
    table.advance_to("briefing", turn=2)
    assert released_ids(table).count("exercise") == 1
    assert table.state.actors["BETA"].mobilisation == mobilisation


def test_an_unknown_scripted_inject_is_named_in_the_refusal() -> None:
    table = Table()
    table.do(Start(by=FAC))
    reason = table.refuse(FireInject(by=FAC, inject_id="nope"))
    assert reason.startswith("no scripted inject 'nope' (injects: headlines, alpha-intel")


def test_an_ad_hoc_inject_is_released_to_its_audience_with_its_effects() -> None:
    table = Table()
    table.do(Start(by=FAC))
    effects = [ChangeApproval(kind="approval", actor="GAMMA", delta=0.1)]
    events = table.do(FireInject(by=FAC, title="Leak", text="Only Beta hears", audience=["BETA"], effects=effects))
    inject, outcome = events
    assert isinstance(inject, InjectReleased)
    assert isinstance(outcome, Outcome)
    assert (inject.inject_id, inject.audience) == ("adhoc3", ["BETA"])
    assert outcome.audience == ["BETA"]
    assert (outcome.reason.rule, outcome.reason.step) == ("inject", 0)
    assert table.state.actors["GAMMA"].approval == pytest.approx(0.55)


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (FireInject(by=FAC, title="No text"), "an ad hoc inject needs a title and a text"),
        (FireInject(by=FAC, title="Who", text="Whom", audience=["NOBODY"]), "unknown audience member 'NOBODY'"),
        (
            FireInject(
                by=FAC, title="Bad", text="Bad", effects=[ChangeApproval(kind="approval", actor="X", delta=0.1)]
            ),
            "unknown actor 'X' in the inject's effects",
        ),
        (
            FireInject(
                by=FAC,
                title="Bad",
                text="Bad",
                effects=[Escalate(kind="escalate", actor="BETA", target="X", level="war")],
            ),
            "unknown actor 'X' in the inject's effects",
        ),
    ],
)
def test_an_ad_hoc_inject_must_make_sense(command: FireInject, reason: str) -> None:
    table = Table()
    table.do(Start(by=FAC))
    assert reason in table.refuse(command)


def test_an_inject_before_the_game_starts_is_refused() -> None:
    table = Table()
    assert table.refuse(FireInject(by=FAC, inject_id="headlines")) == "start the game before injecting events"


def test_invariants_hold_through_a_whole_facilitated_game() -> None:
    table = Table(auto_release=False)
    table.do(Start(by=FAC))
    while table.state.phase != "ended":
        check_invariants(table.state)
        if table.state.phase == "results" and not table.state.released:
            table.do(Release(by=FAC))
        table.do(Advance(by=FAC))
    check_invariants(table.state)
    check_log(table.log, table.state)
