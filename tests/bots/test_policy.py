"""Bots: whatever a bot issues is legal by construction (accepted by `decide`), and the same view and
seed always give the same commands."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.bots import UNREAD, policy
from crisisgame.bots.policy import Bot
from crisisgame.bots.seat import SCHEDULE
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import Advance, Command, End, Release, SendMessage, Start
from crisisgame.engine.decide import Rejected, decide
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import Run, new_game
from tests.engine.support import FAC, check_invariants, shipped, trio
from tests.scenario.strategies import scenarios
from tests.theory import worlds as w

TEMPERAMENTS = ("realist", "liberal", "constructivist")


def legal(state: State, command: Command) -> None:
    try:
        decide(state, command, 0.0)
    except Rejected as exc:
        pytest.fail(f"a bot issued an illegal command in the {state.phase} of turn {state.turn}: {command!r}: {exc}")


def play_checked(sc: Scenario, seed: int, teams: list[str] | None = None, turns: int | None = None) -> Run:
    """A bot game in which every bot command is checked before it is run, and every seat (teams too)
    is asked what a bot would do in its place, with each answer checked against `decide`."""
    game = new_game(sc, seed, teams)
    game.run(Start(by=FAC))
    last = min(turns or sc.turns.count, sc.turns.count)
    while game.state.phase != "ended":
        phase = game.state.phase
        for _ in range(SCHEDULE.rounds_per_phase if phase in ("diplomacy", "orders") else 0):
            for actor in game.state.actors:
                temperaments = (None,) if actor in game.state.bots() else TEMPERAMENTS
                for temperament in temperaments:
                    commands = policy(view(game.state, actor, history=False), seed, temperament)
                    for command in commands:
                        assert command.by == actor
                        legal(game.state, command)
                        if temperament is None:
                            game.run(command)
        check_invariants(game.state)
        game.now = game.state.deadline or game.now
        if phase == "results":
            if not game.state.released:
                game.run(Release(by=FAC))
            if game.state.turn >= last:
                game.run(End(by=FAC))
                break
        game.run(Advance(by=FAC))
    return game


@pytest.mark.parametrize("sc", shipped(), ids=lambda s: s.id)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bots_only_issue_legal_commands_on_the_shipped_scenarios(sc: Scenario, seed: int) -> None:
    play_checked(sc, seed, turns=4)


def test_bots_only_issue_legal_commands_in_a_small_world_with_teams() -> None:
    for seed in range(6):
        play_checked(trio(), seed, teams=["ALPHA"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actors=st.integers(2, 12), seed=st.integers(0, 10_000), turns=st.integers(1, 5))
def test_bots_only_issue_legal_commands_in_generated_worlds(actors: int, seed: int, turns: int) -> None:
    play_checked(world(actors, seed=seed, turns=turns), seed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sc=scenarios, seed=st.integers(0, 2**32))
def test_bots_only_issue_legal_commands_in_random_valid_scenarios(sc: Scenario, seed: int) -> None:
    play_checked(sc, seed, turns=3)


def views_of_a_game(sc: Scenario, seed: int) -> list[TeamView]:
    out: list[TeamView] = []
    game = new_game(sc, seed)
    game.run(Start(by=FAC))
    while game.state.phase != "ended" and game.state.turn <= 2:
        for actor in game.state.actors:
            v = view(game.state, actor, history=False)
            assert isinstance(v, TeamView)
            out.append(v)
        if game.state.phase in ("diplomacy", "orders"):
            for actor in game.state.bots():
                for command in policy(view(game.state, actor, history=False), seed):
                    game.run(command)
        game.run(Advance(by=FAC))
    return out


@pytest.mark.parametrize("sc", [trio(), *shipped()], ids=lambda s: s.id)
def test_the_same_view_and_seed_give_the_same_commands(sc: Scenario) -> None:
    for v in views_of_a_game(sc, seed=3):
        first = policy(v, 3)
        assert policy(v, 3) == first
        # What a bot receives over the wire is JSON: the same view read back gives the same commands.
        assert policy(TeamView.model_validate_json(v.model_dump_json()), 3) == first
        for temperament in TEMPERAMENTS:
            assert policy(v, 3, temperament) == policy(v, 3, temperament)


def test_bots_act_only_in_diplomacy_and_orders() -> None:
    for v in views_of_a_game(trio(), seed=1):
        if v.game.phase not in ("diplomacy", "orders"):
            assert policy(v, 1) == []


def test_a_bot_submits_its_orders_once_per_turn() -> None:
    game = new_game(trio(), 4)
    game.run(Start(by=FAC))
    while game.state.phase != "orders":
        game.run(Advance(by=FAC))
    for actor in game.state.bots():
        for command in policy(view(game.state, actor, history=False), 4):
            game.run(command)
        assert actor in game.state.orders
        assert policy(view(game.state, actor, history=False), 4) == []


@pytest.mark.parametrize("sc", [trio(), *shipped()], ids=lambda s: s.id)
def test_messages_are_unread_by_bots_so_a_message_need_not_wake_them(sc: Scenario) -> None:
    """The server does not wake the bots for event types in `UNREAD`: a message changes nothing in a
    bot's view but the messages and the seq, and neither changes what any temperament does."""
    assert {"message_sent", "freeform_proposed", "freeform_countered", "freeform_settings"} == UNREAD
    game = new_game(sc, 5)
    game.run(Start(by=FAC))
    game.run(Advance(by=FAC))
    assert game.state.phase == "diplomacy"
    sender, *others = sorted(game.state.actors)
    talked = game.state
    for command in (
        SendMessage(by=sender, channel="public", text="We propose talks."),
        SendMessage(by=sender, channel="private", to=others[:1], text="Join us."),
    ):
        for event in decide(talked, command, 0.0):
            talked = apply(talked, event)
    heard: list[object] = []
    for actor in game.state.actors:
        before = view(game.state, actor, history=False).model_dump()
        after = view(talked, actor, history=False).model_dump()
        assert {k for k in before if before[k] != after[k]} == {"game", "messages"}
        assert {k for k in before["game"] if before["game"][k] != after["game"][k]} == {"seq"}
        heard += view(talked, actor, history=False).messages
    assert heard
    for v in views_of_a_game(sc, seed=5):
        talk = v.model_copy(update={"messages": heard, "game": v.game.model_copy(update={"seq": v.game.seq + 1000})})
        for temperament in (None, *TEMPERAMENTS):
            assert policy(talk, 5, temperament) == policy(v, 5, temperament)


def test_no_bot_cuts_defence_spending_in_a_crisis_and_tension_makes_it_arm() -> None:
    """In a crisis (tension at `bots.crisis_tension`, a war of its own or a demand on it) a bot's spending
    never falls; the same bot in a calm system (tension 0, nothing open) may spend less."""
    from crisisgame.bots.policy import TEMPERAMENTS
    from crisisgame.engine.state import evolve

    sc = shipped()[0]
    game = new_game(sc, 5)
    game.run(Start(by=FAC))
    for _ in range(3):
        # to the results of turn 1: threats and credibility (so the allies' effort a bot counts) exist
        game.run(Advance(by=FAC))
    s = game.state
    crisis_level = s.rules.bots.crisis_tension
    cut_in_calm = 0
    for actor in s.bots():
        temperament = TEMPERAMENTS[s.actors[actor].temperament]
        seen = {}
        for tension in (0.0, crisis_level + 0.2):
            state = evolve(s, system={**s.system, "tension": tension}, phase="orders")
            v = view(state, actor, history=False)
            assert isinstance(v, TeamView)
            seen[tension] = temperament(v, 5)
        hot = seen[crisis_level + 0.2]
        assert hot.in_crisis()
        assert hot.spending() >= s.actors[actor].defence_spending, actor
        assert hot.spending() >= seen[0.0].spending(), actor
        cut_in_calm += seen[0.0].spending() < s.actors[actor].defence_spending and not seen[0.0].in_crisis()
    assert cut_in_calm > 0, "in calm some bot should reassure by spending less (else the crisis rule is untested)"


def _alliance_bots(private_share: float, allied_effort_weight: float = 1.0) -> list[Bot]:
    """The bots of a three-member defence pact (one large member, two small) facing a common threat, on
    the primed state, choosing spending in one step (`spending_adjustment` 1) with no floor."""
    doc = w.blank(4, 7)
    threat, big, *small = w.ids(doc)
    w.size(doc, threat, 4.0)
    w.size(doc, big, 3.0)
    for k, m in enumerate(small):
        w.size(doc, m, 0.3)
        w.place(doc, m, 900, 300 * k)
    w.place(doc, threat, 0, 0)
    w.place(doc, big, 1200, -300)
    for m in (big, *small):
        w.configure(doc, m, defence_spending=2.0, temperament="constructivist")
        w.intent(doc, m, threat, 0.7)
    w.agreement(doc, "pact", "defence_pact", [big, *small], strength=0.8, ambiguity=0.1)
    w.rules(doc, "burden", private_share=private_share)
    w.rules(doc, "bots", spending_adjustment=1.0, min_spending=0.0, allied_effort_weight=allied_effort_weight)
    s = w.primed(w.scenario(doc), 7)
    bots = [w.bot(s, m, 7) for m in (big, *small)]
    assert not any(b.in_crisis() for b in bots)
    return bots


@pytest.mark.parametrize("private_share", [0.0, 0.3, 0.7, 1.0])
def test_an_allied_bot_spends_its_best_response_to_what_its_allies_already_provide(private_share: float) -> None:
    """Each allied bot's spending is the best response of the joint-product model (`Bot.spending`): with u
    its autarky burden and A the allied effort it counts, (1 - p) u / (b + A) + p u / b = 1; so b = u - A
    (or nothing) for a pure public good and b = u when benefits are all private, or when allies' efforts
    do not count. Spending is rounded to 0.01, hence the tolerances."""
    for bot in _alliance_bots(private_share):
        u, allied, b = bot.autarky_spending(), bot.allied_effort(), bot.spending()
        assert allied > 0, bot.r.me
        assert b <= u + 0.005, bot.r.me
        if private_share == 0.0:
            assert b == pytest.approx(max(0.0, u - allied), abs=0.005), bot.r.me
        elif private_share == 1.0:
            assert b == pytest.approx(u, abs=0.005), bot.r.me
        else:
            margin = (1 - private_share) * u / (b + allied) + private_share * u / b
            assert margin == pytest.approx(1.0, abs=0.01), bot.r.me
    alone = _alliance_bots(private_share, allied_effort_weight=0.0)
    for bot in alone:
        assert bot.allied_effort() == 0.0
        assert bot.spending() == pytest.approx(bot.autarky_spending(), abs=0.005), bot.r.me


def test_the_largest_ally_carries_the_public_deterrent_and_the_small_ride_free() -> None:
    """With a purely public deterrent and equal starting burdens, the large member's best response keeps
    more of its autarky burden than the small members' (for whom the large member's outlay, measured
    against their own GDP, already exceeds what they would buy alone); with private benefits the gap
    closes."""
    kept = {p: [b.spending() / b.autarky_spending() for b in _alliance_bots(p)] for p in (0.0, 0.8)}
    big, *small = kept[0.0]
    assert max(small) == 0.0 < big
    big_private, *small_private = kept[0.8]
    assert 0.0 < big_private - min(small_private) < big - min(small)


def test_no_bot_asks_or_joins_a_pact_with_a_state_bound_to_defend_its_top_threat() -> None:
    """An alliance with one's adversary's ally protects neither side: a bot never invites into a
    protective pact a state already bound by one to its top threat, and refuses such a pact when offered.
    On the Baltic (Belarus is bound to Russia), every bot's own proposal at the first diplomacy keeps
    out the allies of the bot's top threat, and a realist refuses a pact that includes one."""
    from crisisgame.bots.policy import TEMPERAMENTS
    from crisisgame.bots.reading import PROTECTIVE
    from crisisgame.engine.seatview import ProposalView

    sc = next(s for s in shipped() if s.id == "baltic")
    game = new_game(sc, 3)
    game.run(Start(by=FAC))
    for _ in range(3):
        game.run(Advance(by=FAC))
    s = game.state
    checked = 0
    for actor in s.bots():
        v = view(s, actor, history=False)
        assert isinstance(v, TeamView)
        bot = TEMPERAMENTS[s.actors[actor].temperament](v, 3)
        j, _ = bot.r.top_threat()
        if j is None:
            continue
        tied = {k for k in bot.r.states() if k != j and bot.r.shares_agreement(k, j, PROTECTIVE)}
        proposal = bot.proposal()
        if proposal is not None and proposal.type in PROTECTIVE:
            assert not tied & set(proposal.parties), (actor, j, proposal.parties)
            checked += 1
        for k in sorted(tied - {actor}):
            offer = ProposalView.model_validate(
                {
                    "id": "p-x",
                    "sender": k,
                    "proposal": {"type": "defence_pact", "parties": [actor, k], "strength": 0.5, "ambiguity": 0.2},
                    "turn": s.turn,
                    "status": "open",
                    "accepted": [k],
                    "counter_of": None,
                }
            )
            if s.actors[actor].temperament != "constructivist":  # kinship may still draw a constructivist
                assert not bot.accepts(offer), (actor, k, j)
                checked += 1
    assert checked > 0
