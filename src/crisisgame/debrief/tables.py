"""Tidy tables of a game for research: one row per observation, one column per variable.

They load straight into pandas (`pd.read_csv`) or R (`read.csv`). `DICTIONARY` documents every
column; `crisisgame export` writes it beside the tables.
"""

from __future__ import annotations

import json
from typing import Any

from crisisgame.debrief.history import History
from crisisgame.engine.events import AgreementConcluded, CallOpened, MessageSent, Outcome

Row = dict[str, Any]

DICTIONARY: dict[str, dict[str, str]] = {
    "events": {
        "seq": "Position of the event in the game's log (1 = game created).",
        "turn": "Turn during which the event happened (0 before the game starts).",
        "type": "Event type (game_created, phase_started, message_sent, outcome, ...).",
        "at": "Game clock in seconds (Unix time in live games, simulated time in headless games).",
        "json": "The whole event as JSON.",
    },
    "messages": {
        "seq": "Position in the log.",
        "turn": "Turn of the message.",
        "channel": "public, private or group.",
        "sender": "Actor id of the sender ('facilitator' for Control).",
        "recipients": "Actor ids of the recipients, separated by ';' (empty for public).",
        "text": "The message as written.",
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
    },
    "actor_turns": {
        "turn": "Turn, at the end of its adjudication.",
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
        "turn": "Turn, at the end of its adjudication.",
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
}


def _join(values: Any) -> str:
    return ";".join(values) if isinstance(values, list | tuple) else str(values)


def tables(h: History) -> dict[str, list[Row]]:
    """Every table of the game, as lists of rows."""
    out: dict[str, list[Row]] = {name: [] for name in DICTIONARY}
    turn = 0
    for seq, event in enumerate(h.log, start=1):
        turn = getattr(event, "turn", turn)
        out["events"].append(
            {"seq": seq, "turn": turn, "type": event.type, "at": event.at, "json": event.model_dump_json()}
        )
    for record in h.turns:
        for seq, e in record.events:
            if isinstance(e, MessageSent):
                out["messages"].append(
                    {
                        "seq": seq,
                        "turn": record.turn,
                        "channel": e.channel,
                        "sender": e.sender,
                        "recipients": _join(e.to),
                        "text": e.text,
                    }
                )
            elif isinstance(e, Outcome | AgreementConcluded | CallOpened):
                reason = e.reason
                out["outcomes"].append(
                    {
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
        s = record.state
        if s is None:
            continue
        for aid, a in s.actors.items():
            out["actor_turns"].append(
                {
                    "turn": record.turn,
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
                            "turn": record.turn,
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
            }
        )
    return out
