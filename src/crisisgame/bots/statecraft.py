"""How computer players use economic statecraft and the Security Council.

- A state whose ally (or itself) was attacked, and which is less dependent on the attacker's trade
  than the attacker is on its own, sanctions the attacker (Hirschman 1945: asymmetric dependence is
  power); a liberal sanctions even at some cost to itself (collective enforcement, Keohane 1984). It
  lifts its sanctions once it no longer sees the target as hostile.
- A Council member whose ally was attacked tables a draft: a liberal asks for an authorisation of
  force for the victim and its partners, others for a condemnation (Voeten 2005: states seek the
  Council's seal because it reassures third parties).
- Economic statecraft as agreement terms. A bot that would sanction an attacker by the rule above
  proposes a sanctions coalition against it to a state on the victim's side (the victim, or another
  ally obliged to it): a consultation pact whose sanctions term commits both, or only the proposer
  where the partner has no trade leverage over the attacker (Drezner 1999: sanctions work through
  coalitions, and an agreement makes each member's share a commitment). An ally obliged
  to the victim adds an aid term, giving the victim `bots.aid_offer_share` of its own military
  expenditure each turn (balancing by proxy, Walt 1987), where the victim spends less than
  `economy.aid_to_milex` of what it spends: aid costs the donor what it gives, so it is offered only
  where it strengthens the victim relatively more than it weakens the donor. A bot accepts a term that commits it to
  sanction only where it would sanction the target itself, and one that commits it to give aid only
  to a state it is allied with. Once bound, a liberal and a constructivist keep the terms (the
  liberal keeps its word, the constructivist guards its reputation); a realist withholds sanctions
  that cost it more than the target, once the target is no longer an attacker, and aid to a partner
  that has proved unreliable (alliances are instruments). Exit and renewal go through
  `bots/agreements.py`: no bot renews a coalition against a state it no longer sees as hostile, and
  a realist or a constructivist renounces it.
"""

from __future__ import annotations

from typing import Any

from crisisgame.bots.reading import Reading
from crisisgame.engine.commands import Command, Proposal, SanctionOrder, TableResolution
from crisisgame.engine.constants import THOUSANDS_PER_MILLION
from crisisgame.engine.seatview import AgreementView, ProposalView
from crisisgame.scenario.model import AidTerm, SanctionTerm


def _dependence(r: Reading, of: str, on: str) -> float:
    for link in r.view.trade:
        if set(link.between) == {of, on}:
            return link.dependence.get(of, 0.0)
    return 0.0


def _aggressors(r: Reading) -> list[tuple[str, str]]:
    """(attacker, victim) of this game's calls in which I am the victim or an obliged ally."""
    out = set()
    for c in r.view.calls:
        if c.caller == r.me or r.me in c.obligated:
            out.add((c.adversary, c.caller))
    return sorted(out)


def would_sanction(r: Reading, temperament: str, target: str) -> bool:
    """Whether sanctioning `target` is in my interest: it depends more on our trade than I do (Hirschman),
    or, for a liberal, there is trade to cut at all (collective enforcement)."""
    if target == r.me:
        return False
    cheap = _dependence(r, r.me, target) < _dependence(r, target, r.me)
    return cheap or (temperament == "liberal" and _dependence(r, target, r.me) > 0)


def _sanction_terms(ag: AgreementView, me: str) -> list[SanctionTerm]:
    """The sanctions terms of `ag` that commit `me`."""
    return [t for t in ag.terms.sanctions if me in (t.by or ag.parties) and t.target != me]


def bound_targets(r: Reading) -> set[str]:
    """The states agreements in force commit me to sanction."""
    return {t.target for ag in r.active() for t in _sanction_terms(ag, r.me)}


def calm_towards(r: Reading, target: str) -> bool:
    """Whether `target` is no longer an attacker in any call and I no longer see it as hostile."""
    calm = r.view.rules.bots.lift_sanctions_intent
    return r.intent(target) < calm and target not in {a for a, _ in _aggressors(r)}


def sanctions(r: Reading, temperament: str) -> dict[str, Any]:
    """The sanctions and lift_sanctions parts of a bot's orders (never lifting what an agreement binds)."""
    imposed = r.view.sanctions
    mine = {k.partition(">")[2] for k in imposed if k.partition(">")[0] == r.me}
    new: list[SanctionOrder] = []
    for attacker, _ in _aggressors(r):
        if attacker in mine or attacker == r.me or attacker in {o.target for o in new}:
            continue
        if would_sanction(r, temperament, attacker):
            new.append(SanctionOrder(target=attacker, kind="sanctions"))
    bound = bound_targets(r)
    lift = sorted(t for t in mine if calm_towards(r, t) and t not in bound)
    return {"sanctions": new, "lift_sanctions": lift}


def withheld(r: Reading, temperament: str) -> list[str]:
    """Agreements whose terms I do not carry out this turn: only a realist withholds, sanctions that cost it
    more than the target once the target is calm, and aid to a partner that has proved unreliable."""
    if temperament != "realist":
        return []
    floor = r.view.rules.bots.exit_reputation
    out = []
    for ag in r.active():
        if r.me not in ag.parties or ag.notice_until is not None:
            continue
        costly = any(
            calm_towards(r, t.target) and _dependence(r, r.me, t.target) >= _dependence(r, t.target, r.me)
            for t in _sanction_terms(ag, r.me)
        )
        wasted = any(a.donor == r.me and r.actor(a.to).reputation < floor for a in ag.terms.aid)
        if costly or wasted:
            out.append(ag.id)
    return sorted(out)


def spent_coalition(r: Reading, ag: AgreementView) -> bool:
    """Whether `ag` commits me to sanction only states I am now calm towards (its purpose is spent)."""
    terms = _sanction_terms(ag, r.me)
    return bool(terms) and all(calm_towards(r, t.target) for t in terms)


def spent_words(r: Reading, ag: AgreementView) -> str:
    """Why I renounce a spent coalition (`spent_coalition`), in plain words: its targets are calm now."""
    targets = sorted({t.target for t in _sanction_terms(ag, r.me)})
    names = [r.actor(t).name for t in targets]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    plural = len(names) > 1
    return (
        f"The coalition's {'targets' if plural else 'target'}, {who}, {'are' if plural else 'is'} no longer hostile "
        f"to us and no longer {'attack' if plural else 'attacks'} anyone we stand with: the sanctions it binds us to "
        "have done their work."
    )


def _aid_pays(r: Reading, milex: float, victim: str) -> bool:
    """Whether aid strengthens the victim relatively more than it weakens me. Aid costs the donor what it
    gives and adds `economy.aid_to_milex` of it to the recipient, so a dollar is a larger share of the
    victim's military spending than of mine only where the victim spends less than that share of mine (a
    patron aids a smaller client; a state would not weaken itself to add a sliver to a stronger ally)."""
    theirs = r.actor(victim).capabilities.milex
    return theirs is not None and theirs < r.view.rules.economy.aid_to_milex * milex


def coalition(r: Reading, temperament: str) -> Proposal | None:
    """A sanctions coalition (with aid, from an ally obliged to the victim) against an attacker of me or of
    my ally, offered to a state on the victim's side that is not yet bound with me against it."""
    coef = r.view.rules.bots
    for attacker, victim in _aggressors(r):
        if not would_sanction(r, temperament, attacker):
            continue
        obliged = {g for c in r.view.calls if c.caller == victim and c.adversary == attacker for g in c.obligated}
        for partner in sorted(({victim} | obliged) - {r.me, attacker}):
            together = any(
                partner in ag.parties and any(t.target == attacker for t in _sanction_terms(ag, r.me))
                for ag in r.active()
            )
            if together:
                continue
            aid: list[AidTerm] = []
            milex = r.mine.capabilities.milex
            if r.me in obliged and partner == victim and milex and _aid_pays(r, milex, victim):
                aid = [
                    AidTerm(
                        donor=r.me,
                        to=victim,
                        value_usd_m=round(milex * coef.aid_offer_share / THOUSANDS_PER_MILLION, 1),
                    )
                ]
            # The partner is committed too only where it has leverage of its own (it depends on the attacker's
            # trade less than the attacker on its): a state with nothing to cut would refuse the term.
            leverage = _dependence(r, partner, attacker) < _dependence(r, attacker, partner)
            term = SanctionTerm(target=attacker, by=[] if leverage else [r.me])
            for kind in ("consultation", "strategic_partnership"):
                if not any(ag.type == kind and set(ag.parties) == {r.me, partner} for ag in r.active()):
                    return Proposal(
                        type=kind,
                        parties=[r.me, partner],
                        strength=coef.multilateral_strength,
                        ambiguity=coef.offer_ambiguity,
                        duration=coef.agreement_term,
                        sanctions=[term],
                        aid=[a for a in aid if a.value_usd_m > 0],
                    )
    return None


def terms_acceptable(r: Reading, p: ProposalView, temperament: str) -> bool:
    """Whether the economic terms of a proposal are in my interest: I sanction only whom I would sanction
    myself, and give aid only to an ally."""
    prop = p.proposal
    for t in prop.sanctions:
        if r.me in (t.by or prop.parties) and not would_sanction(r, temperament, t.target):
            return False
    allies = r.allies()
    return all(a.to in allies for a in prop.aid if a.donor == r.me)


def drafts(r: Reading, temperament: str) -> list[Command]:
    """A draft resolution on an attacker of my ally or of me, once per attacker, if I sit on the Council."""
    council = r.view.council
    if council is None or r.me not in council.members:
        return []
    tabled = {(res.kind, res.target) for res in council.resolutions}
    for attacker, victim in _aggressors(r):
        if temperament == "liberal":
            kind, authorised = "authorise_force", sorted({victim, r.me} - {attacker})
        else:
            kind, authorised = "condemn", []
        if (kind, attacker) not in tabled:
            return [
                TableResolution(
                    by=r.me,
                    kind=kind,
                    target=attacker,
                    authorised=authorised,
                    text=f"The Security Council acts on {attacker}'s attack on {victim}.",
                )
            ]
    return []
