"""A renunciation says why: the reason a state states in its orders goes with the notice and the end, to
whoever sees the renunciation, and no further (the parties of a secret agreement only)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from crisisgame.engine.commands import Orders, SubmitOrders
from crisisgame.engine.constants import STATED_REASON_LENGTH
from crisisgame.engine.events import AgreementEnded, Event, Outcome, event_to_json
from crisisgame.engine.news import lead_stories, what_changed
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.view import outcome_page, view, view_json, visible_event
from tests.engine.support import Table, replayed
from tests.engine.test_commitments import GUARANTEE, rule, started, strike, world

WHY = "Beta no longer threatens Alpha, and the guarantee ties our hands for nothing."
MARK = "MARKER-7f3c: the pact drags us into a quarrel not our own"


SECRET = GUARANTEE | {"id": "quiet-pact", "name": "The Quiet Pact", "public": False}
"""The guarantee kept secret, under an id and name found nowhere else in the scenario."""


def _renounced(public: bool = True, why: str = WHY) -> tuple[Table, list[Event], list[Event]]:
    """GAMMA renounces the trio's guarantee of ALPHA with a stated reason (or its secret twin); the events of the
    turn it gave notice, and of the turns until the notice ran out."""
    ag = GUARANTEE if public else SECRET
    table = started(world(ag))
    notice = strike(table, {"GAMMA": Orders(renounce=[ag["id"]], renounce_reasons={ag["id"]: why})})
    ending = [e for _ in range(2) for e in strike(table, {})]
    return table, notice, ending


def test_the_stated_reason_goes_with_the_notice_the_agreement_and_its_end() -> None:
    table, notice_events, ending = _renounced()
    [notice] = rule(notice_events, "agreement.renunciation")
    assert notice.reason.inputs["stated_reason"] == WHY
    assert notice.reason.inputs["by"] == "GAMMA"
    ag = table.state.agreements["guarantee"]
    assert (ag.notice_by, ag.notice_reason) == ("GAMMA", WHY)
    [end] = [e for e in ending if isinstance(e, AgreementEnded)]
    assert (end.cause, end.stated_reason, end.reason.inputs["by"]) == ("renounced", WHY, "GAMMA")
    assert replayed(table.log).agreements["guarantee"] == ag  # the log folds to the same agreement
    # Every seat that sees the (public) agreement reads the reason beside it, and in the news.
    for seat in ("ALPHA", "BETA", "UNION"):
        seen = view(table.state, seat)
        assert isinstance(seen, TeamView)
        [shown] = [g for g in seen.agreements if g.id == "guarantee"]
        assert (shown.notice_by, shown.notice_reason) == ("GAMMA", WHY)
    stories = lead_stories(table.log, table.state)
    told = [x for x in stories if "guarantee" in x.title.lower()]
    assert len(told) == 2  # the notice and the end
    assert all(x.text.endswith(f"Stated reason: \u201c{WHY}\u201d") for x in told)
    assert "Gamma renounces" in told[-1].title


def test_a_partner_reads_the_reason_in_what_changed_for_it() -> None:
    table = started(world(GUARANTEE))
    before = table.state
    events = strike(table, {"GAMMA": Orders(renounce=["guarantee"], renounce_reasons={"guarantee": WHY})})
    lines = what_changed(before, table.state, events, "ALPHA")
    assert any(line.startswith("Gamma gave notice renouncing 'The guarantee'") and WHY in line for line in lines)
    mine = what_changed(before, table.state, events, "GAMMA")
    assert any(line.startswith("You gave notice renouncing") for line in mine)


def test_a_renunciation_without_a_reason_carries_none() -> None:
    table = started(world(GUARANTEE))
    events = strike(table, {"GAMMA": Orders(renounce=["guarantee"])})
    [notice] = rule(events, "agreement.renunciation")
    assert "stated_reason" not in notice.reason.inputs
    ending = [e for _ in range(2) for e in strike(table, {}) if isinstance(e, AgreementEnded)]
    assert [(e.stated_reason, e.reason.inputs["by"]) for e in ending] == [(None, "GAMMA")]
    assert "stated_reason" not in json.loads(event_to_json(ending[0]))  # logs without reasons keep their bytes


def test_a_reason_for_an_agreement_the_orders_do_not_renounce_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as info:
        Orders(renounce=["pact"], renounce_reasons={"guarantee": WHY})
    [err] = info.value.errors()
    assert err["loc"] == ("renounce_reasons",)
    assert "'guarantee'" in err["msg"]
    assert "do not renounce" in err["msg"]
    with pytest.raises(ValidationError, match="do not renounce"):
        SubmitOrders.model_validate(
            {"by": "GAMMA", "orders": {"suspend": ["guarantee"], "renounce_reasons": {"guarantee": WHY}}}
        )


def test_a_stated_reason_is_one_capped_line_of_words() -> None:
    orders = Orders(renounce=["g"], renounce_reasons={"g": "  drags us\n\tin\x1b[31m \u200b now  "})
    assert orders.renounce_reasons == {"g": "drags us in [31m now"}
    with pytest.raises(ValidationError) as blank:
        Orders(renounce=["g"], renounce_reasons={"g": " \n\u200b\t "})
    assert blank.value.errors()[0]["loc"] == ("renounce_reasons", "g")
    assert "needs some words" in blank.value.errors()[0]["msg"]
    Orders(renounce=["g"], renounce_reasons={"g": "x" * STATED_REASON_LENGTH})
    with pytest.raises(ValidationError, match=f"at most {STATED_REASON_LENGTH} characters"):
        Orders(renounce=["g"], renounce_reasons={"g": "x" * (STATED_REASON_LENGTH + 1)})


def test_a_reason_for_an_agreement_that_cannot_be_renounced_gets_the_renounce_refusal() -> None:
    table = started(world(GUARANTEE))
    table.advance_to("orders")
    orders = Orders(renounce=["guarantee"], renounce_reasons={"guarantee": WHY})
    assert "not a party" in table.refuse(SubmitOrders(by="BETA", orders=orders))


def _texts(table: Table, seat: str) -> str:
    """Everything `seat` may receive: its view's JSON, every event of the log as it would be sent to it, and
    the outcome page of every turn."""
    sent = [visible_event(e, seat, table.state) for e in table.log]
    pages = [outcome_page(table.state, seat, t).model_dump_json() for t in range(1, table.state.turn + 1)]
    return "\n".join(
        [view_json(table.state, seat).decode(), *(event_to_json(e) for e in sent if e is not None), *pages]
    )


def test_a_secret_agreements_renunciation_and_its_reason_stay_with_its_parties() -> None:
    table, notice_events, _ = _renounced(public=False, why=MARK)
    [notice] = rule(notice_events, "agreement.renunciation")
    assert notice.audience == ["ALPHA", "GAMMA"]
    for party in ("ALPHA", "GAMMA"):
        assert MARK in _texts(table, party)
    for outsider in ("BETA", "UNION", "observer"):
        seen = _texts(table, outsider)
        assert MARK not in seen
        assert "quiet" not in seen.lower()  # neither the notice, the end, the orders nor the agreement
    theirs = view(table.state, "BETA")
    assert isinstance(theirs, TeamView)
    assert not any(isinstance(e, AgreementEnded) for e in theirs.outcomes)
    revealed = [o for turn in theirs.revealed_orders.values() for o in turn.values()]
    assert all(o.renounce == [] and o.renounce_reasons == {} for o in revealed)
    assert not [x for x in lead_stories(table.log, table.state) if MARK in x.text or "quiet" in x.title.lower()]
    # The costs of renouncing are still the renouncer's: its reputation fell, whoever was told why.
    assert table.state.actors["GAMMA"].reputation < started(world(GUARANTEE)).state.actors["GAMMA"].reputation


def test_a_public_agreements_reason_is_revealed_with_the_orders_to_every_seat() -> None:
    table, _, _ = _renounced()
    revealed = outcome_page(table.state, "BETA", 1).orders  # (turn 1's orders: older than a view carries)
    assert revealed["GAMMA"].renounce_reasons == {"guarantee": WHY}


def test_the_suspension_cost_of_a_secret_agreement_is_told_to_its_parties_only() -> None:
    table = started(world(SECRET))
    events = strike(table, {"ALPHA": Orders(suspend=["quiet-pact"])})
    [cost] = rule(events, "agreement.suspension_cost")
    assert isinstance(cost, Outcome)
    assert cost.audience == ["ALPHA", "GAMMA"]
    assert "quiet" not in _texts(table, "BETA").lower()
    assert "quiet" in _texts(table, "GAMMA").lower()
