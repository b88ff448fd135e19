"""Step 11, behaviour named: what each state did this turn towards its top threat.

The labels (balancing internal or external, bandwagoning, buck-passing, chain-ganging, hedging,
tethering, neutrality) are the debrief's vocabulary (Walt 1987; Christensen & Snyder 1990;
Weitsman 2004), each with the evidence that earned it.
"""

from __future__ import annotations

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import LEVELS, Turn, actor_change, outcome, pair_table
from crisisgame.engine.state import State

STEP = 11
ALIGNING = {
    "defence_pact",
    "offence_pact",
    "security_guarantee",
    "basing_rights",
    "strategic_partnership",
    "arms_deal",
    "joint_exercise",
}
TETHERING = {"non_aggression", "consultation", "neutrality"}
PROTECTIVE = {"defence_pact", "offence_pact", "security_guarantee", "basing_rights"}
"""Agreements that commit one party to the other's security: only these make two states aligned for
the test "does a partner already side with the threat?" (a many-party amity or consultation treaty
that includes the threat does not)."""
CITATIONS = {
    "internal_balancing": ["walt1987", "waltz1979"],
    "external_balancing": ["walt1987"],
    "bandwagoning": ["walt1987"],
    "buck_passing": ["christensen_snyder1990", "mearsheimer2001"],
    "chain_ganging": ["christensen_snyder1990"],
    "hedging": ["weitsman2004"],
    "tethering": ["weitsman2004"],
    "neutrality": ["walt1987"],
}


def top_threat(s: State, i: str) -> tuple[str | None, float]:
    best, value = None, 0.0
    threat = s.threat
    for j, key, _ in pair_table(s, s.rules.threat.tau_km)[i]:  # (every other actor, in order)
        if (v := threat.get(key, 0.0)) > value:
            best, value = j, v
    return best, value


def protected(s: State, a: str, b: str) -> bool:
    """Whether a and b share an active protective agreement (`PROTECTIVE`)."""
    return any(a in ag.parties and b in ag.parties and ag.type in PROTECTIVE for ag in s.active_agreements())


def commitments(s: State, t: Turn, i: str, j: str) -> dict[str, list[str]]:
    """Costly moves of support this turn: forces deployed, arms delivered, support pledged in public.
    Towards a partner that is not protected by the threat they are external balancing; towards the
    threat itself, bandwagoning."""
    ev: dict[str, list[str]] = {"external_balancing": [], "bandwagoning": []}
    o = t.of(i)

    def side(partner: str) -> str | None:
        if partner == j:
            return "bandwagoning"
        if partner == i or partner not in s.actors or protected(s, partner, j):
            return None
        return "external_balancing"

    for d in o.deployments:
        kind = side(d.host)
        if kind is not None and d.troops > 0:
            ev[kind].append(f"deployed {d.troops:,} troops ({d.kind}) to {d.host}")
    for a in o.arms_deliveries:
        kind = side(a.to)
        if kind is not None:
            ev[kind].append(f"delivered {a.item} worth ${a.value_usd_m:,.0f}m to {a.to}")
    for st in o.statements:
        kind = side(st.pledge_to) if st.pledge_to else None
        if kind is not None:
            ev[kind].append(f"pledged support to {st.pledge_to} in public")
    return ev


def evidence(s: State, t: Turn, i: str, j: str) -> dict[str, list[str]]:
    """What i did this turn, sorted into the kinds of behaviour it is evidence of."""
    ev: dict[str, list[str]] = {k: [] for k in CITATIONS}
    o = t.of(i)
    before, now = t.previous.actors[i], s.actors[i]
    rise = (now.defence_spending - before.defence_spending) / max(
        before.defence_spending, s.rules.capabilities.spending_floor
    )
    if rise >= s.rules.behaviour.spending_change:
        ev["internal_balancing"].append(f"raised defence spending by {rise:.0%}")
    if now.mobilisation - before.mobilisation >= s.rules.behaviour.mobilisation_change:
        ev["internal_balancing"].append(f"mobilised ({before.mobilisation:.0%} to {now.mobilisation:.0%})")
    for ag_id in t.concluded:
        ag = s.agreements[ag_id]
        if i not in ag.parties:
            continue
        others = [p for p in ag.parties if p != i]
        if j in others and ag.type in ALIGNING:
            ev["bandwagoning"].append(f"joined {ag.type.replace('_', ' ')} with its top threat")
        elif j in others and ag.type in TETHERING:
            ev["tethering"].append(f"bound its top threat in a {ag.type.replace('_', ' ')}")
        elif ag.type in ALIGNING and not any(protected(s, p, j) for p in others):
            ev["external_balancing"].append(f"concluded a {ag.type.replace('_', ' ')} with {', '.join(others)}")
    if o.alignment == j:
        ev["bandwagoning"].append("declared alignment with its top threat")
    elif o.alignment is not None and s.threat_of(o.alignment, j) > 0:
        ev["external_balancing"].append(f"declared alignment with {o.alignment}")
    if (i, j) in t.accepted_demands:
        ev["bandwagoning"].append("gave in to its top threat's demand")
    for ex in o.exercises:
        if j not in ex.partners:
            ev["external_balancing"].append(f"held an exercise with {', '.join(ex.partners)}")
    for kind, moves in commitments(s, t, i, j).items():
        ev[kind].extend(moves)
    for caller in t.honoured.get(i, []):
        if fighting(s, t, caller):
            ev["chain_ganging"].append(f"honoured {caller}'s call and was drawn into its war")
        else:
            ev["external_balancing"].append(f"honoured {caller}'s call (no fighting yet)")
    for caller in t.abandoned.get(i, []):
        if fighting(s, t, caller):
            ev["buck_passing"].append(f"left {caller}'s call unanswered or refused it, leaving it to fight")
    for joiner, attacker, target in t.joined:
        if joiner != i:
            continue
        if attacker == j:
            ev["bandwagoning"].append(f"fought on its top threat's side in its attack on {target}")
        elif target == j:
            ev["external_balancing"].append(f"fought on {attacker}'s side in its attack on its top threat")
    return ev


def fighting(s: State, t: Turn, caller: str) -> bool:
    """Whether `caller` is at war or was struck (a limited strike or more) this turn: only then does
    honouring its call drag the ally into fighting (a chain gang) and refusing it pass the buck
    (Christensen & Snyder 1990). A call against coercion alone, honoured, is external balancing."""
    struck = any(b == caller and LEVELS[level] >= LEVELS["limited_strike"] for _, b, level in t.force)
    return struck or any(s.at_war(caller, k) for k in s.actors if k != caller)


def all_evidence(ev: dict[str, list[str]], label: str) -> list[str]:
    """The evidence for the label first, then every other move that counted (labelled by its kind),
    so the explanation shows all the state did, not only what decided the label."""
    rest = [f"{move} [{kind.replace('_', ' ')}]" for kind, moves in ev.items() if kind != label for move in moves]
    return [*ev[label], *rest]


def classify(ev: dict[str, list[str]]) -> str:
    if ev["chain_ganging"]:
        return "chain_ganging"
    if ev["buck_passing"]:
        return "buck_passing"
    aligning_with_threat = ev["bandwagoning"] or ev["tethering"]
    balancing = ev["external_balancing"] or ev["internal_balancing"]
    if aligning_with_threat and balancing:
        return "hedging"
    if ev["bandwagoning"]:
        return "bandwagoning"
    if ev["tethering"]:
        return "tethering"
    if ev["external_balancing"]:
        return "external_balancing"
    if ev["internal_balancing"]:
        return "internal_balancing"
    return "neutrality"


def step(s: State, t: Turn) -> list[Event]:
    labels: dict[str, tuple[str, str | None, float, list[str]]] = {}
    for i, st in s.actors.items():
        if st.kind != "state":
            continue
        j, value = top_threat(s, i)
        if j is None:
            labels[i] = ("neutrality", None, 0.0, [])
            continue
        ev = evidence(s, t, i, j)
        label = classify(ev)
        labels[i] = (label, j, value, all_evidence(ev, label))
    balanced_against = {j for label, j, _, _ in labels.values() if label.endswith("balancing") and j}
    events: list[Event] = []
    for i, (label, j, value, why) in labels.items():
        if label == "neutrality" and j in balanced_against and value >= s.rules.behaviour.buck_passing_threat:
            label, why = "buck_passing", [f"did nothing while others balanced against {j}"]
        name = s.actors[i].name
        target = s.actors[j].name if j else "nobody"
        events.append(
            outcome(
                t,
                [actor_change(i, "behaviour", label)],
                f"behaviour.{label}",
                STEP,
                f"{name}: {label.replace('_', ' ')} towards {target}" + (f" ({'; '.join(why)})." if why else "."),
                inputs={"top_threat": j, "evidence": "; ".join(why)},
                citations=CITATIONS[label],
            )
        )
    return events
