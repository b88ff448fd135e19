"""The two-page debrief summary: a selection from the log that an instructor can teach from."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisgame.debrief.history import History, history
from crisisgame.debrief.summary import (
    CONCEPTS,
    MAX_QUESTIONS,
    MIN_MOVE,
    MIN_QUESTIONS,
    PER_MEASURE,
    humanise,
    is_public,
    plain,
    summarise,
)
from crisisgame.debrief.summary_html import SECTIONS, summary_html
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import AgreementConcluded, CallOpened, Event, Outcome
from crisisgame.engine.objectives import met
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import Run, new_game, play_on


@pytest.fixture(scope="module")
def baltic(baltic_log: list[Event]) -> History:
    return history(baltic_log)


def test_one_headline_per_turn_without_technical_asides(baltic: History) -> None:
    s = summarise(baltic)
    assert [h.turn for h in s.headlines] == [r.turn for r in baltic.turns]
    for h in s.headlines:
        assert "Tension" in h.text
        assert "(" not in h.text, h.text
        assert not re.search(r"\b[A-Z]{3}, [A-Z]{3}\b", h.text), h.text  # no raw actor ids


def test_turning_points_are_the_largest_moves_with_a_cause_from_their_turn(baltic: History) -> None:
    s = summarise(baltic)
    assert s.turning_points
    for measure in MIN_MOVE:
        assert sum(1 for p in s.turning_points if p.measure == measure) <= PER_MEASURE
    for p in s.turning_points:
        assert p.size >= MIN_MOVE[p.measure]
        assert p.cause
    threat = [p for p in s.turning_points if p.measure == "threat"]
    assert threat
    biggest = max(
        abs(r.state.threat_of(i, j) - before.threat_of(i, j))
        for before, r in zip([t.state for t in baltic.turns], baltic.turns[1:], strict=False)
        if before is not None and r.state is not None
        for i in r.state.actors
        for j in r.state.actors
        if i != j and r.state.actors[i].kind == "state"
    )
    assert threat[0].size == pytest.approx(biggest) or max(p.size for p in threat) == pytest.approx(biggest)


def test_the_ledger_holds_every_call_and_every_answer(baltic_log: list[Event], baltic: History) -> None:
    calls = [e for e in baltic_log if isinstance(e, CallOpened)]
    answers = {
        (ch.key, ch.field.removeprefix("answer:")): bool(ch.value)
        for e in baltic_log
        if isinstance(e, Outcome) and e.reason.rule == "alliance.answer"
        for ch in e.changes
        if ch.field.startswith("answer:")
    }
    entries = summarise(baltic).ledger
    assert len(entries) == len(calls)
    for call, entry in zip(calls, entries, strict=True):
        assert entry.turn == call.turn
        assert [a.actor for a in entry.answers] == [baltic.final.actors[g].name for g in call.obligated]
        for g, a in zip(call.obligated, entry.answers, strict=True):
            given_answer = answers.get((call.id, g))
            expected = "pending" if given_answer is None else "honoured" if given_answer else "abandoned"
            assert a.answer == expected
            if a.answer != "pending":
                assert a.odds is not None
                assert 0.0 <= a.odds <= 1.0


def test_objectives_agree_with_the_engine_and_say_why(baltic: History) -> None:
    s = summarise(baltic)
    by_text = {(a.name, o.text): (a.id, o) for a in baltic.final.scenario.actors for o in a.objectives}
    assert s.objectives
    for r in s.objectives:
        actor, obj = by_text[(r.team, r.text)]
        assert r.met == met(baltic.final, actor, obj)
        assert re.search(r"\d|peace|war|in force", r.why), r.why


def test_theory_ties_each_concept_to_a_moment_and_a_source(baltic: History) -> None:
    s = summarise(baltic)
    assert 3 <= len(s.theory) <= 6
    explanations = {humanise(e.reason.explanation, baltic.final) for r in baltic.turns for e in r.outcomes}
    names = {c.name for c in CONCEPTS.values()}
    for t in s.theory:
        assert t.concept in names
        assert t.source == BIBLIOGRAPHY[next(c.source for c in CONCEPTS.values() if c.name == t.concept)]
        assert t.moment in explanations or " concluded a " in t.moment


def test_questions_come_from_this_games_events(baltic: History) -> None:
    s = summarise(baltic)
    assert MIN_QUESTIONS <= len(s.questions) <= MAX_QUESTIONS
    names = {a.name for a in baltic.final.actors.values()}
    specific = [q for q in s.questions if any(n in q for n in names) or re.search(r"turn \d", q)]
    assert len(specific) >= MIN_QUESTIONS
    assert len(set(s.questions)) == len(s.questions)


def _secret_game() -> Run:
    """Baltic with Estonia and Latvia as teams: a private message, then bots play two turns."""
    game = new_game(load_scenario(find("baltic")), seed=5, teams=["EST", "LVA"])
    game.run(Start(by=FACILITATOR))
    game.run(Advance(by=FACILITATOR))
    game.run(SendMessage(by="EST", channel="private", to=["LVA"], text="PRIVATE-MARKER: we fold if Riga folds."))
    game.run(SendMessage(by="LVA", channel="public", text="Latvia stands with its allies."))
    return play_on(game, 2)


def test_the_student_edition_holds_no_secret() -> None:
    game = _secret_game()
    h = history(game.log)
    student = html.unescape(summary_html(summarise(h, "student")))
    facilitator = html.unescape(summary_html(summarise(h, "facilitator"), "report.full.html"))
    secrets = [o.text for a in h.final.scenario.actors for o in a.objectives if o.secret and a.id in h.final.teams]
    assert secrets
    assert any(s in facilitator for s in secrets)
    for secret in secrets:
        assert secret not in student
    hidden = [e.reason.explanation for e in game.log if isinstance(e, Outcome) and not is_public(e, h.final)]
    hidden += [e.title for e in game.log if e.type == "inject_released" and getattr(e, "audience", "") != "public"]
    public = {e.reason.explanation for e in game.log if isinstance(e, Outcome) and is_public(e, h.final)}
    for text in hidden:
        if text not in public:
            assert text not in student
    assert "PRIVATE-MARKER" not in student
    assert "report.full.html" not in student
    assert "stays with your facilitator" in student


def test_is_public_follows_audience_and_secrecy(baltic_log: list[Event], baltic: History) -> None:
    outcomes = [e for e in baltic_log if isinstance(e, Outcome)]
    assert any(not is_public(e, baltic.final) for e in outcomes)
    assert all(is_public(e, baltic.final) == (e.audience == "public") for e in outcomes)
    for e in baltic_log:
        if isinstance(e, AgreementConcluded):
            assert is_public(e, baltic.final) == e.proposal.public


def test_the_page_has_every_section_and_links_to_the_full_record(baltic: History) -> None:
    page = summary_html(summarise(baltic), "report.full.html")
    for anchor, title in SECTIONS:
        assert f'data-section="{anchor}"' in page
        assert html.escape(title) in page
    assert "href='report.full.html#turn-1'" in page
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']https?:""", page)


def test_unknown_edition_is_refused(baltic: History) -> None:
    with pytest.raises(ValueError, match="unknown edition 'teacher'"):
        summarise(baltic, "teacher")  # type: ignore[arg-type]


def test_humanise_replaces_whole_actor_ids_only(baltic: History) -> None:
    text = "The consultation of SWE, BLR, CAN, DEU is in force; ESTONIA and LVAX stay as written."
    assert humanise(text, baltic.final) == (
        "The consultation of Sweden, Belarus, Canada, Germany is in force; ESTONIA and LVAX stay as written."
    )


@given(st.text(alphabet="ab ()%.0123456789", max_size=40))
def test_plain_leaves_no_parenthesised_aside(text: str) -> None:
    out = plain(text)
    assert not re.search(r"\([^()]*\)", out)
    assert len(out) <= len(text)
