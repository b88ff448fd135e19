"""Step 12, agreements over time (Leeds & Savun 2007; Leeds 2003): renewal, renunciation, suspension, expiry.

A party may renounce an agreement with notice (it ends after `alliance.renunciation_notice` turns,
and the renouncer pays in reputation, in proportion to the agreement's strength, and at home, in
proportion to its audience-cost sensitivity and regime; it may state its reason, which the notice and the
end carry to whoever sees them: the parties of a secret agreement only), suspend it at once (a smaller reputation
cost) and resume it later, or renew a fixed-term agreement for the term it was concluded for. Fixed terms count down
and expire. A party that abandons a call made under an agreement, uses force against another party (or
joins another state's attack on one), or withholds the sanctions or aid the agreement commits it to,
breaks it. Every end is an `AgreementEnded` event with its cause.
"""

from __future__ import annotations

from crisisgame.engine.chance import happens
from crisisgame.engine.events import AgreementEnded, Audience, Change, Event, Reason, Value
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import AgreementState, State
from crisisgame.scenario.rulebook import Domestic

STEP = 12


def regime_scale(r: Domestic, regime: str) -> float:
    """How much the public of a `regime` can punish its leader (Fearon 1994; Weeks 2008): 1 democracy,
    less otherwise. Regime type is public, so computer players read the same factor (`bots/bargaining.py`)."""
    return {
        "democracy": r.regime_democracy,
        "hybrid": r.regime_hybrid,
        "autocracy": r.regime_autocracy,
    }.get(regime, 0.0)


def regime_factor(s: State, actor: str) -> float:
    """How much `actor`'s public can punish its leader (`regime_scale` of its regime)."""
    return regime_scale(s.rules.domestic, s.actors[actor].regime)


def _audience(ag: AgreementState) -> Audience:
    return "public" if ag.public else list(ag.parties)


def ended(
    t: Turn, ag: AgreementState, cause: str, explanation: str, stated: str | None = None, **inputs: str | float
) -> AgreementEnded:
    """The end of `ag`; `stated` is the reason its renouncer gave with the notice (cause 'renounced')."""
    return AgreementEnded(
        at=t.now,
        turn=t.turn,
        agreement=ag.id,
        parties=list(ag.parties),
        cause=cause,
        reason=Reason(
            rule=f"agreement.{cause}",
            step=STEP,
            explanation=explanation,
            inputs=dict(inputs),
            citations=["leeds_savun2007", "leeds2003"],
        ),
        stated_reason=stated,
        public=ag.public,
    )


def _exit_costs(s: State, actor: str, ag: AgreementState, reputation_cost: float, home: bool) -> list[Change]:
    st = s.actors[actor]
    changes = [actor_change(actor, "reputation", clip(st.reputation - reputation_cost * ag.strength))]
    if home:
        loss = s.rules.alliance.renunciation_approval * st.audience_cost_sensitivity * regime_factor(s, actor)
        changes.append(actor_change(actor, "approval", clip(st.approval - loss)))
    return changes


def orders_step(s: State, t: Turn) -> list[Event]:
    """Resumptions, renewals, renunciations and suspensions ordered this turn."""
    r = s.rules.alliance
    events: list[Event] = []
    resumed: set[str] = set()
    for actor in sorted(s.actors):
        for ag_id in t.of(actor).resume:
            ag = s.agreements[ag_id]
            if ag.active or not ag.suspended or ag.id in resumed:
                continue  # one resumption per agreement and turn, however many parties order it
            resumed.add(ag.id)
            events.append(
                outcome(
                    t,
                    [
                        Change(target="agreement", key=ag.id, field="active", value=True),
                        Change(target="agreement", key=ag.id, field="suspended", value=False),
                    ],
                    "agreement.resumed",
                    STEP,
                    f"{s.actors[actor].name} resumed '{ag.name}': it is in force again.",
                    inputs={"agreement": ag.id, "by": actor},
                    citations=["leeds_savun2007"],
                    audience=_audience(ag),
                )
            )
    suspended: set[str] = set()
    renewed: set[str] = set()
    noticed: set[str] = set()
    for actor in sorted(s.actors):
        orders = t.of(actor)
        name = s.actors[actor].name
        for ag_id in orders.renew:
            ag = s.agreements[ag_id]
            if not ag.active or ag.duration is None or ag.id in renewed:
                continue  # one renewal per agreement and turn, however many parties order it
            renewed.add(ag.id)
            term = ag.initial_duration or ag.duration
            events.append(
                outcome(
                    t,
                    [Change(target="agreement", key=ag.id, field="duration", value=ag.duration + term)],
                    "agreement.renewed",
                    STEP,
                    f"{name} renewed '{ag.name}' for {term} more turn(s).",
                    inputs={"agreement": ag.id, "by": actor, "term": term},
                    citations=["leeds_savun2007"],
                    audience=_audience(ag),
                )
            )
        for ag_id in orders.suspend:
            ag = s.agreements[ag_id]
            if not ag.active or ag.id in suspended:
                continue
            events.append(
                outcome(
                    t,
                    _exit_costs(s, actor, ag, r.suspension_reputation, home=False),
                    "agreement.suspension_cost",
                    STEP,
                    f"{name} suspended '{ag.name}': partners note a promise set aside.",
                    inputs={"agreement": ag.id},
                    citations=["leeds_savun2007"],
                    audience=_audience(ag),
                )
            )
            events.append(ended(t, ag, "suspended", f"{name} suspended '{ag.name}'.", by=actor))
            suspended.add(ag.id)
        for ag_id in orders.renounce:
            ag = s.agreements[ag_id]
            if not ag.active or ag.id in suspended or ag.notice_until is not None:
                continue
            due = t.turn + r.renunciation_notice
            stated = orders.renounce_reasons.get(ag_id)
            notice = [Change(target="agreement", key=ag.id, field="notice_until", value=due)]
            if ag.id not in noticed:  # (the first to give notice this turn is the one the end names)
                noticed.add(ag.id)
                notice.append(Change(target="agreement", key=ag.id, field="notice_by", value=actor))
                if stated is not None:
                    notice.append(Change(target="agreement", key=ag.id, field="notice_reason", value=stated))
            inputs: dict[str, Value] = {"agreement": ag.id, "by": actor, "ends_turn": due}
            if stated is not None:
                inputs["stated_reason"] = stated
            events.append(
                outcome(
                    t,
                    [*_exit_costs(s, actor, ag, r.renunciation_reputation, home=True), *notice],
                    "agreement.renunciation",
                    STEP,
                    f"{name} gave notice renouncing '{ag.name}': it binds until turn {due}, and the renunciation "
                    "costs reputation abroad and approval at home.",
                    inputs=inputs,
                    terms={"regime_factor": regime_factor(s, actor)},
                    citations=["leeds_savun2007", "fearon1997"],
                    audience=_audience(ag),
                )
            )
    return events


def violations(s: State, t: Turn) -> list[Event]:
    """Agreements broken this turn: a party abandoned a call made under it (silence included), used force
    against another party to it, or withheld the sanctions or aid it commits the party to. Each ends, cause
    `broken`, with chance `alliance.violation_ends` (Leeds & Savun 2007: agreements whose terms a party
    violates end early)."""
    chance = s.rules.alliance.violation_ends
    events: list[Event] = []
    done: set[str] = set()

    def end(ag: AgreementState, by: str, partner: str, how: str) -> None:
        if not ag.active or ag.id in done:
            return
        broken, u = happens(s.seed, t.turn, f"broken:{ag.id}", chance)
        if not broken:
            return
        done.add(ag.id)
        text = f"'{ag.name}' is broken: {how.format(by=s.actors[by].name, partner=s.actors[partner].name)}."
        events.append(ended(t, ag, "broken", text, by=by, partner=partner, probability=chance, draw=u))

    for g, callers in sorted(t.abandoned.items()):
        for call in sorted(s.calls.values(), key=lambda c: c.id):
            ag = s.agreements.get(call.agreement)
            if ag is not None and call.caller in callers and call.answers.get(g) is False:
                end(ag, g, call.caller, "{by} abandoned {partner}, who called on it under the agreement")
    for ag_id, by in t.breaches:
        ag = s.agreements[ag_id]
        partner = next(p for p in ag.parties if p != by)
        end(ag, by, partner, "{by} withheld the sanctions or aid it owes under it")
    for attacker, target, _ in t.force:
        if target not in t.attacked:
            continue
        for ag in sorted(s.active_agreements(), key=lambda a: a.id):
            if attacker in ag.parties and target in ag.parties:
                end(ag, attacker, target, "{by} used force against {partner}, a party to it")
    for joiner, attacker, target in t.joined:
        for ag in sorted(s.active_agreements(), key=lambda a: a.id):
            if joiner in ag.parties and target in ag.parties:
                how = "{by} joined " + s.actors[attacker].name.replace("{", "{{").replace("}", "}}")
                end(ag, joiner, target, how + "'s attack on {partner}, a party to it")
    return events


def lifecycle(s: State, t: Turn) -> list[Event]:
    """Notices that fall due end their agreements; fixed terms count down and expire."""
    events: list[Event] = []
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        if ag.notice_until is not None and ag.notice_until <= t.turn:
            by = {"by": ag.notice_by} if ag.notice_by is not None else {}
            text = f"'{ag.name}' ends: the notice of renunciation has run."
            events.append(ended(t, ag, "renounced", text, stated=ag.notice_reason, **by))
            continue
        if ag.duration is None or ag.since_turn == t.turn:
            continue
        left = ag.duration - 1
        if left <= 0:
            events.append(ended(t, ag, "expired", f"'{ag.name}' expires: its term has run and no party renewed it."))
            continue
        events.append(
            outcome(
                t,
                [Change(target="agreement", key=ag.id, field="duration", value=left)],
                "agreement.duration",
                STEP,
                f"'{ag.name}' has {left} turn(s) left.",
                citations=["leeds2002"],
                audience=_audience(ag),
            )
        )
    return events
