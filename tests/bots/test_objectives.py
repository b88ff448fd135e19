"""Computer players play to their objectives (`bots.objective_weight`): `have_agreement`, `avoid_agreement` and
`avoid_war` weigh in the agreements a bot signs, proposes and keeps (`Valuer.stakes`, `weigh_objectives`), in its
cost of war (`Bargainer.objective_cost`) and in its answer to a call (step 7's `objectives` term).

World (`test_join_attack.row`): realists A (size 4), B (size 1) 400 km from A and C (size 2) 700 km from A, an
issue on which A holds 0.9 and B 0.1, so A presses B; C is the bot whose objectives change. Each experiment
compares the same worlds (test seeds) with and without the objective, and with the objective at
`bots.objective_weight` = 0 (the ablation: the difference vanishes, decision for decision).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from crisisgame.bots.agreements import Valuer, agreement_orders, hypothetical, weigh_objectives
from crisisgame.bots.policy import TEMPERAMENTS
from crisisgame.bots.reading import Reading
from crisisgame.engine.commands import Accept, DemandOrder, ForceOrder, Orders, Proposal, Propose
from crisisgame.engine.events import Outcome
from crisisgame.engine.objectives import statuses
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.state import ProposalState, State, evolve
from crisisgame.engine.view import view
from crisisgame.scenario.model import Scenario, scenario_dict
from crisisgame.simulate import play
from tests.engine.rules.test_join_attack import row
from tests.engine.support import shipped
from tests.theory import stats
from tests.theory import worlds as w

N = 100
"""Worlds per arm in the rate experiments (seeds 0-99)."""

Objective = Callable[[str, str, str], dict[str, Any]]


def avoid_war(points: int = 15, against: int | None = None, secret: bool = False) -> Objective:
    """An `avoid_war` objective for C: with anyone, or with the actor at index `against` of (A, B, C)."""

    def make(a: str, b: str, c: str) -> dict[str, Any]:
        o: dict[str, Any] = {"id": "c-peace", "kind": "avoid_war", "points": points, "text": "Stay out of war."}
        o["secret"] = secret
        return o if against is None else o | {"with": (a, b, c)[against]}

    return make


def on_agreement(kind: str, objective_type: str, partner: int) -> Objective:
    def make(a: str, b: str, c: str) -> dict[str, Any]:
        return {
            "id": f"c-{kind}",
            "kind": kind,
            "type": objective_type,
            "with": (a, b, c)[partner],
            "points": 10,
            "text": f"{kind} {objective_type}.",
        }

    return make


def world(
    seed: int,
    objectives: tuple[Objective, ...] = (),
    weight: float | None = None,
    temperament: str = "realist",
    b_reputation: float | None = None,
    c_reputation: float | None = None,
    pact: bool = False,
    consultation: bool = False,
) -> tuple[State, str, str, str]:
    doc, a, b, c = row(seed)
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    w.configure(doc, c, temperament=temperament)
    if b_reputation is not None:
        w.configure(doc, b, reputation=b_reputation)
    if c_reputation is not None:
        w.configure(doc, c, reputation=c_reputation)
    if pact:
        w.agreement(doc, "pact", "defence_pact", [b, c])
    if consultation:
        w.agreement(doc, "talks", "consultation", [b, c], strength=0.5)
    w.actor(doc, c)["objectives"].extend(make(a, b, c) for make in objectives)
    if weight is not None:
        w.rules(doc, "bots", objective_weight=weight)
    return w.primed(w.scenario(doc), seed), a, b, c


def offered(s: State, sender: str, to: str, kind: str, seed: int) -> list[Any]:
    """`to`'s diplomacy commands with `sender`'s proposal of a `kind` agreement between them open."""
    proposal = Proposal(type=kind, parties=[sender, to], strength=0.6, ambiguity=0.3)
    p = ProposalState(id="p1", sender=sender, proposal=proposal, turn=s.turn + 1, status="open")
    up = evolve(s, turn=s.turn + 1, phase="diplomacy", proposals={"p1": p})
    seen = view(up, to, history=False)
    assert isinstance(seen, TeamView)
    return TEMPERAMENTS[s.actors[to].temperament](seen, seed).diplomacy()


def accepts(seed: int, kind: str = "defence_pact", **kw: Any) -> bool:
    s, _, b, c = world(seed, **kw)
    return any(isinstance(x, Accept) for x in offered(s, b, c, kind, seed))


ARMS: dict[str, dict[str, Any]] = {
    "without": {},
    "with": {"objectives": (avoid_war(),)},
    "ablation": {"objectives": (avoid_war(),), "weight": 0.0},
}


@pytest.mark.parametrize("temperament", ["realist", "liberal", "constructivist"])
def test_a_bot_that_must_stay_out_of_war_signs_a_defence_pact_less_often(temperament: str) -> None:
    """B, pressed by A, offers C a defence pact. C's temperament accepts it in every world; with a 15-point
    objective to stay out of every war C weighs the war the pact could draw it into (the entrapment reckoning
    times the points) against what the pact is worth to it, and declines it in many worlds. At weight 0 it
    decides as without the objective, world for world."""
    got = {arm: [accepts(seed, temperament=temperament, **kw) for seed in range(N)] for arm, kw in ARMS.items()}
    rates = {arm: stats.proportion(sum(xs), N) for arm, xs in got.items()}
    drop = stats.paired([float(x) for x in got["without"]], [float(x) for x in got["with"]])
    stats.report(f"avoid_war pact acceptance ({temperament})", **{k: str(v) for k, v in rates.items()}, drop=drop)
    stats.assert_positive(drop, "a bot that must stay out of war signs the pact less often")
    assert any(got["with"]), "the objective weighs against the pact, it does not forbid it"
    assert got["ablation"] == got["without"]


def _answers(events: list[Any], c: str) -> list[Outcome]:
    return [
        e
        for e in w.outcomes(events, "alliance.answer")
        if any(ch.field == f"answer:{c}" for ch in e.changes) and e.reason.inputs.get("carried_by") == "pact"
    ]


def war_on_b(seed: int, **kw: Any) -> tuple[list[Any], str]:
    """The events of the turn A makes war on B, C bound to B by a defence pact; and C."""
    s, a, b, c = world(seed, pact=True, **kw)
    _, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="war")])})
    return events, c


def answered(seed: int, **kw: Any) -> tuple[bool, float, Outcome]:
    """C's answer to B's call when A makes war on B: (honoured, chance of honouring, the answer)."""
    events, c = war_on_b(seed, **kw)
    (answer,) = _answers(events, c)
    honoured = next(ch.value for ch in answer.changes if ch.field == f"answer:{c}")
    chance = answer.reason.inputs["probability"]
    assert isinstance(honoured, bool)
    assert isinstance(chance, float)
    return honoured, chance, answer


def test_a_bot_that_must_stay_out_of_war_answers_a_call_less_often_and_says_why() -> None:
    """A makes war on B; C, bound to B by a defence pact, answers B's call. With a 15-point objective to stay out
    of war with A, C honours less often: its chance falls by `alliance.honour_cost` x `bots.objective_weight` x 15
    in log-odds, the answer's terms carry it as `objectives` and its explanation names it. At weight 0 the
    answers are those without the objective."""
    arms: dict[str, dict[str, Any]] = {
        "without": {},
        "with": {"objectives": (avoid_war(against=0),)},
        "ablation": {"objectives": (avoid_war(against=0),), "weight": 0.0},
    }
    got = {arm: [answered(seed, **kw) for seed in range(N)] for arm, kw in arms.items()}
    honoured = {arm: [float(h) for h, _, _ in xs] for arm, xs in got.items()}
    drop = stats.paired(honoured["without"], honoured["with"])
    chance_drop = stats.paired([p for _, p, _ in got["without"]], [p for _, p, _ in got["with"]])
    stats.report(
        "avoid_war call answers",
        **{arm: str(stats.proportion(int(sum(xs)), N)) for arm, xs in honoured.items()},
        drop=drop,
        chance_drop=chance_drop,
    )
    stats.assert_positive(drop, "a bot that must stay out of war honours its ally less often")
    assert honoured["ablation"] == honoured["without"]
    s, _, _, _ = world(0)
    expected = -s.rules.alliance.honour_cost * s.rules.bots.objective_weight * 15
    for (_, _, plain), (_, _, weighed) in zip(got["without"], got["with"], strict=True):
        assert plain.reason.terms["objectives"] == 0.0
        assert weighed.reason.terms["objectives"] == pytest.approx(expected)
        assert "objective to stay out of war" in weighed.reason.explanation
        assert "objective to stay out of war" not in plain.reason.explanation


def test_an_objective_against_another_war_leaves_the_answer_alone() -> None:
    """An `avoid_war` objective naming B itself (the partner, not the attacker) is not at stake in the call."""
    for seed in range(5):
        _, plain, _ = answered(seed)
        _, other, answer = answered(seed, objectives=(avoid_war(against=1),))
        assert other == plain
        assert answer.reason.terms["objectives"] == 0.0


def test_a_call_against_a_limited_strike_puts_no_avoid_war_objective_at_stake() -> None:
    """A strikes B short of war: B calls C, but honouring puts no one at war, so the term is 0."""
    for seed in range(5):
        s, a, b, c = world(seed, pact=True, objectives=(avoid_war(),))
        _, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])})
        (answer,) = _answers(events, c)
        assert answer.reason.terms["objectives"] == 0.0
        assert "objective to stay out of war" not in answer.reason.explanation


def test_avoid_agreement_declines_a_pact_and_have_agreement_accepts_one_the_rule_refuses() -> None:
    """C must never sign a defence pact with B: it declines B's offer in every world (it accepts it without
    the objective, and at weight 0). C must have a strategic partnership with B, whose reputation (0.2) is below
    what a realist asks of a partner: it accepts B's offer in every world, and refuses it without the objective
    and at weight 0."""
    avoid, have = (
        on_agreement("avoid_agreement", "defence_pact", 1),
        on_agreement("have_agreement", "strategic_partnership", 1),
    )
    seeds = range(30)
    assert all(accepts(seed) for seed in seeds)
    assert not any(accepts(seed, objectives=(avoid,)) for seed in seeds)
    assert all(accepts(seed, objectives=(avoid,), weight=0.0) for seed in seeds)
    low: dict[str, Any] = {"kind": "strategic_partnership", "b_reputation": 0.2}
    assert not any(accepts(seed, **low) for seed in seeds)
    assert all(accepts(seed, objectives=(have,), **low) for seed in seeds)
    assert not any(accepts(seed, objectives=(have,), weight=0.0, **low) for seed in seeds)


def _proposes(seed: int, **kw: Any) -> list[Proposal]:
    s, _, b, c = world(seed, **kw)
    return [x.proposal for x in offered(s, b, c, "consultation", seed) if isinstance(x, Propose)]


@pytest.mark.parametrize("temperament", ["realist", "liberal", "constructivist"])
def test_a_bot_proposes_the_agreement_its_objective_asks_for(temperament: str) -> None:
    """C must have a consultation pact with A: it proposes one (bilateral, the objective's type and partner),
    which it never does without the objective or at weight 0."""
    want = on_agreement("have_agreement", "consultation", 0)

    def asked(ps: list[Proposal], a: str, c: str) -> bool:
        return any(p.type == "consultation" and set(p.parties) == {a, c} for p in ps)

    for seed in range(10):
        _, a, _, c = world(seed)
        assert not asked(_proposes(seed, temperament=temperament), a, c)
        assert asked(_proposes(seed, temperament=temperament, objectives=(want,)), a, c)
        assert not asked(_proposes(seed, temperament=temperament, objectives=(want,), weight=0.0), a, c)


def test_a_bot_renounces_an_agreement_its_objective_forbids_and_keeps_one_it_asks_for() -> None:
    """A consultation pact between B and C is in force. C renounces it when it must avoid a consultation pact with
    B (worth -10 points x `bots.objective_weight` to it, more than leaving costs), never without the objective or
    at weight 0; an objective to have it makes its value to C higher by exactly the points' worth."""
    avoid, have = on_agreement("avoid_agreement", "consultation", 1), on_agreement("have_agreement", "consultation", 1)
    for seed in range(10):
        orders = {}
        arms: dict[str, dict[str, Any]] = {
            "without": {},
            "avoid": {"objectives": (avoid,)},
            "ablation": {"objectives": (avoid,), "weight": 0.0},
        }
        for arm, kw in arms.items():
            s, _, _, c = world(seed, consultation=True, **kw)
            orders[arm] = w.bot(s, c, seed).orders().renounce
        assert orders["avoid"] == ["talks"]
        assert orders["without"] == orders["ablation"] == []
        values = []
        for objectives in ((), (have,)):
            s, _, _, c = world(seed, consultation=True, objectives=objectives)
            bot = w.bot(s, c, seed)
            v = Valuer(bot.r, bot.temperament, seed, bot.bargainer)
            values.append(v.value(next(ag for ag in bot.r.active() if ag.id == "talks")))
        assert values[1] - values[0] == pytest.approx(10 * s.rules.bots.objective_weight)


def test_the_war_an_agreement_risks_is_the_entrapment_reckoning_times_the_points() -> None:
    """`Valuer.war_risk` of a defence pact C would sign with B is, for B (the one partner C guards), the worst
    over A of how far the pact draws C into B's fight with A (`drawn`) times the points, times the pact's
    firmness; `stakes` is minus that times `bots.objective_weight`. An objective against a war with B, the
    partner, puts nothing at stake."""
    for seed in range(5):
        for points in (10, 20):
            s, a, b, c = world(seed, objectives=(avoid_war(points, against=0),))
            seen = view(s, c, history=False)
            assert isinstance(seen, TeamView)
            bot = TEMPERAMENTS["realist"](seen, seed)
            ag = hypothetical(bot.r, Proposal(type="defence_pact", parties=[b, c], strength=0.6, ambiguity=0.3), "x")
            v = Valuer(bot.r, "realist", seed, bot.bargainer, extra=(ag,))
            firmness = (1 - ag.ambiguity) * (1 - ag.conditionality)
            assert v.drawn(ag, b, a) > 0
            assert v.war_risk(ag) == pytest.approx(firmness * v.drawn(ag, b, a) * points)
            assert v.stakes(ag) == pytest.approx(-s.rules.bots.objective_weight * v.war_risk(ag))
        s, a, b, c = world(seed, objectives=(avoid_war(15, against=1),))
        r = Reading(view(s, c, history=False))  # type: ignore[arg-type]
        bot = TEMPERAMENTS["realist"](r.view, seed)
        ag = hypothetical(r, Proposal(type="defence_pact", parties=[b, c]), "x")
        assert Valuer(r, "realist", seed, bot.bargainer, extra=(ag,)).stakes(ag) == 0.0
        assert weigh_objectives(bot.valuer, Proposal(type="defence_pact", parties=[b, c]), "x", inclined=True)


def join_world(
    seed: int, objectives: tuple[Objective, ...] = (), weight: float | None = None
) -> tuple[State, str, str, str]:
    """As tests/bots/test_joining.py: revisionist A (size 3) has demanded that B (size 1, rich) concede an issue
    (A 0.9, B 0.1); a small realist C (size 0.5) 500 km from B holds 0.8 on it, and may join A's attack."""
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    for x, size in ((a, 3.0), (b, 1.0), (c, 0.5)):
        w.size(doc, x, size)
        w.configure(doc, x, temperament="realist")
    w.actor(doc, b)["capabilities"]["gdp"]["value"] = 1800.0
    w.place(doc, a, 0, 0)
    w.place(doc, b, 500, 0)
    w.place(doc, c, 500, 500)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.8})
    w.actor(doc, c)["objectives"].extend(make(a, b, c) for make in objectives)
    if weight is not None:
        w.rules(doc, "bots", objective_weight=weight)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    return s, a, b, c


def test_a_bot_that_must_stay_out_of_war_joins_an_attack_less_often() -> None:
    """C joins A's attack on B where its share of the spoils is worth its cost of war; an objective to stay out
    of war with B adds its points' worth to that cost (on the war rung only), so C joins in fewer worlds; at
    weight 0 it joins in the same ones."""
    seeds = range(40)
    joined: dict[str, list[float]] = {}
    arms: dict[str, dict[str, Any]] = {
        "without": {},
        "with": {"objectives": (avoid_war(15, against=1),)},
        "ablation": {"objectives": (avoid_war(15, against=1),), "weight": 0.0},
    }
    for arm, kw in arms.items():
        joined[arm] = []
        for seed in seeds:
            s, a, b, c = join_world(seed, **kw)
            bot = w.bot(s, c, seed)
            joined[arm].append(float(bool(bot.orders().join)))
            if arm == "with":
                plain = w.bot(join_world(seed)[0], c, seed).bargainer
                added = s.rules.bots.objective_weight * 15
                assert bot.bargainer.conventional_cost(b, "war") == pytest.approx(
                    plain.conventional_cost(b, "war") + added
                )
                assert bot.bargainer.conventional_cost(b, "limited_strike") == plain.conventional_cost(
                    b, "limited_strike"
                )
                assert bot.bargainer.conventional_cost(a, "war") == plain.conventional_cost(a, "war")
    drop = stats.paired(joined["without"], joined["with"])
    stats.report("avoid_war joining", **{k: str(stats.mean(v)) for k, v in joined.items()}, drop=drop)
    assert sum(joined["without"]) > 0, "C never joins in these worlds: the experiment measures nothing"
    assert sum(joined["with"]) < sum(joined["without"])
    assert joined["ablation"] == joined["without"]


def test_agreement_orders_read_the_objectives_through_the_valuer() -> None:
    """`agreement_orders` (renew and renounce) values agreements with the objectives: the same call the bot's
    orders make."""
    avoid = on_agreement("avoid_agreement", "consultation", 1)
    s, _, _, c = world(3, consultation=True, objectives=(avoid,))
    r = Reading(view(evolve(s, turn=s.turn + 1, phase="orders"), c, history=False))  # type: ignore[arg-type]
    assert agreement_orders(r, "realist", 3)["renounce"] == ["talks"]


STEERED = ("have_agreement", "avoid_agreement", "avoid_war", "spend_at_most")
"""The objective kinds `bots.objective_weight` steers."""


def _steered_share(sc: Scenario, seed: int, weight: float | None) -> float:
    """Share of the points of the steered objectives that the bots (in every seat) meet at the end of `sc`."""
    if weight is not None:
        doc = scenario_dict(sc)
        rules = dict(doc.get("rules") or {})
        rules["bots"] = dict(rules.get("bots") or {}) | {"objective_weight": weight}
        sc = Scenario.model_validate(doc | {"rules": rules})
    s = play(sc, seed).state
    met = total = 0
    for a in sc.actors:
        for o, ok in zip(a.objectives, statuses(s, a.id), strict=True):
            if o.kind in STEERED:
                total += o.points
                met += o.points if ok else 0
    return met / total


def test_in_the_baltic_bots_meet_their_objectives_more_often_than_blind_to_them() -> None:
    """The Baltic scenario played through by bots in every seat (seeds 0-9): the bots meet a larger share of the
    points of their agreement, war and spending objectives than the same games at `bots.objective_weight` = 0
    (there Latvia, which must end with a US security guarantee, seldom gets one, and states with a spending cap
    arm past it; playing to their objectives Latvia asks for the guarantee and they keep to their caps)."""
    (sc,) = [s for s in shipped() if s.id == "baltic"]
    seeds = range(10)
    played = [_steered_share(sc, seed, None) for seed in seeds]
    blind = [_steered_share(sc, seed, 0.0) for seed in seeds]
    gain = stats.paired(played, blind)
    stats.report("baltic steered objectives", played=stats.mean(played), blind=stats.mean(blind), gain=gain)
    stats.assert_positive(gain, "bots playing to their objectives meet more of them")


def capped(seed: int, cap: float | None, weight: float | None = None) -> tuple[float, float, Any]:
    """B's spending before its caps, and what it orders, with a 10-point `spend_at_most` objective at `cap`."""
    doc, a, b, _ = row(seed)
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    if cap is not None:
        objective = {"id": "b-cap", "kind": "spend_at_most", "percent_gdp": cap, "points": 10, "text": "Cap it."}
        w.actor(doc, b)["objectives"].append(objective)
    if weight is not None:
        w.rules(doc, "bots", objective_weight=weight)
    bot = w.bot(w.primed(w.scenario(doc), seed), b, seed)
    spent = bot.orders().defence_spending
    assert spent is not None
    return bot.wanted_spending(), spent, bot


def test_a_bot_keeps_its_spending_under_its_cap_when_the_cap_is_worth_more_than_the_security() -> None:
    """B, pressed by A, spends up to 5 % of GDP. Told to spend at most 1 %, it spends 1 %: the objective's 10 points
    (at `bots.objective_weight` per point, a stake valued as the state's GDP) are worth more than the security the
    rest would buy. At a weight of 0.001 the points are worth one point of GDP: B keeps to the cap exactly where the
    security the rest would buy is worth less than that, which is so in some worlds and not in others. At weight 0
    it spends what it wants."""
    kept = []
    for seed in range(20):
        wanted, plain, _ = capped(seed, None)
        assert wanted == plain
        assert capped(seed, 1.0, weight=0.0)[1] == plain
        if plain <= 1.0:
            assert capped(seed, 1.0)[1] == plain  # a cap it keeps anyway changes nothing
            continue
        assert capped(seed, 1.0)[1] == 1.0
        _, spent, bot = capped(seed, 1.0, weight=0.001)
        worth_more = bot.security_value(wanted) - bot.security_value(1.0) > 0.001 * 10 * 100
        assert spent == (plain if worth_more else 1.0)
        kept.append(spent == 1.0)
    assert any(kept)
    assert not all(kept)


def keep_reputation(level: float, points: int = 20) -> Objective:
    def make(a: str, b: str, c: str) -> dict[str, Any]:
        text = "Stay reliable."
        return {"id": "c-rep", "kind": "keep_reputation", "at_least": level, "points": points, "text": text}

    return make


def test_a_bot_that_must_keep_its_reputation_honours_a_call_more_often_and_says_why() -> None:
    """C (reputation 0.7) must end with a reputation of at least 0.6: abandoning B would take it to 0.56, honouring
    to 0.76 (step 7's update), so the objective's 20 points weigh for honouring, by `alliance.honour_cost` x
    `bots.objective_weight` x 20 in log-odds; an objective abandoning would not break (at 0.5) changes nothing."""
    arms: dict[str, dict[str, Any]] = {
        "without": {"c_reputation": 0.7},
        "with": {"c_reputation": 0.7, "objectives": (keep_reputation(0.6),)},
        "safe": {"c_reputation": 0.7, "objectives": (keep_reputation(0.5),)},
        "ablation": {"c_reputation": 0.7, "objectives": (keep_reputation(0.6),), "weight": 0.0},
    }
    seeds = range(40)
    got = {arm: [answered(seed, **kw) for seed in seeds] for arm, kw in arms.items()}
    honoured = {arm: [float(h) for h, _, _ in xs] for arm, xs in got.items()}
    rise = stats.paired(honoured["with"], honoured["without"])
    stats.report("keep_reputation call answers", **{k: str(stats.mean(v)) for k, v in honoured.items()}, rise=rise)
    assert sum(honoured["with"]) > sum(honoured["without"])
    assert honoured["ablation"] == honoured["safe"] == honoured["without"]
    s, _, _, _ = world(0)
    expected = s.rules.alliance.honour_cost * s.rules.bots.objective_weight * 20
    for _, _, answer in got["with"]:
        assert answer.reason.terms["objectives"] == pytest.approx(expected)
        assert "keep its reputation" in answer.reason.explanation


def test_a_bot_that_must_keep_its_reputation_does_not_renounce_what_it_would_otherwise_leave() -> None:
    """C must avoid a consultation pact with B, and renounces the one in force (see above). Renouncing costs
    `alliance.renunciation_reputation` x 0.5 = 0.05 of reputation: with a 20-point objective to keep it at 0.68
    or more (C holds 0.7) the cost of leaving rises by 20 points' worth and C keeps the pact; with the level at
    0.6, which the loss does not break, it renounces as before."""
    avoid = on_agreement("avoid_agreement", "consultation", 1)
    for seed in range(10):
        renounced = {}
        for level in (None, 0.68, 0.6):
            objectives = (avoid,) if level is None else (avoid, keep_reputation(level))
            s, _, _, c = world(seed, consultation=True, c_reputation=0.7, objectives=objectives)
            bot = w.bot(s, c, seed)
            renounced[level] = bot.orders().renounce
            talks = next(ag for ag in bot.r.active() if ag.id == "talks")
            base = Valuer(bot.r, bot.temperament, seed, bot.bargainer).exit_cost(talks)
            if level == 0.68:
                plain = w.bot(world(seed, consultation=True, c_reputation=0.7, objectives=(avoid,))[0], c, seed)
                before = Valuer(plain.r, plain.temperament, seed, plain.bargainer).exit_cost(talks)
                assert base - before == pytest.approx(20 * s.rules.bots.objective_weight)
        assert renounced[None] == renounced[0.6] == ["talks"]
        assert renounced[0.68] == []


def test_a_secret_objective_weighs_in_the_answer_but_is_told_to_its_own_seat_alone() -> None:
    """C's objective to stay out of war with A, made secret, decides the answer as the public one does (the same
    honoured or abandoned in every world), but the public answer carries neither its term nor a word of it: its
    terms and chance are those without the objective. C's seat alone reads an `alliance.secret_objectives`
    outcome with the term and the whole chance."""
    for seed in range(20):
        public_events, c = war_on_b(seed, objectives=(avoid_war(against=0),))
        secret_events, _ = war_on_b(seed, objectives=(avoid_war(against=0, secret=True),))
        plain_events, _ = war_on_b(seed)
        (public,), (secret,), (plain,) = (_answers(e, c) for e in (public_events, secret_events, plain_events))
        assert secret.changes == public.changes
        assert secret.audience == "public"
        assert secret.reason.terms == plain.reason.terms
        assert secret.reason.inputs["probability"] == plain.reason.inputs["probability"]
        assert "objective" not in secret.reason.explanation
        (told,) = w.outcomes(secret_events, "alliance.secret_objectives")
        assert told.audience == [c]
        assert told.changes == []
        assert told.reason.terms["secret_objectives"] == public.reason.terms["objectives"]
        assert told.reason.inputs["probability"] == public.reason.inputs["probability"]
        assert "stay out of war" in told.reason.explanation
        assert not w.outcomes(public_events, "alliance.secret_objectives")
