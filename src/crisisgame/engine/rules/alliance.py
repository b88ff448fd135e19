"""Step 7, alliance calls (Snyder 1984; Leeds et al. 2000): honour or abandon, and the two fears.

A partner attacked or coerced invokes every protective agreement it has against the aggressor.
Each obliged party answers: a team by its orders (silence counts as abandonment), a bot by a
probability that rises with its reputation, the commitment's strength and clarity and its interest,
and falls with the expected cost of war and, under conditionality, with the partner's provocation;
offence dominance raises it and defence dominance lowers it, the more so the more the partner weighs
in the balance (Christensen & Snyder 1990: chain gangs and passed bucks).
Reputation updates rho <- (1-lambda)*rho + lambda*honoured. Every turn the junior partner's fear of
abandonment and the senior partner's risk of entrapment are computed and shown to both.
"""

from __future__ import annotations

from crisisgame.engine.chance import happens
from crisisgame.engine.events import CallOpened, Change, Event, Reason
from crisisgame.engine.rules.common import (
    Turn,
    actor_change,
    clip,
    military_power,
    outcome,
    pair_change,
    sigmoid,
    theatre_strength,
)
from crisisgame.engine.rules.credibility import interest
from crisisgame.engine.state import CallState, State, dyad

STEP = 7


def provoked(s: State, t: Turn, partner: str, adversary: str) -> bool:
    """Whether the partner itself coerced or struck the adversary this turn or the one before."""
    if any(a == partner and b == adversary for a, b, _ in t.force):
        return True
    if any(a == partner and b == adversary for a, b, *_ in t.demands_made):
        return True
    last = s.revealed.get(t.turn - 1, {}).get(partner)
    return bool(
        last and (any(f.target == adversary for f in last.force) or any(d.target == adversary for d in last.demands))
    )


def honour_probability(s: State, t: Turn, g: str, call: CallState) -> tuple[float, dict[str, float]]:
    """The chance a bot honours a call, with each term's contribution to the log-odds.

    Besides the terms of RULES.md step 7, the offence-defence balance delta pulls the answer
    (Christensen & Snyder 1990): when offence dominates, a partner's defeat would be quick and would
    shift the balance, so allies chain-gang; when defence dominates they expect it to hold out and
    pass the buck. The pull is (2 delta - 1) times the partner's weight in the balance (its CINC
    relative to the largest power), so it fades for small partners, as under bipolarity.
    """
    r = s.rules.alliance
    ag = s.agreements[call.agreement]
    power = military_power(s)
    own, _ = theatre_strength(s, g, call.caller, power)
    adv, _ = theatre_strength(s, call.adversary, call.caller, power)
    expected_cost = s.rules.war.cost_of_war * (adv / (adv + own) if adv + own > 0 else 0.5) * 2
    provocation = 1.0 if provoked(s, t, call.caller, call.adversary) else 0.0
    delta = s.rules.security_dilemma.offence_dominance
    largest = max(a.cinc for a in s.actors.values())
    stake = s.actors[call.caller].cinc / largest if largest > 0 else 0.0
    terms = {
        "intercept": r.honour_intercept,
        "reputation": r.honour_reputation * s.actors[g].reputation,
        "commitment": r.honour_commitment * ag.strength * (1 - ag.ambiguity),
        "interest": r.honour_interest * interest(s, g, call.caller),
        "expected_cost": -r.honour_cost * expected_cost,
        "provocation": -r.honour_provocation * ag.conditionality * provocation,
        "offence_dominance": r.honour_offence * (2 * delta - 1) * stake,
    }
    return sigmoid(sum(terms.values())), terms


def _open_calls(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    targets = [(a, b, "attacked") for a, b, _ in t.force if b in t.attacked] + [
        (a, b, "coerced") for a, b, *_ in t.demands_made
    ]
    seen: set[str] = set()
    for aggressor, partner, how in targets:
        for ag in sorted(s.active_agreements(), key=lambda a: a.id):
            obligated = [g for g in ag.protects(partner) if g != aggressor]
            if not obligated or aggressor in ag.parties:
                continue
            cid = f"call-{t.turn}-{ag.id}-{partner}-{aggressor}"
            already = any(
                c.status == "open" and c.agreement == ag.id and c.caller == partner and c.adversary == aggressor
                for c in s.calls.values()
            )
            if cid in seen or already:
                continue
            seen.add(cid)
            reason = Reason(
                rule="alliance.call",
                step=STEP,
                explanation=f"{s.actors[partner].name}, {how} by {s.actors[aggressor].name}, invokes '{ag.name}': "
                f"{', '.join(s.actors[g].name for g in obligated)} must honour it or abandon it.",
                inputs={"agreement": ag.id, "how": how},
                citations=["snyder1984", "leeds2000"],
            )
            events.append(
                CallOpened(
                    at=t.now,
                    id=cid,
                    turn=t.turn,
                    agreement=ag.id,
                    caller=partner,
                    adversary=aggressor,
                    obligated=obligated,
                    reason=reason,
                )
            )
    return events


def _answer(s: State, t: Turn, call: CallState, g: str) -> list[Event]:
    """Resolve g's answer to a call, if it is due: teams by their orders, bots by the formula."""
    r = s.rules.alliance
    name, partner = s.actors[g].name, s.actors[call.caller].name
    inputs: dict[str, float | str | bool | None] = {"call": call.id}
    terms: dict[str, float] = {}
    citations = ["snyder1984", "leeds2000"]
    if g in s.teams:
        if call.turn >= t.turn:
            return []  # the team answers in next turn's orders
        order = next((a for a in t.of(g).call_answers if a.call_id == call.id), None)
        honoured = bool(order and order.honour)
        how = "chose to honour" if honoured else ("chose to abandon" if order else "gave no answer to")
        explanation = f"{name} {how} {partner}'s call."
    else:
        probability, terms = honour_probability(s, t, g, call)
        honoured, u = happens(s.seed, t.turn, f"honour:{call.id}:{g}", probability)
        if (call.id, g) in t.first_answers:  # decided in step 6, to fight in the battle that opened the call
            honoured, probability, u = t.first_answers[(call.id, g)]
        inputs |= {
            "probability": probability,
            "draw": u,
            "offence_dominance": s.rules.security_dilemma.offence_dominance,
        }
        pull = terms["offence_dominance"]
        balance = ""
        if abs(pull) >= 0.05:
            balance = "; offence dominance drew it in" if pull > 0 else "; defence dominance held it back"
        explanation = (
            f"{name} {'honoured' if honoured else 'abandoned'} {partner} "
            f"(chance of honouring {probability:.0%}: reputation, commitment and interest against the cost of war"
            f"{balance})."
        )
        if abs(pull) >= 0.05:
            citations.append("christensen_snyder1990")
    rho = s.actors[g].reputation
    new_rho = (1 - r.reputation_lambda) * rho + r.reputation_lambda * (1.0 if honoured else 0.0)
    changes: list[Change] = [
        Change(target="call", key=call.id, field=f"answer:{g}", value=honoured),
        actor_change(g, "reputation", new_rho),
    ]
    if honoured and s.at_war(call.caller, call.adversary):
        changes.append(pair_change(dyad(g, call.adversary), "war", True))
    (t.honoured if honoured else t.abandoned).setdefault(g, []).append(call.caller)
    inputs |= {"reputation_before": rho, "reputation_after": new_rho}
    return [
        outcome(
            t,
            changes,
            "alliance.answer",
            STEP,
            explanation,
            inputs=inputs,
            terms=terms,
            citations=citations,
        )
    ]


def fears(s: State, t: Turn) -> list[Event]:
    """Abandonment fear of protected partners and entrapment risk of guarantors, every turn."""
    events: list[Event] = []
    protectors: dict[str, list[str]] = {}
    entrapment: dict[str, tuple[float, str]] = {}
    for ag in s.active_agreements():
        for p in ag.parties:
            guards = ag.protects(p)
            if not guards:
                continue
            protectors.setdefault(p, []).extend(list(guards))
            top = max((s.threat_of(p, k) for k in s.actors if k != p), default=0.0)
            risky = any(a == p for a, _, _ in t.force) or any(a == p for a, *_ in t.demands_made)
            risk = clip(top + (0.5 if risky else 0.0))
            for g in guards:
                value = ag.strength * (1 - ag.ambiguity) * (1 - ag.conditionality) * risk
                if value > entrapment.get(g, (0.0, ""))[0]:
                    entrapment[g] = (value, p)
    for p, protecting in sorted(protectors.items()):
        q = max(s.credibility_of(g, p) for g in protecting)
        top = max((s.threat_of(p, k) for k in s.actors if k != p), default=0.0)
        fear = clip((1 - q) * (0.5 + 0.5 * top))
        if abs(fear - s.actors[p].abandonment_fear) > 1e-6:
            events.append(
                outcome(
                    t,
                    [actor_change(p, "abandonment_fear", fear)],
                    "alliance.abandonment",
                    STEP,
                    f"{s.actors[p].name}'s fear of abandonment is {fear:.2f}: its most credible protector would help "
                    f"with probability {q:.2f}, and the graver the threats it faces, the more that gap matters.",
                    inputs={"credibility": q},
                    citations=["snyder1984"],
                )
            )
    for g, (risk, p) in sorted(entrapment.items()):
        if abs(risk - s.actors[g].entrapment_risk) > 1e-6:
            events.append(
                outcome(
                    t,
                    [actor_change(g, "entrapment_risk", risk)],
                    "alliance.entrapment",
                    STEP,
                    f"{s.actors[g].name}'s risk of entrapment is {risk:.2f}, mostly through {s.actors[p].name}: "
                    "a firm, clear, unconditional promise to a partner under threat.",
                    inputs={"partner": p},
                    citations=["snyder1984", "snyder1997"],
                )
            )
    return events


def step(s: State, t: Turn) -> list[Event]:
    return _open_calls(s, t)


def answers(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    for call in sorted(s.calls.values(), key=lambda c: c.id):
        if call.status != "open":
            continue
        for g in call.obligated:
            if g not in call.answers:
                events.extend(_answer(s, t, call, g))
    return events


def close_calls(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    for call in sorted(s.calls.values(), key=lambda c: c.id):
        if call.status == "open" and all(g in call.answers for g in call.obligated):
            events.append(
                outcome(
                    t,
                    [Change(target="call", key=call.id, field="status", value="closed")],
                    "alliance.call_closed",
                    STEP,
                    f"Every obliged party has answered call {call.id}.",
                    citations=["leeds2000"],
                )
            )
    return events
