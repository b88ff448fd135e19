"""The two-page debrief summary: what an instructor needs for a 20-minute discussion, chosen from the log.

Everything here is a pure selection from a `History` (no HTML, no I/O): a headline per turn, the
turning points (the largest moves in threat, credibility, war risk and alignment, each with the
decision that caused it), the alliance ledger, the agreements that ended (a renunciation with the reason its
renouncer stated, or a plain note that a team gave none), each team's objectives with the reason they were met
or missed, the theory the game illustrated, and discussion questions written from the game's own
events. `summary_html` renders it.

Two editions: the facilitator's holds everything; the student edition, which the facilitator can
release to the whole class, leaves out what any seat kept from the others: secret objectives,
private and group messages, secret agreements and every outcome or inject shown to named seats only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from crisisgame.debrief.history import History, TurnRecord
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.events import (
    AgreementConcluded,
    AgreementEnded,
    CallOpened,
    DemandOpened,
    Event,
    FreeformApplied,
    FreeformCountered,
    FreeformProposed,
    FreeformRated,
    Outcome,
)
from crisisgame.engine.news import strip_asides
from crisisgame.engine.objectives import statuses
from crisisgame.engine.state import FreeformState, State
from crisisgame.scenario.model import (
    AvoidAgreement,
    AvoidWar,
    ChangeCapability,
    ChangeIntent,
    Effect,
    HaveAgreement,
    IssueOutcome,
    KeepApproval,
    KeepReputation,
    LimitThreat,
    Objective,
    SpendAtMost,
)

Edition = Literal["facilitator", "student"]
EDITIONS: tuple[Edition, ...] = ("facilitator", "student")
Measure = Literal["threat", "credibility", "war risk", "alignment"]

MIN_MOVE: dict[Measure, float] = {"threat": 0.02, "credibility": 0.02, "war risk": 0.01, "alignment": 1.0}
"""Smallest move worth naming as a turning point (a display threshold of the debrief, not a model coefficient)."""
PER_MEASURE = 2
"""Turning points kept per measure, so one kind of move cannot crowd out the others."""
MAX_QUESTIONS = 8
MIN_QUESTIONS = 5

CAUSE_PRIORITY = (
    "crisis.war",
    "crisis.strike",
    "crisis.intent",
    "crisis.demand",
    "crisis.backdown",
    "crisis.ceasefire",
    "alliance.answer",
    "agreement",
    "alliance.call",
    "capabilities.spending",
    "inject",
    "legitimacy.mandate",
)
"""Kinds of decision, most consequential first: the one named as the cause of a move."""


@dataclass(frozen=True)
class Concept:
    """A concept of the theory the game can illustrate, in the project's own words."""

    name: str
    definition: str
    source: str


CONCEPTS: dict[str, Concept] = {
    "balance_of_threat": Concept(
        "Balance of threat",
        "States ally against whoever threatens them most, and threat is power weighted by proximity, offensive "
        "capacity and, above all, perceived intent.",
        "walt1987",
    ),
    "security_dilemma": Concept(
        "Security dilemma",
        "What one state does to feel safer can make its neighbours feel less safe, so they answer in kind.",
        "jervis1978",
    ),
    "credible_commitment": Concept(
        "Credible commitment",
        "A promise to defend a partner deters only if others believe it; sunk costs and public pledges make it "
        "believable.",
        "fearon1997",
    ),
    "abandonment": Concept(
        "Abandonment",
        "The fear, and the fact, of an ally staying out when its partner is attacked or coerced.",
        "snyder1984",
    ),
    "alliance_reliability": Concept(
        "Alliance reliability",
        "Allies honour most of their written promises, more when the promise fits the threat they face.",
        "leeds2000",
    ),
    "entrapment": Concept(
        "Entrapment",
        "The risk of being dragged into a partner's conflict by a firm promise to that partner.",
        "snyder1984",
    ),
    "audience_costs": Concept(
        "Audience costs",
        "Leaders who threaten in public and then back down pay for it at home, which makes public threats "
        "more credible.",
        "fearon1997",
    ),
    "bargaining_failure": Concept(
        "Bargaining failure",
        "War is costly, so a deal both sides prefer usually exists; it fails through private information, "
        "commitment problems or indivisible stakes.",
        "fearon1995",
    ),
    "two_level_game": Concept(
        "Two-level game",
        "A negotiator must strike a deal abroad that the audience at home will ratify; a narrow win-set is both "
        "leverage and a risk.",
        "putnam1988",
    ),
    "free_riding": Concept(
        "Free-riding",
        "Deterrence protects every ally at once, so smaller members can leave the larger ones to pay for it.",
        "olson_zeckhauser1966",
    ),
    "chain_ganging": Concept(
        "Chain-ganging and buck-passing",
        "Allies either follow a reckless partner into war or leave others to stop the threat, depending on "
        "polarity and whether offence has the advantage.",
        "christensen_snyder1990",
    ),
    "bandwagoning": Concept(
        "Bandwagoning",
        "A weak state with few allies may side with the threatening power instead of balancing against it.",
        "walt1987",
    ),
    "bandwagoning_for_profit": Concept(
        "Bandwagoning for profit",
        "A state may join a strong attacker not out of fear but to share the spoils of its victory; states that "
        "want the status quo changed gain most from it.",
        "schweller1994",
    ),
    "legitimacy": Concept(
        "Legitimacy",
        "A mandate from an international body reassures outsiders that a coalition's aims are limited.",
        "thompson2006",
    ),
}

RULE_CONCEPT: dict[str, str] = {
    "crisis.war": "bargaining_failure",
    "crisis.strike": "bargaining_failure",
    "crisis.spoils": "bandwagoning_for_profit",
    "crisis.backdown": "audience_costs",
    "alliance.entrapment": "entrapment",
    "credibility.fearon": "credible_commitment",
    "ratification.winset": "two_level_game",
    "burden.free_riding": "free_riding",
    "behaviour.chain_ganging": "chain_ganging",
    "behaviour.buck_passing": "chain_ganging",
    "behaviour.bandwagoning": "bandwagoning",
    "behaviour.external_balancing": "balance_of_threat",
    "behaviour.internal_balancing": "balance_of_threat",
    "threat.walt": "balance_of_threat",
    "security_dilemma.intent": "security_dilemma",
    "crisis.intent": "security_dilemma",
    "legitimacy.mandate": "legitimacy",
}
"""Which concept an adjudication rule illustrates (alliance.answer depends on the answer, see `_concept_of`)."""

CONCEPT_ORDER = (
    "bargaining_failure",
    "abandonment",
    "alliance_reliability",
    "audience_costs",
    "balance_of_threat",
    "security_dilemma",
    "chain_ganging",
    "bandwagoning",
    "entrapment",
    "credible_commitment",
    "two_level_game",
    "free_riding",
    "legitimacy",
)
MAX_CONCEPTS = 6


# --------------------------------------------------------------------------- the summary's parts


@dataclass(frozen=True)
class Headline:
    turn: int
    text: str


@dataclass(frozen=True)
class _Move:
    """A candidate turning point before its cause is looked up (looking it up is the costly part)."""

    turn: int
    measure: Measure
    subject: str
    before: float
    after: float
    actors: tuple[str, ...]
    events: tuple[Event, ...]

    @property
    def size(self) -> float:
        return abs(self.after - self.before)


@dataclass(frozen=True)
class TurningPoint:
    turn: int
    measure: Measure
    subject: str
    before: float
    after: float
    cause: str

    @property
    def size(self) -> float:
        return abs(self.after - self.before)


@dataclass(frozen=True)
class Answer:
    actor: str
    answer: Literal["honoured", "abandoned", "no answer", "pending"]
    reason: str
    odds: float | None = None
    """A computer player's chance of honouring (None for a team, which decided for itself)."""


@dataclass(frozen=True)
class LedgerEntry:
    turn: int
    caller: str
    adversary: str
    agreement: str
    clause: str | None
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Ending:
    """An agreement that ended, or that a party gave notice to renounce, and why."""

    turn: int
    """The turn it ended (for a notice still running when the game ended: the turn the notice was given)."""
    agreement: str
    parties: tuple[str, ...]
    cause: str
    """How it ended: renounced, expired, suspended, superseded, broken; or 'notice given' (still in force)."""
    by: str | None
    """Who renounced or suspended it (a name), if someone did."""
    reason: str
    """Why: the renouncer's stated reason, a plain note that it gave none, or the engine's account of the end."""
    stated: bool
    """Whether `reason` is the renouncer's own words."""


@dataclass(frozen=True)
class ObjectiveResult:
    team: str
    text: str
    met: bool
    why: str
    secret: bool


@dataclass(frozen=True)
class TheoryMoment:
    concept: str
    definition: str
    turn: int
    moment: str
    source_key: str
    source: str


@dataclass(frozen=True)
class FreeformEntry:
    """A free-form action as the debrief tells it: what was argued, how Control rated it, what it did."""

    turn: int
    actor: str
    what: str
    intended_effect: str
    arguments: int
    counters: tuple[str, ...]
    """The names of the teams that counter-argued it."""
    verdict: str
    effects: str
    public: bool


@dataclass(frozen=True)
class Summary:
    title: str
    edition: Edition
    seed: int
    scenario: str
    teams: tuple[str, ...]
    turns: int
    headlines: tuple[Headline, ...]
    turning_points: tuple[TurningPoint, ...]
    ledger: tuple[LedgerEntry, ...]
    objectives: tuple[ObjectiveResult, ...]
    theory: tuple[TheoryMoment, ...]
    questions: tuple[str, ...]
    freeform: tuple[FreeformEntry, ...] = ()
    endings: tuple[Ending, ...] = ()


# --------------------------------------------------------------------------- helpers


def is_public(e: Event, final: State) -> bool:
    """Whether every seat saw this event (what the student edition may show)."""
    if isinstance(e, Outcome):
        return e.audience == "public"
    if isinstance(e, AgreementConcluded):
        return e.proposal.public
    if isinstance(e, CallOpened | AgreementEnded):
        ag = final.agreements.get(e.agreement)
        return (ag is None or ag.public) and (not isinstance(e, AgreementEnded) or e.public)
    if isinstance(e, DemandOpened):
        return e.public
    if isinstance(e, FreeformProposed | FreeformCountered | FreeformRated | FreeformApplied):
        action = final.freeform.get(e.id)
        return action is not None and action.public
    return True


def _visible(record: TurnRecord, final: State, edition: Edition) -> list[Event]:
    return [e for _, e in record.events if edition == "facilitator" or is_public(e, final)]


def _name(s: State, actor: str) -> str:
    st = s.actors.get(actor)
    return st.name if st is not None else actor


def _rule(e: Event) -> str | None:
    """A comparable rule name: an outcome's rule, 'agreement' for a concluded agreement, else None."""
    if isinstance(e, AgreementConcluded):
        return "agreement"
    if isinstance(e, CallOpened):
        return "alliance.call"
    if isinstance(e, Outcome):
        return e.reason.rule
    return None


def _involves(e: Event, actor: str) -> bool:
    """Whether `actor` is the one acting in this event (for crisis events: either side)."""
    if isinstance(e, AgreementConcluded):
        return actor in e.proposal.parties
    if isinstance(e, CallOpened):
        return actor in (e.caller, e.adversary)
    if isinstance(e, Outcome):
        for ch in e.changes:
            parts = ch.key.replace(">", "|").replace("-", "|").split("|")
            if ch.key == actor or (ch.field.startswith("answer:") and ch.field == f"answer:{actor}"):
                return True
            if ch.target in ("pair", "demand") and actor in parts:
                return True
        return any(v == actor for v in e.reason.inputs.values())
    return False


HELPER_ROLES = (
    ("allies_target", "fought for {target} under a commitment to it (a call for help)"),
    ("volunteers", "fought for {target} by its own choice, bound by no agreement"),
    ("allies_attacker", "fought on {attacker}'s side under a commitment to it (a call for help)"),
    ("joined", "joined {attacker}'s side by its own choice, bound by no agreement"),
)
"""How a battle's reason lists the states that fought besides its two sides, and why each fought."""


def _helper_role(e: Event, actors: Sequence[str], s: State | None) -> str | None:
    """For a battle that one of `actors` fought in without being one of its two sides: that state's own reason
    for fighting (a call it answered, or its own choice), not the reasons the two sides came to force."""
    if not isinstance(e, Outcome) or e.reason.rule not in ("crisis.war", "crisis.strike") or s is None:
        return None
    inputs = e.reason.inputs
    attacker, target = str(inputs.get("attacker", "")), str(inputs.get("target", ""))
    if not actors or any(a in (attacker, target) for a in actors) or {attacker, target} - set(s.actors):
        return None
    for key, role in HELPER_ROLES:
        fought = str(inputs.get(key) or "").split(", ")
        helper = next((a for a in actors if a in fought and a in s.actors), None)
        if helper is None:
            continue
        names = {"attacker": _name(s, attacker), "target": _name(s, target)}
        rung = str(inputs.get("rung", "war")).replace("_", " ")
        verdict = "prevailed" if inputs.get("winner") == attacker else "was held off"
        return (
            f"{_name(s, helper)} {role.format(**names)} in {names['attacker']}'s {rung} on {names['target']}: "
            f"{names['attacker']} {verdict}."
        )
    return None


def _explain(e: Event, s: State | None = None) -> str:
    """The sentence a person reads for an event; agreements are told with names, not ids."""
    if isinstance(e, AgreementConcluded) and s is not None:
        parties = [_name(s, p) for p in e.proposal.parties]
        who = ", ".join(parties[:-1]) + " and " + parties[-1]
        kind = e.proposal.type.replace("_", " ")
        return f"{who} concluded a {kind}{_terms_clause(e, s)}."
    reason = getattr(e, "reason", None)
    text = str(getattr(reason, "explanation", "")) if reason is not None else ""
    return humanise(text, s) if s is not None else text


def _terms_clause(e: AgreementConcluded, s: State) -> str:
    """The economic terms of a concluded agreement, in words (empty if it has none)."""
    p = e.proposal
    said = [
        f"{t.kind} on {_name(s, t.target)} by " + ", ".join(_name(s, x) for x in (t.by or p.parties) if x != t.target)
        for t in p.sanctions
    ]
    said += [f"aid of ${a.value_usd_m:,.0f}m a turn from {_name(s, a.donor)} to {_name(s, a.to)}" for a in p.aid]
    return " binding " + " and ".join(said) if said else ""


def humanise(text: str, s: State) -> str:
    """`text` with every actor id (a whole word) replaced by the actor's name: no raw ids for people."""
    ids = sorted(s.actors, key=len, reverse=True)
    if not ids:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in ids) + r")\b")
    return pattern.sub(lambda m: s.actors[m.group(1)].name, text)


def _cause(events: Sequence[Event], actors: Iterable[str], s: State | None = None) -> str:
    """The most consequential decision in `events` by any of `actors` (or by anyone, if none)."""
    wanted = list(actors)
    best: tuple[int, str] | None = None
    for e in events:
        rule = _rule(e)
        if rule not in CAUSE_PRIORITY:
            continue
        if wanted and not any(_involves(e, a) for a in wanted):
            continue
        rank = CAUSE_PRIORITY.index(rule)
        if best is None or rank < best[0]:
            best = (rank, _helper_role(e, wanted, s) or _explain(e, s))
    if best is None:
        return "No single decision: beliefs moved with what others did and drifted back without new signals."
    return best[1]


def _states(s: State) -> list[str]:
    return [a for a, st in s.actors.items() if st.kind == "state"]


def _before_states(h: History) -> list[tuple[TurnRecord, State, State]]:
    """Each turn with the state before it and after it."""
    out = []
    previous = h.initial
    for record in h.turns:
        after = record.state or previous
        out.append((record, previous, after))
        previous = after
    return out


def _partners(s: State, actor: str) -> set[str]:
    return {b for ag in s.active_agreements() if actor in ag.parties for b in ag.parties if b != actor}


# --------------------------------------------------------------------------- selection


def turning_points(h: History, edition: Edition = "facilitator") -> list[TurningPoint]:
    """The largest moves of the game in each measure, each with the decision that caused it.

    Turn 1 sets the baseline of threat, credibility and tension (the engine computes them first at
    the end of turn 1), so their moves are counted from there; alignment moves from the start.
    """
    candidates: dict[Measure, list[_Move]] = {m: [] for m in MIN_MOVE}
    for record, before, after in _before_states(h):
        events = tuple(_visible(record, h.final, edition))
        states = _states(after)
        for i in states:
            for j in after.actors:
                key = f"{i}>{j}"
                if i == j or key not in before.threat:
                    continue
                t0, t1 = before.threat[key], after.threat_of(i, j)
                if abs(t1 - t0) >= MIN_MOVE["threat"]:
                    subject = f"{_name(after, i)}'s perceived threat from {_name(after, j)}"
                    candidates["threat"].append(_Move(record.turn, "threat", subject, t0, t1, (j,), events))
        for key, q1 in after.credibility.items():
            if key not in before.credibility:
                continue
            q0 = before.credibility[key]
            if abs(q1 - q0) >= MIN_MOVE["credibility"]:
                g, _, p = key.partition(">")
                subject = f"belief that {_name(after, g)} would help {_name(after, p)}"
                candidates["credibility"].append(_Move(record.turn, "credibility", subject, q0, q1, (g,), events))
        if "tension" in before.system:
            w0, w1 = before.system["tension"], after.system.get("tension", 0.0)
            if abs(w1 - w0) >= MIN_MOVE["war risk"]:
                candidates["war risk"].append(_Move(record.turn, "war risk", "tension", w0, w1, (), events))
        made = tuple(e for e in events if _rule(e) == "agreement") or events
        for a in states:
            p0, p1 = _partners(before, a), _partners(after, a)
            moved = len(p0 ^ p1) + (before.actors[a].alignment != after.actors[a].alignment)
            if moved >= MIN_MOVE["alignment"]:
                subject = f"{_name(after, a)}'s partners"
                candidates["alignment"].append(
                    _Move(record.turn, "alignment", subject, float(len(p0)), float(len(p1)), (a,), made)
                )
    chosen: list[TurningPoint] = []
    for measure, moves in candidates.items():
        moves.sort(key=lambda m: (-m.size, m.turn, m.subject))
        seen: set[tuple[int, str]] = set()
        kept = 0
        for m in moves:
            cause = _cause(m.events, m.actors, h.final)
            if (m.turn, cause) in seen:  # one decision is named once per measure
                continue
            seen.add((m.turn, cause))
            chosen.append(TurningPoint(m.turn, measure, m.subject, m.before, m.after, cause))
            kept += 1
            if kept >= PER_MEASURE:
                break
    return sorted(chosen, key=lambda p: (p.turn, list(MIN_MOVE).index(p.measure)))


HEADLINE_PRIORITY = (
    "crisis.war",
    "crisis.strike",
    "crisis.spoils",
    "alliance.answer",
    "crisis.demand",
    "crisis.backdown",
    "agreement",
    "alliance.call",
    "crisis.intent",
    "crisis.ceasefire",
    "inject",
)


def plain(text: str) -> str:
    """A reason without its technical asides (the parenthesised figures), for headlines and news."""
    return strip_asides(text)


def headlines(h: History, edition: Edition = "facilitator") -> list[Headline]:
    """One headline per turn: its most consequential visible decision not already headlined, and tension."""
    used: set[str] = set()
    out = []
    for record, before, after in _before_states(h):
        candidates: list[tuple[int, str]] = []  # (rank, text): lower ranks are bigger news
        for e in _visible(record, h.final, edition):
            rule = _rule(e)
            if rule not in HEADLINE_PRIORITY:
                continue
            rank = 2 * HEADLINE_PRIORITY.index(rule)
            text = plain(_explain(e, h.final))
            if rule == "inject":
                injects = [i for i in record.injects if edition == "facilitator" or i.audience == "public"]
                text = injects[0].title + "." if injects else text
            if rule == "alliance.answer" and "abandon" in text:
                rank -= 1  # an abandonment is bigger news than a kept promise
            candidates.append((rank, text))
        fresh = sorted(c for c in candidates if c[1] not in used) or sorted(candidates)
        lead = fresh[0][1] if fresh else "A quiet turn: no crisis, call or new agreement."
        used.add(lead)
        agreements = sum(1 for e in _visible(record, h.final, edition) if isinstance(e, AgreementConcluded))
        w0, w1 = before.system.get("tension"), after.system.get("tension", 0.0)
        trend = (
            "stood at" if w0 is None else "rose to" if w1 > w0 + 0.005 else "fell to" if w1 < w0 - 0.005 else "held at"
        )
        tail = f" Tension {trend} {w1:.2f}" + (
            f"; {agreements} agreement{'s' if agreements > 1 else ''} concluded." if agreements else "."
        )
        out.append(Headline(record.turn, lead.rstrip(" .") + "." + tail))
    return out


NO_ANSWER = "its team gave no answer"


def _odds(e: Outcome) -> float | None:
    probability = e.reason.inputs.get("probability")
    return probability if isinstance(probability, float) else None


def _why_answer(e: Outcome) -> str:
    """The reason for an answer, short: the team's decision, or the bot's odds and what drove them."""
    probability = e.reason.inputs.get("probability")
    if isinstance(probability, float):
        return f"a computer player, {probability:.0%} likely to honour (reputation, commitment, interest, cost of war)"
    if "gave no answer" in e.reason.explanation:
        return NO_ANSWER
    return "its team's decision"


def ledger(h: History, edition: Edition = "facilitator") -> list[LedgerEntry]:
    """Every alliance call: who called, against whom, under which agreement and clause, and each answer."""
    final = h.final
    answers: dict[tuple[str, str], tuple[bool, str, float | None]] = {}
    for record in h.turns:
        for e in record.outcomes:
            if isinstance(e, Outcome) and e.reason.rule == "alliance.answer":
                for ch in e.changes:
                    if ch.target == "call" and ch.field.startswith("answer:"):
                        answers[(ch.key, ch.field.removeprefix("answer:"))] = (bool(ch.value), _why_answer(e), _odds(e))
    entries = []
    for record in h.turns:
        for e in record.outcomes:
            if not isinstance(e, CallOpened) or not (edition == "facilitator" or is_public(e, final)):
                continue
            rows = []
            for g in e.obligated:
                given = answers.get((e.id, g))
                if given is None:
                    rows.append(Answer(_name(final, g), "pending", "the game ended before it answered"))
                    continue
                honoured, why, odds = given
                kind: Literal["honoured", "abandoned", "no answer"] = (
                    "honoured" if honoured else "no answer" if why == NO_ANSWER else "abandoned"
                )
                rows.append(Answer(_name(final, g), kind, why, odds))
            ag = final.agreements.get(e.agreement)
            clause = getattr(e, "clause", None)
            entries.append(
                LedgerEntry(
                    record.turn,
                    _name(final, e.caller),
                    _name(final, e.adversary),
                    humanise(ag.name if ag is not None else e.agreement, final),
                    str(clause) if clause else None,
                    tuple(rows),
                )
            )
    return entries


NO_REASON_TEAM = "{team}'s team gave no reason."
"""What the debrief says of a team that renounced without stating why (a reason is optional in its orders)."""
NO_REASON_BOT = "No reason was recorded (a computer player, in a game logged before players stated reasons)."


def _unstated(s: State, actor: str) -> str:
    return NO_REASON_TEAM.format(team=_name(s, actor)) if actor in s.teams else NO_REASON_BOT


def endings(h: History, edition: Edition = "facilitator") -> list[Ending]:
    """Every agreement that ended, and every renunciation whose notice was still running when the game ended, in
    turn order: how it ended, who ended it and why. A renunciation says why in its renouncer's words (a team that
    gave none is said to have given none); another end, in the engine's. The student edition: public agreements."""
    final = h.final
    notices: dict[str, tuple[int, str, str | None]] = {}  # agreement -> (turn, by, stated reason) of its notice
    out: list[Ending] = []
    for record in h.turns:
        for _, e in record.events:
            if isinstance(e, Outcome) and e.reason.rule == "agreement.renunciation":
                ag_id, by, why = (e.reason.inputs.get(k) for k in ("agreement", "by", "stated_reason"))
                notices.setdefault(str(ag_id), (e.turn, str(by), why if isinstance(why, str) else None))
                continue
            if not isinstance(e, AgreementEnded) or not (edition == "facilitator" or is_public(e, final)):
                continue
            ag = final.agreements.get(e.agreement)
            name = humanise(ag.name if ag is not None else e.agreement, final)
            parties = tuple(_name(final, p) for p in e.parties)
            by = e.reason.inputs.get("by")
            who = str(by) if isinstance(by, str) else None
            if e.cause == "renounced":
                noticed = notices.pop(e.agreement, None)
                who = who or (noticed[1] if noticed else None)
                why = e.stated_reason or (noticed[2] if noticed else None)
                reason = why or (_unstated(final, who) if who else NO_REASON_BOT)
                out.append(Ending(e.turn, name, parties, "renounced", who and _name(final, who), reason, bool(why)))
                continue
            text = plain(humanise(e.reason.explanation, final))
            out.append(Ending(e.turn, name, parties, e.cause, who and _name(final, who), text, False))
    for ag_id, (turn, by, why) in notices.items():  # notices that had not run out when the game ended
        ag = final.agreements.get(ag_id)
        if ag is None or not (edition == "facilitator" or ag.public):
            continue
        parties = tuple(_name(final, p) for p in ag.parties)
        reason = why or _unstated(final, by)
        out.append(Ending(turn, humanise(ag.name, final), parties, "notice given", _name(final, by), reason, bool(why)))
    return sorted(out, key=lambda x: x.turn)


def why_objective(s: State, actor: str, obj: Objective) -> str:
    """Why `actor` met or missed `obj` at the end of the game, in figures a student can check."""
    name = _name
    if isinstance(obj, HaveAgreement | AvoidAgreement):
        found = [
            ag
            for ag in s.active_agreements()
            if ag.type == obj.type and actor in ag.parties and obj.with_ in ag.parties
        ]
        kind = obj.type.replace("_", " ")
        if found:
            since, called = found[0].since_turn, humanise(found[0].name, s)
            return f"'{called}' with {name(s, obj.with_)} was in force at the end (since turn {since})."
        return f"No {kind} with {name(s, obj.with_)} was in force at the end."
    if isinstance(obj, AvoidWar):
        wars = sorted(w for w in s.wars if actor in w.split("|"))
        if obj.with_ is not None:
            wars = [w for w in wars if obj.with_ in w.split("|")]
        if not wars:
            return "It ended the game at peace" + (f" with {name(s, obj.with_)}." if obj.with_ else ".")
        enemies = ", ".join(name(s, x) for w in wars for x in w.split("|") if x != actor)
        return f"It ended the game at war with {enemies}."
    st = s.actors[actor]
    if isinstance(obj, KeepApproval):
        return f"Approval ended at {st.approval:.2f}; the objective needed at least {obj.at_least:.2f}."
    if isinstance(obj, KeepReputation):
        return f"Reputation ended at {st.reputation:.2f}; the objective needed at least {obj.at_least:.2f}."
    if isinstance(obj, LimitThreat):
        threat = s.threat_of(actor, obj.from_)
        return (
            f"Perceived threat from {name(s, obj.from_)} ended at {threat:.2f}; "
            f"the objective allowed at most {obj.at_most:.2f}."
        )
    if isinstance(obj, IssueOutcome):
        settled = s.settled.get(obj.issue)
        where = "was never settled" if settled is None else f"settled at {settled:.2f}"
        return f"The issue '{obj.issue}' {where}; the objective wanted {obj.low:.2f} to {obj.high:.2f}."
    if isinstance(obj, SpendAtMost):
        return (
            f"Defence spending ended at {st.defence_spending:.1f}% of GDP; "
            f"the objective allowed at most {obj.percent_gdp:.1f}%."
        )
    raise TypeError(f"unknown objective {obj!r}")


def objectives(h: History, edition: Edition = "facilitator") -> list[ObjectiveResult]:
    """Each team's objectives (every playable actor's when bots played all seats), met or not, and why."""
    s = h.final
    seats = set(s.teams) or {a.id for a in s.scenario.actors if a.playable}
    out = []
    for actor in s.scenario.actors:
        if actor.id not in seats:
            continue
        # Met or not as the engine scored it (the status a team's view carried): only the reason is the debrief's.
        for obj, ok in zip(actor.objectives, statuses(s, actor.id), strict=True):
            if obj.secret and edition == "student":
                continue
            out.append(ObjectiveResult(actor.name, obj.text, ok, why_objective(s, actor.id, obj), obj.secret))
    return out


def _concept_of(e: Event) -> str | None:
    rule = _rule(e)
    if rule == "alliance.answer":
        return "abandonment" if "abandon" in _explain(e) else "alliance_reliability"
    if rule == "alliance.call":
        return "alliance_reliability"
    return RULE_CONCEPT.get(rule or "")


def _weight(e: Event) -> float:
    """How strongly an event illustrates its concept: the largest value it moved (1 for a decision)."""
    if isinstance(e, Outcome):
        moved = [abs(float(ch.value)) for ch in e.changes if isinstance(ch.value, float)]
        if e.reason.rule.startswith(("crisis.", "alliance.answer", "behaviour.")):
            return 1.0
        return max(moved, default=0.0)
    return 1.0


def theory(h: History, edition: Edition = "facilitator") -> list[TheoryMoment]:
    """The concepts the game illustrated, each tied to the moment that illustrated it best."""
    best: dict[str, tuple[float, int, str]] = {}
    for record in h.turns:
        for e in _visible(record, h.final, edition):
            concept = _concept_of(e)
            if concept is None:
                continue
            weight = _weight(e)
            if concept not in best or weight > best[concept][0]:
                best[concept] = (weight, record.turn, _explain(e, h.final))
    out = []
    for key in CONCEPT_ORDER:
        if key not in best:
            continue
        c = CONCEPTS[key]
        _, turn, moment = best[key]
        out.append(TheoryMoment(c.name, c.definition, turn, moment, c.source, BIBLIOGRAPHY.get(c.source, c.source)))
        if len(out) >= MAX_CONCEPTS:
            break
    return out


def questions(
    h: History,
    points: Sequence[TurningPoint],
    calls: Sequence[LedgerEntry],
    results: Sequence[ObjectiveResult],
    edition: Edition = "facilitator",
) -> list[str]:
    """Five to eight discussion questions, each written from an event of this game."""
    out: list[str] = []
    asked: set[str] = set()
    for entry in calls:
        for ans in entry.answers:
            if ans.answer == "abandoned" and "abandoned" not in asked:
                asked.add("abandoned")
                out.append(
                    f"In turn {entry.turn} {ans.actor} abandoned {entry.caller} when it invoked '{entry.agreement}' "
                    f"against {entry.adversary}. What would honouring the call have cost {ans.actor}, and what did "
                    "abandoning it cost its other partnerships?"
                )
            elif ans.answer == "honoured" and "honoured" not in asked:
                asked.add("honoured")
                out.append(
                    f"{ans.actor} honoured {entry.caller}'s call against {entry.adversary} in turn {entry.turn}. "
                    f"Did that make {ans.actor}'s other promises more believable, and to whom?"
                )
    for p in points:
        if p.measure == "threat" and p.after > p.before:
            out.append(
                f"In turn {p.turn} {p.subject} rose from {p.before:.2f} to {p.after:.2f}. Was it capabilities or "
                "perceived intentions that moved it, and could a signal of restraint have prevented it?"
            )
            break
    for p in points:
        if p.measure == "credibility":
            direction = "rose" if p.after > p.before else "fell"
            out.append(
                f"In turn {p.turn} the {p.subject} {direction} from {p.before:.2f} to {p.after:.2f}. "
                "Which costly signal would have moved it further, and who would have paid for it?"
            )
            break
    for p in points:
        if p.measure == "war risk":
            direction = "rose" if p.after > p.before else "fell"
            out.append(
                f"Tension {direction} most in turn {p.turn}. Which decision in that turn would you undo, and why?"
            )
            break
    agreements = [
        e
        for r in h.turns
        for e in r.outcomes
        if isinstance(e, AgreementConcluded) and (edition == "facilitator" or e.proposal.public)
    ]
    if agreements:
        ag = agreements[0]
        parties = ", ".join(_name(h.final, p) for p in ag.proposal.parties)
        out.append(
            f"{parties} concluded a {ag.proposal.type.replace('_', ' ')} in turn {ag.turn}. What did each party gain "
            "in security, and what did it give up in autonomy?"
        )
    coalitions = [e for e in agreements if e.proposal.sanctions or e.proposal.aid]
    breaches = [
        e
        for r in h.turns
        for e in r.outcomes
        if isinstance(e, Outcome)
        and e.reason.rule == "agreement.breach"
        and (edition == "facilitator" or e.audience == "public")
    ]
    if breaches:
        out.append(
            f"Turn {breaches[0].turn}: {humanise(breaches[0].reason.explanation, h.final)} Why would a state sign "
            "economic terms and then withhold them, and who noticed?"
        )
    elif coalitions:
        ag = coalitions[0]
        out.append(
            f"In turn {ag.turn} {_explain(ag, h.final).removesuffix('.')}. Who paid more for these terms, the "
            "target or its sanctioners, and did the coalition hold?"
        )
    renounced = [x for x in endings(h, edition) if x.by and x.cause in ("renounced", "notice given")]
    if renounced:
        x = min(renounced, key=lambda x: not x.stated)  # (the first with a stated reason, if any has one)
        if x.stated:
            out.append(
                f"{x.by} renounced '{x.agreement}' saying: “{x.reason.rstrip('.')}” (turn {x.turn}). Was "
                "that the whole reason? What did leaving cost it, and did its other partners trust its promises less "
                "afterwards?"
            )
        else:
            out.append(
                f"{x.by} renounced '{x.agreement}' without stating a reason (turn {x.turn}). What might it have said, "
                "and what did its silence tell its other partners?"
            )
    missed = [r for r in results if not r.met]
    if missed:
        r = missed[0]
        out.append(f"{r.team} did not meet '{r.text}' ({r.why}) Which of its decisions would you change first?")
    demands = [
        e
        for r in h.turns
        for e in r.outcomes
        if isinstance(e, Outcome) and e.reason.rule in ("crisis.demand", "crisis.backdown")
    ]
    if demands and (edition == "facilitator" or demands[0].audience == "public"):
        out.append(f"Turn {demands[0].turn}: {demands[0].reason.explanation} Why did coercion work or fail here?")
    behaviours = {
        e.changes[0].value: e
        for r in h.turns
        for e in r.outcomes
        if isinstance(e, Outcome) and e.reason.rule.startswith("behaviour.") and e.changes
    }
    for label in ("bandwagoning", "buck_passing", "chain_ganging", "external_balancing", "internal_balancing"):
        if label in behaviours and len(out) < MAX_QUESTIONS:
            e = behaviours[label]
            assert isinstance(e, Outcome)
            out.append(
                f"The engine named this {str(label).replace('_', ' ')} in turn {e.turn}: {e.reason.explanation} "
                "Do you agree with the label? What would the alternative have looked like?"
            )
            break
    final_tension = h.final.system.get("tension", 0.0)
    fillers = [
        f"Tension ended the game at {final_tension:.2f} with {len(h.final.wars)} war(s). Which single turn decided "
        "that, and what would have changed it?",
        f"{sum(1 for _ in h.final.active_agreements())} agreements were in force at the end. Which one mattered "
        "most for deterrence, and which only on paper?",
        "Which team's public statements tied its hands, and did it pay for them later?",
    ]
    for filler in fillers:
        if len(out) >= MIN_QUESTIONS:
            break
        out.append(filler)
    return out[:MAX_QUESTIONS]


def effect_words(s: State, eff: Effect) -> str:
    """One effect of a free-form action (or an inject) in words."""
    if isinstance(eff, ChangeIntent):
        observers = ", ".join(_name(s, a) for a in eff.of)
        return f"how aggressive {observers} believe {_name(s, eff.toward)} is {eff.delta:+.2f}"
    if isinstance(eff, ChangeCapability):
        return f"{_name(s, eff.actor)}'s {eff.component} x{eff.factor:.2f}"
    actor = getattr(eff, "actor", "")
    delta = getattr(eff, "delta", 0.0)
    return f"{_name(s, actor)}'s {eff.kind} {delta:+.2f}"


def freeform_entry(s: State, a: FreeformState) -> FreeformEntry:
    r = a.rating
    if r is None:
        verdict = "not rated (the turn's results were released without a roll)"
    else:
        verdict = (
            f"{'succeeded' if r.success else 'failed'}: drew {r.draw:.2f} against {r.chance:.0%} "
            f"(suggested {r.suggested:.0%}); Control: {r.comment}"
        )
    effects = "; ".join(effect_words(s, e) for e in a.applied.effects) + f" ({a.applied.reason})" if a.applied else ""
    return FreeformEntry(
        turn=a.turn,
        actor=_name(s, a.actor),
        what=a.what,
        intended_effect=a.intended_effect,
        arguments=len(a.arguments),
        counters=tuple(_name(s, who) for who, _ in a.counters),
        verdict=verdict,
        effects=effects,
        public=a.public,
    )


def freeform(h: History, edition: Edition = "facilitator") -> list[FreeformEntry]:
    """Every free-form action of the game (the student edition: the public ones), oldest first."""
    s = h.final
    return [freeform_entry(s, a) for a in s.freeform.values() if edition == "facilitator" or a.public]


def summarise(h: History, edition: Edition = "facilitator") -> Summary:
    """The whole summary of a game for one edition."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition '{edition}': use {' or '.join(EDITIONS)}")
    heads = headlines(h, edition)
    points = turning_points(h, edition)
    calls = ledger(h, edition)
    results = objectives(h, edition)
    s = h.final
    return Summary(
        title=s.scenario.meta.title,
        edition=edition,
        seed=s.seed,
        scenario=s.scenario.id,
        teams=tuple(_name(s, t) for t in sorted(s.teams)),
        turns=len(h.turns),
        headlines=tuple(heads),
        turning_points=tuple(points),
        ledger=tuple(calls),
        objectives=tuple(results),
        theory=tuple(theory(h, edition)),
        questions=tuple(questions(h, points, calls, results, edition)),
        freeform=tuple(freeform(h, edition)),
        endings=tuple(endings(h, edition)),
    )
