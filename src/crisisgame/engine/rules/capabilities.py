"""Step 2, capabilities: spending, mobilisation, deployments and arms deliveries change the COW
components; arms create dependence (the supplier's share of what the recipient received)."""

from __future__ import annotations

from collections import defaultdict

from crisisgame.engine.constants import PERCENT, THOUSANDS_PER_BILLION, THOUSANDS_PER_MILLION
from crisisgame.engine.events import Change, Event
from crisisgame.engine.power import cinc
from crisisgame.engine.rules.common import Turn, actor_change, outcome, pair_change
from crisisgame.engine.state import State, pair

STEP = 2


def _deliveries(s: State, t: Turn) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Arms arriving this turn and all arrived so far, by (supplier, recipient), in US$ millions."""
    lag = s.rules.capabilities.arms_delivery_lag
    arriving: dict[tuple[str, str], float] = defaultdict(float)
    total: dict[tuple[str, str], float] = defaultdict(float)
    history = dict(s.revealed)
    history[t.turn] = t.orders
    for turn, orders in history.items():
        if turn + lag > t.turn:
            continue
        for supplier, o in orders.items():
            for d in o.arms_deliveries:
                total[(supplier, d.to)] += d.value_usd_m
                if turn + lag == t.turn:
                    arriving[(supplier, d.to)] += d.value_usd_m
    for ag in s.agreements.values():
        if ag.type == "arms_deal" and ag.value_usd_m and ag.since_turn > 0 and ag.since_turn + lag <= t.turn:
            supplier = (ag.guarantors or ag.parties)[0]
            for recipient in ag.parties:
                if recipient != supplier:
                    total[(supplier, recipient)] += ag.value_usd_m
                    if ag.since_turn + lag == t.turn:
                        arriving[(supplier, recipient)] += ag.value_usd_m
    return arriving, total


def _or(ordered: float | None, current: float) -> float:
    return current if ordered is None else ordered


def step(s: State, t: Turn) -> list[Event]:
    r = s.rules.capabilities
    events: list[Event] = []
    for aid, st in s.actors.items():
        o = t.of(aid)
        changes: list[Change] = []
        terms: dict[str, float] = {}
        if o.defence_spending is not None and o.defence_spending != st.defence_spending:
            changes.append(actor_change(aid, "defence_spending", o.defence_spending))
            if st.milex is not None:
                if st.defence_spending >= r.spending_rescale_floor:
                    factor = (o.defence_spending / st.defence_spending) ** r.spending_elasticity
                    new = st.milex * factor
                elif st.gdp:
                    new = st.gdp * THOUSANDS_PER_BILLION * o.defence_spending / PERCENT
                else:
                    new = st.milex
                terms["milex_change"] = new - st.milex
                changes.append(actor_change(aid, "milex", new))
        if o.mobilisation is not None and o.mobilisation != st.mobilisation:
            changes.append(actor_change(aid, "mobilisation", o.mobilisation))
            if st.milper is not None:
                new_p = st.milper * (1 + r.mobilisation_personnel * (o.mobilisation - st.mobilisation))
                terms["milper_change"] = new_p - st.milper
                changes.append(actor_change(aid, "milper", max(0.0, new_p)))
        if changes:
            events.append(
                outcome(
                    t,
                    changes,
                    "capabilities.spending",
                    STEP,
                    f"{st.name} set defence spending to {_or(o.defence_spending, st.defence_spending):.1f}% "
                    f"of GDP and mobilisation to {_or(o.mobilisation, st.mobilisation):.0%}.",
                    inputs={"spending_before": st.defence_spending, "mobilisation_before": st.mobilisation},
                    terms=terms,
                    citations=["singer1972"],
                )
            )
        if o.alignment is not None and o.alignment != st.alignment:
            events.append(
                outcome(
                    t,
                    [actor_change(aid, "alignment", o.alignment)],
                    "capabilities.alignment",
                    STEP,
                    f"{st.name} declared its alignment with {s.actors[o.alignment].name}.",
                    citations=["walt1987"],
                )
            )
        troop_changes: list[Change] = []
        for dep in o.deployments:
            key = pair(aid, dep.host)
            troop_changes.append(pair_change(key, "troops", s.troops.get(key, 0) + dep.troops))
        for host in o.withdrawals:
            troop_changes.append(pair_change(pair(aid, host), "troops", 0))
        if troop_changes:
            moves = ", ".join(f"{d.troops:,} troops to {d.host}" for d in o.deployments)
            gone = ", ".join(f"withdrew from {h}" for h in o.withdrawals)
            events.append(
                outcome(
                    t,
                    troop_changes,
                    "capabilities.deployment",
                    STEP,
                    f"{st.name} {'; '.join(x for x in (moves and 'sent ' + moves, gone) if x)}.",
                    citations=["fearon1997"],
                )
            )
    arriving, total = _deliveries(s, t)
    received: dict[str, float] = defaultdict(float)
    for (_, recipient), value in total.items():
        received[recipient] += value
    for (supplier, recipient), value in sorted(arriving.items()):
        st = s.actors[recipient]
        if st.milex is None:
            continue
        share = total[(supplier, recipient)] / received[recipient]
        events.append(
            outcome(
                t,
                [
                    actor_change(recipient, "milex", st.milex + value * THOUSANDS_PER_MILLION),
                    pair_change(pair(recipient, supplier), "dependence", share),
                ],
                "capabilities.arms",
                STEP,
                f"Arms worth ${value:,.0f}m from {s.actors[supplier].name} reached {st.name}; "
                f"{s.actors[supplier].name} now supplies {share:.0%} of its arms.",
                inputs={"value_usd_m": value, "supplier": supplier},
                terms={"dependence": share},
                citations=["snyder1997"],
            )
        )
    return events


def cinc_step(s: State, t: Turn) -> list[Event]:
    """Recompute CINC after capabilities moved (COW's formula, `crisisgame.engine.power.cinc`)."""
    shares = cinc({aid: st.components() for aid, st in s.actors.items()})
    changes = [actor_change(aid, "cinc", v) for aid, v in shares.items() if abs(v - s.actors[aid].cinc) > 1e-9]
    if not changes:
        return []
    return [
        outcome(
            t,
            changes,
            "capabilities.cinc",
            STEP,
            "Aggregate power (CINC) recomputed from the six COW components.",
            citations=["singer1972"],
        )
    ]
