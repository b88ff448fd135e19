"""`view(state, seat)` and `event_visible`: fog of war. No seat ever receives another team's private
messages, secret objectives, private intelligence, perceptions or sealed orders before they are revealed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine import state as state_module
from crisisgame.engine import view as view_module
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import (
    FACILITATOR,
    OBSERVER,
    Accept,
    Advance,
    Amend,
    Command,
    DemandAnswer,
    DemandOrder,
    End,
    FireInject,
    ForceOrder,
    Orders,
    Proposal,
    Propose,
    Reject,
    Release,
    Rollback,
    SendMessage,
    Start,
    Statement,
    SubmitOrders,
)
from crisisgame.engine.decide import Rejected, decide_step
from crisisgame.engine.events import (
    Change,
    DemandOpened,
    Event,
    GameCreated,
    MessageSent,
    Outcome,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
    Reason,
)
from crisisgame.engine.game import Game
from crisisgame.engine.state import MESSAGE_WINDOW, State, channel_key
from crisisgame.engine.view import (
    MESSAGES_IN_VIEW,
    EventLog,
    event_visible,
    message_page,
    seen_whole_by_all,
    view,
    view_json,
    visible_event,
)
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import ChangeIntent, Scenario, scenario_dict
from crisisgame.simulate import Run, bot_round
from tests.engine.support import FAC, Table, made_id, shipped, trio

FACILITATOR_ONLY = (
    "intent",
    "threat",
    "orders",
    "submitted",
    "amendments",
    "secret_objectives",
    "scores",
    "script",
)


# --------------------------------------------------------------------------- secrets and who may see them


@dataclass(frozen=True)
class Secret:
    """A marker string and the seats allowed to see it (orders: everyone, once revealed and released)."""

    marker: str
    seats: frozenset[str]
    orders_of_turn: int | None = None

    def allowed(self, seat: str, state: State) -> bool:
        if seat == FACILITATOR or seat in self.seats:
            return True
        t = self.orders_of_turn
        if t is None or t not in state.revealed:
            return False
        return t < state.turn or state.released or state.phase == "ended"


def marked(sc: Scenario) -> tuple[Scenario, list[Secret]]:
    """The scenario with a unique marker in every secret objective and every piece of intelligence."""
    doc = scenario_dict(sc)
    secrets: list[Secret] = []
    for actor in doc["actors"]:
        for obj in actor.get("objectives", []):
            if obj.get("secret"):
                marker = f"[[SECRET-{actor['id']}-{obj['id']}]]"
                obj["text"] = f"{marker} {obj['text']}"
                secrets.append(Secret(marker, frozenset({actor["id"]})))
    for inject in doc.get("injects", []):
        if isinstance(inject.get("audience"), list):
            marker = f"[[INTEL-{inject['id']}]]"
            inject["title"] = f"{marker} {inject['title']}"
            inject["text"] = f"{marker} {inject['text']}"
            secrets.append(Secret(marker, frozenset(inject["audience"])))
    return Scenario.model_validate(doc), secrets


# --------------------------------------------------------------------------- the checks


def wire_view(state: State, seat: str, history: bool = True) -> dict[str, Any]:
    """The seat's view as it goes on the wire (JSON data): with `history`, the bytes the server sends
    (`view_json`, which splices JSON encoded once for several seats), checked to be the view's own JSON."""
    if not history:
        return view(state, seat, history=False).model_dump(mode="json")
    sent = view_json(state, seat)
    assert sent == view(state, seat).model_dump_json().encode(), f"{seat}'s view on the wire is not its view"
    data: dict[str, Any] = json.loads(sent)
    return data


def foreign_perceptions(changes: list[dict[str, Any]], seat: str) -> list[dict[str, Any]]:
    return [
        ch
        for ch in changes
        if ch["target"] == "pair" and ch["field"] in ("intent", "threat") and not ch["key"].startswith(seat + ">")
    ]


def check_view(state: State, seat: str, secrets: list[Secret], history: bool = True) -> None:
    v = wire_view(state, seat, history=history)
    text = json.dumps(v)
    for secret in secrets:
        if not secret.allowed(seat, state):
            assert secret.marker not in text, f"{seat} sees {secret.marker}"
    if seat == FACILITATOR:
        return
    for key in FACILITATOR_ONLY:
        assert key not in v, f"{seat}'s view holds {key!r}"
    if seat == OBSERVER:
        assert "me" not in v
    else:
        me = v["me"]
        assert me["id"] == seat
        assert set(me["intent"]) == set(me["threat"]) == set(state.actors) - {seat}
        assert set(me["win_sets"]) == set(state.actors[seat].win_sets)
    for actor in v["actors"]:
        assert all(not o.get("secret") for o in actor["objectives"]), f"{seat} sees a secret objective"
    for m in v["messages"]:
        assert m["channel"] == "public" or seat in (m["sender"], *m["to"])
    for i in v["injects"]:
        assert i["audience"] == "public" or seat in i["audience"]
    for p in v["proposals"]:
        assert seat in p["proposal"]["parties"]
    for o in v["outcomes"]:
        if o["type"] == "outcome":
            assert o["audience"] == "public" or seat in o["audience"]
            assert not foreign_perceptions(o["changes"], seat), f"{seat} sees others' perceptions in {o['reason']}"
    for d in v["demands"]:
        assert d["public"] or seat in (d["actor"], d["target"])
    for orders_by_actor in v["revealed_orders"].values():
        for actor, orders in orders_by_actor.items():
            for d in orders["demands"]:
                assert d["public"] or seat in (actor, d["target"]), f"{seat} sees {actor}'s private demand"
    shown_turns = {int(t) for t in v["revealed_orders"]}
    released = state.released or state.phase != "results"
    assert shown_turns <= {t for t in state.revealed if t < state.turn or released}


def check_events(events: list[Event], state: State, seats: list[str], secrets: list[Secret]) -> None:
    for e in events:
        text = e.model_dump_json()
        for seat in seats:
            sent = visible_event(e, seat, state)
            whole = event_visible(e, seat, state)
            assert whole == (sent is e)
            assert sent is e or not seen_whole_by_all(e), f"{e.type} is not whole for {seat}"
            if sent is None:
                continue
            sent_text = text if sent is e else sent.model_dump_json()
            for secret in secrets:
                if not secret.allowed(seat, state):
                    assert secret.marker not in sent_text, f"{seat} is sent {secret.marker} in {e.type}"
            if seat == FACILITATOR:
                continue
            assert not isinstance(sent, GameCreated)
            if isinstance(sent, Outcome):
                changes = [ch.model_dump() for ch in sent.changes]
                assert not foreign_perceptions(changes, seat)
            if sent.type == "orders_submitted":
                assert getattr(sent, "actor", None) == seat


# --------------------------------------------------------------------------- random games with secrets


@dataclass
class SecretGame:
    """A game with teams, bots and a facilitator, recording every secret it creates."""

    data: st.DataObject
    sc: Scenario
    seed: int
    secrets: list[Secret]
    teams: list[str]
    state: State
    log: list[Event] = field(default_factory=list)
    now: float = 0.0
    n: int = 0

    @property
    def seats(self) -> list[str]:
        return [*self.state.actors, OBSERVER, FACILITATOR]

    def marker(self, kind: str) -> str:
        self.n += 1
        return f"[[{kind}-{self.n}]]"

    def run(self, command: Command) -> bool:
        try:
            events, self.state = decide_step(self.state, command, self.now)
        except Rejected:
            return False
        self.log.extend(events)
        check_events(events, self.state, self.seats, self.secrets)
        return True

    def check_views(self, history: bool) -> None:
        for seat in self.seats:
            check_view(self.state, seat, self.secrets, history=history)

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def extra(self) -> None:
        """Random commands with secrets in them, from the teams and the facilitator."""
        actors = list(self.state.actors)
        for _ in range(self.draw(st.integers(0, 3))):
            kind = self.draw(st.sampled_from(["private", "group", "facilitator", "intel", "proposal"]))
            if kind in ("private", "group") and self.teams:
                sender = self.draw(st.sampled_from(self.teams))
                others = [a for a in actors if a != sender]
                if kind == "group" and len(others) < 2:
                    continue
                size = 1 if kind == "private" else self.draw(st.integers(2, len(others)))
                to = self.draw(st.lists(st.sampled_from(others), min_size=size, max_size=size, unique=True))
                marker = self.marker("MSG")
                message = SendMessage.model_validate(
                    {"by": sender, "channel": kind, "to": to, "text": f"{marker} psst"}
                )
                if self.run(message):
                    self.secrets.append(Secret(marker, frozenset({sender, *to})))
            elif kind == "facilitator":
                to = self.draw(st.sampled_from(actors))
                marker = self.marker("FAC")
                if self.run(SendMessage(by=FAC, channel="private", to=[to], text=marker)):
                    self.secrets.append(Secret(marker, frozenset({to})))
            elif kind == "intel":
                audience = self.draw(st.lists(st.sampled_from(actors), min_size=1, max_size=3, unique=True))
                observer = self.draw(st.sampled_from(actors))
                toward = self.draw(st.sampled_from([a for a in actors if a != observer]))
                marker = self.marker("ADHOC")
                effect = ChangeIntent(kind="intent", of=[observer], toward=toward, delta=0.2)
                command = FireInject(by=FAC, title=marker, text=f"{marker} text", audience=audience, effects=[effect])
                if self.run(command):
                    self.secrets.append(Secret(marker, frozenset(audience)))
            elif kind == "proposal" and self.teams:
                sender = self.draw(st.sampled_from(self.teams))
                partner = self.draw(st.sampled_from([a for a in actors if a != sender]))
                public = self.draw(st.booleans())
                self.run(
                    Propose(by=sender, proposal=Proposal(type="consultation", parties=[sender, partner], public=public))
                )
                for p in list(self.state.proposals.values()):
                    if p.status == "open" and p.sender != sender:
                        for party in p.proposal.parties:
                            if party in self.teams and party not in p.accepted:
                                verb = Accept if self.draw(st.booleans()) else Reject
                                self.run(verb(by=party, proposal_id=p.id))

    def team_orders(self) -> None:
        issues = [i.id for i in self.sc.issues]
        for team in self.teams:
            if not self.draw(st.booleans()):
                continue
            marker = self.marker(f"ORDERS-{team}")
            others = [a for a in self.state.actors if a != team]
            target = self.draw(st.sampled_from(others))
            parts: dict[str, Any] = {"statements": [Statement(text=marker)]}
            if issues and self.draw(st.booleans()):
                parts["demands"] = [DemandOrder(target=target, issue=issues[0], position=0.5, public=False)]
            if self.draw(st.booleans()):
                parts["force"] = [ForceOrder(target=target, level=self.draw(st.sampled_from(["grey_zone", "war"])))]
            if self.run(SubmitOrders(by=team, orders=Orders(**parts))):
                self.secrets.append(Secret(marker, frozenset({team}), orders_of_turn=self.state.turn))


def play_secret_game(data: st.DataObject, sc: Scenario, seed: int, max_turns: int) -> None:
    sc, secrets = marked(sc)
    playable = [a.id for a in sc.actors if a.playable]
    teams = data.draw(st.lists(st.sampled_from(playable), max_size=min(4, len(playable)), unique=True))
    auto_release = data.draw(st.booleans())
    created = GameCreated(scenario=scenario_dict(sc), seed=seed, teams=teams, auto_release=auto_release)
    game = SecretGame(data, sc, seed, secrets, teams, apply(None, created), [created])
    last = data.draw(st.integers(1, min(max_turns, sc.turns.count)))
    assert game.run(Start(by=FAC))
    while game.state.phase != "ended":
        phase = game.state.phase
        game.extra()
        if phase == "orders":
            game.team_orders()
        for _ in range(SCHEDULE.rounds_per_phase if phase in ("diplomacy", "orders") else 0):
            bots = Run(Game.from_state(game.state, [], bots=seat_commands), game.now)
            bot_round(bots)
            check_events(bots.log, bots.state, game.seats, game.secrets)
            game.state = bots.state
            game.log.extend(bots.log)
        game.check_views(history=phase == "results")
        game.now += 100.0
        if phase == "results":
            if not game.state.released:
                if data.draw(st.booleans()):
                    game.run(
                        Amend(
                            by=FAC,
                            target="actor",
                            key=teams[0] if teams else playable[0],
                            field="approval",
                            value=0.5,
                            reason="amended for the test",
                        )
                    )
                    game.check_views(history=True)
                assert game.run(Release(by=FAC))
                game.check_views(history=True)
            if game.state.turn >= last:
                assert game.run(End(by=FAC))
                break
        assert game.run(Advance(by=FAC))
    game.check_views(history=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_no_seat_learns_anothers_secrets_in_random_games_of_a_small_world(data: st.DataObject, seed: int) -> None:
    play_secret_game(data, trio(), seed, max_turns=3)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.integers(0, 2), seed=st.integers(0, 2**32))
def test_no_seat_learns_anothers_secrets_in_random_games_of_the_shipped_scenarios(
    data: st.DataObject, which: int, seed: int
) -> None:
    play_secret_game(data, shipped()[which % len(shipped())], seed, max_turns=2)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), actors=st.integers(2, 9), seed=st.integers(0, 10_000))
def test_no_seat_learns_anothers_secrets_in_random_games_of_generated_worlds(
    data: st.DataObject, actors: int, seed: int
) -> None:
    play_secret_game(data, world(actors, seed=seed, turns=3), seed, max_turns=3)


# --------------------------------------------------------------------------- examples, one secret at a time


def started(auto_release: bool = True) -> Table:
    table = Table(auto_release=auto_release)
    table.do(Start(by=FAC))
    return table


def seen_by(state: State, marker: str) -> set[str]:
    seats = [*state.actors, OBSERVER, FACILITATOR]
    return {seat for seat in seats if marker in json.dumps(wire_view(state, seat))}


def test_a_private_message_reaches_only_its_sender_its_recipient_and_the_facilitator() -> None:
    table = started()
    [sent] = table.do(SendMessage(by="ALPHA", channel="private", to=["BETA"], text="[[P]]"))
    assert seen_by(table.state, "[[P]]") == {"ALPHA", "BETA", FACILITATOR}
    assert {s for s in ("ALPHA", "BETA", "GAMMA", "UNION", OBSERVER) if event_visible(sent, s, table.state)} == {
        "ALPHA",
        "BETA",
    }


def test_a_group_message_reaches_the_group_and_a_public_one_everyone() -> None:
    table = started()
    table.do(SendMessage(by="ALPHA", channel="group", to=["BETA", "GAMMA"], text="[[G]]"))
    table.do(SendMessage(by="BETA", channel="public", text="[[PUB]]"))
    assert seen_by(table.state, "[[G]]") == {"ALPHA", "BETA", "GAMMA", FACILITATOR}
    assert seen_by(table.state, "[[PUB]]") == {"ALPHA", "BETA", "GAMMA", "UNION", OBSERVER, FACILITATOR}
    [(_, group), (_, public)] = table.state.messages.held()
    assert seen_whole_by_all(public)
    assert not seen_whole_by_all(group)
    assert all(visible_event(public, s, table.state) is public for s in [*table.state.actors, OBSERVER, FACILITATOR])


def test_secret_objectives_are_shown_to_their_own_team_only() -> None:
    table = started()
    assert seen_by(table.state, "ALPHA-SECRET-OBJECTIVE") == {"ALPHA", FACILITATOR}
    assert seen_by(table.state, "GAMMA-SECRET-OBJECTIVE") == {"GAMMA", FACILITATOR}
    assert seen_by(table.state, "Keep Gamma's guarantee in force.") == {
        "ALPHA",
        "BETA",
        "GAMMA",
        "UNION",
        OBSERVER,
        FACILITATOR,
    }


def test_intelligence_reaches_its_audience_only_with_its_effects() -> None:
    table = started()
    assert seen_by(table.state, "INTEL-ALPHA") == {"ALPHA", FACILITATOR}
    table.advance_to("briefing", turn=2)
    assert seen_by(table.state, "INTEL-PAIR") == {"BETA", "GAMMA", FACILITATOR}


def test_a_seat_sees_its_own_perceptions_and_win_sets_and_nobody_elses() -> None:
    table = started()
    alpha = wire_view(table.state, "ALPHA")
    assert alpha["me"]["intent"] == {b: table.state.intent_of("ALPHA", b) for b in ("BETA", "GAMMA", "UNION")}
    assert alpha["me"]["win_sets"] == {"border": [0.4, 0.7], "status": [0.0, 0.5]}
    for key in FACILITATOR_ONLY:
        assert key not in alpha
        assert key not in wire_view(table.state, OBSERVER)
    assert wire_view(table.state, FAC)["intent"] == dict(table.state.intent)


def test_the_facilitator_sees_the_script_of_injects_and_which_have_been_released() -> None:
    """What the console offers to fire early; no team sees what is coming."""
    table = Table()
    script = wire_view(table.state, FAC)["script"]
    assert [(i["id"], i["turn"], i["released"]) for i in script] == [
        ("headlines", 1, False),
        ("alpha-intel", 1, False),
        ("pair-intel", 2, False),
        ("exercise", 2, False),
        ("late", 3, False),
    ]
    assert next(i for i in script if i["id"] == "pair-intel")["audience"] == ["BETA", "GAMMA"]
    assert [i["id"] for i in script if i["conditional"]] == ["late"]
    table.do(Start(by=FAC))  # turn 1's injects fire with its briefing
    table.do(FireInject(by=FAC, inject_id="exercise"))  # and one of turn 2's, early
    released = {i["id"] for i in wire_view(table.state, FAC)["script"] if i["released"]}
    assert released == {"headlines", "alpha-intel", "exercise"}
    for seat in (*table.state.actors, OBSERVER):
        assert "script" not in wire_view(table.state, seat)


def test_a_public_inject_does_not_reveal_the_perceptions_it_moves() -> None:
    table = started()
    table.advance_to("briefing", turn=2)  # 'exercise': public news that moves Alpha's and Gamma's intent rows
    for seat in ("ALPHA", "BETA", "GAMMA", OBSERVER):
        for o in wire_view(table.state, seat)["outcomes"]:
            if o["type"] == "outcome":
                assert not foreign_perceptions(o["changes"], seat)
    alpha_keys = {
        ch["key"]
        for o in wire_view(table.state, "ALPHA")["outcomes"]
        if o["type"] == "outcome" and o["reason"]["rule"] == "inject"
        for ch in o["changes"]
    }
    assert "ALPHA>BETA" in alpha_keys
    assert "GAMMA>BETA" not in alpha_keys


def test_an_outcome_moving_others_perceptions_is_sent_redacted_not_whole() -> None:
    table = started()
    changes = [
        Change(target="pair", key="ALPHA>BETA", field="intent", value=0.9),
        Change(target="pair", key="GAMMA>BETA", field="intent", value=0.8),
        Change(target="actor", key="BETA", field="approval", value=0.5),
    ]
    outcome = Outcome(turn=1, changes=changes, reason=Reason(rule="crisis.intent", step=6, explanation="x"))
    assert event_visible(outcome, FAC, table.state)
    assert not event_visible(outcome, "ALPHA", table.state)
    assert visible_event(outcome, "ALPHA", table.state) is None  # turn 1 is not adjudicated during its briefing
    table.advance_to("results")
    sent = visible_event(outcome, "ALPHA", table.state)
    assert isinstance(sent, Outcome)
    assert [ch.key for ch in sent.changes] == ["ALPHA>BETA", "BETA"]
    sent_to_observer = visible_event(outcome, OBSERVER, table.state)
    assert isinstance(sent_to_observer, Outcome)
    assert [ch.key for ch in sent_to_observer.changes] == ["BETA"]


def test_sealed_orders_stay_sealed_until_results_are_released() -> None:
    table = started(auto_release=False)
    table.advance_to("orders")
    [submitted] = table.do(SubmitOrders(by="BETA", orders=Orders(statements=[Statement(text="[[ORD]]")])))
    assert seen_by(table.state, "[[ORD]]") == {"BETA", FACILITATOR}
    assert {s for s in ("ALPHA", "BETA", "GAMMA", OBSERVER) if event_visible(submitted, s, table.state)} == {"BETA"}
    table.advance_to("results")
    assert not table.state.released
    assert seen_by(table.state, "[[ORD]]") == {FACILITATOR}  # revealed to the facilitator, not yet to teams
    table.do(Release(by=FAC))
    assert seen_by(table.state, "[[ORD]]") == {"ALPHA", "BETA", "GAMMA", "UNION", OBSERVER, FACILITATOR}


def test_before_release_teams_see_the_world_as_it_was_when_orders_closed() -> None:
    table = started(auto_release=False)
    table.advance_to("orders")
    table.do(SubmitOrders(by="BETA", orders=Orders(defence_spending=12.0, mobilisation=0.9)))
    before = {seat: wire_view(table.state, seat) for seat in ("ALPHA", "BETA", OBSERVER)}
    events = table.do(Advance(by=FAC))
    assert table.state.phase == "results"
    assert not table.state.released
    world_keys = ("actors", "agreements", "credibility", "system", "wars", "calls", "demands", "outcomes")
    for seat, was in before.items():
        now = wire_view(table.state, seat)
        for key in world_keys:
            assert now[key] == was[key], f"{seat} sees {key} of the adjudication before release"
        if seat != OBSERVER:
            assert now["me"]["intent"] == was["me"]["intent"]
        adjudicated = [e for e in events if isinstance(e, Outcome)]
        assert adjudicated
        assert not any(event_visible(e, seat, table.state) for e in adjudicated)
    table.do(Release(by=FAC))
    assert wire_view(table.state, "ALPHA")["actors"] != before["ALPHA"]["actors"]
    [spending] = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "capabilities.spending"]
    assert event_visible(spending, "ALPHA", table.state)


def test_whether_a_deal_was_ratified_is_not_shown_before_results_are_released() -> None:
    table = started(auto_release=False)
    table.advance_to("diplomacy")
    made = made_id(table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"]))))
    table.do(Accept(by="BETA", proposal_id=made))
    table.advance_to("results")
    assert table.state.proposals[made].status == "ratified"

    def status(seat: str) -> str:
        [p] = [p for p in wire_view(table.state, seat)["proposals"] if p["id"] == made]
        return str(p["status"])

    assert status("ALPHA") == "accepted"
    assert status(FACILITATOR) == "ratified"
    table.do(Release(by=FAC))
    assert status("ALPHA") == "ratified"


def test_proposals_and_their_answers_reach_their_parties_only() -> None:
    table = started()
    table.advance_to("diplomacy")
    [made] = table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"])))
    assert isinstance(made, ProposalMade)
    answered, closed = table.do(Reject(by="BETA", proposal_id=made.id))
    assert isinstance(answered, ProposalAnswered)
    assert isinstance(closed, ProposalClosed)
    for e in (made, answered, closed):
        assert {s for s in ("ALPHA", "BETA", "GAMMA", OBSERVER) if event_visible(e, s, table.state)} == {
            "ALPHA",
            "BETA",
        }
    assert [p["id"] for p in wire_view(table.state, "GAMMA")["proposals"]] == []


def test_a_private_demand_is_seen_by_its_two_sides_only() -> None:
    table = started()
    table.advance_to("orders")
    demand = DemandOrder(target="ALPHA", issue="border", position=0.1, public=False)
    table.do(SubmitOrders(by="BETA", orders=Orders(demands=[demand])))
    events = table.do(Advance(by=FAC))
    [opened] = [e for e in events if isinstance(e, DemandOpened)]
    seats = {s for s in ("ALPHA", "BETA", "GAMMA", "UNION", OBSERVER) if event_visible(opened, s, table.state)}
    assert seats == {"ALPHA", "BETA"}
    assert [d["id"] for d in wire_view(table.state, "GAMMA")["demands"]] == []
    assert [d["id"] for d in wire_view(table.state, "ALPHA")["demands"]] == [opened.id]


def test_an_unknown_seat_has_no_view() -> None:
    with pytest.raises(KeyError, match="unknown seat 'nobody'"):
        wire_view(Table().state, "nobody")


# --------------------------------------------------------------------------- known leaks in rules/ (reported)


def ratified_in_public(win_set_marker: float) -> Table:
    """Alpha and Beta conclude a public deal on the border; Alpha's win-set edge is a recognisable number."""
    doc = scenario_dict(trio())
    doc["actors"][0]["domestic"]["win_sets"]["border"] = {"low": win_set_marker, "high": 0.7}
    table = Table(Scenario.model_validate(doc))
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    proposal = Proposal(type="non_aggression", parties=["ALPHA", "BETA"], issue="border", position=0.45)
    made = made_id(table.do(Propose(by="ALPHA", proposal=proposal)))
    table.do(Accept(by="BETA", proposal_id=made))
    table.advance_to("results")
    return table


def test_ratifying_a_public_deal_does_not_reveal_a_partys_win_set() -> None:
    table = ratified_in_public(0.4127)
    assert "0.4127" in json.dumps(wire_view(table.state, "ALPHA"))
    for seat in ("GAMMA", OBSERVER):
        assert "0.4127" not in json.dumps(wire_view(table.state, seat))


def test_behaviour_reasons_do_not_reveal_a_seats_threat_perception() -> None:
    table = started()
    table.advance_to("results")
    for seat in ("ALPHA", OBSERVER):
        for o in wire_view(table.state, seat)["outcomes"]:
            if o["type"] != "outcome" or o["changes"][0]["key"] == seat:
                continue
            if o["reason"]["rule"].startswith("behaviour."):
                assert "threat" not in o["reason"]["inputs"], o["reason"]["explanation"]
            if o["reason"]["rule"] == "alliance.abandonment":
                assert "top_threat" not in o["reason"]["inputs"], o["reason"]["explanation"]


# --------------------------------------------------------------------------- revealed orders


def test_revealed_orders_show_a_private_demand_and_its_answer_to_its_two_sides_only() -> None:
    """Taiwan Strait: China's private demand on Taiwan, and Taiwan's answer to it, reach China, Taiwan and
    Control once revealed; the United States, Japan and the plenary screen see China's public demand only."""
    sc = next(s for s in shipped() if s.id == "taiwan-strait")
    table = Table(sc, teams=["CHN", "TWN", "USA", "JPN"])
    table.do(Start(by=FAC))
    table.advance_to("orders")
    private = DemandOrder(target="TWN", issue="taiwan_status", position=0.0, public=False)
    public = DemandOrder(target="USA", issue="freedom_of_navigation", position=0.15)
    table.do(SubmitOrders(by="CHN", orders=Orders(defence_spending=1.7, demands=[private, public])))
    table.advance_to("results")
    assert table.state.released
    turn = str(table.state.turn)
    both = [("TWN", False), ("USA", True)]
    public_only = [("USA", True)]
    expected = {"CHN": both, "TWN": both, FAC: both, "USA": public_only, "JPN": public_only, OBSERVER: public_only}
    for seat, demands in expected.items():
        shown = wire_view(table.state, seat)["revealed_orders"][turn]["CHN"]
        assert [(d["target"], d["public"]) for d in shown["demands"]] == demands, seat
        assert shown["defence_spending"] == 1.7  # the rest of the orders is public
    [private_id] = [d.id for d in table.state.demands.values() if not d.public]
    [public_id] = [d.id for d in table.state.demands.values() if d.public]

    table.advance_to("orders")
    table.do(SubmitOrders(by="TWN", orders=Orders(demand_answers=[DemandAnswer(demand_id=private_id, accept=False)])))
    table.do(SubmitOrders(by="USA", orders=Orders(demand_answers=[DemandAnswer(demand_id=public_id, accept=False)])))
    table.advance_to("results")
    turn = str(table.state.turn)
    for seat in ("CHN", "TWN", "USA", "JPN", OBSERVER, FAC):
        orders = wire_view(table.state, seat)["revealed_orders"][turn]
        twn = [a["demand_id"] for a in orders["TWN"]["demand_answers"]]
        assert twn == ([private_id] if seat in ("CHN", "TWN", FAC) else []), seat
        assert [a["demand_id"] for a in orders["USA"]["demand_answers"]] == [public_id], seat


def test_revealed_orders_are_not_shown_before_results_are_released() -> None:
    sc = next(s for s in shipped() if s.id == "taiwan-strait")
    table = Table(sc, teams=["CHN", "TWN"], auto_release=False)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    table.do(SubmitOrders(by="CHN", orders=Orders(defence_spending=1.9)))
    table.advance_to("results")
    for seat in ("CHN", "TWN", OBSERVER):
        assert str(table.state.turn) not in wire_view(table.state, seat)["revealed_orders"]
    table.do(Release(by=FAC))
    for seat in ("CHN", "TWN", OBSERVER):
        assert wire_view(table.state, seat)["revealed_orders"][str(table.state.turn)]["CHN"]["defence_spending"] == 1.9


# --------------------------------------------------------------------------- bounded messages, paged history

LONG = "x" * 4000


def flooded(table: Table, sender: str, recipients: list[list[str]], count: int, text: str = LONG) -> None:
    """`count` messages from `sender` on each channel: public for [], private for one, group for more."""
    for i in range(count):
        for to in recipients:
            channel = "public" if not to else "private" if len(to) == 1 else "group"
            table.do(SendMessage(by=sender, channel=channel, to=to, text=f"{i} {text}"[:4000]))


def channel_of(m: dict[str, Any]) -> str:
    return "public" if m["channel"] == "public" else f"{m['channel']}:{','.join(sorted({m['sender'], *m['to']}))}"


def test_a_flood_of_messages_leaves_every_view_under_a_stated_size() -> None:
    """One team sends twice the window of 4,000-character messages on four channels: every view keeps
    at most `MESSAGE_WINDOW` per channel and `MESSAGES_IN_VIEW` in all, so it weighs at most what it
    weighed before plus `MESSAGES_IN_VIEW` messages, and a second flood adds nothing."""
    table = started()
    seats = ["ALPHA", "BETA", "GAMMA", OBSERVER, FAC]
    before = {seat: len(view(table.state, seat).model_dump_json()) for seat in seats}
    channels = [[], ["BETA"], ["GAMMA"], ["BETA", "GAMMA"]]
    flooded(table, "ALPHA", channels, 2 * MESSAGE_WINDOW)
    bound = MESSAGES_IN_VIEW * (len(LONG) + 300)
    after = {}
    for seat in seats:
        v = wire_view(table.state, seat)
        after[seat] = len(view(table.state, seat).model_dump_json())
        assert after[seat] <= before[seat] + bound, seat
        held = Counter(channel_of(m) for m in v["messages"])
        assert max(held.values()) <= MESSAGE_WINDOW
        assert len(v["messages"]) <= MESSAGES_IN_VIEW
        visible = Counter(channel_of(m.model_dump()) for m in sent(table) if seat_reads(m, seat))
        assert {k: visible[k] - held[k] for k in visible if visible[k] > held[k]} == v["older_messages"], seat
    assert len(wire_view(table.state, FAC)["messages"]) == MESSAGES_IN_VIEW  # four channels, 300 in all
    assert wire_view(table.state, OBSERVER)["older_messages"] == {"public": MESSAGE_WINDOW}
    flooded(table, "ALPHA", channels, MESSAGE_WINDOW)
    for seat in seats:
        assert len(view(table.state, seat).model_dump_json()) <= after[seat] + 4 * MESSAGE_WINDOW * 10, seat


def seat_reads(m: Any, seat: str) -> bool:
    return seat == FAC or m.channel == "public" or seat == m.sender or seat in m.to


def sent(table: Table) -> list[MessageSent]:
    """Every message of the game, from its log (the state keeps each channel's newest only)."""
    return [e for e in table.log if isinstance(e, MessageSent)]


def test_history_pages_back_through_a_channel_to_its_first_message() -> None:
    table = started()
    flooded(table, "ALPHA", [["BETA"], []], MESSAGE_WINDOW + 130, text="hello")
    table.do(SendMessage(by="BETA", channel="private", to=["ALPHA"], text="last word"))
    channel = "private:ALPHA,BETA"
    everything = [m.id for m in sent(table) if channel_key(m) == channel]
    log = EventLog(table.log)
    for seat in ("ALPHA", "BETA", FAC):
        held = [m.id for m in view(table.state, seat).messages if channel_key(m) == channel]
        assert held == everything[-MESSAGE_WINDOW:]
        assert view(table.state, seat).older_messages[channel] == len(everything) - MESSAGE_WINDOW
        pages: list[str] = []
        before: str | None = held[0]
        more = True
        while more:
            page = message_page(table.state, seat, channel, before, limit=50, log=log)
            assert page.channel == channel
            assert len(page.messages) <= 50
            pages = [m.id for m in page.messages] + pages
            more = page.more
            before = page.messages[0].id if page.messages else None
        assert pages + held == everything
    newest = message_page(table.state, "ALPHA", channel, None, limit=3, log=log)
    assert [m.id for m in newest.messages] == everything[-3:]
    assert newest.more


def test_the_state_keeps_each_channels_newest_messages_and_pages_the_rest_from_the_log() -> None:
    """Three windows of public messages and a few private ones: the state holds the newest `MESSAGE_WINDOW`
    of each channel and counts them all, the view is what it was when the state held every message, and
    the older pages come from the log; without it, a page that needs it says so."""
    table = started()
    flooded(table, "ALPHA", [[], ["BETA"]], 3 * MESSAGE_WINDOW, text="x")
    flooded(table, "BETA", [["ALPHA"]], 5, text="y")
    kept = table.state.messages
    assert len(kept) == 6 * MESSAGE_WINDOW + 5
    assert {k: (len(c.recent), c.count) for k, c in kept.channels.items()} == {
        "public": (MESSAGE_WINDOW, 3 * MESSAGE_WINDOW),
        "private:ALPHA,BETA": (MESSAGE_WINDOW, 3 * MESSAGE_WINDOW + 5),
    }
    assert len(kept.held()) == 2 * MESSAGE_WINDOW
    assert [seq for seq, _ in kept.held()] == sorted(seq for seq, _ in kept.held())
    assert all(table.log[seq - 1] is m for seq, m in kept.held())  # (each with its seq in the log)
    public = [m.id for m in sent(table) if m.channel == "public"]
    newest = message_page(table.state, OBSERVER, "public", limit=5)
    assert [m.id for m in newest.messages] == public[-5:]
    assert newest.more
    with pytest.raises(view_module.LogNeeded):
        message_page(table.state, OBSERVER, "public", public[-MESSAGE_WINDOW])
    with pytest.raises(view_module.LogNeeded):
        message_page(table.state, OBSERVER, "public", public[5])
    log = EventLog(table.log)
    page = message_page(table.state, OBSERVER, "public", public[5], log=log)
    assert [m.id for m in page.messages] == public[:5]
    assert not page.more
    page = message_page(table.state, OBSERVER, "public", public[-MESSAGE_WINDOW], limit=7, log=log)
    assert [m.id for m in page.messages] == public[-MESSAGE_WINDOW - 7 : -MESSAGE_WINDOW]
    assert page.more


def test_messages_a_rollback_undid_are_in_no_view_nor_page_though_the_log_keeps_them() -> None:
    """Messages of turn 1, then of turn 2 until Control rolls turn 2 back, then more than a window of new
    ones (whose ids repeat the undone ones': they are made from the same counter): every seat's view and
    pages hold the messages of turn 1 and those after the rollback, in order, as a state folded without
    the undone messages would; paging before a repeated id finds the message that stands."""
    table = started()
    flooded(table, "ALPHA", [[], ["BETA"]], 20, text="turn one")
    table.advance_to("briefing", 2)
    flooded(table, "ALPHA", [[], ["BETA"]], 30, text="undone")
    undone = {m.id for m in sent(table) if "undone" in m.text}
    table.do(Rollback(by=FAC, reason="replay the turn"))
    flooded(table, "ALPHA", [[], ["BETA"]], MESSAGE_WINDOW + 10, text="after")
    standing = [m for m in sent(table) if "undone" not in m.text]
    assert undone & {m.id for m in standing}, "ids after the rollback repeat the undone ones'"
    log = EventLog(table.log)
    for seat in ("ALPHA", "BETA", "GAMMA", OBSERVER, FAC):
        v = view(table.state, seat)
        for channel in {channel_key(m) for m in standing if seat_reads(m, seat)}:
            everything = [m for m in standing if channel_key(m) == channel]
            mine = [m for m in v.messages if channel_key(m) == channel]
            assert mine == everything[-len(mine) :]
            assert v.older_messages.get(channel, 0) == len(everything) - len(mine)
            pages: list[MessageSent] = []
            before = mine[0].id
            while True:
                page = message_page(table.state, seat, channel, before, limit=9, log=log)
                pages = page.messages + pages
                if not page.more:
                    break
                before = page.messages[0].id
            assert pages + mine == everything
            assert not any("undone" in m.text for m in pages)


def test_history_gives_nothing_to_a_seat_that_may_not_read_the_channel() -> None:
    table = started()
    flooded(table, "ALPHA", [["BETA"], ["BETA", "GAMMA"]], 5, text="secret plan")
    private = [m.id for m in sent(table) if m.channel == "private"]
    for seat in ("GAMMA", "UNION", OBSERVER):
        page = message_page(table.state, seat, "private:ALPHA,BETA")
        assert page.messages == []
        assert not page.more
        with pytest.raises(KeyError):
            message_page(table.state, seat, "private:ALPHA,BETA", private[-1])
    assert message_page(table.state, OBSERVER, "group:ALPHA,BETA,GAMMA").messages == []
    assert len(message_page(table.state, "GAMMA", "group:ALPHA,BETA,GAMMA").messages) == 5
    assert [m.id for m in message_page(table.state, FAC, "private:ALPHA,BETA").messages] == private
    with pytest.raises(KeyError):  # a message of another channel, or none at all, is refused the same way
        message_page(table.state, "ALPHA", "public", private[-1])
    with pytest.raises(KeyError):
        message_page(table.state, "ALPHA", "private:ALPHA,BETA", "m999999")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sends=st.lists(st.tuples(st.sampled_from(["ALPHA", "BETA", "GAMMA"]), st.integers(0, 4)), max_size=60),
    window=st.integers(1, 6),
    total=st.integers(1, 12),
    limit=st.integers(1, 5),
)
def test_the_window_and_its_pages_hold_every_message_a_seat_may_read_once_in_order(
    monkeypatch: pytest.MonkeyPatch, sends: list[tuple[str, int]], window: int, total: int, limit: int
) -> None:
    monkeypatch.setattr(state_module, "MESSAGE_WINDOW", window)
    monkeypatch.setattr(view_module, "MESSAGES_IN_VIEW", total)
    table = started()
    for n, (sender, kind) in enumerate(sends):
        others = sorted({"ALPHA", "BETA", "GAMMA"} - {sender})
        to = [[], others[:1], others[1:], others, others][kind]
        channel = "public" if not to else "private" if len(to) == 1 else "group"
        table.do(SendMessage(by=sender, channel=channel, to=to, text=f"message {n}"))
    for seat in ("ALPHA", "BETA", "GAMMA", OBSERVER, FAC):
        v = view(table.state, seat)
        assert len(v.messages) <= total
        held = Counter(channel_key(m) for m in v.messages)
        assert all(n <= window for n in held.values())
        readable = [m for m in sent(table) if seat_reads(m, seat)]
        for channel in {channel_key(m) for m in readable}:
            everything = [m.id for m in readable if channel_key(m) == channel]
            mine = [m.id for m in v.messages if channel_key(m) == channel]
            assert mine == everything[len(everything) - len(mine) :]  # the newest, in order
            assert v.older_messages.get(channel, 0) == len(everything) - len(mine)
            before = mine[0] if mine else None
            pages: list[str] = []
            for _ in range(len(everything) + 1):
                page = message_page(table.state, seat, channel, before, limit, log=EventLog(table.log))
                pages = [m.id for m in page.messages] + pages
                if not page.more:
                    break
                before = page.messages[0].id
            assert pages + mine == everything
