"""Results told as news: names not ids, no technical asides, deals and calls lead, corrections announced."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.debrief.history import History, history
from crisisgame.engine.events import AgreementConcluded, Amended, CallOpened, Change, Event, Outcome, RolledBack
from crisisgame.engine.news import LEAD_RULES, MAX_CHANGED, MIN_CHANGED, lead_stories, readable, story, what_changed
from crisisgame.engine.state import State, initial_state
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play

RAW_ID = re.compile(r"\b(EST|LVA|LTU|POL|DEU|USA|GBR|RUS|BLR|FIN|SWE|CAN|NATO|EU)\b")


@pytest.fixture(scope="module")
def baltic() -> History:
    return history(play(load_scenario(find("baltic")), seed=4, turns=3).log)


def _events(h: History, turn: int) -> list[Event]:
    return [e for _, e in h.turn(turn).events]


def test_stories_lead_with_agreements_then_calls_answers_demands_and_force(baltic: History) -> None:
    for record in baltic.turns:
        stories = lead_stories(_events(baltic, record.turn), baltic.final)
        ranks = [s.rank for s in stories]
        assert ranks == sorted(ranks)
        for s in stories:
            assert not RAW_ID.search(s.title + " " + s.text), s
            assert "(" not in s.text, s
    everything = lead_stories(baltic.log, baltic.final)
    assert [s.turn for s in everything] == sorted((s.turn for s in everything), reverse=True)
    assert any(" conclude a " in s.title for s in everything)
    assert any(s.title == "An ally answers" for s in everything)


def test_policy_and_perception_outcomes_are_not_news(baltic: History) -> None:
    for e in baltic.log:
        if isinstance(e, Outcome) and e.reason.rule.startswith(("threat.", "system.", "behaviour.", "credibility.")):
            assert story(e, baltic.final) is None
        if isinstance(e, Outcome) and e.audience != "public":
            assert story(e, baltic.final) is None


def test_rollbacks_and_amendments_are_announced_with_their_reason(baltic: History) -> None:
    rollback = story(RolledBack(turn=2, reason="a typo in Estonia's orders"), baltic.final)
    amended = story(
        Amended(
            turn=2,
            change=Change(target="actor", key="EST", field="approval", value=0.5),
            previous=0.4,
            reason="the rally effect was underestimated",
        ),
        baltic.final,
    )
    assert rollback is not None
    assert amended is not None
    assert rollback.text == "Control rolled back turn 2: a typo in Estonia's orders"
    assert amended.text == "Control amended Estonia's approval in turn 2: the rally effect was underestimated"
    assert min(rollback.rank, amended.rank) < min(
        v for k, v in LEAD_RULES.items() if k not in ("rolled_back", "amended")
    )


def test_what_changed_for_a_team_is_three_to_six_readable_sentences(baltic: History) -> None:
    before = baltic.initial
    for record in baltic.turns:
        assert record.state is not None
        for seat in ("EST", "LTU", "USA"):
            sentences = what_changed(before, record.state, _events(baltic, record.turn), seat)
            assert MIN_CHANGED <= len(sentences) <= MAX_CHANGED, sentences
            assert any(s.startswith("Your greatest threat is") for s in sentences)
            for s in sentences:
                assert not RAW_ID.search(s), s
                assert not re.search(r"\((\d+(?:\.\d+)?) to \1\)", s), s
        before = record.state


def test_what_changed_names_the_seats_own_agreements_and_calls(baltic: History) -> None:
    for record in baltic.turns:
        assert record.state is not None
        events = _events(baltic, record.turn)
        for e in events:
            if isinstance(e, AgreementConcluded):
                seat = e.proposal.parties[0]
                said = what_changed(baltic.initial, record.state, events, seat)
                assert any(s.startswith("You concluded a " + e.proposal.type.replace("_", " ")) for s in said), said
            if isinstance(e, CallOpened):
                said = what_changed(baltic.initial, record.state, events, e.caller)
                assert any(s.startswith("You called on") for s in said) or len(said) == MAX_CHANGED


@functools.cache
def _start() -> State:
    return initial_state(load_scenario(find("baltic")), 1)


@settings(deadline=None)  # the first example builds the cached start state
@given(st.sampled_from(["EST", "LVA", "USA"]), st.floats(0, 1).map(lambda x: round(x, 2)))
def test_readable_drops_equal_ranges_and_ids(actor: str, value: float) -> None:
    s = _start()
    text = f"{actor}'s view of RUS moved ({value} to {value})."
    out = readable(text, s)
    assert out == f"{s.actors[actor].name}'s view of Russian Federation moved."


def test_every_seat_is_told_of_rollbacks_and_amendments_in_its_view() -> None:
    from crisisgame.engine.commands import FACILITATOR, Amend, Rollback, Start
    from crisisgame.engine.view import view
    from tests.engine.support import Table

    table = Table(auto_release=False)
    table.do(Start(by=FACILITATOR))
    table.advance_to("results")
    table.do(Amend(by=FACILITATOR, target="actor", key="ALPHA", field="approval", value=0.6, reason="a rally"))
    table.do(Rollback(by=FACILITATOR, reason="start the turn again"))
    for seat in (*table.state.actors, "observer", FACILITATOR):
        told = [(a.title, a.text) for a in view(table.state, seat).announcements]
        name = table.state.actors["ALPHA"].name
        assert told == [
            ("Control amended a result", f"Control amended {name}'s approval in turn 1: a rally"),
            ("Control rolled back turn 1", "Control rolled back turn 1: start the turn again"),
        ], seat


def test_an_amended_secret_agreement_stays_unnamed_for_other_seats(baltic: History) -> None:
    from dataclasses import replace

    from crisisgame.engine.news import correction

    s = baltic.final
    ag = next(iter(s.agreements.values()))
    secret = replace(s, agreements={**s.agreements, ag.id: replace(ag, public=False)})
    change = Change(target="agreement", key=ag.id, field="strength", value=0.9)
    amended = Amended(turn=2, change=change, previous=0.5, reason="typo")
    outsider = next(a for a in s.actors if a not in ag.parties)
    assert correction(amended, secret, outsider).text == "Control amended an agreement's strength in turn 2: typo"
    party = correction(amended, secret, ag.parties[0]).text
    assert party.startswith(f"Control amended the strength of the {ag.type.replace('_', ' ')} of ")
    assert ag.id not in party
