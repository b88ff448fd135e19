"""Tidy tables of games for research: one row per observation, one column per variable.

They load straight into pandas (`pd.read_csv`) or R (`read.csv`), and pool across games: every
table starts with the game's id, scenario and seed and says whether the row's actor was played by
students or a bot. `DICTIONARY` documents every column; `crisisgame export` writes it beside the
tables and docs/data_dictionary.md holds the same text.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from crisisgame.debrief.history import History
from crisisgame.engine.commands import FACILITATOR
from crisisgame.engine.events import (
    AgreementConcluded,
    CallOpened,
    Event,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
)
from crisisgame.store.base import Member

Row = dict[str, Any]

CONTEXT: dict[str, str] = {
    "game_id": "Id of the game (the database's id; for a log file, 'log-' and the first 8 hex digits of a hash "
    "of its first event).",
    "scenario": "Id of the scenario played.",
    "seed": "The game's random seed.",
    "human": "1 if the row's actor (sender, actor, observer, caller or proposer) was played by a team of "
    "students, 0 if by a bot; empty when the row has no single actor.",
}
"""Columns every table starts with, so tables of several games pool into one."""

TABLES: dict[str, dict[str, str]] = {
    "events": {
        "seq": "Position of the event in the game's log (1 = game created).",
        "turn": "Turn during which the event happened (0 before the game starts).",
        "type": "Event type (game_created, phase_started, message_sent, outcome, ...).",
        "at": "Game clock in seconds (Unix time in live games, simulated time in headless games).",
        "actor": "The actor who acted (its sender, proposer or answering actor), empty for the engine's events.",
        "json": "The whole event as JSON.",
    },
    "messages": {
        "seq": "Position in the log.",
        "turn": "Turn of the message.",
        "channel": "public, private or group.",
        "sender": "Actor id of the sender ('facilitator' for Control).",
        "recipients": "Actor ids of the recipients, separated by ';' (empty for public).",
        "text": "The message as written.",
        "member": "Pseudonymous id of the student who sent it (as in the members table); empty for a bot, for "
        "Control, or for a game exported from a log file (the database keeps who sent what).",
    },
    "orders": {
        "seq": "Position in the log.",
        "turn": "Turn the orders were for.",
        "actor": "Actor id whose orders these are.",
        "member": "Pseudonymous id of the student who submitted them (as in the members table); empty for a bot, "
        "for Control, or for a game exported from a log file.",
        "final": "1 for the orders that stood at the deadline (the last the actor submitted that turn), 0 for "
        "orders replaced later in the turn.",
        "defence_spending": "Defence spending ordered, percent of GDP.",
        "mobilisation": "Share of forces to mobilise, [0, 1].",
        "force": "Uses of force ordered, as JSON (target, level or rung).",
        "json": "The whole orders as JSON.",
    },
    "agreements": {
        "id": "Agreement id (scenario agreements keep theirs; agreements made in play are 'ag-<proposal>').",
        "name": "Agreement name.",
        "type": "One of the ten agreement types (defence_pact, security_guarantee, ...).",
        "parties": "Actor ids of the parties, separated by ';'.",
        "guarantors": "Parties obliged to help, separated by ';' (empty: all parties).",
        "strength": "s in [0, 1]: how binding and substantial.",
        "ambiguity": "alpha in [0, 1]: how unclear the casus foederis.",
        "conditionality": "kappa in [0, 1]: help only if the partner did not provoke.",
        "mandate": "none, regional or unsc.",
        "since_turn": "Turn it entered into force (0: in force at the start).",
        "active": "Whether it is still in force at the end of the game.",
        "renounced_by": "Actor id of the party that gave notice renouncing it (empty: never renounced).",
        "stated_reason": "The reason that party stated for renouncing it, in its own words (empty: none stated).",
    },
    "actor_turns": {
        "turn": "Turn, at the end of its adjudication (0: the opening position, before turn 1).",
        "actor": "Actor id.",
        "name": "Actor name.",
        "cinc": "Composite Index of National Capability within the scenario's system.",
        "milex": "Military expenditure, thousands of current US$ (COW units).",
        "milper": "Military personnel, thousands (COW units).",
        "defence_spending": "Defence spending, percent of GDP.",
        "mobilisation": "Share of forces mobilised, [0, 1].",
        "approval": "Domestic approval of the government, [0, 1].",
        "reputation": "Reputation for honouring commitments (rho), [0, 1].",
        "abandonment_fear": "Fear of being abandoned by its protectors, [0, 1].",
        "entrapment_risk": "Risk of being dragged into a partner's conflict, [0, 1].",
        "cohesion": "Cohesion of its weakest alliance under free-riding, [0, 1].",
        "behaviour": "What it did towards its top threat that turn (balancing, bandwagoning, ...).",
        "alignment": "Actor it declared alignment with, if any.",
        "score": "Points from objectives met at that turn.",
    },
    "pair_turns": {
        "turn": "Turn, at the end of its adjudication (0: the opening position, before turn 1).",
        "observer": "Actor id of the one who perceives.",
        "target": "Actor id of the one perceived.",
        "intent": "How aggressive the observer believes the target is, [0, 1].",
        "threat": "Threat the observer perceives from the target (Walt 1987), [0, 1].",
        "credibility": "Believed chance that the observer, as guarantor, helps the target, [0, 1] (empty: none).",
    },
    "outcomes": {
        "seq": "Position in the log.",
        "turn": "Turn adjudicated.",
        "step": "Step of the adjudication pipeline (1-12; 0 for injects).",
        "rule": "Rule that fired (e.g. threat.walt, alliance.answer).",
        "explanation": "The one-line reason a student reads.",
        "citations": "Bibliography keys, separated by ';'.",
        "audience": "'public' or the actor ids who saw it, separated by ';'.",
        "inputs": "The rule's inputs, as JSON.",
        "terms": "Each term's contribution, as JSON.",
    },
    "calls": {
        "call_id": "Id of the call (one per caller, agreement and adversary).",
        "turn": "Turn the call was made.",
        "caller": "Actor id of the partner that invoked the agreement.",
        "adversary": "Actor id of the state it was attacked or coerced by.",
        "callee": "Actor id of one obliged party (one row per obliged party).",
        "callee_human": "1 if the callee was played by a team, 0 if by a bot.",
        "agreement": "Id of the agreement invoked.",
        "agreement_type": "Type of the agreement invoked.",
        "clause": "The clause invoked, when the event names one (empty otherwise).",
        "answer": "honoured, abandoned, no_answer (a team that gave none) or pending (the game ended first).",
        "answer_turn": "Turn the answer was adjudicated (empty if pending).",
        "probability": "A bot's chance of honouring (empty for a team).",
        "reason": "The engine's one-line reason for the answer.",
    },
    "proposals": {
        "proposal_id": "Id of the proposal.",
        "turn": "Turn it was made.",
        "sender": "Actor id of the proposer.",
        "counter_of": "Id of the proposal it counters (empty if none).",
        "type": "Agreement type proposed.",
        "parties": "Actor ids of the parties, separated by ';'.",
        "terms": "Every term of the proposal (strength, ambiguity, issue, position, ...) as JSON.",
        "accepted_by": "Actor ids that accepted, separated by ';' (the proposer included).",
        "rejected_by": "Actor ids that answered no, separated by ';'.",
        "status": "open, withdrawn, rejected, expired, countered, ratified or failed.",
        "closed_reason": "Why it closed (ratification outcome, expiry, ...); empty while open.",
    },
    "freeform": {
        "action_id": "Id of the free-form action.",
        "turn": "Turn it was argued.",
        "actor": "Actor id of the team that argued it.",
        "public": "1 if argued openly (every seat saw it), 0 if private (its team and Control only).",
        "what": "The action, as the team wrote it.",
        "intended_effect": "The effect the team intended.",
        "arguments": "Number of arguments for.",
        "counter_by": "Actor ids of the teams that counter-argued it, separated by ';'.",
        "suggested": "Chance suggested from the arguments (rules.freeform); empty if never rated.",
        "chance": "Chance Control rated (or accepted); empty if never rated.",
        "draw": "The replayable draw in [0, 1); the action succeeded if it was below the chance.",
        "success": "1 if the roll succeeded, 0 if it failed; empty if never rated.",
        "effects": "The effects Control applied, as JSON (inject effects); empty if none.",
        "rating_reason": "Control's reason for the chance.",
        "apply_reason": "Control's reason for the effects.",
    },
    "members": {
        "member": "Pseudonymous id of a student (stable within the database, not the student's name or token).",
        "seat": "The seat the student holds: an actor id, or 'observer'.",
        "active": "1 if the student still holds the seat, 0 if the facilitator removed them.",
    },
}
"""Each table's own columns, after the `CONTEXT` columns."""

DICTIONARY: dict[str, dict[str, str]] = {name: {**CONTEXT, **columns} for name, columns in TABLES.items()}
"""Every column of every exported table, documented."""


def _join(values: Any) -> str:
    return ";".join(values) if isinstance(values, list | tuple) else str(values)


def pseudonym(member: Member | str) -> str:
    """A student's pseudonymous id: a hash of the hash of their session token (no name, no token)."""
    token_hash = member if isinstance(member, str) else member.token_hash
    return "m-" + hashlib.sha256(f"crisisgame-member:{token_hash}".encode()).hexdigest()[:12]


def senders(receipts: Sequence[tuple[int, str]], teams: frozenset[str] | set[str]) -> Callable[[int, str], str]:
    """Who sent the event at a seq for a team seat: the pseudonym of the member whose command's receipt is
    the first at or after it (a command's events are stored together, its receipt with their last seq)."""
    seqs = [seq for seq, _ in receipts]

    def sender(seq: int, actor: str) -> str:
        if actor not in teams:
            return ""
        i = bisect_left(seqs, seq)
        if i == len(seqs):
            return ""
        member = receipts[i][1]
        return "" if member in (FACILITATOR, actor) else pseudonym(member)

    return sender


def log_id(log: Sequence[Event]) -> str:
    """A game id for a log that comes from a file: a short hash of its first event."""
    return "log-" + hashlib.sha256(log[0].model_dump_json().encode()).hexdigest()[:8]


def _actor_of(e: Event) -> str | None:
    for attr in ("actor", "sender"):
        value = getattr(e, attr, None)
        if isinstance(value, str):
            return value
    return None


def tables(
    h: History, game_id: str = "", members: Sequence[Member] = (), receipts: Sequence[tuple[int, str]] = ()
) -> dict[str, list[Row]]:
    """Every table of one game, as lists of rows (each row starts with the game's context columns);
    `receipts` (the store's, by seq) say which student sent each message and orders."""
    teams = h.final.teams
    sender = senders(receipts, teams)
    game = {"game_id": game_id or log_id(h.log), "scenario": h.final.scenario.id, "seed": h.final.seed}

    def ctx(actor: str | None) -> Row:
        return {**game, "human": "" if actor is None else int(actor in teams)}

    out: dict[str, list[Row]] = {name: [] for name in DICTIONARY}
    turn = 0
    for seq, event in enumerate(h.log, start=1):
        turn = getattr(event, "turn", turn)
        actor = _actor_of(event)
        out["events"].append(
            {
                **ctx(actor),
                "seq": seq,
                "turn": turn,
                "type": event.type,
                "at": event.at,
                "actor": actor or "",
                "json": event.model_dump_json(),
            }
        )
    for record in h.turns:
        for seq, e in record.events:
            if isinstance(e, MessageSent):
                out["messages"].append(
                    {
                        **ctx(e.sender),
                        "seq": seq,
                        "turn": record.turn,
                        "channel": e.channel,
                        "sender": e.sender,
                        "recipients": _join(e.to),
                        "text": e.text,
                        "member": sender(seq, e.sender),
                    }
                )
            elif isinstance(e, OrdersSubmitted):
                latest = record.orders
                out["orders"].append(
                    {
                        **ctx(e.actor),
                        "seq": seq,
                        "turn": record.turn,
                        "actor": e.actor,
                        "member": sender(seq, e.actor),
                        "final": int(any(o is e for o in latest)),
                        "defence_spending": e.orders.defence_spending,
                        "mobilisation": e.orders.mobilisation,
                        "force": json.dumps([f.model_dump(mode="json") for f in e.orders.force], sort_keys=True),
                        "json": e.orders.model_dump_json(),
                    }
                )
            elif isinstance(e, Outcome | AgreementConcluded | CallOpened):
                reason = e.reason
                out["outcomes"].append(
                    {
                        **ctx(None),
                        "seq": seq,
                        "turn": record.turn,
                        "step": reason.step,
                        "rule": reason.rule,
                        "explanation": reason.explanation,
                        "citations": _join(reason.citations),
                        "audience": _join(e.audience) if isinstance(e, Outcome) else "public",
                        "inputs": json.dumps(reason.inputs, sort_keys=True),
                        "terms": json.dumps(reason.terms, sort_keys=True),
                    }
                )
    states = [(0, h.initial)] + [(r.turn, r.state) for r in h.turns if r.state is not None]
    for turn_no, s in states:
        for aid, a in s.actors.items():
            out["actor_turns"].append(
                {
                    **ctx(aid),
                    "turn": turn_no,
                    "actor": aid,
                    "name": a.name,
                    "cinc": a.cinc,
                    "milex": a.milex,
                    "milper": a.milper,
                    "defence_spending": a.defence_spending,
                    "mobilisation": a.mobilisation,
                    "approval": a.approval,
                    "reputation": a.reputation,
                    "abandonment_fear": a.abandonment_fear,
                    "entrapment_risk": a.entrapment_risk,
                    "cohesion": a.cohesion,
                    "behaviour": a.behaviour,
                    "alignment": a.alignment or "",
                    "score": a.score,
                }
            )
        for i in s.actors:
            for j in s.actors:
                if i != j:
                    cred = s.credibility.get(f"{i}>{j}")
                    out["pair_turns"].append(
                        {
                            **ctx(i),
                            "turn": turn_no,
                            "observer": i,
                            "target": j,
                            "intent": s.intent_of(i, j),
                            "threat": s.threat_of(i, j),
                            "credibility": "" if cred is None else cred,
                        }
                    )
    for ag in h.final.agreements.values():
        out["agreements"].append(
            {
                **ctx(None),
                "id": ag.id,
                "name": ag.name,
                "type": ag.type,
                "parties": _join(ag.parties),
                "guarantors": _join(ag.guarantors),
                "strength": ag.strength,
                "ambiguity": ag.ambiguity,
                "conditionality": ag.conditionality,
                "mandate": ag.mandate,
                "since_turn": ag.since_turn,
                "active": ag.active,
                "renounced_by": ag.notice_by or "",
                "stated_reason": ag.notice_reason or "",
            }
        )
    out["calls"] = _calls(h, ctx)
    out["proposals"] = _proposals(h, ctx)
    out["freeform"] = _freeform(h, ctx)
    out["members"] = [
        {
            **ctx(m.seat if m.seat in h.final.actors else None),
            "member": pseudonym(m),
            "seat": m.seat,
            "active": int(m.active),
        }
        for m in members
    ]
    return out


def _freeform(h: History, ctx: Any) -> list[Row]:
    rows: list[Row] = []
    for a in h.final.freeform.values():
        r, applied = a.rating, a.applied
        rows.append(
            {
                **ctx(a.actor),
                "action_id": a.id,
                "turn": a.turn,
                "actor": a.actor,
                "public": int(a.public),
                "what": a.what,
                "intended_effect": a.intended_effect,
                "arguments": len(a.arguments),
                "counter_by": _join([who for who, _ in a.counters]),
                "suggested": "" if r is None else r.suggested,
                "chance": "" if r is None else r.chance,
                "draw": "" if r is None else r.draw,
                "success": "" if r is None else int(r.success),
                "effects": "" if applied is None else json.dumps([e.model_dump(mode="json") for e in applied.effects]),
                "rating_reason": "" if r is None else r.comment,
                "apply_reason": "" if applied is None else applied.reason,
            }
        )
    return rows


def _calls(h: History, ctx: Any) -> list[Row]:
    answers: dict[tuple[str, str], tuple[bool, int, Outcome]] = {}
    for e in h.log:
        if isinstance(e, Outcome) and e.reason.rule == "alliance.answer":
            for ch in e.changes:
                if ch.target == "call" and ch.field.startswith("answer:"):
                    answers[(ch.key, ch.field.removeprefix("answer:"))] = (bool(ch.value), e.turn, e)
    rows = []
    for e in h.log:
        if not isinstance(e, CallOpened):
            continue
        ag = h.final.agreements.get(e.agreement)
        clause = getattr(e, "clause", None)
        for g in e.obligated:
            given = answers.get((e.id, g))
            probability: float | str
            answer_turn: int | str
            if given is None:
                answer, answer_turn, probability, reason = "pending", "", "", ""
            else:
                honoured, answer_turn_no, outcome = given
                p = outcome.reason.inputs.get("probability")
                probability = p if isinstance(p, float) else ""
                no_answer = "gave no answer" in outcome.reason.explanation
                answer = "honoured" if honoured else "no_answer" if no_answer else "abandoned"
                answer_turn, reason = answer_turn_no, outcome.reason.explanation
            rows.append(
                {
                    **ctx(e.caller),
                    "call_id": e.id,
                    "turn": e.turn,
                    "caller": e.caller,
                    "adversary": e.adversary,
                    "callee": g,
                    "callee_human": int(g in h.final.teams),
                    "agreement": e.agreement,
                    "agreement_type": ag.type if ag is not None else "",
                    "clause": clause or "",
                    "answer": answer,
                    "answer_turn": answer_turn,
                    "probability": probability,
                    "reason": reason,
                }
            )
    return rows


def _proposals(h: History, ctx: Any) -> list[Row]:
    made: dict[str, ProposalMade] = {}
    accepted: dict[str, list[str]] = {}
    rejected: dict[str, list[str]] = {}
    closed: dict[str, ProposalClosed] = {}
    for e in h.log:
        if isinstance(e, ProposalMade):
            made[e.id] = e
            accepted[e.id], rejected[e.id] = [e.sender], []
        elif isinstance(e, ProposalAnswered) and e.id in made:
            (accepted if e.accept else rejected)[e.id].append(e.actor)
        elif isinstance(e, ProposalClosed):
            closed[e.id] = e
    rows = []
    for pid, e in made.items():
        end = closed.get(pid)
        terms = e.proposal.model_dump(mode="json", exclude={"type", "parties"})
        rows.append(
            {
                **ctx(e.sender),
                "proposal_id": pid,
                "turn": e.turn,
                "sender": e.sender,
                "counter_of": e.counter_of or "",
                "type": e.proposal.type,
                "parties": _join(e.proposal.parties),
                "terms": json.dumps(terms, sort_keys=True),
                "accepted_by": _join(sorted(set(accepted[pid]))),
                "rejected_by": _join(sorted(set(rejected[pid]))),
                "status": end.status if end is not None else "open",
                "closed_reason": end.reason if end is not None else "",
            }
        )
    return rows
