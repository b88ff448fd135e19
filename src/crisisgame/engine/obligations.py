"""What an agreement obliges, when and where: the casus foederis (ATOP; Leeds et al. 2000, Leeds 2003).

An agreement's `obligations` are read into clauses. A bare kind takes its default trigger and
scope; an agreement that lists none takes the defaults of its type (a defence pact or a guarantee:
defence on an armed attack on a party's territory). Only clauses that oblige help in war can be
called on (defence, offence, extended deterrence); the others oblige talk, restraint, access or
supplies. A call is valid only when a callable clause's trigger occurred in its scope, and an
invalid call is refused with the clause that does not apply.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from crisisgame.scenario.model import Clause, ObligationKind, Trigger

How = Literal["attacked", "coerced", "attacking"]
"""How the caller is involved: attacked (force at grey-zone or above on its territory), coerced (a
coercive demand), attacking (it used force on the adversary, for offence clauses)."""

CALLABLE: frozenset[str] = frozenset({"defence", "offence", "extended_deterrence"})
"""Clause kinds whose parties can be called to fight."""

DEFAULT_TRIGGER: dict[str, Trigger] = {
    "defence": "armed_attack",
    "offence": "any_war",
    "extended_deterrence": "coercion",
}
"""Trigger of a clause that does not name one (kinds not listed here cannot be called on)."""

TYPE_DEFAULTS: dict[str, tuple[ObligationKind, ...]] = {
    "defence_pact": ("defence",),
    "security_guarantee": ("defence",),
    "offence_pact": ("offence",),
    "neutrality": ("neutrality",),
    "non_aggression": ("non_aggression",),
    "consultation": ("consultation",),
    "basing_rights": ("basing_transit",),
    "arms_deal": ("arms_supply",),
    "joint_exercise": ("consultation",),
    "strategic_partnership": ("consultation",),
}
"""The obligations an agreement of each type carries when the scenario lists none."""

_WHAT = {
    "defence": "help if attacked",
    "offence": "join a party's war",
    "neutrality": "stay out of a party's war",
    "non_aggression": "not attack each other",
    "consultation": "consult in a crisis, not fight",
    "extended_deterrence": "deter threats against a party",
    "basing_transit": "allow bases and transit, not fight",
    "arms_supply": "supply arms, not fight",
}
_WHEN = {
    "armed_attack": "on an armed attack",
    "named_attacker": "on an attack by {attackers}",
    "any_war": "in any war a party fights",
    "coercion": "on a coercive threat or an attack",
}


def clauses(agreement_type: str, obligations: Iterable[ObligationKind | Clause]) -> tuple[Clause, ...]:
    """The agreement's clauses with defaults filled in (the type's defaults if none are listed)."""
    listed = list(obligations) or list(TYPE_DEFAULTS.get(agreement_type, ()))
    out: list[Clause] = []
    for ob in listed:
        c = ob if isinstance(ob, Clause) else Clause(kind=ob)
        if c.trigger is None and c.kind in DEFAULT_TRIGGER:
            c = c.model_copy(update={"trigger": DEFAULT_TRIGGER[c.kind]})
        out.append(c)
    return tuple(out)


def label(c: Clause) -> str:
    """The clause in words, e.g. 'defence (help if attacked) on an armed attack on a party's territory'."""
    text = f"{c.kind.replace('_', ' ')} ({_WHAT[c.kind]})"
    if c.kind in CALLABLE and c.trigger is not None:
        text += " " + _WHEN[c.trigger].format(attackers=", ".join(c.attackers) or "a named state")
        text += " in " + (", ".join(c.region) if c.scope == "region" else "a party's territory")
        if c.min_rung is not None:
            text += f", from a {c.min_rung.replace('_', ' ')} up"
    return text


RUNGS = ("protest", "grey_zone", "show_of_force", "blockade", "limited_strike", "war", "nuclear_use")
"""The escalation ladder in order (its weights are in the rulebook)."""


def refusal(c: Clause, caller: str, adversary: str, how: How, rung: str | None = None) -> str | None:
    """Why clause `c` does not apply to `caller`'s call against `adversary` (None if it applies).

    `rung` is the force the caller faced, if any: a clause with its own `min_rung` answers force from
    that rung up, whether or not the rulebook counts it as an armed attack."""
    if c.kind not in CALLABLE:
        return f"the {c.kind.replace('_', ' ')} clause obliges the parties to {_WHAT[c.kind]}"
    if c.min_rung is not None and rung in RUNGS and how != "attacking":
        if RUNGS.index(rung) < RUNGS.index(c.min_rung):
            return (
                f"the {c.kind.replace('_', ' ')} clause answers force from a {c.min_rung.replace('_', ' ')} up, "
                f"and {caller} faced a {rung.replace('_', ' ')}"
            )
        how = "attacked"  # force at the clause's own threshold is the attack it answers
    trigger = c.trigger or DEFAULT_TRIGGER[c.kind]
    if trigger == "armed_attack" and how != "attacked":
        return f"the {c.kind.replace('_', ' ')} clause answers an armed attack, and {caller} was {how_words(how)}"
    if trigger == "named_attacker":
        if how != "attacked":
            return f"the {c.kind.replace('_', ' ')} clause answers an armed attack, and {caller} was {how_words(how)}"
        if adversary not in c.attackers:
            return f"the {c.kind.replace('_', ' ')} clause names only {', '.join(c.attackers)}, not {adversary}"
    if trigger == "coercion" and how == "attacking":
        return f"the {c.kind.replace('_', ' ')} clause deters threats against a party, and {caller} struck first"
    theatre = adversary if how == "attacking" else caller
    if c.scope == "region" and theatre not in c.region:
        return f"the {c.kind.replace('_', ' ')} clause covers only {', '.join(c.region) or 'no territory'}"
    return None


def how_words(how: How) -> str:
    return {"attacked": "attacked", "coerced": "coerced, not attacked", "attacking": "the attacker"}[how]


def first_applicable(
    cs: Sequence[Clause], caller: str, adversary: str, how: How, rung: str | None = None
) -> tuple[Clause | None, list[tuple[Clause, str]]]:
    """The first clause that applies, and every callable clause that does not with the reason why."""
    refused: list[tuple[Clause, str]] = []
    for c in cs:
        why = refusal(c, caller, adversary, how, rung)
        if why is None:
            return c, refused
        refused.append((c, why))
    return None, refused


def can_ever_apply(c: Clause, parties: Collection[str], caller: str, adversary: str) -> str | None:
    """Why a call by `caller` against `adversary` under clause `c` could never be valid (None if it could).

    Used by the scenario validator and by proposal checks, before anything has happened.
    """
    if caller not in parties:
        return f"{caller} is not a party to the agreement"
    if adversary in parties:
        return f"{adversary} is a party to the agreement: a call cannot be made against a party"
    if c.kind not in CALLABLE:
        return f"the {c.kind.replace('_', ' ')} clause obliges the parties to {_WHAT[c.kind]}"
    if (c.trigger or DEFAULT_TRIGGER[c.kind]) == "named_attacker" and adversary not in c.attackers:
        return f"the {c.kind.replace('_', ' ')} clause names only {', '.join(c.attackers) or 'no state'}"
    if c.scope == "region" and c.kind != "offence" and caller not in c.region:
        return f"the {c.kind.replace('_', ' ')} clause covers only {', '.join(c.region) or 'no territory'}"
    return None
