"""Results told as news: the stories a room cares about, and what changed for one team.

Pure text generation from events and states (no I/O): the plenary leads with agreements, calls and
their answers, demands, wars and Council votes; rollbacks and amendments are announced with their
reason (every seat's view carries them as `announcements`, so a reload never loses them); every
sentence names actors instead of showing their ids, and leaves the technical asides (the
parenthesised figures) to the details. The browser client's components/news.js follows the same
rules on a seat's view for the other stories; the terminal replay and the debrief use this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crisisgame.engine.commands import FACILITATOR
from crisisgame.engine.events import (
    AgreementConcluded,
    AgreementEnded,
    Amended,
    CallOpened,
    Change,
    Event,
    FreeformRated,
    Outcome,
    RolledBack,
)
from crisisgame.engine.state import State

LEAD_RULES: dict[str, int] = {
    "agreement_concluded": 0,
    "agreement_ended": 1,
    "agreement.renunciation": 1,
    "call_opened": 2,
    "alliance.answer": 3,
    "crisis.demand": 4,
    "crisis.backdown": 4,
    "crisis.war": 5,
    "crisis.strike": 5,
    "crisis.spoils": 5,
    "crisis.ceasefire": 5,
    "council": 6,
    "freeform_rated": 6,
    "rolled_back": -2,
    "amended": -1,
}
"""How high a story leads (lower first); control's corrections lead, so nobody misses them."""

MAX_CHANGED = 6
MIN_CHANGED = 3


@dataclass(frozen=True)
class Story:
    turn: int
    rank: int
    title: str
    text: str


def with_names(text: str, s: State) -> str:
    """`text` with every actor id (a whole word) replaced by the actor's name."""
    ids = sorted(s.actors, key=len, reverse=True)
    if not ids or not text:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in ids) + r")\b")
    return pattern.sub(lambda m: s.actors[m.group(1)].name, text)


def strip_asides(text: str) -> str:
    """`text` without its parenthesised asides, nested ones included."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\s*\([^()]*\)", "", text)
    return text.strip()


def readable(text: str, s: State) -> str:
    """A sentence for a person: names, not ids, and no parenthesised figures such as '(0.25 to 0.25)'."""
    return re.sub(r"\s+([.,;:])", r"\1", strip_asides(with_names(text, s))).strip()


def sentence(text: str) -> str:
    """`text` ending with one full stop (or its own ! or ?)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _rank(e: Event) -> int | None:
    if e.type in LEAD_RULES:
        return LEAD_RULES[e.type]
    if not isinstance(e, Outcome) or e.audience != "public":
        return None
    rule = e.reason.rule
    if rule in LEAD_RULES:
        return LEAD_RULES[rule]
    if rule.startswith(("council.", "unsc.")):
        return LEAD_RULES["council"]
    if rule.startswith("crisis.") and rule != "crisis.intent":
        return LEAD_RULES["crisis.war"]
    return None


def _names(s: State, ids: Sequence[str]) -> str:
    names = [s.actors[a].name if a in s.actors else a for a in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def story(e: Event, s: State) -> Story | None:
    """The event as a news story, or None if it is not news for the whole room."""
    rank = _rank(e)
    if rank is None:
        return None
    turn = int(getattr(e, "turn", 0))
    if isinstance(e, AgreementConcluded):
        if not e.proposal.public:
            return None
        kind = e.proposal.type.replace("_", " ")
        title = f"{_names(s, e.proposal.parties)} conclude a {kind}"
        return Story(turn, rank, title, readable(e.reason.explanation, s))
    if isinstance(e, AgreementEnded):
        ag = s.agreements.get(e.agreement)
        if not e.public or (ag is not None and not ag.public):
            return None  # a secret agreement's end is its parties' only
        title = f"{_agreement_name(s, e.agreement)} ends ({e.cause})"
        return Story(turn, rank, title, sentence(readable(e.reason.explanation, s)) + stated(e.stated_reason))
    if isinstance(e, Outcome) and e.reason.rule == "agreement.renunciation":
        by, why = e.reason.inputs.get("by"), e.reason.inputs.get("stated_reason")
        title = f"{_names(s, [str(by)])} renounces {_agreement_name(s, str(e.reason.inputs.get('agreement')))}"
        text = sentence(readable(e.reason.explanation, s))
        return Story(turn, rank, title, text + stated(why if isinstance(why, str) else None))
    if isinstance(e, CallOpened):
        return Story(
            turn,
            rank,
            f"{_names(s, [e.caller])} calls on its allies against {_names(s, [e.adversary])}",
            readable(e.reason.explanation, s),
        )
    if isinstance(e, FreeformRated):
        action = s.freeform.get(e.id)
        if action is None or not action.public:
            return None  # a private action is its team's and Control's only
        title = f"{_names(s, [action.actor])}'s free-form action {'succeeds' if e.success else 'fails'}"
        return Story(turn, rank, title, readable(e.reason.explanation, s))
    if isinstance(e, RolledBack | Amended):
        return correction(e, s, FACILITATOR)
    if isinstance(e, Outcome):
        return Story(turn, rank, _title(e.reason.rule), sentence(readable(e.reason.explanation, s)))
    reason = getattr(e, "reason", None)
    text = str(getattr(reason, "explanation", reason or e.type))
    return Story(turn, rank, e.type.replace("_", " ").capitalize(), readable(text, s))


def _agreement_name(s: State, ag_id: str) -> str:
    ag = s.agreements.get(ag_id)
    return f"'{ag.name}'" if ag is not None else f"'{ag_id}'"


def stated(reason: str | None) -> str:
    """A renouncer's stated reason as it follows the news of its renunciation (quoted as given: no asides
    stripped, no ids replaced), or nothing if it stated none."""
    return f" Stated reason: “{reason}”" if reason else ""


def _amended(change: Change, s: State, seat: str) -> str:
    """What an amendment changed, in words `seat` may read (a secret agreement it is not party to stays
    unnamed)."""
    field = change.field.replace("_", " ")
    if change.target == "actor" and change.key in s.actors:
        return f"{s.actors[change.key].name}'s {field}"
    if change.target == "pair":
        ends = [a for a in re.split(r"[>|]", change.key) if a in s.actors]
        if len(ends) == 2:
            return f"the {field} between {_names(s, ends)}"
    if change.target == "agreement":
        ag = s.agreements.get(change.key)
        if ag is not None and (ag.public or seat == FACILITATOR or seat in ag.parties):
            return f"the {field} of the {ag.type.replace('_', ' ')} of {_names(s, ag.parties)}"
        return f"an agreement's {field}"
    return f"a result ({field})" if seat == FACILITATOR else "a result"


def correction(e: RolledBack | Amended, s: State, seat: str) -> Story:
    """A rollback or an amendment told with its reason, in words `seat` may read."""
    rank = LEAD_RULES[e.type]
    if isinstance(e, RolledBack):
        return Story(
            e.turn, rank, f"Control rolled back turn {e.turn}", f"Control rolled back turn {e.turn}: {e.reason}"
        )
    what = _amended(e.change, s, seat)
    return Story(e.turn, rank, "Control amended a result", f"Control amended {what} in turn {e.turn}: {e.reason}")


def announcements(s: State, seat: str) -> list[Story]:
    """Every rollback and amendment of the game so far, oldest first, as `seat` is told of them."""
    return [correction(e, s, seat) for e in s.corrections if isinstance(e, RolledBack | Amended)]


def _title(rule: str) -> str:
    if rule == "alliance.answer":
        return "An ally answers"
    if rule in ("crisis.demand", "crisis.backdown"):
        return "A demand is settled"
    if rule.startswith(("council.", "unsc.")):
        return "Security Council"
    return "Force"


def lead_stories(events: Sequence[Event], s: State) -> list[Story]:
    """The stories of `events`, the latest turn first and, within a turn, in order of what leads."""
    stories = [x for e in events if (x := story(e, s)) is not None]
    return sorted(stories, key=lambda x: (-x.turn, x.rank))


def _mine(e: Event, seat: str) -> bool:
    if isinstance(e, AgreementConcluded):
        return seat in e.proposal.parties
    if isinstance(e, CallOpened):
        return seat in (e.caller, e.adversary, *e.obligated)
    if isinstance(e, Outcome):
        return any(
            ch.key == seat or seat in re.split(r"[>|-]", ch.key) or ch.field == f"answer:{seat}" for ch in e.changes
        )
    return False


def what_changed(before: State, after: State, events: Sequence[Event], seat: str) -> list[str]:
    """Three to six sentences that open `seat`'s results: its agreements (concluded, renounced with the stated
    reason, ended), calls, demands and force,
    its top threat and how it moved, and its objectives."""

    def name(actor: str) -> str:
        return "you" if actor == seat else after.actors[actor].name

    out: list[str] = []
    for e in events:
        if isinstance(e, AgreementConcluded) and seat in e.proposal.parties:
            others = " and ".join(name(p) for p in e.proposal.parties if p != seat)
            out.append(f"You concluded a {e.proposal.type.replace('_', ' ')} with {others}; it is in force now.")
    for e in events:
        if isinstance(e, Outcome) and e.reason.rule == "agreement.renunciation":
            ag = after.agreements.get(str(e.reason.inputs.get("agreement")))
            by, why = str(e.reason.inputs.get("by")), e.reason.inputs.get("stated_reason")
            if ag is not None and seat in ag.parties:
                who = "You gave" if by == seat else f"{name(by)} gave"
                out.append(
                    f"{who} notice renouncing '{ag.name}'; it binds until turn {ag.notice_until}."
                    + stated(why if isinstance(why, str) else None)
                )
        elif isinstance(e, AgreementEnded) and seat in e.parties and e.cause == "renounced":
            ag = after.agreements.get(e.agreement)
            out.append(f"'{ag.name if ag else e.agreement}' has ended: the notice of renunciation ran out.")
    for e in events:
        if isinstance(e, CallOpened):
            if e.caller == seat:
                helpers = ", ".join(name(g) for g in e.obligated)
                out.append(f"You called on {helpers} to help against {name(e.adversary)}.")
            elif seat in e.obligated:
                out.append(
                    f"{name(e.caller).capitalize()} called on you to help against {name(e.adversary)}: "
                    "honour or abandon the call in your next orders."
                )
    for e in events:
        if isinstance(e, Outcome) and _mine(e, seat):
            rule = e.reason.rule
            if rule == "alliance.answer" or (rule.startswith("crisis.") and rule != "crisis.intent"):
                out.append(sentence(readable(e.reason.explanation, after)))
    tail: list[str] = []  # the threat and the objectives close every account, whatever else happened
    rivals = [b for b in after.actors if b != seat]
    if rivals:
        top = max(rivals, key=lambda b: (after.threat_of(seat, b), b))
        now, then = after.threat_of(seat, top), before.threat_of(seat, top)
        trend = "rose" if now > then + 0.005 else "fell" if now < then - 0.005 else "held"
        tail.append(f"Your greatest threat is {after.actors[top].name}; it {trend} to {now:.2f} this turn.")
    objectives = after.scenario.actor(seat).objectives
    if objectives:
        score, was = after.actors[seat].score, before.actors[seat].score
        change = "unchanged" if score == was else f"{'up' if score > was else 'down'} from {was:.0f}"
        tail.append(f"The objectives you meet are worth {score:.0f} points, {change}.")
    head = list(dict.fromkeys(out))[: MAX_CHANGED - len(tail)]
    if len(head) + len(tail) < MIN_CHANGED:
        head.insert(0, "No agreement, call or demand concerned you directly this turn.")
    return head + tail
