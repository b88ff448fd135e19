"""Step 7, alliance calls (Snyder 1984; Leeds et al. 2000; Leeds 2003): honour or abandon, and the two fears.

A partner attacked, coerced or at war invokes each agreement whose clause applies: the trigger
(armed attack, attack by a named state, any war, coercion) occurred in the clause's scope (see
`crisisgame.engine.obligations`); an agreement whose clauses do not apply is refused with the
reason. Each obliged party answers once per ally and attacker, whatever the number of commitments
invoked: a team by its orders (silence counts as abandonment), a bot by `crisisgame.engine.rules.computer_answers`
from terms that rise with its reputation, its strongest commitment's strength and clarity, its
interest and the expected loss to itself if the partner is defeated alone (the chance of that defeat,
from the battle model of step 6, times the shift of the balance it would bring: Christensen & Snyder
1990), and fall with the expected cost of war and, under conditionality, with the partner's
provocation.
Reputation updates rho <- (1-lambda)*rho + lambda*honoured. Every turn the junior partner's fear of
abandonment and the senior partner's risk of entrapment are computed and shown to both.
"""

from __future__ import annotations

from crisisgame.engine.events import CallOpened, Change, Event, Outcome, Reason
from crisisgame.engine.ids import opaque_id
from crisisgame.engine.objectives import kept_points, war_points
from crisisgame.engine.obligations import How, can_ever_apply, first_applicable, how_words, label
from crisisgame.engine.rules.common import (
    LEVELS,
    Turn,
    actor_change,
    battle_odds,
    clip,
    military_power,
    outcome,
    pair_change,
    sigmoid,
    theatre_strength,
)
from crisisgame.engine.rules.computer_answers import answer_call
from crisisgame.engine.rules.credibility import interest
from crisisgame.engine.state import PROTECTIVE, AgreementState, CallState, State, dyad
from crisisgame.scenario.model import CallOnAgreement, Clause, KeepReputation

STEP = 7

WAR_RUNGS = ("war", "nuclear_use")
"""Rungs on which the attacker and its target are put at war (step 6)."""


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


def partner_defeat(s: State, g: str, partner: str, adversary: str) -> tuple[float, float, float]:
    """What g stands to lose if it leaves `partner` to fight `adversary` alone (Christensen & Snyder 1990).

    Returns (fall, shift, expected loss): the chance the partner falls fighting alone, from the battle
    model of step 6 (the adversary's strength in the partner's theatre against the partner's own, tilted
    by the offence-defence balance), the shift of the balance against g if it falls (the partner's power
    passing from g's side to the adversary's: partner / (g + partner + adversary), in military power),
    and their product.
    """
    power = military_power(s)
    attacking, _ = theatre_strength(s, adversary, partner, power)
    holding, _ = theatre_strength(s, partner, partner, power)
    fall = battle_odds(s, attacking, holding)
    triangle = power[g] + power[partner] + power[adversary]
    shift = power[partner] / triangle if triangle > 0 else 0.0
    return fall, shift, fall * shift


def defeat_facts(s: State, g: str, call: CallState) -> dict[str, float]:
    """The figures behind the partner's-defeat term, for the answer's reason."""
    fall, shift, _ = partner_defeat(s, g, call.caller, call.adversary)
    return {"partner_falls_alone": fall, "balance_shift": shift}


def honour_probability(s: State, t: Turn, g: str, call: CallState) -> tuple[float, dict[str, float]]:
    """The chance a bot honours a call, with each term's contribution to the log-odds.

    Besides reputation, commitment, interest, the expected cost of fighting and provocation, the bot
    weighs the consequence of staying out: the expected loss to itself if the partner is defeated alone
    (`partner_defeat`). Offence dominance enters only through the battle odds that give the chance of
    that defeat, and the partner's weight only through the balance it would shift.
    """
    r = s.rules.alliance
    ag = s.agreements[call.agreement]
    power = military_power(s)
    own, _ = theatre_strength(s, g, call.caller, power)
    adv, _ = theatre_strength(s, call.adversary, call.caller, power)
    expected_cost = s.rules.war.cost_of_war * (adv / (adv + own) if adv + own > 0 else 0.5) * 2
    provocation = 1.0 if provoked(s, t, call.caller, call.adversary) else 0.0
    _, _, expected_loss = partner_defeat(s, g, call.caller, call.adversary)
    terms = {
        "intercept": r.honour_intercept,
        "reputation": r.honour_reputation * s.actors[g].reputation,
        "commitment": r.honour_commitment * ag.strength * (1 - ag.ambiguity),
        "interest": r.honour_interest * interest(s, g, call.caller),
        "expected_cost": -r.honour_cost * expected_cost,
        "provocation": -r.honour_provocation * ag.conditionality * provocation,
        "partner_defeat": r.honour_defeat * expected_loss,
        "objectives": -r.honour_cost * objective_stake(s, t, g, call),
    }
    return sigmoid(sum(terms.values())), terms


def objective_stake(s: State, t: Turn, g: str, call: CallState, secret: bool | None = None) -> float:
    """What honouring `call` puts at stake among g's own objectives, in the units of the stakes (as the cost of
    war), positive against honouring: where honouring puts g at war with the adversary (the caller is at war
    with it, or the adversary makes war on it this turn; honouring a call against coercion or a limited strike
    puts no one at war), the points of g's `avoid_war` objectives that war would break; less the points of its
    `keep_reputation` objectives that abandoning would break (or honouring would meet); times
    `bots.objective_weight`. The honour term prices it as it prices the expected cost of war. `secret` (if given)
    counts only the secret objectives (True) or only the public ones (False)."""
    war = s.at_war(call.caller, call.adversary) or any(
        a == call.adversary and b == call.caller and level in WAR_RUNGS for a, b, level in t.force
    )
    objectives = [o for o in s.scenario.actor(g).objectives if secret is None or o.secret == secret]
    points = war_points(objectives, call.adversary) if war else 0
    # Abandoning costs reputation as step 7 moves it (rho <- (1 - lambda) rho), honouring earns it: the points of
    # the keep_reputation objectives that abandoning would break, net of those honouring would meet, are at
    # stake on the side of honouring.
    rho, lam = s.actors[g].reputation, s.rules.alliance.reputation_lambda
    abandoned, honoured = (1 - lam) * rho, (1 - lam) * rho + lam
    points -= kept_points(objectives, KeepReputation, honoured, abandoned)
    return s.rules.bots.objective_weight * points


def _involvements(s: State, t: Turn) -> list[tuple[str, str, How, str | None]]:
    """(partner, adversary, how, rung) for every way a state was drawn into a crisis this turn.

    Force is an armed attack only from the rulebook's `war.armed_attack_weight` up (a limited strike
    at the defaults); lower rungs (grey zone, show of force, blockade) and nuclear threats coerce."""
    out: list[tuple[str, str, How, str | None]] = []
    for a, b, level in t.force:
        if a == b:
            continue
        if s.rules.war.armed_attack(level):
            out.append((b, a, "attacked", level))
            out.append((a, b, "attacking", level))
        elif LEVELS[level] >= LEVELS["grey_zone"]:
            out.append((b, a, "coerced", level))
    out.extend((b, a, "coerced", None) for a, b, *_ in t.demands_made)
    out.extend((b, a, "coerced", "nuclear_threat") for a, b in t.nuclear_threats)
    return out


def _how(s: State, t: Turn, caller: str, adversary: str) -> How | None:
    """How `caller` is involved with `adversary` this turn (the gravest way), if at all."""
    found = {how for p, a, how, _ in _involvements(s, t) if p == caller and a == adversary}
    order: tuple[How, ...] = ("attacked", "coerced", "attacking")
    return next((h for h in order if h in found), None)


def _call_event(s: State, t: Turn, ag: AgreementState, partner: str, aggressor: str, how: How, c: Clause) -> CallOpened:
    obligated = [g for g in ag.protects(partner) if g != aggressor]
    words = label(c)
    reason = Reason(
        rule="alliance.call",
        step=STEP,
        explanation=f"{s.actors[partner].name}, {how_words(how)} by {s.actors[aggressor].name}"
        if how != "attacking"
        else f"{s.actors[partner].name}, at war with {s.actors[aggressor].name}",
        inputs={"agreement": ag.id, "how": how, "clause": words},
        citations=["snyder1984", "leeds2000", "leeds2003"],
    )
    reason = reason.model_copy(
        update={
            "explanation": f"{reason.explanation}, invokes '{ag.name}' under its {words} clause: "
            f"{', '.join(s.actors[g].name for g in obligated)} must honour it or abandon it."
        }
    )
    return CallOpened(
        at=t.now,
        id=opaque_id(s.seed, "call-", f"call-{t.turn}-{ag.id}-{partner}-{aggressor}"),
        turn=t.turn,
        agreement=ag.id,
        caller=partner,
        adversary=aggressor,
        obligated=obligated,
        reason=reason,
        clause=words,
    )


def _refused(
    s: State,
    t: Turn,
    ag: AgreementState,
    partner: str,
    aggressor: str,
    refused: list[tuple[Clause, str]],
    rung: str | None = None,
) -> Event:
    why = "; ".join(f"{label(c)}: {w}" for c, w in refused) or "no clause obliges anyone to help"
    if rung is not None and not (rung in LEVELS and s.rules.war.armed_attack(rung)):
        why += f" (a {rung.replace('_', ' ')} is not an armed attack)"
    return outcome(
        t,
        [],
        "alliance.call_refused",
        STEP,
        f"{s.actors[partner].name} cannot call on '{ag.name}' against {s.actors[aggressor].name}: {why}.",
        inputs={"agreement": ag.id, "caller": partner, "adversary": aggressor, "rung": rung or ""},
        citations=["leeds2003"],
        audience="public" if ag.public else list(ag.parties),
    )


def _open_calls(s: State, t: Turn) -> list[Event]:
    """Open a call for every agreement whose clause applies; refuse (with the clause) those that do not."""
    events: list[Event] = []
    seen: set[str] = set()
    for partner, aggressor, how, rung in _involvements(s, t):
        for ag in sorted(s.active_agreements(), key=lambda a: a.id):
            if partner not in ag.parties or aggressor in ag.parties:
                continue
            obligated = [g for g in ag.protects(partner) if g != aggressor]
            expected = ag.type in PROTECTIVE and any(g != partner for g in ag.obliged())
            if not obligated and not expected:
                continue  # nobody would think of calling on it: no refusal to report
            cid = f"call-{t.turn}-{ag.id}-{partner}-{aggressor}"
            already = any(
                c.status == "open" and c.agreement == ag.id and c.caller == partner and c.adversary == aggressor
                for c in s.calls.values()
            )
            if cid in seen or already:
                continue
            clause, refused = first_applicable(ag.obligations(), partner, aggressor, how, rung)
            if clause is None or not obligated:
                if how == "attacked" or rung is not None:  # say why a commitment does not apply to force
                    seen.add(cid)
                    events.append(_refused(s, t, ag, partner, aggressor, refused, rung))
                continue
            seen.add(cid)
            events.append(_call_event(s, t, ag, partner, aggressor, how, clause))
    for inj in s.injects:
        if inj.turn != t.turn:
            continue
        for eff in inj.effects:
            if isinstance(eff, CallOnAgreement):
                events.extend(_scripted_call(s, t, eff, seen))
    return events


def _scripted_call(s: State, t: Turn, eff: CallOnAgreement, opened: set[str]) -> list[Event]:
    """A call an inject scripts: opened if a clause applies now, refused with the reason otherwise."""
    ag = s.agreements.get(eff.agreement)
    cid = f"call-{t.turn}-{eff.agreement}-{eff.actor}-{eff.against}"
    if cid in opened:
        return []  # the attack itself already invoked (or was refused under) this agreement
    if ag is None or not ag.active:
        return [
            outcome(
                t,
                [],
                "alliance.call_refused",
                STEP,
                f"{s.actors[eff.actor].name} cannot call on '{eff.agreement}': it is not in force.",
                inputs={"agreement": eff.agreement, "caller": eff.actor, "adversary": eff.against},
                citations=["leeds2003"],
            )
        ]
    how = _how(s, t, eff.actor, eff.against)
    if how is None:
        no_trigger = f"{eff.against} neither attacked nor coerced {eff.actor} this turn"
        return [_refused(s, t, ag, eff.actor, eff.against, [(c, no_trigger) for c in ag.obligations()])]
    if not ag.protects(eff.actor) or eff.against in ag.parties:
        static = [(c, can_ever_apply(c, ag.parties, eff.actor, eff.against)) for c in ag.obligations()]
        return [_refused(s, t, ag, eff.actor, eff.against, [(c, w or "it obliges no one to help") for c, w in static])]
    clause, refused = first_applicable(ag.obligations(), eff.actor, eff.against, how)
    if clause is None:
        return [_refused(s, t, ag, eff.actor, eff.against, refused)]
    return [_call_event(s, t, ag, eff.actor, eff.against, how, clause)]


def _secret_reason(s: State, t: Turn, g: str, call: CallState, probability: float, draw: float, term: float) -> Outcome:
    """The part of g's answer its secret objectives played, for g alone: the term they added to the log-odds of
    honouring, and the chance of honouring and the draw with it."""
    foe = s.actors[call.adversary].name
    which = f"to stay out of war with {foe}" if term < 0 else "to keep its reputation as an ally"
    return outcome(
        t,
        [],
        "alliance.secret_objectives",
        STEP,
        f"{s.actors[g].name}'s secret objective {which} weighed {'against' if term < 0 else 'for'} honouring "
        f"{s.actors[call.caller].name}'s call: with it the chance of honouring was {probability:.0%}.",
        inputs={"call": call.id, "probability": probability, "draw": draw},
        terms={"secret_objectives": term},
        audience=[g],
    )


def _commitment_terms(s: State, t: Turn, g: str, call: CallState) -> dict[str, float]:
    return honour_probability(s, t, g, call)[1]


def _commitment(s: State, call: CallState) -> float:
    """The commitment term of `honour_probability` for a call (what makes one commitment the strongest)."""
    ag = s.agreements[call.agreement]
    return s.rules.alliance.honour_commitment * ag.strength * (1 - ag.ambiguity)


def _answer_group(s: State, t: Turn, g: str, calls: list[CallState]) -> list[Event]:
    """g's one answer to every open call of the same ally against the same attacker, clause by clause."""
    first = calls[0]
    r = s.rules.alliance
    name, partner = s.actors[g].name, s.actors[first.caller].name
    ids = [c.id for c in calls]
    inputs: dict[str, float | str | bool | None] = {"call": first.id, "calls": ", ".join(ids)}
    terms: dict[str, float] = {}
    secret_term, private = 0.0, None
    citations = ["snyder1984", "leeds2000"]
    clauses_text = "; ".join(f"'{s.agreements[c.agreement].name}' ({c.clause or 'type default'})" for c in calls)
    if g in s.teams:
        if first.turn >= t.turn:
            return []  # the team answers in next turn's orders
        order = next((a for a in t.of(g).call_answers if a.call_id in ids), None)
        honoured = bool(order and order.honour)
        how = "chose to honour" if honoured else ("chose to abandon" if order else "gave no answer to")
        explanation = f"{name} {how} {partner}'s call under {clauses_text}."
    else:
        # The strongest applicable commitment carries the decision: one answer, not one draw per treaty.
        # If the ally already answered in step 6 (to fight in the battle that opened the crisis), that stands.
        strongest = max(calls, key=lambda c: (_commitment(s, c), c.id))
        decision = t.first_answers.get((first.caller, first.adversary, g)) or answer_call(
            s.seed,
            t.turn,
            g,
            first.caller,
            first.adversary,
            s.actors[g].temperament,
            _commitment_terms(s, t, g, strongest),
            s.rules.alliance,
            defeat_facts(s, g, strongest),
        )
        honoured, probability, terms = decision.honoured, decision.probability, dict(decision.terms)
        fall, shift = decision.facts["partner_falls_alone"], decision.facts["balance_shift"]
        # A secret objective is g's own: the public reason leaves its part out (the chance it reports is the one
        # the public terms give), and g alone reads the whole reckoning (`alliance.secret_objectives`).
        full, hidden = objective_stake(s, t, g, strongest), objective_stake(s, t, g, strongest, secret=True)
        secret_term = terms.get("objectives", 0.0) * hidden / full if full else 0.0
        if secret_term:
            terms["objectives"] -= secret_term
            private = _secret_reason(s, t, g, first, decision.probability, decision.draw, secret_term)
            probability = sigmoid(sum(terms.values()))
        inputs |= {
            "probability": probability,
            "draw": decision.draw,
            "temperament": s.actors[g].temperament,
            "carried_by": strongest.agreement,
            "offence_dominance": s.rules.security_dilemma.offence_dominance,
            "partner_falls_alone": fall,
            "balance_shift": shift,
        }
        balance = ""
        if terms["partner_defeat"] >= r.defeat_pull_reported:
            balance = (
                f"; left alone, {partner} would fall with probability {fall:.0%}, "
                f"tilting the balance against {name} by {shift:.0%}"
            )
            citations.append("christensen_snyder1990")
        stay_out = ""
        if terms.get("objectives", 0.0) < 0:
            foe = s.actors[first.adversary].name
            stay_out = f"; its own objective to stay out of war with {foe} weighed against it"
        elif terms.get("objectives", 0.0) > 0:
            stay_out = "; its own objective to keep its reputation as an ally weighed for it"
        explanation = (
            f"{name} {'honoured' if honoured else 'abandoned'} {partner} against "
            f"{s.actors[first.adversary].name}, one answer under {clauses_text} "
            f"(chance of honouring {probability:.0%}, carried by '{s.agreements[strongest.agreement].name}': "
            f"reputation, commitment and interest against the cost of war as a {s.actors[g].temperament} weighs them"
            f"{balance}{stay_out})."
        )
    rho = s.actors[g].reputation
    new_rho = (1 - r.reputation_lambda) * rho + r.reputation_lambda * (1.0 if honoured else 0.0)
    changes: list[Change] = [Change(target="call", key=c.id, field=f"answer:{g}", value=honoured) for c in calls]
    changes.append(actor_change(g, "reputation", new_rho))
    if honoured and s.at_war(first.caller, first.adversary):
        changes.append(pair_change(dyad(g, first.adversary), "war", True))
    (t.honoured if honoured else t.abandoned).setdefault(g, []).append(first.caller)
    inputs |= {"reputation_before": rho, "reputation_after": new_rho}
    return [
        *([private] if private is not None else []),
        outcome(
            t,
            changes,
            "alliance.answer",
            STEP,
            explanation,
            inputs=inputs,
            terms=terms,
            citations=citations,
        ),
    ]


def fears(s: State, t: Turn) -> list[Event]:
    """Abandonment fear of protected partners and entrapment risk of guarantors, every turn."""
    events: list[Event] = []
    protectors: dict[str, list[str]] = {}
    entrapment: dict[str, tuple[float, str]] = {}
    tops: dict[str, float] = {}

    def top_threat(p: str) -> float:
        """p's gravest threat (worked out once per actor: most are party to several agreements)."""
        got = tops.get(p)
        if got is None:
            got = tops[p] = max((s.threat_of(p, k) for k in s.actors if k != p), default=0.0)
        return got

    risky_actors = {a for a, _, _ in t.force} | {a for a, *_ in t.demands_made}
    for ag in s.active_agreements():
        for p in ag.parties:
            guards = ag.protects(p)
            if not guards:
                continue
            protectors.setdefault(p, []).extend(list(guards))
            top = top_threat(p)
            risky = p in risky_actors
            risk = clip(top + (s.rules.alliance.entrapment_provocation if risky else 0.0))
            for g in guards:
                value = ag.strength * (1 - ag.ambiguity) * (1 - ag.conditionality) * risk
                if value > entrapment.get(g, (0.0, ""))[0]:
                    entrapment[g] = (value, p)
    for p, protecting in sorted(protectors.items()):
        q = max(s.credibility_of(g, p) for g in protecting)
        top = top_threat(p)
        w = s.rules.alliance.fear_threat_weight
        fear = clip((1 - q) * ((1 - w) + w * top))
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
    """Each obliged party answers once per ally and attacker, whatever the number of commitments invoked."""
    groups: dict[tuple[str, str, str], list[CallState]] = {}
    for call in sorted(s.calls.values(), key=lambda c: c.id):
        if call.status != "open":
            continue
        for g in call.obligated:
            if g not in call.answers:
                groups.setdefault((g, call.caller, call.adversary), []).append(call)
    events: list[Event] = []
    for (g, _, _), calls in sorted(groups.items()):
        events.extend(_answer_group(s, t, g, calls))
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
