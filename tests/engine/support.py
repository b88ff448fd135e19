"""What the engine's tests share: a table to play commands at, state as plain data, the invariants."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, Advance, Command
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameCreated, ProposalMade
from crisisgame.engine.game import Game
from crisisgame.engine.state import Log, State
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import Scenario, scenario_dict
from tests.conftest import MINIMAL, SHIPPED

HERE = Path(__file__).resolve().parent
TRIO_PATH = HERE / "trio.yaml"
FAC = FACILITATOR
PHASES = ("lobby", "briefing", "diplomacy", "orders", "results", "ended")


@cache
def scenario(path: Path) -> Scenario:
    return load_scenario(path)


def trio() -> Scenario:
    return scenario(TRIO_PATH)


def minimal() -> Scenario:
    return scenario(MINIMAL)


def shipped() -> list[Scenario]:
    return [scenario(p) for p in SHIPPED]


class Table:
    """A game driven command by command, with the clock in the test's hands (the engine's `Game`,
    no bots: a test plays every seat itself)."""

    def __init__(
        self,
        sc: Scenario | None = None,
        seed: int = 7,
        teams: Iterable[str] | None = None,
        auto_release: bool = True,
    ) -> None:
        sc = sc or trio()
        team_list = [a.id for a in sc.actors if a.playable] if teams is None else list(teams)
        created = GameCreated(scenario=scenario_dict(sc), seed=seed, teams=team_list, auto_release=auto_release)
        self.game = Game([created], keep_log=True)
        self.now = 0.0

    @property
    def state(self) -> State:
        return self.game.state

    @property
    def log(self) -> list[Event]:
        assert self.game.log is not None
        return self.game.log

    def do(self, command: Command, now: float | None = None) -> list[Event]:
        """Play a command that must be accepted; its events."""
        return list(self.game.handle(command, self.now if now is None else now).events)

    def refuse(self, command: Command, now: float | None = None) -> str:
        """The reason a command is rejected (it must be), checking nothing changed."""
        return self.refusal(command, now).reason

    def refusal(self, command: Command, now: float | None = None) -> Rejected:
        """The `Rejected` a command gets (it must be refused), checking nothing changed."""
        before = self.state
        with pytest.raises(Rejected) as info:
            self.game.handle(command, self.now if now is None else now)
        assert self.state is before
        assert info.value.reason
        return info.value

    def advance_to(self, phase: str, turn: int | None = None) -> None:
        """Advance (as the facilitator's clock) until `phase` of `turn` (default: the next such phase)."""
        for _ in range(100):
            if self.state.phase == phase and (turn is None or self.state.turn == turn):
                return
            self.do(Advance(by=FAC))
        raise AssertionError(f"never reached {phase} of turn {turn}")


def made_id(events: list[Event]) -> str:
    """The id of the one proposal made by these events."""
    [made] = [e for e in events if isinstance(e, ProposalMade)]
    return made.id


# --------------------------------------------------------------------------- state as plain data


def to_plain(value: Any) -> Any:
    """Any part of a state as plain, comparable data (sets sorted, models dumped, logs listed)."""
    if isinstance(value, State):
        return plain(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, list | tuple | Log):
        return [to_plain(v) for v in value]
    return value


def plain(state: State, *, skip: Iterable[str] = ("scenario", "rules")) -> dict[str, Any]:
    """Everything meaningful in a state (actors, intent, threat, credibility, agreements, proposals,
    demands, calls, wars, settled, system, messages, outcomes, ...), as plain data.

    The scenario and rulebook are left out by default: they never change, and comparing them in
    every call would be slow; compare them once with ==.
    """
    skipped = set(skip)
    out = {f.name: to_plain(getattr(state, f.name)) for f in dataclasses.fields(State) if f.name not in skipped}
    for nested in ("turn_start", "sealed"):
        inner = getattr(state, nested)
        out[nested] = None if inner is None else plain(inner, skip=skipped)
    return out


def replayed(log: list[Event]) -> State:
    return fold(log)


# --------------------------------------------------------------------------- invariants

ACTOR_SHARES = (
    "approval",
    "reputation",
    "mobilisation",
    "power_projection",
    "abandonment_fear",
    "entrapment_risk",
    "cinc",
    "cohesion",
    "audience_cost_sensitivity",
)


def _share(x: Any, where: str) -> None:
    assert isinstance(x, int | float), f"{where} is not a number: {x!r}"
    assert not isinstance(x, bool), f"{where} is not a number: {x!r}"
    assert 0.0 <= x <= 1.0, f"{where} = {x} is outside [0, 1]"


def check_invariants(s: State) -> None:
    """Every invariant a state keeps whatever commands were played."""
    ids = set(s.actors)
    count = s.scenario.turns.count
    assert s.phase in PHASES
    if s.phase == "lobby":
        assert s.turn == 0
        assert s.deadline is None
    elif s.phase == "ended":
        assert 0 <= s.turn <= count, f"turn {s.turn} outside 0..{count}"  # a game can be closed in the lobby
    else:
        assert 1 <= s.turn <= count, f"turn {s.turn} outside 1..{count}"
    if s.paused:
        assert s.phase not in ("lobby", "ended")
        assert s.deadline is None
        assert s.remaining is not None
        assert s.remaining >= 0
    elif s.phase in ("briefing", "diplomacy", "orders", "results"):
        assert s.deadline is not None
        assert s.remaining is None
    if s.phase == "ended":
        assert s.deadline is None
    assert s.ready <= s.teams <= ids
    if s.phase not in ("orders", "ended"):
        assert not s.orders, f"orders held during the {s.phase} phase"
    assert set(s.orders) <= ids
    for turn in s.revealed:
        assert turn <= s.turn
    if s.phase != "results":
        assert s.sealed is None
    # shares
    for aid, a in s.actors.items():
        for name in ACTOR_SHARES:
            _share(getattr(a, name), f"{aid}.{name}")
        assert 0.0 <= a.defence_spending <= 50.0
        for comp in ("milex", "milper", "irst", "pec", "tpop", "upop", "gdp"):
            v = getattr(a, comp)
            assert v is None or (math.isfinite(v) and v >= 0), f"{aid}.{comp} = {v}"
        for issue, (low, high) in a.win_sets.items():
            _share(low, f"{aid} win-set low on {issue}")
            _share(high, f"{aid} win-set high on {issue}")
    for table in ("intent", "threat", "credibility", "dependence"):
        for key, v in getattr(s, table).items():
            of, sep, toward = key.partition(">")
            assert sep, f"{table} key {key!r} is not a pair"
            assert {of, toward} <= ids, f"{table} key {key!r} names an unknown actor"
            assert of != toward, f"{table} key {key!r} pairs an actor with itself"
            _share(v, f"{table}[{key}]")
    for key, troops in s.troops.items():
        owner, _, host = key.partition(">")
        assert owner in ids
        assert host in ids
        assert owner != host
        assert troops > 0
    for war in s.wars:
        one, _, other = war.partition("|")
        assert one in ids
        assert other in ids
        assert one < other
    for ag in s.agreements.values():
        for name in ("strength", "ambiguity", "conditionality"):
            _share(getattr(ag, name), f"agreement {ag.id}.{name}")
        assert set(ag.parties) <= ids
        assert set(ag.guarantors) <= set(ag.parties)
    for issue, position in s.settled.items():
        _share(position, f"settled {issue}")
    for name in ("tension", "density"):
        if name in s.system:
            _share(s.system[name], f"system {name}")
    # negotiation
    for p in s.proposals.values():
        parties = set(p.proposal.parties)
        assert p.sender in parties
        assert p.accepted <= parties, f"proposal {p.id} accepted by a non-party: {sorted(p.accepted - parties)}"
        if p.status == "accepted":
            assert p.accepted == parties
    for c in s.calls.values():
        assert set(c.answers) <= set(c.obligated)
    for _, m in s.messages.held():
        assert m.sender in ids or m.sender == FAC
        assert set(m.to) <= ids


def check_log(log: list[Event], live: State) -> None:
    """The log has one event per seq step and folds from scratch to the live state."""
    assert live.seq == len(log)
    assert plain(replayed(log)) == plain(live)
