"""How computer players use economic statecraft and the Security Council.

- A state whose ally (or itself) was attacked, and which is less dependent on the attacker's trade
  than the attacker is on its own, sanctions the attacker (Hirschman 1945: asymmetric dependence is
  power); a liberal sanctions even at some cost to itself (collective enforcement, Keohane 1984). It
  lifts its sanctions once it no longer sees the target as hostile.
- A Council member whose ally was attacked tables a draft: a liberal asks for an authorisation of
  force for the victim and its partners, others for a condemnation (Voeten 2005: states seek the
  Council's seal because it reassures third parties).
"""

from __future__ import annotations

from typing import Any

from crisisgame.bots.reading import Reading
from crisisgame.engine.commands import Command, SanctionOrder, TableResolution


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


def sanctions(r: Reading, temperament: str) -> dict[str, Any]:
    """The sanctions and lift_sanctions parts of a bot's orders."""
    imposed = r.view.sanctions
    mine = {k.partition(">")[2] for k in imposed if k.partition(">")[0] == r.me}
    new: list[SanctionOrder] = []
    for attacker, _ in _aggressors(r):
        if attacker in mine or attacker == r.me or attacker in {o.target for o in new}:
            continue
        cheap = _dependence(r, r.me, attacker) < _dependence(r, attacker, r.me)
        if cheap or (temperament == "liberal" and _dependence(r, attacker, r.me) > 0):
            new.append(SanctionOrder(target=attacker, kind="sanctions"))
    calm = r.view.rules.bots.lift_sanctions_intent
    lift = sorted(t for t in mine if r.intent(t) < calm and t not in {a for a, _ in _aggressors(r)})
    return {"sanctions": new, "lift_sanctions": lift}


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
