"""Step 10, economic statecraft (Hirschman 1945; Drezner 1999; Hufbauer et al. 2007).

Orders impose or lift sanctions (a partial cut of bilateral trade) and embargoes (a total cut), and
an adopted Security Council sanctions resolution makes every member that voted for it impose them.
Each turn a sanction costs both sides in proportion to how much of each one's GDP the trade between
them is (the scenario's sourced `trade` links): the target loses military expenditure and approval
for the trade cut by the whole coalition of sanctioners, each sanctioner loses approval for the trade
it gave up. Dependence is asymmetric, so the same sanction can hurt one side much more than the other
(Hirschman's influence effect).

Aid is military assistance. An ordered aid package is delivered the turn after it is ordered: the donor's
military expenditure falls by the amount given, and the recipient's rises by `economy.aid_to_milex` of it
(the rest does not become military capability). Both changes are one outcome (`economy.aid`), so the log
shows the cost and the gain together, with the amounts given and received among its terms. A donor gives
at most what it has: one whose military expenditure is smaller than the amount gives all of it, falls to
zero, and the text says how much of the amount it could give. An actor without a military expenditure
figure in the scenario (an organisation whose budget the game does not model) gives in full, and the
text says that its budget is outside the game.

Agreements can carry the same measures as terms. A sanctions term commits its parties (or those it names)
to sanction or embargo an outsider while the agreement is in force: each turn every committed party that
does not already apply at least that measure imposes it (`economy.agreed`), and it joins the coalition
above. An aid term has one party give another a stated amount each turn the agreement is in force
(`economy.aid_term`, the same turn), at the same cost to the donor as ordered aid. A party may withhold
what it owes (the `withhold` order): the measure taken under the agreement ends and the breach is logged
and costs reputation (`agreement.breach`). The measures end with the agreement (`economy.term_ended`).
"""

from __future__ import annotations

from crisisgame.engine.constants import THOUSANDS_PER_MILLION
from crisisgame.engine.events import Audience, Change, Event, Reason, SanctionImposed, SanctionLifted, Value
from crisisgame.engine.rules.commitments import STEP as AGREEMENTS_STEP
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import AgreementState, State, pair

STEP = 10


def dependence(s: State, of: str, on: str) -> float:
    """`of`'s trade with `on` as a share of `of`'s GDP (0 where the scenario lists no link)."""
    for link in s.scenario.trade:
        if set(link.between) == {of, on}:
            return link.dependence.get(of, 0.0)
    return 0.0


def _reason(rule: str, explanation: str, step: int = STEP) -> Reason:
    return Reason(rule=rule, step=step, explanation=explanation, citations=["hirschman1945", "drezner1999"])


RANK = {"sanctions": 1, "embargo": 2}
"""How far a measure cuts trade: an embargo complies with a commitment to sanction, not the reverse."""


def _audience(ag: AgreementState) -> Audience:
    return "public" if ag.public else list(ag.parties)


def _withholds(t: Turn, actor: str, ag: AgreementState) -> bool:
    return ag.id in t.of(actor).withhold


def _imposed(
    s: State, t: Turn, actor: str, target: str, kind: str, code: str, lead: str, agreement: str | None = None
) -> SanctionImposed:
    """A measure taken, by order or under an agreement: `lead` says which, and the reason adds how much the
    trade cut weighs on each side (the asymmetry that decides who is hurt more)."""
    return SanctionImposed(
        at=t.now,
        turn=t.turn,
        actor=actor,
        target=target,
        kind=kind,
        agreement=agreement,
        reason=_reason(
            code,
            f"{lead}: their trade is {dependence(s, target, actor):.1%} of {s.actors[target].name}'s GDP and "
            f"{dependence(s, actor, target):.1%} of {s.actors[actor].name}'s.",
        ),
    )


def terms_due(s: State, t: Turn) -> dict[tuple[str, str], tuple[str, str]]:
    """(sanctioner, target) -> (kind, agreement id): what the sanctions terms of the agreements in force
    commit each party to this turn, the strongest where several do, leaving out parties that withhold."""
    due: dict[tuple[str, str], tuple[str, str]] = {}
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        for term in ag.sanction_terms:
            for actor in ag.sanctioners(term):
                if _withholds(t, actor, ag):
                    continue
                key = (actor, term.target)
                if key not in due or RANK[term.kind] > RANK[due[key][0]]:
                    due[key] = (term.kind, ag.id)
    return due


def orders_step(s: State, t: Turn) -> list[Event]:
    """Sanctions imposed and lifted this turn: by orders, by adopted Council resolutions, and by the
    sanctions terms of agreements in force (and breaches of those terms and of aid terms)."""
    events: list[Event] = []
    imposed: dict[tuple[str, str], str] = {}
    for actor in sorted(s.actors):
        for order in t.of(actor).sanctions:
            imposed[(actor, order.target)] = order.kind
    for res in sorted(s.resolutions.values(), key=lambda r: r.id):
        if res.kind == "sanctions" and res.status == "adopted" and res.turn == t.turn:
            for member, v in sorted(res.votes.items()):
                if v == "yes" and member != res.target:
                    imposed.setdefault((member, res.target), "sanctions")
    due = terms_due(s, t)
    for (actor, target), kind in sorted(imposed.items()):
        if s.sanctions.get(pair(actor, target)) == kind:
            continue
        if (actor, target) in due and RANK[kind] <= RANK[due[(actor, target)][0]]:
            continue  # an agreement commits it to this much anyway: the measure is taken under the agreement
        lead = f"{s.actors[actor].name} imposed {kind} on {s.actors[target].name}"
        events.append(_imposed(s, t, actor, target, kind, "economy.imposed", lead))
    for actor in sorted(s.actors):
        for target in t.of(actor).lift_sanctions:
            if pair(actor, target) in s.sanctions and (actor, target) not in imposed and (actor, target) not in due:
                events.append(
                    SanctionLifted(
                        at=t.now,
                        turn=t.turn,
                        actor=actor,
                        target=target,
                        reason=_reason(
                            "economy.lifted", f"{s.actors[actor].name} lifted its measures on {s.actors[target].name}."
                        ),
                    )
                )
    events.extend(_agreed(s, t, imposed, due))
    events.extend(_breaches(s, t, imposed, due))
    return events


def _agreed(
    s: State, t: Turn, imposed: dict[tuple[str, str], str], due: dict[tuple[str, str], tuple[str, str]]
) -> list[Event]:
    """Each committed party that does not already apply at least the measure its agreement names, imposes it."""
    events: list[Event] = []
    for (actor, target), (kind, ag_id) in sorted(due.items()):
        key = pair(actor, target)
        ordered = imposed.get((actor, target))
        current = ordered if ordered is not None and RANK[ordered] > RANK[kind] else s.sanctions.get(key)
        basis = s.sanction_basis.get(key)
        stale = basis is not None and not s.agreements[basis].active
        if current is not None and RANK[current] >= RANK[kind] and not stale:
            continue
        lead = (
            f"{s.actors[actor].name} applies the {kind} on {s.actors[target].name} that "
            f"'{s.agreements[ag_id].name}' commits it to"
        )
        strongest = kind if current is None else max(kind, current, key=RANK.__getitem__)
        events.append(_imposed(s, t, actor, target, strongest, "economy.agreed", lead, agreement=ag_id))
    return events


def _breaches(
    s: State, t: Turn, imposed: dict[tuple[str, str], str], due: dict[tuple[str, str], tuple[str, str]]
) -> list[Event]:
    """Parties that withhold the sanctions or aid an agreement commits them to: the measure taken under it
    ends, and the breach costs reputation (`economy.breach_reputation` x the agreement's strength)."""
    events: list[Event] = []
    reputation = {a: st.reputation for a, st in s.actors.items()}
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        for actor in sorted(ag.parties):
            if not ag.binds(actor) or not _withholds(t, actor, ag):
                continue
            owed: list[str] = []
            for term in ag.sanction_terms:
                if actor not in ag.sanctioners(term):
                    continue
                owed.append(f"{term.kind} on {s.actors[term.target].name}")
                key = pair(actor, term.target)
                mine = (actor, term.target)
                if s.sanction_basis.get(key) == ag.id and mine not in due and mine not in imposed:
                    events.append(
                        SanctionLifted(
                            at=t.now,
                            turn=t.turn,
                            actor=actor,
                            target=term.target,
                            agreement=ag.id,
                            reason=_reason(
                                "economy.withheld",
                                f"{s.actors[actor].name} stopped the {s.sanctions[key]} on "
                                f"{s.actors[term.target].name} that '{ag.name}' commits it to.",
                            ),
                        )
                    )
            owed += [
                f"aid of ${a.value_usd_m:,.0f}m to {s.actors[a.to].name}" for a in ag.aid_terms if a.donor == actor
            ]
            reputation[actor] = clip(reputation[actor] - s.rules.economy.breach_reputation * ag.strength)
            t.breaches.append((ag.id, actor))
            events.append(
                outcome(
                    t,
                    [actor_change(actor, "reputation", reputation[actor])],
                    "agreement.breach",
                    STEP,
                    f"{s.actors[actor].name} breached '{ag.name}': it withheld the {' and '.join(owed)} the agreement "
                    "commits it to, and partners mark a promise broken.",
                    inputs={"agreement": ag.id, "by": actor},
                    terms={"reputation_cost": s.rules.economy.breach_reputation * ag.strength},
                    citations=["leeds2003", "drezner1999"],
                    audience=_audience(ag),
                )
            )
    return events


def terms_ended(s: State, t: Turn) -> list[Event]:
    """Sanctions imposed under an agreement end with it (expired, renounced, suspended, superseded or broken),
    unless another agreement in force commits the same party to them."""
    events: list[Event] = []
    for key, ag_id in sorted(s.sanction_basis.items()):
        ag = s.agreements[ag_id]
        if ag.active:
            continue
        actor, _, target = key.partition(">")
        if s.sanction_bound(actor, target) is not None:
            continue
        events.append(
            SanctionLifted(
                at=t.now,
                turn=t.turn,
                actor=actor,
                target=target,
                agreement=ag.id,
                reason=_reason(
                    "economy.term_ended",
                    f"{s.actors[actor].name} lifts its {s.sanctions.get(key, 'sanctions')} on {s.actors[target].name}: "
                    f"'{ag.name}', which committed it to them, is no longer in force.",
                    step=AGREEMENTS_STEP,
                ),
            )
        )
    return events


def step(s: State, t: Turn) -> list[Event]:
    """This turn's costs of the sanctions in force, to targets and sanctioners, and aid delivered last turn."""
    r = s.rules.economy
    severity = {"sanctions": r.sanctions_severity, "embargo": r.embargo_severity}
    cut: dict[str, float] = {}
    given_up: dict[str, float] = {}
    coalition: dict[str, list[str]] = {}
    for key, kind in sorted(s.sanctions.items()):
        actor, _, target = key.partition(">")
        cut[target] = cut.get(target, 0.0) + severity[kind] * dependence(s, target, actor)
        given_up[actor] = given_up.get(actor, 0.0) + severity[kind] * dependence(s, actor, target)
        coalition.setdefault(target, []).append(actor)
    events: list[Event] = []
    milex = {a: st.milex for a, st in s.actors.items()}
    """Military expenditure as this step leaves it: sanctions first, then aid (both change the same figure)."""
    for target, lost in sorted(cut.items()):
        st = s.actors[target]
        changes = [actor_change(target, "approval", clip(st.approval - r.approval_loss * lost))]
        if st.milex is not None:
            milex[target] = st.milex * max(0.0, 1 - r.capability_loss * lost)
            changes.append(actor_change(target, "milex", milex[target]))
        members = ", ".join(s.actors[a].name for a in coalition[target])
        events.append(
            outcome(
                t,
                changes,
                "economy.sanctions",
                STEP,
                f"Sanctions by {members} cut trade worth {lost:.1%} of {st.name}'s GDP: its military spending "
                "and its government's approval fall.",
                inputs={"coalition": len(coalition[target])},
                terms={"trade_cut": lost},
                citations=["hirschman1945", "drezner1999", "hufbauer2007"],
            )
        )
    for actor, lost in sorted(given_up.items()):
        if lost <= 0:
            continue
        st = s.actors[actor]
        events.append(
            outcome(
                t,
                [actor_change(actor, "approval", clip(st.approval - r.approval_loss * lost))],
                "economy.sanction_cost",
                STEP,
                f"{st.name} pays for its sanctions: the trade it gave up was {lost:.1%} of its GDP.",
                terms={"trade_given_up": lost},
                citations=["hirschman1945", "drezner1999"],
            )
        )
    flows: list[tuple[str, str, float, str | None]] = [
        (donor, a.to, a.value_usd_m, None)
        for donor, orders in sorted(t.previous.revealed.get(t.turn - 1, {}).items())
        for a in orders.aid
    ]
    flows += [
        (a.donor, a.to, a.value_usd_m, ag.id)
        for ag in sorted(s.active_agreements(), key=lambda x: x.id)
        for a in ag.aid_terms
        if not _withholds(t, a.donor, ag)
    ]
    for donor, to, value, ag_id in flows:
        events.extend(_aid(s, t, milex, donor, to, value, ag_id))
    return events


def _usd_m(x: float) -> str:
    """Millions of US$ for a sentence, to a tenth (a bot's aid can be a few million)."""
    return f"${x:,.1f}m"


def _aid(
    s: State, t: Turn, milex: dict[str, float | None], donor: str, to: str, value: float, ag_id: str | None
) -> list[Event]:
    """One aid delivery: the donor pays what it gives (all of `value`, or all it has), and the recipient's
    military expenditure rises by `economy.aid_to_milex` of it. `milex` is updated in place."""
    received_before = milex[to]
    if received_before is None:
        return []  # the recipient has no military expenditure for the aid to add to: nothing is sent
    owed = value * THOUSANDS_PER_MILLION
    funds = milex[donor]
    given = owed if funds is None else min(owed, max(0.0, funds))
    gained = given * s.rules.economy.aid_to_milex
    changes: list[Change] = []
    if funds is not None:
        milex[donor] = funds - given
        changes.append(actor_change(donor, "milex", milex[donor]))
    milex[to] = received_before + gained
    changes.append(actor_change(to, "milex", milex[to]))
    giver, taker = s.actors[donor].name, s.actors[to].name
    under = "" if ag_id is None else f" under '{s.agreements[ag_id].name}'"
    given_m, gained_m = given / THOUSANDS_PER_MILLION, gained / THOUSANDS_PER_MILLION
    pledged = f"{giver}'s aid of {_usd_m(value)}{under}"
    gain = f"{taker}'s rises by {_usd_m(gained_m)} (the share of aid that becomes military capability)"
    if funds is None:
        text = f"{pledged} reached {taker}: {giver}'s budget is outside the game (no military expenditure figure in "
        text += f"the scenario), so it gives in full, and {gain}."
    elif given <= 0:
        text = f"{pledged} was not sent: {giver} has no military spending left to give."
    elif given < owed:
        text = f"{pledged} reached {taker} in part: {giver} could give only {_usd_m(given_m)}, all the military "
        text += f"spending it had left, which falls to zero, and {gain}."
    else:
        text = f"{pledged} reached {taker}: {giver}'s military spending falls by {_usd_m(given_m)}, and {gain}."
    inputs: dict[str, Value] = {"donor": donor, "value_usd_m": value}
    if ag_id is not None:
        inputs["agreement"] = ag_id
    return [
        outcome(
            t,
            changes,
            "economy.aid" if ag_id is None else "economy.aid_term",
            STEP,
            text,
            inputs=inputs,
            terms={"given_usd_m": given_m, "received_usd_m": gained_m, "aid_to_milex": s.rules.economy.aid_to_milex},
            citations=["drezner1999"],
        )
    ]
