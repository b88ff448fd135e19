"""Robustness: any command, legal or not, from any seat, leaves the state valid; an illegal one is
rejected with a `Rejected` whose reason names the problem, and nothing else ever escapes `decide`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.engine.apply import apply
from crisisgame.engine.commands import (
    OBSERVER,
    Accept,
    Advance,
    Amend,
    ArmsDelivery,
    CallAnswer,
    Command,
    Counter,
    DemandAnswer,
    DemandOrder,
    Deployment,
    End,
    Exercise,
    Extend,
    FireInject,
    ForceOrder,
    Orders,
    Pause,
    Proposal,
    Propose,
    Reject,
    Release,
    Resume,
    Rollback,
    SendMessage,
    SetReady,
    Start,
    Statement,
    SubmitOrders,
    Withdraw,
)
from crisisgame.engine.decide import Rejected, decide
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.state import State
from crisisgame.scenario.model import (
    AgreementType,
    ChangeApproval,
    ChangeCapability,
    ChangeIntent,
    Demand,
    Escalate,
    Scenario,
    scenario_dict,
)
from tests.engine.support import (
    FAC,
    PHASES,
    Table,
    check_invariants,
    check_log,
    made_id,
    minimal,
    shipped,
    trio,
)
from tests.scenario.strategies import scenarios

AGREEMENT_TYPES: list[str] = list(get_args(AgreementType))
LEVELS = ["protest", "grey_zone", "blockade", "limited_strike", "war"]


# --------------------------------------------------------------------------- random commands


ANY_KIND = [
    "advance", "send_message", "propose", "counter", "accept", "reject", "withdraw", "submit_orders", "set_ready",
    "start", "pause", "resume", "extend", "inject", "amend", "release", "rollback", "end",
]  # fmt: skip
LIKELY_KINDS = {
    "lobby": ["start"] * 6 + ["send_message", "set_ready", "inject"],
    "briefing": ["advance"] * 3 + ["send_message", "set_ready", "inject", "pause", "resume", "extend"],
    "diplomacy": ["advance"] * 2 + ["propose"] * 3 + ["accept"] * 3 + ["counter", "reject", "withdraw", "send_message"],
    "orders": ["advance"] * 2 + ["submit_orders"] * 5 + ["set_ready", "withdraw", "send_message"],
    "results": ["advance"] * 3 + ["release", "release", "amend", "amend", "rollback", "inject", "set_ready"],
    "ended": ["advance"],
}
"""Plausible commands for each phase, repeated to weight them."""


class Commands:
    """Draws commands of every type: mostly plausible ones (the right seat, ids the game has), and
    one in five anything at all (any seat, unknown ids, values out of range)."""

    def __init__(self, data: st.DataObject, state: State) -> None:
        self.data = data
        self.state = state
        self.plausible = bool(data.draw(st.integers(0, 4)))  # real ids, values in range
        self.right_seat = bool(data.draw(st.integers(0, 9)))

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def actor(self) -> str:
        actors = list(self.state.actors)
        return str(self.draw(st.sampled_from(actors) if self.plausible else st.sampled_from([*actors, "NOBODY"])))

    def other(self, than: str) -> str:
        others = [a for a in self.state.actors if a != than]
        return str(self.draw(st.sampled_from(others))) if self.plausible and others else self.actor()

    def actors(self, min_size: int = 0, max_size: int = 4, but: str | None = None) -> list[str]:
        pool = [a for a in self.state.actors if a != but] if self.plausible else [*self.state.actors, "NOBODY"]
        return list(self.draw(st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size)))

    def seat(self) -> str:
        return str(self.draw(st.sampled_from([*self.state.actors, FAC, OBSERVER, "nobody"])))

    def facilitator(self) -> str:
        return FAC if self.right_seat else self.seat()

    def team(self) -> str:
        teams = sorted(self.state.teams) or list(self.state.actors)
        return str(self.draw(st.sampled_from([*teams, *self.state.actors]))) if self.right_seat else self.seat()

    def known(self, ids: list[str], prefix: str) -> str:
        if self.plausible and ids:
            return str(self.draw(st.sampled_from(ids)))
        return str(self.draw(st.sampled_from([*ids, f"{prefix}999"])))

    def issue(self) -> str | None:
        issues = [i.id for i in self.state.scenario.issues]
        if self.plausible:
            choice: str | None = self.draw(st.none() | st.sampled_from(issues)) if issues else None
            return choice
        anything: str | None = self.draw(st.sampled_from([*issues, "nowhere"]) | st.none())
        return anything

    def share(self) -> float:
        return float(self.draw(st.floats(0, 1)))

    def proposal(self, by: str) -> Proposal:
        parties = list(dict.fromkeys([by, *self.actors(1, 2, but=by)])) if self.plausible else self.actors(2, 4)
        if len(parties) < 2:
            parties.append(self.other(by))
        issue = self.issue()
        kind = self.draw(st.sampled_from(AGREEMENT_TYPES))
        host = (
            self.draw(st.sampled_from(parties))
            if self.plausible
            else self.draw(st.none() | st.sampled_from([*parties, "NOBODY"]))
        )
        return Proposal(
            type=kind,
            parties=parties,
            guarantors=self.draw(st.lists(st.sampled_from(parties), max_size=2, unique=True)),
            strength=self.share(),
            ambiguity=self.share(),
            conditionality=self.share(),
            duration=self.draw(st.none() | st.integers(1, 5)),
            mandate=self.draw(st.sampled_from(["none", "regional", "unsc"])),
            public=self.draw(st.booleans()),
            issue=issue,
            position=self.share() if issue is not None or not self.plausible else None,
            side_payments=self.draw(st.integers(0, 5)),
            troops=self.draw(st.integers(0, 20_000)) if self.plausible else self.draw(st.none() | st.integers(0, 9)),
            host=host,
            value_usd_m=self.draw(st.floats(1, 5000)) if self.plausible else self.draw(st.none() | st.floats(0, 9)),
        )

    def orders(self, by: str) -> Orders:
        s = self.state
        calls = [c.id for c in s.calls.values() if by in c.obligated and c.status == "open"] or list(s.calls)
        demands = [d.id for d in s.demands.values() if d.target == by and d.status == "open"] or list(s.demands)
        parts: dict[str, Any] = {}
        if self.draw(st.booleans()):
            parts["defence_spending"] = self.draw(st.floats(0, 50))
        if self.draw(st.booleans()):
            parts["mobilisation"] = self.share()
        pick = self.draw(st.sets(st.sampled_from(range(10)), max_size=4))
        if 0 in pick:
            parts["deployments"] = [Deployment(host=self.other(by), troops=self.draw(st.integers(0, 20_000)))]
        if 1 in pick:
            hosts = [k.partition(">")[2] for k in s.troops if k.startswith(by + ">")]
            parts["withdrawals"] = [self.draw(st.sampled_from(hosts)) if hosts and self.plausible else self.actor()]
        if 2 in pick:
            parts["exercises"] = [Exercise(partners=self.actors(1, 2, but=by) or [self.other(by)], host=self.actor())]
        if 3 in pick:
            parts["arms_deliveries"] = [ArmsDelivery(to=self.other(by), value_usd_m=self.draw(st.floats(1, 5000)))]
        issue = self.issue()
        if 4 in pick and (issue is not None or not self.plausible):
            parts["demands"] = [
                DemandOrder(
                    target=self.other(by),
                    issue=issue or "nowhere",
                    position=self.share(),
                    public=self.draw(st.booleans()),
                )
            ]
        if 5 in pick:
            parts["force"] = [ForceOrder(target=self.other(by), level=self.draw(st.sampled_from(LEVELS)))]
        if 6 in pick and (calls or not self.plausible):
            parts["call_answers"] = [CallAnswer(call_id=self.known(calls, "call-"), honour=self.draw(st.booleans()))]
        if 7 in pick and (demands or not self.plausible):
            parts["demand_answers"] = [
                DemandAnswer(demand_id=self.known(demands, "d"), accept=self.draw(st.booleans()))
            ]
        if 8 in pick:
            who = self.other(by)
            parts["statements"] = [
                Statement(text="we stand firm", pledge_to=who, reassure=self.draw(st.none() | st.just(who)))
            ]
        if 9 in pick:
            parts["alignment"] = self.other(by)
        return Orders(**parts)

    def effect(self) -> Any:
        kind = self.draw(st.sampled_from(["intent", "approval", "capability", "escalate", "demand"]))
        if kind == "intent":
            return ChangeIntent(
                kind="intent", of=self.actors(1, 3), toward=self.actor(), delta=self.draw(st.floats(-1, 1))
            )
        if kind == "approval":
            return ChangeApproval(kind="approval", actor=self.actor(), delta=self.draw(st.floats(-1, 1)))
        if kind == "capability":
            component = self.draw(st.sampled_from(["milex", "milper", "irst", "pec", "tpop", "upop", "gdp"]))
            return ChangeCapability(
                kind="capability", actor=self.actor(), component=component, factor=self.draw(st.floats(0, 10))
            )
        if kind == "escalate":
            return Escalate(
                kind="escalate", actor=self.actor(), target=self.actor(), level=self.draw(st.sampled_from(LEVELS))
            )
        return Demand(
            kind="demand",
            actor=self.actor(),
            target=self.actor(),
            issue=self.issue() or "nowhere",
            position=self.share(),
        )

    def command(self) -> Command:
        s = self.state
        kinds = LIKELY_KINDS[s.phase] if self.right_seat else ANY_KIND
        kind = self.draw(st.sampled_from(kinds))
        open_proposals = [p.id for p in s.proposals.values() if p.status == "open"] or list(s.proposals)
        if kind == "advance":
            phase = s.phase if self.plausible else self.draw(st.sampled_from([*PHASES, "nonsense"]))
            return Advance(by=self.facilitator(), phase=self.draw(st.none() | st.just(phase)))
        if kind == "send_message":
            channel = self.draw(st.sampled_from(["public", "private", "group"]))
            by = self.draw(st.sampled_from([self.team(), self.facilitator()]))
            size = {"public": 0, "private": 1, "group": 2}[channel] if self.plausible else self.draw(st.integers(0, 3))
            to = self.actors(size, size, but=by) if self.plausible else self.actors(0, 3)
            return SendMessage(by=by, channel=channel, to=to, text="a message")
        if kind == "propose":
            by = self.team()
            return Propose(by=by, proposal=self.proposal(by))
        if kind == "counter":
            by = self.team()
            return Counter(by=by, proposal_id=self.known(open_proposals, "p"), proposal=self.proposal(by))
        if kind in ("accept", "reject", "withdraw"):
            pid = self.known(open_proposals, "p")
            prop = s.proposals.get(pid)
            by = self.team()
            if prop is not None and self.plausible:
                by = prop.sender if kind == "withdraw" else self.draw(st.sampled_from(prop.proposal.parties))
            if kind == "accept":
                return Accept(by=by, proposal_id=pid)
            if kind == "reject":
                return Reject(by=by, proposal_id=pid)
            return Withdraw(by=by, proposal_id=pid)
        if kind == "submit_orders":
            by = self.team()
            return SubmitOrders(by=by, orders=self.orders(by))
        if kind == "set_ready":
            return SetReady(by=self.team(), ready=self.draw(st.sampled_from([True, True, False])))
        if kind == "extend":
            return Extend(by=self.facilitator(), seconds=self.draw(st.integers(1, 7200)))
        if kind == "inject":
            if self.draw(st.booleans()):
                ids = [i.id for i in s.scenario.injects]
                return FireInject(by=self.facilitator(), inject_id=self.known(ids, "inj"))
            audience = self.draw(st.just("public") | st.just(self.actors(1, 3)))
            effects = [self.effect() for _ in range(self.draw(st.integers(0, 2)))]
            title = self.draw(st.just("A surprise") | st.none()) if not self.plausible else "A surprise"
            return FireInject(
                by=self.facilitator(), title=title, text="Something happened", audience=audience, effects=effects
            )
        if kind == "amend":
            target = self.draw(st.sampled_from(["actor", "pair", "agreement"]))
            first = self.actor()
            key = {
                "actor": first,
                "pair": f"{first}>{self.other(first)}",
                "agreement": self.known(list(s.agreements), "ag"),
            }[target]
            fields = {
                "actor": [
                    "approval",
                    "reputation",
                    "milex",
                    "milper",
                    "defence_spending",
                    "mobilisation",
                    "score",
                    "cinc",
                ],
                "pair": ["intent", "threat", "war"],
                "agreement": ["strength", "ambiguity", "conditionality", "active"],
            }[target]
            value = self.draw(
                st.floats(0, 1) | st.floats(-1, 2) | st.floats(0, 100) | st.sampled_from([float("inf"), float("nan")])
            )
            return Amend(
                by=self.facilitator(),
                target=target,
                key=key,
                field=self.draw(st.sampled_from(fields)),
                value=value,
                reason="for the test",
            )
        if kind == "rollback":
            return Rollback(by=self.facilitator(), reason="try again")
        cls2: dict[str, Callable[..., Command]] = {
            "start": Start,
            "pause": Pause,
            "resume": Resume,
            "release": Release,
            "end": End,
        }
        return cls2[kind](by=self.facilitator())


def random_session(data: st.DataObject, sc: Scenario, steps: int) -> None:
    playable = [a.id for a in sc.actors if a.playable]
    teams = data.draw(st.lists(st.sampled_from(playable), max_size=len(playable), unique=True))
    created = GameCreated(
        scenario=scenario_dict(sc),
        seed=data.draw(st.integers(0, 2**32)),
        teams=teams,
        auto_release=data.draw(st.booleans()),
    )
    state = apply(None, created)
    log: list[Event] = [created]
    now = 0.0
    reasons: list[str] = []
    for _ in range(steps):
        command = Commands(data, state).command()
        now += data.draw(st.sampled_from([0.0, 1.0, 60.0, 1000.0]))
        try:
            events = decide(state, command, now)
        except Rejected as exc:
            reasons.append(exc.reason)
            continue
        for e in events:
            seq = state.seq
            state = apply(state, e)
            assert state.seq == seq + 1
        log.extend(events)
        check_invariants(state)
    check_log(log, state)
    assert all(isinstance(r, str) and r.strip() for r in reasons)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_commands_keep_a_small_world_valid(data: st.DataObject) -> None:
    random_session(data, trio(), steps=60)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_random_commands_keep_a_two_state_world_valid(data: st.DataObject) -> None:
    random_session(data, minimal(), steps=60)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), which=st.integers(0, 2))
def test_random_commands_keep_the_shipped_scenarios_valid(data: st.DataObject, which: int) -> None:
    random_session(data, shipped()[which % len(shipped())], steps=40)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), sc=scenarios)
def test_random_commands_keep_random_valid_scenarios_valid(data: st.DataObject, sc: Scenario) -> None:
    random_session(data, sc, steps=40)


def test_raising_a_vanishingly_small_defence_budget_keeps_military_expenditure_finite() -> None:
    """A scenario may not start with a budget under 0.1 % of GDP (the validator takes it for a fraction
    written for a percentage), but a team's orders may cut it to almost nothing, then raise it again."""
    table = Table(minimal())
    table.do(Start(by=FAC))
    for spending in (1e-310, 2.0):
        table.advance_to("orders")
        table.do(SubmitOrders(by="ALPHA", orders=Orders(defence_spending=spending)))
        table.advance_to("results")
        check_invariants(table.state)


# --------------------------------------------------------------------------- illegal commands, and why


def table_at(phase: str, teams: list[str] | None = None) -> Table:
    table = Table(teams=teams)
    if phase != "lobby":
        table.do(Start(by=FAC))
        table.advance_to(phase)
    return table


def with_withdrawn_proposal() -> tuple[Table, str]:
    table = table_at("diplomacy")
    made = made_id(table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"]))))
    table.do(Withdraw(by="ALPHA", proposal_id=made))
    return table, made


def test_accepting_a_withdrawn_proposal_says_it_is_withdrawn() -> None:
    table, pid = with_withdrawn_proposal()
    assert table.refuse(Accept(by="BETA", proposal_id=pid)) == f"proposal '{pid}' is not open: it is withdrawn"


def test_an_unknown_proposal_id_is_named() -> None:
    table = table_at("diplomacy")
    for command in (
        Accept(by="BETA", proposal_id="p42"),
        Reject(by="BETA", proposal_id="p42"),
        Withdraw(by="BETA", proposal_id="p42"),
    ):
        assert table.refuse(command) == "there is no proposal 'p42'"


def test_a_proposal_accepted_by_a_non_party_is_refused() -> None:
    table = table_at("diplomacy")
    pid = made_id(table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"]))))
    assert table.refuse(Accept(by="GAMMA", proposal_id=pid)) == f"there is no proposal '{pid}'"  # as if unseen
    assert table.refuse(Accept(by="ALPHA", proposal_id=pid)) == f"ALPHA has already accepted proposal '{pid}'"
    assert (
        table.refuse(Withdraw(by="BETA", proposal_id=pid)) == f"only ALPHA, who made proposal '{pid}', can withdraw it"
    )


ORDERS_REFUSED: list[tuple[Orders, str]] = [
    (Orders(call_answers=[CallAnswer(call_id="call-x", honour=True)]), "there is no call 'call-x'"),
    (Orders(demand_answers=[DemandAnswer(demand_id="d-x", accept=True)]), "there is no demand 'd-x'"),
    (
        Orders(deployments=[Deployment(host="BETA", troops=10)]),
        "forces deployed abroad need a host other than yourself",
    ),
    (Orders(deployments=[Deployment(host="ZED", troops=10)]), "unknown host 'ZED'"),
    (Orders(withdrawals=["ALPHA"]), "BETA has no forces in ALPHA to withdraw"),
    (Orders(exercises=[Exercise(partners=["ZED"], host="BETA")]), "unknown exercise partner 'ZED'"),
    (Orders(arms_deliveries=[ArmsDelivery(to="BETA", value_usd_m=5)]), "arms deliveries go to another actor"),
    (Orders(arms_deliveries=[ArmsDelivery(to="ZED", value_usd_m=5)]), "unknown recipient 'ZED'"),
    (
        Orders(demands=[DemandOrder(target="BETA", issue="border", position=0.1)]),
        "a demand needs a target other than yourself",
    ),
    (
        Orders(demands=[DemandOrder(target="ALPHA", issue="oil", position=0.1)]),
        "unknown issue 'oil' (issues: border, status)",
    ),
    (Orders(force=[ForceOrder(target="BETA", level="war")]), "force must be aimed at another actor"),
    (Orders(force=[ForceOrder(target="ZED", level="war")]), "unknown target 'ZED'"),
    (Orders(statements=[Statement(text="we pledge", pledge_to="ZED")]), "unknown actor 'ZED'"),
    (Orders(alignment="BETA"), "declared alignment names another actor"),
    (Orders(alignment="ZED"), "unknown alignment 'ZED'"),
]


@pytest.mark.parametrize(("orders", "reason"), ORDERS_REFUSED, ids=[r for _, r in ORDERS_REFUSED])
def test_orders_naming_what_does_not_exist_or_is_not_allowed_are_refused(orders: Orders, reason: str) -> None:
    table = table_at("orders")
    assert table.refuse(SubmitOrders(by="BETA", orders=orders)).startswith(reason)


def test_orders_outside_the_orders_phase_are_refused() -> None:
    table = table_at("diplomacy")
    assert table.refuse(SubmitOrders(by="BETA", orders=Orders())) == (
        "cannot submit orders during the diplomacy phase (only during orders)"
    )


FACILITATOR_COMMANDS: list[Command] = [
    Start(by="ALPHA"),
    Pause(by="ALPHA"),
    Resume(by="ALPHA"),
    Extend(by="ALPHA", seconds=10),
    Advance(by="ALPHA"),
    FireInject(by="ALPHA", inject_id="headlines"),
    Amend(by="ALPHA", target="actor", key="ALPHA", field="approval", value=1.0, reason="make us popular"),
    Release(by="ALPHA"),
    Rollback(by="ALPHA", reason="undo"),
    End(by="ALPHA"),
]


@pytest.mark.parametrize("command", FACILITATOR_COMMANDS, ids=lambda c: c.type)
def test_a_team_issuing_a_facilitator_command_is_refused(command: Command) -> None:
    table = table_at("results")
    assert table.refuse(command) == f"only the facilitator can {command.type.replace('_', ' ')}"


def _as(command: Command, by: str) -> Command:
    return command.model_copy(update={"by": by})


EVERY_COMMAND: list[Callable[[str], Command]] = [
    lambda by: SendMessage(by=by, channel="public", text="hi"),
    lambda by: Propose(by=by, proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"])),
    lambda by: Counter(by=by, proposal_id="p1", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"])),
    lambda by: Accept(by=by, proposal_id="p1"),
    lambda by: Reject(by=by, proposal_id="p1"),
    lambda by: Withdraw(by=by, proposal_id="p1"),
    lambda by: SubmitOrders(by=by, orders=Orders()),
    lambda by: SetReady(by=by),
    *[functools.partial(_as, c) for c in FACILITATOR_COMMANDS],
]


@pytest.mark.parametrize("make", EVERY_COMMAND, ids=lambda m: m("x").type)
def test_an_observer_can_do_nothing(make: Callable[[str], Command]) -> None:
    for phase in ("lobby", "diplomacy", "orders"):
        assert table_at(phase).refuse(make(OBSERVER)) == "observers can only watch"


@pytest.mark.parametrize("make", EVERY_COMMAND, ids=lambda m: m("x").type)
def test_an_unknown_seat_can_do_nothing(make: Callable[[str], Command]) -> None:
    command = make("nobody")
    reason = table_at("diplomacy").refuse(command)
    if command.type in (
        "start",
        "pause",
        "resume",
        "extend",
        "advance",
        "inject",
        "amend",
        "release",
        "rollback",
        "end",
    ):
        assert reason == f"only the facilitator can {command.type.replace('_', ' ')}"
    else:
        assert reason == "'nobody' is not an actor of this game"


@pytest.mark.parametrize(
    "command",
    [
        Propose(by=FAC, proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"])),
        SubmitOrders(by=FAC, orders=Orders()),
        SetReady(by=FAC),
        Accept(by=FAC, proposal_id="p1"),
    ],
    ids=lambda c: c.type,
)
def test_the_facilitator_does_not_play_a_state(command: Command) -> None:
    assert table_at("diplomacy").refuse(command) == "the facilitator does not play a state"


MESSAGES_REFUSED: list[tuple[SendMessage, str]] = [
    (SendMessage(by="ALPHA", channel="private", to=["ALPHA"], text="me"), "you cannot send a message to yourself"),
    (SendMessage(by="ALPHA", channel="public", to=["BETA"], text="hi"), "a public message has no recipients"),
    (
        SendMessage(by="ALPHA", channel="private", to=["BETA", "GAMMA"], text="hi"),
        "a private message goes to exactly one recipient",
    ),
    (SendMessage(by="ALPHA", channel="private", to=[], text="hi"), "a private message goes to exactly one recipient"),
    (
        SendMessage(by="ALPHA", channel="group", to=["BETA"], text="hi"),
        "a group message goes to two or more recipients",
    ),
    (
        SendMessage(by="ALPHA", channel="group", to=["BETA", "BETA"], text="hi"),
        "a group message goes to two or more recipients",
    ),
    (SendMessage(by="ALPHA", channel="private", to=["ZED"], text="hi"), "unknown recipient 'ZED'"),
]


@pytest.mark.parametrize(("command", "reason"), MESSAGES_REFUSED, ids=[r for _, r in MESSAGES_REFUSED])
def test_a_message_must_go_to_valid_recipients(command: SendMessage, reason: str) -> None:
    assert table_at("diplomacy").refuse(command).startswith(reason)


def test_messages_wait_for_the_game_to_start() -> None:
    command = SendMessage(by="ALPHA", channel="public", text="hello?")
    assert table_at("lobby").refuse(command) == (
        "cannot send messages during the lobby phase (only during briefing or diplomacy or orders or results)"
    )


def test_ready_flags_wait_for_the_game_to_start() -> None:
    assert table_at("lobby").refuse(SetReady(by="ALPHA")).startswith("cannot mark ready during the lobby phase")


def test_a_rejected_command_leaves_no_trace_in_the_fold() -> None:
    table = table_at("diplomacy")
    table.refuse(Accept(by="BETA", proposal_id="p1"))
    table.refuse(SubmitOrders(by="BETA", orders=Orders()))
    check_log(table.log, table.state)
