"""Checks on commands about commitments: proposals with clauses or amendments, exit and renewal
orders, scripted calls. Each returns the problem in words a student can act on, or None."""

from __future__ import annotations

from crisisgame.engine.commands import Orders, Proposal, TableResolution, VoteResolution
from crisisgame.engine.obligations import CALLABLE, can_ever_apply, clauses, label
from crisisgame.engine.state import State
from crisisgame.scenario.model import AidTerm, CallOnAgreement, Clause, Effect, SanctionTerm


def clause_problem(c: Clause, parties: list[str] | tuple[str, ...]) -> str | None:
    """Why a clause can never be invoked by any party (None if some party could invoke it)."""
    if c.kind not in CALLABLE:
        return None  # talk, restraint, access and supplies are never called on: nothing to check
    members = frozenset(parties)  # membership tests, whatever the number of parties
    problems = [can_ever_apply(c, members, p, c.attackers[0] if c.attackers else "") for p in parties]
    if any(p is None for p in problems):
        return None
    if any(a in members for a in c.attackers):
        return f"the {label(c)} clause names a party among the attackers"
    return next((p for p in problems if p), None)


def ignored_field(c: Clause) -> str | None:
    """A field of a clause that would change nothing, so the proposer meant something else (None if none)."""
    name = c.kind.replace("_", " ")
    if c.kind not in CALLABLE:
        given = [f for f in ("trigger", "attackers", "min_rung") if getattr(c, f)]
        if given:
            return f"the {name} clause cannot be called on, so its {given[0]} would change nothing: remove it"
        return None
    if c.attackers and c.trigger != "named_attacker":
        return f"the {name} clause lists attackers but answers any attacker: add trigger named_attacker or drop them"
    if c.region and c.scope != "region":
        return f"the {name} clause lists a region but covers every party's territory: add scope region or drop it"
    return None


def same_agreement(state: State, p: Proposal) -> str | None:
    """The id of an agreement in force of the same type between the same parties, if any."""
    for ag in state.active_agreements():
        if ag.type == p.type and set(ag.parties) == set(p.parties) and ag.id != p.amends:
            return f"'{ag.id}'"
    return None


def terms_problem(
    actors: list[str] | tuple[str, ...],
    parties: list[str] | tuple[str, ...],
    sanctions: list[SanctionTerm],
    aid: list[AidTerm],
) -> str | None:
    """Why the sanctions or aid terms of an agreement between `parties` cannot work (None if they can)."""
    for i, term in enumerate(sanctions):
        where = f"sanctions[{i}]"
        if term.target not in actors:
            return f"{where}: unknown target '{term.target}' (actors: {', '.join(actors)})"
        if term.target in parties:
            return f"{where}: the target '{term.target}' is a party: a sanctions term binds parties against an outsider"
        for who in term.by:
            if who not in parties:
                return f"{where}: '{who}' is not a party and cannot be committed to sanction: add it to parties"
    for i, a in enumerate(aid):
        where = f"aid[{i}]"
        for role, who in (("donor", a.donor), ("recipient", a.to)):
            if who not in parties:
                return f"{where}: the {role} '{who}' is not a party to the agreement"
        if a.donor == a.to:
            return f"{where}: '{a.donor}' cannot give aid to itself"
    return None


def proposal_problem(state: State, by: str, p: Proposal) -> str | None:
    why_terms = terms_problem(list(state.actors), p.parties, p.sanctions, p.aid)
    if why_terms is not None:
        return why_terms
    for c in clauses(p.type, p.obligations):
        for who in (*c.attackers, *c.region):
            if who not in state.actors:
                return f"unknown actor '{who}' in the obligations (actors: {', '.join(state.actors)})"
        ignored = ignored_field(c)
        if ignored is not None:
            return ignored
        if c.kind in CALLABLE and c.trigger == "named_attacker" and not c.attackers:
            return f"the {c.kind.replace('_', ' ')} clause is triggered by a named attacker: list it under attackers"
        if c.kind in CALLABLE and c.scope == "region" and not c.region:
            return f"the {c.kind.replace('_', ' ')} clause is limited to a region: list its territories under region"
        why = clause_problem(c, p.parties)
        if why is not None:
            return f"this clause could never be invoked: {why}"
    if p.amends is not None:
        old = state.agreements.get(p.amends)
        if old is None or not old.active:
            return f"agreement '{p.amends}' is not in force, so it cannot be amended"
        if by not in old.parties:
            return f"{by} is not a party to '{p.amends}' and cannot renegotiate it"
        missing = [x for x in old.parties if x not in p.parties]
        if missing:
            return f"an amendment of '{p.amends}' needs all its parties; add {', '.join(missing)}"
    rank = {"none": 0, "regional": 1, "unsc": 2}
    held = state.mandate_for(p.parties)
    if rank[p.mandate] > rank[held]:
        return (
            f"a {p.mandate} mandate is granted, not claimed: "
            + (
                "no adopted Security Council resolution authorises any of the parties (table one first)"
                if p.mandate == "unsc"
                else "no regional body the scenario names is a party"
            )
            + f"; the parties hold: {held}"
        )
    duplicate = same_agreement(state, p)
    if duplicate is not None:
        return (
            f"a {p.type.replace('_', ' ')} between these parties is already in force ({duplicate}); "
            f"to change its terms, propose with amends: {duplicate.strip(chr(39))}"
        )
    return None


def agreement_order_problem(state: State, actor: str, orders: Orders) -> str | None:
    for who in [o.target for o in orders.sanctions] + [a.to for a in orders.aid]:
        if who not in state.actors:
            return f"unknown actor '{who}' (actors: {', '.join(state.actors)})"
        if who == actor:
            return "sanctions and aid go to another actor"
    for target in orders.lift_sanctions:
        if f"{actor}>{target}" not in state.sanctions:
            return f"{actor} has no sanctions on {target} to lift"
        bound = state.sanction_bound(actor, target)
        if bound is not None and bound.id not in orders.withhold:
            return (
                f"{actor} is bound by '{bound.id}' to sanction {target}: to stop, withhold it (a breach) or renounce "
                "the agreement"
            )
    for ag_id in orders.withhold:
        ag = state.agreements.get(ag_id)
        if ag is None:
            return f"there is no agreement '{ag_id}' to withhold"
        if not ag.active:
            return f"agreement '{ag_id}' is no longer in force: it commits no one"
        if not ag.binds(actor):
            return f"'{ag_id}' commits {actor} to no sanctions or aid: there is nothing to withhold"
    answered: dict[tuple[str, str], tuple[str, bool]] = {}
    for ans in orders.call_answers:
        call = state.calls.get(ans.call_id)
        if call is None:
            continue
        key = (call.caller, call.adversary)
        if key in answered and answered[key][1] != ans.honour:
            return (
                f"calls '{answered[key][0]}' and '{ans.call_id}' are one decision (the same ally against the same "
                "attacker): answer them the same way"
            )
        answered[key] = (ans.call_id, ans.honour)
    for ag_id in orders.resume:
        ag = state.agreements.get(ag_id)
        if ag is None:
            return f"there is no agreement '{ag_id}' to resume"
        if actor not in ag.parties:
            return f"{actor} is not a party to '{ag_id}' and cannot resume it"
        if ag.active or not ag.suspended:
            why = "it is in force" if ag.active else "it ended for good, not by a suspension"
            return f"'{ag_id}' cannot be resumed: {why}"
    for field in ("renounce", "suspend", "renew"):
        for ag_id in getattr(orders, field):
            ag = state.agreements.get(ag_id)
            if ag is None:
                return f"there is no agreement '{ag_id}' to {field}"
            if actor not in ag.parties:
                return f"{actor} is not a party to '{ag_id}' and cannot {field} it"
            if not ag.active:
                return f"agreement '{ag_id}' is no longer in force"
            if field == "renew" and ag.duration is None:
                return f"agreement '{ag_id}' has no fixed term: there is nothing to renew"
            if field == "renounce" and ag.notice_until is not None:
                return f"'{ag_id}' is already renounced: it ends on turn {ag.notice_until:.0f}"
    return None


def call_effect_problem(state: State, eff: Effect) -> str | None:
    """A scripted call must name an agreement in force with a clause the caller could ever invoke."""
    if not isinstance(eff, CallOnAgreement):
        return None
    ag = state.agreements.get(eff.agreement)
    if ag is None:
        return f"there is no agreement '{eff.agreement}' to call on"
    reasons = [can_ever_apply(c, ag.parties, eff.actor, eff.against) for c in ag.obligations()]
    if all(r is not None for r in reasons):
        why = "; ".join(r or "" for r in reasons)
        return f"'{eff.agreement}' cannot be invoked by {eff.actor} against {eff.against}: {why}"
    return None


def tabling_problem(state: State, c: TableResolution) -> str | None:
    council = state.scenario.council
    if council is None:
        return "this scenario seats no Security Council"
    if c.by not in council.members:
        return f"{c.by} has no seat on the Security Council (members: {', '.join(council.members)})"
    for who in (c.target, *c.authorised):
        if who not in state.actors:
            return f"unknown actor '{who}' (actors: {', '.join(state.actors)})"
    if c.kind in ("authorise_force", "peacekeeping") and not c.authorised:
        return f"a draft to {c.kind.replace('_', ' ')} names the states it authorises"
    if c.kind in ("condemn", "sanctions") and c.authorised:
        return f"a draft to {c.kind.replace('_', ' ')} authorises no one: leave authorised empty"
    if c.target in c.authorised:
        return "a draft cannot authorise the state it targets"
    return None


def voting_problem(state: State, c: VoteResolution) -> str | None:
    council = state.scenario.council
    if council is None or c.by not in council.members:
        return f"{c.by} has no seat on the Security Council"
    res = state.resolutions.get(c.resolution_id)
    if res is None:
        return f"there is no draft resolution '{c.resolution_id}'"
    if res.status != "tabled":
        return f"draft '{c.resolution_id}' has already been put to the vote: it was {res.status}"
    return None
