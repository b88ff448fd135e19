"""How computer players manage agreements over time: no duplicates, renewal, and exit.

- No bot proposes an agreement that duplicates one in force (same type, same parties).
- Political agreements (consultation, partnership) are proposed for a fixed, renewable term, so
  that durability can be studied: each renewal is a decision.
- A fixed-term agreement about to expire is renewed by temperament and beliefs: a liberal renews
  unless a partner has turned hostile (institutions are worth keeping, Keohane 1984); a realist only
  while it still faces a threat and its partners are reliable (alliances are instruments, Walt 1987);
  a constructivist while its partners share its identities or are not hostile (Wendt 1999).
- A coalition whose sanctions term targets only states the bot is now calm towards (no longer an attacker,
  no longer seen as hostile) has served its purpose: no temperament renews it, and a realist or a
  constructivist renounces it (bots/statecraft.py).
- Exit: a realist guarantor renounces a protective commitment when its risk of entrapment is high
  and the partner it protects has proved unreliable (Snyder 1984's alliance security dilemma); a
  constructivist renounces an agreement with a partner it now sees as hostile and that shares none
  of its identities; a liberal keeps its word.
"""

from __future__ import annotations

from crisisgame.bots.reading import PROTECTIVE, Reading
from crisisgame.bots.statecraft import spent_coalition
from crisisgame.engine.commands import Proposal
from crisisgame.engine.seatview import AgreementView

TERMED = frozenset({"consultation", "strategic_partnership"})


def in_force(r: Reading, p: Proposal) -> bool:
    """Whether an agreement of the same type between the same parties is already in force."""
    return any(ag.type == p.type and set(ag.parties) == set(p.parties) for ag in r.active())


def mandate_held(r: Reading, parties: list[str]) -> str:
    """The mandate these parties hold (see `State.mandate_for`): bots claim none they were not granted."""
    council = r.view.council
    if council is None:
        return "none"
    if any(res.status == "adopted" and set(res.authorised) & set(parties) for res in council.resolutions):
        return "unsc"
    return "regional" if set(council.regional_bodies) & set(parties) else "none"


def shape(r: Reading, p: Proposal | None) -> Proposal | None:
    """The proposal a bot makes: none if it would duplicate one in force; a fixed term if political; at most
    the mandate its parties hold."""
    if p is None or in_force(r, p):
        return None
    rank = {"none": 0, "regional": 1, "unsc": 2}
    held = mandate_held(r, p.parties)
    if rank[p.mandate] > rank[held]:
        p = p.model_copy(update={"mandate": held})
    if p.type in TERMED and p.duration is None:
        return p.model_copy(update={"duration": r.view.rules.bots.agreement_term})
    return p


def _partners(r: Reading, ag: AgreementView) -> list[str]:
    return [x for x in ag.parties if x != r.me]


def _kin(r: Reading, k: str) -> bool:
    return bool(set(r.mine.identities) & set(r.actor(k).identities))


def renewals(r: Reading, temperament: str) -> list[str]:
    """Agreements of mine that expire at the end of this turn and that this temperament renews."""
    _, threat = r.top_threat()
    coef = r.view.rules.bots
    out = []
    for ag in r.active():
        if r.me not in ag.parties or ag.duration is None or ag.duration > 1 or spent_coalition(r, ag):
            continue
        partners = _partners(r, ag)
        hostile = any(r.intent(k) >= coef.renewal_hostile_intent for k in partners)
        if temperament == "liberal":
            keep = not hostile
        elif temperament == "constructivist":
            keep = all(_kin(r, k) or r.intent(k) < coef.renewal_hostile_intent for k in partners)
        else:
            reliable = all(r.actor(k).reputation >= coef.renewal_reputation for k in partners)
            keep = not hostile and reliable and threat > coef.renewal_threat
        if keep:
            out.append(ag.id)
    return sorted(out)


def exits(r: Reading, temperament: str) -> list[str]:
    """Agreements this temperament renounces now, given its beliefs."""
    coef = r.view.rules.bots
    out = []
    for ag in r.active():
        if r.me not in ag.parties or ag.notice_until is not None:
            continue
        partners = _partners(r, ag)
        if temperament != "liberal" and spent_coalition(r, ag):
            out.append(ag.id)
            continue
        if temperament == "realist":
            guarantor = r.me in (ag.guarantors or ag.parties) and ag.type in PROTECTIVE
            entrapped = r.mine.entrapment_risk > coef.exit_entrapment
            unreliable = any(r.actor(k).reputation < coef.exit_reputation for k in partners)
            leave = guarantor and entrapped and unreliable
        elif temperament == "constructivist":
            leave = any(r.intent(k) >= coef.renewal_hostile_intent and not _kin(r, k) for k in partners)
        else:
            leave = False
        if leave:
            out.append(ag.id)
    return sorted(out)


def agreement_orders(r: Reading, temperament: str) -> dict[str, list[str]]:
    """The renew and renounce parts of a bot's orders (never both for one agreement)."""
    leaving = exits(r, temperament)
    return {"renounce": leaving, "renew": [a for a in renewals(r, temperament) if a not in leaving]}
