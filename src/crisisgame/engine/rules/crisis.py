"""Step 6, crises and war (Fearon 1995; Boulding 1962).

Coercive demands are answered (accepted or resisted) the turn after they are made; a resisted
demand is followed by escalation or by backing down (which costs a leader who threatened in
public). Force climbs a ladder from protest to war. Strikes and wars are fought with capability
decayed by distance to the theatre plus allies' help (expected, weighted by credibility, until
they answer the call; actual once they do) and the help of states that chose to fight for the target
without any obligation (`Orders.defend`); states may also join the attacker's side by their own decision
(`Orders.join`) and, if it prevails, share the spoils it takes from the target in proportion to the strength
each brought (Schweller 1994): what is left of the `war.spoils_share` of the target's economy that conquest can
take in a game, each victor up to what its forces in the theatre can occupy (`war.occupation_troops_per_1000`;
Quinlivan 1995). The offence-defence balance tilts every battle (Jervis
1978; Glaser & Kaufmann 1998; Van Evera 1998): under offence dominance the attacker's strength counts
for more and attacks succeed more often, under defence dominance the defender's does and the
defender holds (`War.attack_odds`). The reason says whether the sides' estimates left
a bargaining range, whether a power shift loomed, and whether the issue was indivisible.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping

from crisisgame.engine.chance import draw
from crisisgame.engine.commands import Orders
from crisisgame.engine.events import Change, DemandOpened, Event
from crisisgame.engine.ids import opaque_id
from crisisgame.engine.rules.common import (
    LEVELS,
    Turn,
    actor_change,
    battle_odds,
    clip,
    military_power,
    occupation_share,
    outcome,
    pair_change,
    theatre_strength,
)
from crisisgame.engine.rules.ratification import deal_on
from crisisgame.engine.state import CallState, State, dyad, pair
from crisisgame.scenario.model import Demand, Escalate, Issue

STEP = 6


def collect(s: State, t: Turn) -> None:
    """Gather this turn's force and demands, from orders and from injects released this turn."""
    for actor in s.actors:
        o = t.of(actor)
        for f in o.force:
            t.force.append((actor, f.target, f.level))
        if o.nuclear_test:
            t.nuclear_tests.append(actor)
        t.nuclear_threats.extend((actor, target) for target in o.nuclear_threats if target != actor)
        for d in t.of(actor).demands:
            t.demands_made.append((actor, d.target, d.issue, d.position, d.public))
    for inj in s.injects:
        if inj.turn != t.turn:
            continue
        for eff in inj.effects:
            if isinstance(eff, Escalate):
                t.force.append((eff.actor, eff.target, eff.level))
            elif isinstance(eff, Demand):
                t.demands_made.append((eff.actor, eff.target, eff.issue, eff.position, True))


def sides(
    s: State, attacker: str, target: str, power: dict[str, float], orders: Mapping[str, Orders] | None = None
) -> tuple[float, float, dict[str, float]]:
    """Effective capability of each side in the target's theatre, and each contributor's share (forward
    forces count only from bases whose host consents, given this turn's `orders`).

    An ally called under an agreement counts by its latest answer under it: a call is opened afresh
    whenever the partner is attacked again after the last call closed, and the newest answer replaces the
    older ones (an ally that abandoned before may honour now, and the reverse). An ally that has not
    answered its latest call counts by its earlier answer under the agreement, if any, else by its
    credibility. An ally has one army, however many agreements oblige it: it counts once, by the greatest
    weight it has under any of them (1 under one it honours, 0 under one it abandoned, its credibility
    under one not yet answered), as computer players reckon a bound ally (`Bargainer.bound`). An ally of
    the attacker counts, once, if it honoured a call of the attacker's."""
    contrib: dict[str, float] = {}
    c_a, _ = theatre_strength(s, attacker, target, power, orders)
    c_b, _ = theatre_strength(s, target, target, power, orders)
    contrib[attacker] = c_a
    contrib[target] = c_b
    weights: dict[str, float] = {}
    for (g, _ag), answer in _latest_answers(s, target, attacker).items():
        weight = s.credibility_of(g, target) if answer is None else float(answer)
        weights[g] = max(weights.get(g, 0.0), weight)
    for g, weight in weights.items():
        strength, _ = theatre_strength(s, g, target, power, orders)
        contrib[f"ally:{g}"] = weight * strength
        c_b += weight * strength
    honoured = sorted({g for (g, _ag), answer in _latest_answers(s, attacker, target).items() if answer is True})
    for g in honoured:
        strength, _ = theatre_strength(s, g, target, power, orders)
        contrib[f"ally:{g}"] = contrib.get(f"ally:{g}", 0.0) + strength
        c_a += strength
    return c_a, c_b, contrib


def _latest_answers(s: State, caller: str, adversary: str) -> dict[tuple[str, str], bool | None]:
    """(ally, agreement) for each ally obliged by a call of `caller` against `adversary`: its latest answer
    under that agreement (None if it has answered none of its calls yet). Calls are taken in the order they
    opened."""
    out: dict[tuple[str, str], bool | None] = {}
    for call in sorted(s.calls.values(), key=lambda c: c.turn):
        if call.caller != caller or call.adversary != adversary:
            continue
        for g in call.obligated:
            answer = call.answers.get(g)
            key = (g, call.agreement)
            if answer is not None or key not in out:
                out[key] = answer if answer is not None else out.get(key)
    return out


def first_help(s: State, t: Turn, attacker: str, target: str, power: dict[str, float]) -> dict[str, bool]:
    """Each computer-played ally's answer to the call this battle opens (same turn): True if it comes to the
    target's aid in this battle, False if it stays out.

    A call opens in step 7 for each protective agreement of the target with no open call against this
    attacker: at the first attack, and again at each later attack once the last call has closed. A
    computer player's answer to it is decided here, with the probability and the draw step 7 uses (so the
    answer is the same), and it replaces the ally's earlier answers in this battle (`sides`): an ally who
    honours fights in it, one who abandons does not. A team's answer comes with its next orders, so a
    team's new answer counts from the next battle.
    """
    from crisisgame.engine.rules.alliance import defeat_facts, honour_probability
    from crisisgame.engine.rules.computer_answers import answer_call

    help_: dict[str, bool] = {}
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        obligated = tuple(g for g in ag.protects(target) if g != attacker)
        if not obligated or attacker in ag.parties:
            continue
        invoked = any(
            c.status == "open" and c.agreement == ag.id and c.caller == target and c.adversary == attacker
            for c in s.calls.values()
        )
        if invoked:
            continue  # a call still open: its answers count in `sides`
        cid = f"call-{t.turn}-{ag.id}-{target}-{attacker}"
        call = CallState(id=cid, agreement=ag.id, caller=target, adversary=attacker, obligated=obligated, turn=t.turn)
        for g in obligated:
            if g in s.teams or (target, attacker, g) in t.first_answers:
                continue  # one answer per ally in a crisis, whichever of its commitments is invoked
            _, terms = honour_probability(s, t, g, call)
            decision = answer_call(
                s.seed,
                t.turn,
                g,
                target,
                attacker,
                s.actors[g].temperament,
                terms,
                s.rules.alliance,
                defeat_facts(s, g, call),
            )
            t.first_answers[(target, attacker, g)] = decision
            help_.setdefault(g, decision.honoured)
    return help_


def volunteers(s: State, t: Turn, attacker: str, target: str, power: dict[str, float]) -> dict[str, float]:
    """States that fight for `target` in this battle by their own decision (`Orders.defend`), with their
    strength in its theatre. No agreement obliges them (strategic ambiguity, as under the Taiwan Relations
    Act), so no call is opened and no reputation is at stake: they fight because they chose to."""
    out: dict[str, float] = {}
    for g in sorted(s.actors):
        if g not in (attacker, target) and target in t.of(g).defend:
            out[g], _ = theatre_strength(s, g, target, power, t.orders)
    return out


def joiners(s: State, t: Turn, attacker: str, target: str, power: dict[str, float]) -> dict[str, float]:
    """States that fight on `attacker`'s side in its battle on `target` by their own decision (`Orders.join`),
    with their strength in the target's theatre. No agreement obliges them and no call is opened: they join
    for what the battle may bring them (Schweller 1994), and bear a belligerent's costs."""
    out: dict[str, float] = {}
    for g in sorted(s.actors):
        if g in (attacker, target):
            continue
        if any(j.attacker == attacker and j.target == target for j in t.of(g).join):
            out[g], _ = theatre_strength(s, g, target, power, t.orders)
    return out


def win_probability(s: State, attacker: str, target: str, orders: Mapping[str, Orders] | None = None) -> float:
    """p = m C_A / (m C_A + C_B), m = war.offence_advantage ** (2 delta - 1): the attacker's chance of
    prevailing in the target's theatre (hosts' base decisions read from `orders`, if given)."""
    c_a, c_b, _ = sides(s, attacker, target, military_power(s), orders)
    return battle_odds(s, c_a, c_b)


def _disputed_issue(s: State, attacker: str, target: str) -> tuple[str, float] | None:
    for d in sorted(s.demands.values(), key=lambda d: d.turn, reverse=True):
        if d.actor == attacker and d.target == target:
            return d.issue, d.position
    return None


def _issue(s: State, issue_id: str) -> Issue:
    return next(i for i in s.scenario.issues if i.id == issue_id)


def status_quo(s: State, issue_id: str) -> float:
    """Where an issue stands: its settlement, or the median of the stated positions while unsettled."""
    if issue_id in s.settled:
        return s.settled[issue_id]
    issue = _issue(s, issue_id)
    return float(statistics.median(issue.positions.values())) if issue.positions else 0.5


def _answer_demands(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    forced = {(a, b) for a, b, level in t.force if LEVELS[level] >= LEVELS["grey_zone"]}
    for d in sorted(s.demands.values(), key=lambda d: d.id):
        if d.status != "open" or d.turn >= t.turn:
            continue
        answer = next((a for a in t.of(d.target).demand_answers if a.demand_id == d.id), None)
        demander, target = s.actors[d.actor], s.actors[d.target]
        if answer is not None and answer.accept:
            t.accepted_demands.append((d.target, d.actor))
            deal = deal_on(s, d.issue)
            if deal is not None and d.target not in deal.parties:  # outsiders cannot concede others' deal away
                changes, settled = [demand_change(d.id, "accepted")], f"'{deal.name}' keeps it settled"
            else:
                changes, settled = [demand_change(d.id, "accepted"), issue_change(d.issue, d.position)], ""
            events.append(
                outcome(
                    t,
                    changes,
                    "crisis.demand",
                    STEP,
                    f"{target.name} gave in to {demander.name}'s demand on {d.issue}: "
                    + (settled or f"settled at {d.position:.2f}.")
                    + ("." if settled else ""),
                    inputs={"demand": d.id, "issue": d.issue, "position": d.position},
                    citations=["fearon1995"],
                )
            )
        elif (d.actor, d.target) in forced:
            events.append(
                outcome(
                    t,
                    [demand_change(d.id, "escalated")],
                    "crisis.demand",
                    STEP,
                    f"{target.name} resisted and {demander.name} escalated.",
                    inputs={"demand": d.id, "answered": answer is not None},
                    citations=["fearon1995"],
                )
            )
        else:
            if d.public:
                t.backed_down.add(d.actor)
            why = "gave no answer" if answer is None else "resisted"
            events.append(
                outcome(
                    t,
                    [demand_change(d.id, "resisted")],
                    "crisis.backdown",
                    STEP,
                    f"{target.name} {why}, and {demander.name} backed down"
                    + (" after a public threat: an audience cost at home." if d.public else "."),
                    inputs={"demand": d.id, "public": d.public},
                    citations=["fearon1995", "fearon1997"],
                )
            )
    return events


def demand_change(demand_id: str, status: str) -> Change:
    return Change(target="demand", key=demand_id, field="status", value=status)


def issue_change(issue: str, position: float) -> Change:
    return Change(target="issue", key=issue, field="settled", value=position)


def _intent_shock(s: State, t: Turn, attacker: str, target: str, level: str) -> list[Event]:
    r = s.rules.war
    w = r.ladder()[level]
    tau = s.rules.threat.tau_km
    changes = []
    for i in s.actors:
        if i == attacker:
            continue
        key = pair(i, attacker)
        bump = (
            r.target_intent_shock + r.target_intent_per_rung * w
            if i == target
            else r.neighbour_intent_per_rung * w * math.exp(-s.km(i, target) / tau)
        )
        if bump > 1e-4:
            changes.append(pair_change(key, "intent", clip(s.intent[key] + bump)))
    if not changes:
        return []
    return [
        outcome(
            t,
            changes,
            "crisis.intent",
            STEP,
            f"{s.actors[attacker].name}'s {level.replace('_', ' ')} against {s.actors[target].name} "
            "made it look more aggressive, above all to its target and neighbours.",
            inputs={"level": level, "attacker": attacker, "target": target},
            citations=["walt1987", "jervis1978"],
        )
    ]


def _with_helpers(
    s: State,
    attacker: str,
    target: str,
    power: dict[str, float],
    orders: Mapping[str, Orders] | None,
    called: tuple[tuple[str, bool], ...],
    defenders: tuple[str, ...],
    joining: tuple[str, ...],
) -> tuple[float, float, dict[str, float]]:
    """`sides` with this battle's helpers added at their strength in `s`: allies `called` by a call this battle
    opens (each with its answer, which replaces its earlier answers in the crisis), states that chose to
    fight for the target (`defenders`) and states that chose to join the attacker (`joining`). An ally
    already counted under a call is counted once, on the side it answered."""
    c_a, c_b, contrib = sides(s, attacker, target, power, orders)
    for g, honoured in called:
        if f"ally:{g}" in contrib and not _on_side(s, f"ally:{g}", attacker, target):
            c_b -= contrib.pop(f"ally:{g}")  # this battle's answer replaces the ally's earlier one
        if honoured:
            strength, _ = theatre_strength(s, g, target, power, orders)
            contrib[f"ally:{g}"] = strength
            c_b += strength
    for g in defenders:
        strength, _ = theatre_strength(s, g, target, power, orders)
        counted = contrib.get(f"ally:{g}", 0.0)  # an ally already fighting under a call is not counted twice
        if strength > counted:
            contrib[f"ally:{g}"] = strength
            c_b += strength - counted
    for g in joining:
        if f"ally:{g}" in contrib:
            continue  # already in this battle under a call (an ally is counted once, on the side it answered)
        strength, _ = theatre_strength(s, g, target, power, orders)
        contrib[f"join:{g}"] = strength
        c_a += strength
    return c_a, c_b, contrib


def _fight(s: State, t: Turn, attacker: str, target: str, level: str) -> list[Event]:
    r = s.rules.war
    w = r.ladder()[level]
    power = military_power(s)
    armed = r.armed_attack(level)
    called = tuple(first_help(s, t, attacker, target, power).items()) if armed else ()
    defenders = tuple(volunteers(s, t, attacker, target, power)) if armed else ()
    c_a, c_b, contrib = _with_helpers(
        s,
        attacker,
        target,
        power,
        t.orders,
        called,
        defenders,
        tuple(joiners(s, t, attacker, target, power)) if armed else (),
    )
    joining = tuple(k.removeprefix("join:") for k in contrib if k.startswith("join:"))
    t.joined.extend((g, attacker, target) for g in joining)
    p = battle_odds(s, c_a, c_b)
    u = draw(s.seed, t.turn, f"war:{attacker}:{target}")
    won = u < p
    u1, u2 = (
        draw(s.seed, t.turn, f"estimate:{attacker}:{target}"),
        draw(s.seed, t.turn, f"estimate:{target}:{attacker}"),
    )
    est_a = clip(p + r.misperception * (2 * u1 - 1))
    est_b = clip(1 - p + r.misperception * (2 * u2 - 1))
    prev = t.previous
    if prev.actors:
        # The same battle, among the same belligerents, as the turn began: a state joining either side (called
        # by an ally, fighting for the target or joining the attacker) is not a shift in power
        # (`war.power_shift_threshold` measures capabilities that moved, not who chose to fight).
        c_a_prev, c_b_prev, _ = _with_helpers(
            prev, attacker, target, military_power(prev), None, called, defenders, joining
        )
        p_prev = battle_odds(prev, c_a_prev, c_b_prev)
    else:
        p_prev = p
    causes = []
    if est_a + est_b > 1 + 2 * r.cost_of_war:
        causes.append("mutual optimism: no bargaining range")
    if abs(p - p_prev) > r.power_shift_threshold:
        causes.append("commitment problem: a large power shift")
    disputed = _disputed_issue(s, attacker, target)
    issues = {i.id: i for i in s.scenario.issues}
    if disputed and not issues[disputed[0]].divisible:
        causes.append("indivisible issue")
    outside = _outside_win_set(s, target, disputed)
    if outside:
        causes.append(outside)
    if not causes:
        causes.append("a deliberate gamble: a bargain was available")
    loser_cost, winner_cost = r.cost_of_war * w * r.loser_cost_factor, r.cost_of_war * w * r.winner_cost_factor
    changes = []
    belligerents_a = (
        [attacker]
        + [k.removeprefix("ally:") for k in contrib if k.startswith("ally:") and _on_side(s, k, attacker, target)]
        + [k.removeprefix("join:") for k in contrib if k.startswith("join:")]
    )
    belligerents_b = [target] + [
        k.removeprefix("ally:")
        for k, v in contrib.items()
        if k.startswith("ally:") and v > 0 and not _on_side(s, k, attacker, target)
    ]
    for side, cost in (
        (belligerents_a, winner_cost if won else loser_cost),
        (belligerents_b, loser_cost if won else winner_cost),
    ):
        for actor in side:
            st = s.actors[actor]
            t.war_costs[actor] = t.war_costs.get(actor, 0.0) + cost
            if st.milper is not None:
                changes.append(actor_change(actor, "milper", st.milper * (1 - cost)))
            if st.milex is not None:
                changes.append(actor_change(actor, "milex", st.milex * (1 - cost / r.expenditure_loss_divisor)))
    if level in ("war", "nuclear_use"):
        changes.append(pair_change(dyad(attacker, target), "war", True))
    if level == "nuclear_use":
        n = s.rules.nuclear
        hit = s.actors[target]
        for name in ("milper", "milex"):
            value = getattr(hit, name)
            if value is not None:
                changes.append(actor_change(target, name, value * (1 - n.use_loss)))
        gdp = t.gdp.get(target, hit.gdp)
        if gdp is not None:
            t.gdp[target] = gdp * (1 - n.use_gdp_loss)
            changes.append(actor_change(target, "gdp", t.gdp[target]))
    if disputed:
        # A battle carries the issue from where it stands by the rung's weight (a war all the way):
        # towards the attacker's demand if it prevails, towards the defender's ideal if it holds.
        issue_id, demanded = disputed
        current = status_quo(s, issue_id)
        defended = demanded if won else _issue(s, issue_id).positions.get(target, current)
        changes.append(issue_change(issue_id, round(current + min(1.0, w) * (defended - current), 6)))
    a_name, b_name = s.actors[attacker].name, s.actors[target].name
    verdict = "prevailed" if won else "was held off"
    delta = s.rules.security_dilemma.offence_dominance
    tilt = r.offence_advantage ** (2 * delta - 1)
    citations = ["fearon1995", "boulding1962"] + (["putnam1988"] if outside else [])
    balance = ""
    if abs(tilt - 1) > 1e-9:
        favoured = "offence dominant: the attacker's" if tilt > 1 else "defence dominant: the defender's"
        balance = f"; {favoured} strength counted {max(tilt, 1 / tilt):.2f} times"
        citations += ["jervis1978", "glaser_kaufmann1998"]
    spoils = _spoils(s, t, attacker, target, w, contrib, belligerents_a, power) if won else []
    allies_a = [g for g in belligerents_a[1:] if g not in joining]
    chose = [g for g in belligerents_b[1:] if g in defenders and not _called(s, t, g, target, attacker)]
    allies_b = [g for g in belligerents_b[1:] if g not in chose]
    return [
        outcome(
            t,
            changes,
            "crisis.war" if level in ("war", "nuclear_use") else "crisis.strike",
            STEP,
            f"{a_name}'s {level.replace('_', ' ')} on {b_name}: {a_name} {verdict} (p = {p:.2f}{balance}). "
            f"Why it came to force between {a_name} and {b_name}: {'; '.join(causes)}."
            + _others(s, a_name, b_name, allies_a, joining, allies_b, chose),
            inputs={
                "level": level,
                "rung": level,
                "armed_attack": True,
                "attacker": attacker,
                "target": target,
                "winner": attacker if won else target,
                "source": "decision" if _ordered(t, attacker, target, level) else "inject",
                "p": p,
                "draw": u,
                "estimate_attacker": est_a,
                "estimate_target": est_b,
                "cost_of_war": r.cost_of_war,
                "offence_dominance": delta,
                "attacker_strength_factor": tilt,
                "causes": "; ".join(causes),
                "volunteers": ", ".join(sorted(defenders)),
                "joined": ", ".join(sorted(joining)),
                "allies_attacker": ", ".join(sorted(allies_a)),
                "allies_target": ", ".join(sorted(allies_b)),
            },
            terms=dict(contrib),
            citations=citations,
        ),
        *spoils,
    ]


def _outside_win_set(s: State, target: str, disputed: tuple[str, float] | None) -> str:
    """The cause a domestic constraint gives, if any: the attacker's demand lay outside the target's win-set,
    a concession its home audience would not ratify and that the attacker, not knowing the win-set, could
    not know it was asking for (Putnam 1988; Fearon 1995: private information). Empty if there is no such
    demand or it lay inside."""
    if disputed is None:
        return ""
    issue, demanded = disputed
    band = s.actors[target].win_sets.get(issue)
    if band is None or band[0] <= demanded <= band[1]:
        return ""
    # The bounds stay secret (a win-set is its actor's private information): the battle is public, and the
    # refusal and the war already tell everyone that the demand lay outside, not where the edges are.
    return (
        f"a domestic constraint: {s.actors[target].name} could not ratify the demand on {issue} "
        f"({round(demanded, 2) + 0.0:.2f}, outside its win-set)"
    )


def _called(s: State, t: Turn, g: str, caller: str, adversary: str) -> bool:
    """Whether `g` fights for `caller` against `adversary` under a call: one it honoured in this battle or
    before, or one it has not answered yet (its help expected by its credibility)."""
    first = t.first_answers.get((caller, adversary, g))
    if first is not None and first.honoured:
        return True
    return any(
        c.caller == caller and c.adversary == adversary and g in c.obligated and c.answers.get(g) is not False
        for c in s.calls.values()
    )


def _others(
    s: State,
    a_name: str,
    b_name: str,
    allies_a: list[str],
    joining: tuple[str, ...],
    allies_b: list[str],
    chose: list[str],
) -> str:
    """Why each state other than the two sides fought, in its own terms: an ally answered a call (its
    commitment), a state that fought unbound chose to (`Orders.defend`, `Orders.join`). The reasons the two
    sides came to force (bargaining failure) are theirs, not their helpers'."""

    def names(ids: list[str] | tuple[str, ...]) -> str:
        got = [s.actors[g].name for g in sorted(ids)]
        return got[0] if len(got) == 1 else ", ".join(got[:-1]) + " and " + got[-1]

    parts = []
    if allies_b:
        parts.append(f"{names(allies_b)} for {b_name} under a commitment to it (a call for help)")
    if chose:
        parts.append(f"{names(chose)} for {b_name} by its own choice, bound by no agreement")
    if allies_a:
        parts.append(f"{names(allies_a)} on {a_name}'s side under a commitment to it (a call for help)")
    if joining:
        parts.append(f"{names(joining)} on {a_name}'s side by its own choice, bound by no agreement")
    return f" The others fought for reasons of their own: {'; '.join(parts)}." if parts else ""


def lost_to_conquest(s: State, target: str, now: Mapping[str, float] | None = None) -> float:
    """The share of `target`'s economy (as it was before any conquest) that victors have taken from it as spoils
    in this game: the sum of `State.conquests` over every victor (`now`: this turn's values so far)."""
    suffix = f">{target}"
    got = {k: v for k, v in s.conquests.items() if k.endswith(suffix)}
    got.update({k: v for k, v in (now or {}).items() if k.endswith(suffix)})
    return sum(got.values())


def _spoils(
    s: State,
    t: Turn,
    attacker: str,
    target: str,
    w: float,
    contrib: dict[str, float],
    winners: list[str],
    power: dict[str, float],
) -> list[Event]:
    """What the attacker's side takes when it prevails (Schweller 1994: bandwagoning for profit).

    Conquest can take `war.spoils_share` of the target's economy in a game, however many battles it loses
    (what one decisive war took from France in 1871; Devereux & Smith 2007): a victory takes the rung's weight
    (a war all of it) of what is left of that share, as a battle carries the issue from where it stands. The
    side shares it in proportion to the strength each brought to the theatre, each up to the output of the land
    its forces there can occupy: its personnel times the share of its strength the battle counted, at
    `war.occupation_troops_per_1000` troops per 1,000 of the target's inhabitants (Quinlivan 1995; Liberman 1996:
    conquest pays only where the occupier can hold and coerce). What no victor can hold stays with the target.
    A defender that holds keeps what it had and takes nothing: the battle was on its soil. The issue the battle
    carries is a public good; the spoils are private, and only those who fought share them."""
    r = s.rules.war
    hit = s.actors[target]
    gdp = t.gdp.get(target, hit.gdp)
    strengths = {
        g: contrib[attacker] if g == attacker else contrib.get(f"join:{g}", contrib.get(f"ally:{g}", 0.0))
        for g in winners
    }
    total = sum(strengths.values())
    if r.spoils_share <= 0 or gdp is None or gdp <= 0 or total <= 0:
        return []
    lost = lost_to_conquest(s, target, t.conquests)
    left = max(0.0, r.spoils_share - lost)
    whole = gdp / (1.0 - lost) if lost < 1.0 else gdp  # its economy as it would stand without what it has lost
    due = min(1.0, w) * left
    parts: dict[str, float] = {}
    capped: list[str] = []
    population = hit.tpop
    for g in winners:
        own = t.gdp.get(g, s.actors[g].gdp)
        if own is None or strengths[g] <= 0:
            continue
        key = pair(g, target)
        held = t.conquests.get(key, s.conquests.get(key, 0.0))
        milper = s.actors[g].milper
        personnel = None if milper is None or power.get(g, 0.0) <= 0 else milper * strengths[g] / power[g]
        room = max(0.0, occupation_share(personnel, population, r.occupation_troops_per_1000) - held)
        claim = due * strengths[g] / total
        if claim > room:
            capped.append(g)
        if min(claim, room) > 0:
            parts[g] = min(claim, room)
    prize = whole * sum(parts.values())
    a_name, b_name = s.actors[attacker].name, hit.name
    if prize <= 0:
        why = (
            f"it had already given up all that conquest can take ({r.spoils_share:.0%} of its economy)"
            if left <= 0
            else "no victor had the forces in the theatre to hold more of it than it held"
        )
        return [
            outcome(
                t,
                [],
                "crisis.spoils",
                STEP,
                f"{a_name}'s side prevailed over {b_name} but took nothing: {why}.",
                inputs={"attacker": attacker, "target": target, "share": 0.0, "prize": 0.0, "lost": lost},
                citations=["schweller1994", "devereux_smith2007", "quinlivan1995"],
            )
        ]
    t.gdp[target] = gdp - prize
    changes = [actor_change(target, "gdp", t.gdp[target])]
    taken: dict[str, float] = {}
    for g, part in parts.items():
        own = t.gdp.get(g, s.actors[g].gdp)
        assert own is not None  # parts hold only victors with a GDP
        key = pair(g, target)
        t.conquests[key] = t.conquests.get(key, s.conquests.get(key, 0.0)) + part
        t.gdp[g] = own + whole * part
        taken[g] = whole * part
        changes += [actor_change(g, "gdp", t.gdp[g]), pair_change(key, "conquest", t.conquests[key])]
    names = ", ".join(f"{s.actors[g].name} USD {v:.1f} bn" for g, v in sorted(taken.items(), key=lambda kv: -kv[1]))
    share = prize / gdp
    after = lost + sum(parts.values())
    hold_note = (
        f" {', '.join(s.actors[g].name for g in capped)} took only what its forces in the theatre can occupy "
        f"({r.occupation_troops_per_1000:g} troops per 1,000 inhabitants); the rest stays with {b_name}."
        if capped
        else ""
    )
    return [
        outcome(
            t,
            changes,
            "crisis.spoils",
            STEP,
            f"{a_name}'s side prevailed over {b_name}, which gave up {share:.0%} of its GDP (USD {prize:.1f} bn), "
            f"shared by the strength each brought: {names}.{hold_note} Conquest has now taken {after:.0%} of "
            f"{b_name}'s economy, of the {r.spoils_share:.0%} it can take in a game.",
            inputs={
                "attacker": attacker,
                "target": target,
                "share": share,
                "prize": prize,
                "winners": ", ".join(sorted(taken)),
                "lost": lost,
                "left": left,
                "capped": ", ".join(sorted(capped)),
            },
            terms=taken,
            citations=["schweller1994", "liberman1996", "devereux_smith2007", "quinlivan1995"],
        )
    ]


def _gravest(force: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Each (attacker, target) once, on the highest rung used this turn (orders and injects alike)."""
    rank = list(LEVELS)
    best: dict[tuple[str, str], str] = {}
    for a, b, level in force:
        if (a, b) not in best or rank.index(level) > rank.index(best[(a, b)]):
            best[(a, b)] = level
    return [(a, b, level) for (a, b), level in best.items()]


def _fait_accompli(s: State, t: Turn, attacker: str, target: str, level: str) -> list[Event]:
    """Coercion short of an armed attack gains ground on the disputed issue unless the target answers it
    with force on the same rung or higher this turn (Schelling 1966: the side that must move first to
    stop a fait accompli bears the risk of escalating)."""
    disputed = _disputed_issue(s, attacker, target)
    if disputed is None:
        return []
    rank = list(LEVELS)
    answered = any(a == target and b == attacker and rank.index(lv) >= rank.index(level) for a, b, lv in t.force)
    if answered:
        return []
    issue_id, demanded = disputed
    current = status_quo(s, issue_id)
    w = s.rules.war.ladder()[level]
    moved = round(current + s.rules.war.fait_accompli * w * (demanded - current), 6)
    if abs(moved - current) < 1e-6:
        return []
    return [
        outcome(
            t,
            [issue_change(issue_id, moved)],
            "crisis.coercion",
            STEP,
            f"{s.actors[target].name} did not answer {s.actors[attacker].name}'s {level.replace('_', ' ')} in kind: "
            f"{issue_id} moved from {current:.2f} to {moved:.2f}, towards the demand.",
            inputs={"rung": level, "attacker": attacker, "target": target, "issue": issue_id, "armed_attack": False},
            citations=["schelling1966"],
        )
    ]


def _blockade(s: State, t: Turn, attacker: str, target: str) -> list[Event]:
    """A blockade or quarantine cuts the target's seaborne trade: a share of its GDP this turn."""
    hit = s.actors[target]
    gdp = t.gdp.get(target, hit.gdp)
    if gdp is None:
        return []
    loss = s.rules.war.blockade_gdp_loss
    t.gdp[target] = gdp * (1 - loss)
    return [
        outcome(
            t,
            [actor_change(target, "gdp", t.gdp[target])],
            "crisis.blockade",
            STEP,
            f"{s.actors[attacker].name}'s blockade of {hit.name} cut its trade: {loss:.0%} of its GDP this turn. "
            "A blockade coerces; it is not an armed attack that a defence clause answers.",
            inputs={"rung": "blockade", "attacker": attacker, "target": target, "armed_attack": False},
            terms={"gdp_loss": gdp * loss},
            citations=["boulding1962", "leeds2003"],
        )
    ]


def _nuclear_signals(s: State, t: Turn) -> list[Event]:
    """Nuclear tests and threats: they move perceived intent (and, in step 12, tension), not capability.

    A test alarms every state, its neighbours (within the threat range) twice as much; a threat alarms
    its target and coerces it (so an extended-deterrence clause can be invoked), but is no armed attack.
    """
    n = s.rules.nuclear
    tau = s.rules.threat.tau_km
    events: list[Event] = []
    for actor in sorted(set(t.nuclear_tests)):
        changes = []
        for i in sorted(s.actors):
            if i == actor:
                continue
            key = pair(i, actor)
            bump = n.test_intent * (1 + math.exp(-s.km(i, actor) / tau))
            changes.append(pair_change(key, "intent", clip(s.intent.get(key, 0.0) + bump)))
        events.append(
            outcome(
                t,
                changes,
                "nuclear.test",
                STEP,
                f"{s.actors[actor].name} tested a nuclear weapon: every state reads it as more aggressive, "
                "its neighbours most.",
                inputs={"actor": actor},
                citations=["sagan1996", "jervis1989"],
            )
        )
    for actor, target in sorted(set(t.nuclear_threats)):
        key = pair(target, actor)
        t.coerced.add(target)
        events.append(
            outcome(
                t,
                [pair_change(key, "intent", clip(s.intent.get(key, 0.0) + n.threat_intent))],
                "nuclear.threat",
                STEP,
                f"{s.actors[actor].name} threatened {s.actors[target].name} with nuclear weapons: coercion, "
                "not an armed attack.",
                inputs={"actor": actor, "target": target},
                citations=["sechser_fuhrmann2017"],
            )
        )
    return events


def _ordered(t: Turn, attacker: str, target: str, level: str) -> bool:
    """Whether this use of force was a player's order (not a scripted inject's escalation)."""
    return any(f.target == target and f.level == level for f in t.of(attacker).force)


def _on_side(s: State, key: str, attacker: str, target: str) -> bool:
    ally = key.removeprefix("ally:")
    return any(c.caller == attacker and c.adversary == target and c.answers.get(ally) for c in s.calls.values())


def step(s: State, t: Turn) -> list[Event]:
    collect(s, t)
    events: list[Event] = _answer_demands(s, t)
    for actor, target, issue, position, public in t.demands_made:
        if actor == target or target not in s.actors:
            continue
        did = opaque_id(s.seed, "d-", f"{t.turn}-{actor}-{target}-{issue}")
        events.append(
            DemandOpened(
                at=t.now, id=did, turn=t.turn, actor=actor, target=target, issue=issue, position=position, public=public
            )
        )
        t.coerced.add(target)
    events.extend(_nuclear_signals(s, t))
    fought: set[tuple[str, str]] = set()
    for attacker, target, level in _gravest(t.force):
        if attacker == target or (attacker, target) in fought:
            continue
        fought.add((attacker, target))
        events.extend(_intent_shock(s, t, attacker, target, level))
        if s.rules.war.armed_attack(level):
            t.attacked.add(target)
        elif LEVELS[level] >= LEVELS["grey_zone"]:
            t.coerced.add(target)
        if level == "blockade":
            events.extend(_blockade(s, t, attacker, target))
        if not s.rules.war.armed_attack(level) and LEVELS[level] >= LEVELS["grey_zone"]:
            events.extend(_fait_accompli(s, t, attacker, target, level))
        if LEVELS[level] >= LEVELS["limited_strike"]:
            events.extend(_fight(s, t, attacker, target, level))
            for g, a, b in t.joined:
                if (a, b) == (attacker, target):
                    events.extend(_intent_shock(s, t, g, target, level))  # joining an attack is aggression too
    fighting = {dyad(a, b) for a, b, level in t.force if LEVELS[level] >= LEVELS["limited_strike"]}
    for war in sorted(s.wars - fighting):
        a, _, b = war.partition("|")
        events.append(
            outcome(
                t,
                [pair_change(war, "war", False)],
                "crisis.ceasefire",
                STEP,
                f"No fighting between {s.actors[a].name} and {s.actors[b].name} this turn: a ceasefire holds.",
                citations=["fearon1995"],
            )
        )
    return events
