"""Step 1, ratification (Putnam 1988): a deal binds only if it falls inside every party's win-set.

The win-set [L, U] widens with side-payments and a mandate and narrows with low approval. Outside
it the deal fails; inside but near an edge it fails with a probability that grows towards the edge.
"""

from __future__ import annotations

from crisisgame.engine.agreement_checks import same_agreement
from crisisgame.engine.chance import happens
from crisisgame.engine.events import AgreementConcluded, Change, Event, ProposalClosed, Reason
from crisisgame.engine.rules.commitments import ended
from crisisgame.engine.rules.common import Turn, clip, outcome
from crisisgame.engine.state import AgreementState, ProposalState, State

STEP = 1


def ratify(s: State, t: Turn, prop: ProposalState, party: str) -> tuple[bool, Reason]:
    """Whether `party`'s home audience ratifies the proposal, and why."""
    r = s.rules.ratification
    p = prop.proposal
    actor = s.actors[party]
    name = actor.name
    widen = p.side_payments * r.side_payment_widening + s.rules.legitimacy.mandate(p.mandate) * r.mandate_widening
    narrow = max(0.0, 0.5 - actor.approval) * r.approval_narrowing
    veto = {"democracy": r.veto_democracy, "hybrid": r.veto_hybrid, "autocracy": r.veto_autocracy}.get(
        actor.regime, 0.0
    )
    decision = f"ratify:{prop.id}:{party}"
    if p.issue is not None and p.position is not None and r.win_sets:
        low, high = actor.win_sets.get(p.issue, (0.0, 1.0))
        low2, high2 = clip(low - widen + narrow), clip(high + widen - narrow)
        x = p.position
        inputs = {
            "position": x,
            "win_set_low": low,
            "win_set_high": high,
            "effective_low": low2,
            "effective_high": high2,
        }
        terms = {"widening": widen, "narrowing": narrow}
        if not low2 <= x <= high2:
            why = f"{name} cannot ratify: {x:.2f} lies outside its win-set [{low2:.2f}, {high2:.2f}] on {p.issue}."
            return False, Reason(
                rule="ratification.winset",
                step=STEP,
                explanation=why,
                inputs=inputs,
                terms=terms,
                citations=["putnam1988"],
            )
        edge = min(x - low2, high2 - x)
        p_fail = veto * r.edge_fail_max * max(0.0, 1.0 - edge / r.edge_band)
        cause = f"{x:.2f} lies {edge:.2f} inside the edge of its win-set [{low2:.2f}, {high2:.2f}]" + (
            ", narrowed by low approval" if narrow > 0 else ""
        )
    else:
        inputs = {"approval": actor.approval}
        terms = {"widening": widen, "narrowing": narrow}
        p_fail = clip(veto * r.edge_fail_max * max(0.0, 0.5 - actor.approval) * 2 - widen)
        cause = f"approval at home is {actor.approval:.2f}" + (" (below one half)" if 0.5 - actor.approval > 0 else "")
    failed, u = happens(s.seed, t.turn, decision, p_fail)
    inputs |= {"p_fail": round(p_fail, 4), "draw": round(u, 4), "veto": veto}
    if failed:
        why = f"{name}'s legislature voted the deal down: {cause} (risk of defeat {p_fail:.0%} for a {actor.regime})."
    else:
        why = f"{name} ratified the deal: {cause} (risk of defeat {p_fail:.0%} for a {actor.regime})."
    return not failed, Reason(
        rule="ratification.winset", step=STEP, explanation=why, inputs=inputs, terms=terms, citations=["putnam1988"]
    )


def step(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    made: set[tuple[str, frozenset[str]]] = set()
    for prop in sorted(s.proposals.values(), key=lambda p: p.id):
        if prop.status == "open":
            events.append(
                ProposalClosed(at=t.now, id=prop.id, status="expired", reason="not accepted by every party this turn")
            )
            continue
        if prop.status != "accepted":
            continue
        results = [(party, *ratify(s, t, prop, party)) for party in prop.proposal.parties]
        for party, _, reason in results:
            events.append(
                outcome(
                    t,
                    [],
                    reason.rule,
                    STEP,
                    reason.explanation,
                    inputs=reason.inputs,
                    terms=reason.terms,
                    citations=reason.citations,
                    audience=[party],  # a win-set is a party's own secret: only it reads why it ratified
                )
            )
        failed = [party for party, ok, _ in results if not ok]
        duplicate = same_agreement(s, prop.proposal)
        if (prop.proposal.type, frozenset(prop.proposal.parties)) in made:
            duplicate = "an identical agreement concluded this turn"
        if not failed and duplicate is not None:
            events.append(
                ProposalClosed(at=t.now, id=prop.id, status="failed", reason=f"{duplicate} is already in force")
            )
            continue
        if failed:
            events.append(
                ProposalClosed(at=t.now, id=prop.id, status="failed", reason=f"not ratified by {', '.join(failed)}")
            )
        else:
            agreement_id = f"ag-{prop.id}"
            kind = prop.proposal.type.replace("_", " ")
            reason = Reason(
                rule="ratification.concluded",
                step=STEP,
                explanation=f"The {kind} of {', '.join(prop.proposal.parties)} is in force.",
                citations=["putnam1988"],
            )
            events.append(ProposalClosed(at=t.now, id=prop.id, status="ratified", reason="ratified by every party"))
            if prop.proposal.amends is not None:
                old = s.agreements[prop.proposal.amends]
                events.append(
                    ended(
                        t,
                        old,
                        "superseded",
                        f"'{old.name}' is superseded by its renegotiated terms ({agreement_id}).",
                        by=agreement_id,
                    )
                )
            events.append(
                AgreementConcluded(at=t.now, id=agreement_id, turn=t.turn, proposal=prop.proposal, reason=reason)
            )
            t.concluded.append(agreement_id)
            events.extend(_settles(s, t, prop, agreement_id))
            made.add((prop.proposal.type, frozenset(prop.proposal.parties)))
    return events


def _settles(s: State, t: Turn, prop: ProposalState, agreement_id: str) -> list[Event]:
    """A ratified deal that names a position on an issue settles that issue between its parties."""
    p = prop.proposal
    if p.issue is None or p.position is None:
        return []
    return [
        outcome(
            t,
            [Change(target="issue", key=p.issue, field="settled", value=p.position)],
            "ratification.settles",
            STEP,
            f"The ratified deal of {', '.join(p.parties)} settles {p.issue} at {p.position:.2f}; while it is in "
            "force only a war, or a concession by one of its parties, can move it.",
            inputs={"agreement": agreement_id, "issue": p.issue, "position": p.position},
            citations=["putnam1988"],
        )
    ]


def deal_on(s: State, issue: str) -> AgreementState | None:
    """The agreement in force, concluded in play, that settled `issue` most recently (if any)."""
    deals = [ag for ag in s.active_agreements() if ag.issue == issue and ag.position is not None and ag.since_turn > 0]
    return max(deals, key=lambda ag: (ag.since_turn, ag.id), default=None)
