"""Step 10, economic statecraft (Hirschman 1945; Drezner 1999; Hufbauer et al. 2007).

Orders impose or lift sanctions (a partial cut of bilateral trade) and embargoes (a total cut), and
an adopted Security Council sanctions resolution makes every member that voted for it impose them.
Each turn a sanction costs both sides in proportion to how much of each one's GDP the trade between
them is (the scenario's sourced `trade` links): the target loses military expenditure and approval
for the trade cut by the whole coalition of sanctioners, each sanctioner loses approval for the trade
it gave up. Dependence is asymmetric, so the same sanction can hurt one side much more than the other
(Hirschman's influence effect). Aid adds to the recipient's military expenditure from the next turn.
"""

from __future__ import annotations

from crisisgame.engine.constants import THOUSANDS_PER_MILLION
from crisisgame.engine.events import Event, Reason, SanctionImposed, SanctionLifted
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import State, pair

STEP = 10


def dependence(s: State, of: str, on: str) -> float:
    """`of`'s trade with `on` as a share of `of`'s GDP (0 where the scenario lists no link)."""
    for link in s.scenario.trade:
        if set(link.between) == {of, on}:
            return link.dependence.get(of, 0.0)
    return 0.0


def _reason(rule: str, explanation: str) -> Reason:
    return Reason(rule=rule, step=STEP, explanation=explanation, citations=["hirschman1945", "drezner1999"])


def orders_step(s: State, t: Turn) -> list[Event]:
    """Sanctions imposed and lifted this turn, by orders and by adopted Council resolutions."""
    events: list[Event] = []
    imposed: dict[tuple[str, str], str] = {}
    for actor in sorted(s.actors):
        for order in t.of(actor).sanctions:
            imposed[(actor, order.target)] = order.kind
    for res in sorted(s.resolutions.values(), key=lambda r: r.id):
        if res.kind == "sanctions" and res.status == "adopted" and res.turn == t.turn:
            for member, v in sorted(res.votes.items()):
                if v == "yes" and member != res.target:
                    imposed.setdefault((member, res.target), "sanctions")
    for (actor, target), kind in sorted(imposed.items()):
        if s.sanctions.get(pair(actor, target)) == kind:
            continue
        events.append(
            SanctionImposed(
                at=t.now,
                turn=t.turn,
                actor=actor,
                target=target,
                kind=kind,
                reason=_reason(
                    "economy.imposed",
                    f"{s.actors[actor].name} imposed {kind} on {s.actors[target].name}: their trade is "
                    f"{dependence(s, target, actor):.1%} of {s.actors[target].name}'s GDP and "
                    f"{dependence(s, actor, target):.1%} of {s.actors[actor].name}'s.",
                ),
            )
        )
    for actor in sorted(s.actors):
        for target in t.of(actor).lift_sanctions:
            if pair(actor, target) in s.sanctions and (actor, target) not in imposed:
                events.append(
                    SanctionLifted(
                        at=t.now,
                        turn=t.turn,
                        actor=actor,
                        target=target,
                        reason=_reason(
                            "economy.lifted", f"{s.actors[actor].name} lifted its measures on {s.actors[target].name}."
                        ),
                    )
                )
    return events


def step(s: State, t: Turn) -> list[Event]:
    """This turn's costs of the sanctions in force, to targets and sanctioners, and aid delivered last turn."""
    r = s.rules.economy
    severity = {"sanctions": r.sanctions_severity, "embargo": r.embargo_severity}
    cut: dict[str, float] = {}
    given_up: dict[str, float] = {}
    coalition: dict[str, list[str]] = {}
    for key, kind in sorted(s.sanctions.items()):
        actor, _, target = key.partition(">")
        cut[target] = cut.get(target, 0.0) + severity[kind] * dependence(s, target, actor)
        given_up[actor] = given_up.get(actor, 0.0) + severity[kind] * dependence(s, actor, target)
        coalition.setdefault(target, []).append(actor)
    events: list[Event] = []
    for target, lost in sorted(cut.items()):
        st = s.actors[target]
        changes = [actor_change(target, "approval", clip(st.approval - r.approval_loss * lost))]
        if st.milex is not None:
            changes.append(actor_change(target, "milex", st.milex * max(0.0, 1 - r.capability_loss * lost)))
        members = ", ".join(s.actors[a].name for a in coalition[target])
        events.append(
            outcome(
                t,
                changes,
                "economy.sanctions",
                STEP,
                f"Sanctions by {members} cut trade worth {lost:.1%} of {st.name}'s GDP: its military spending "
                "and its government's approval fall.",
                inputs={"coalition": len(coalition[target])},
                terms={"trade_cut": lost},
                citations=["hirschman1945", "drezner1999", "hufbauer2007"],
            )
        )
    for actor, lost in sorted(given_up.items()):
        if lost <= 0:
            continue
        st = s.actors[actor]
        events.append(
            outcome(
                t,
                [actor_change(actor, "approval", clip(st.approval - r.approval_loss * lost))],
                "economy.sanction_cost",
                STEP,
                f"{st.name} pays for its sanctions: the trade it gave up was {lost:.1%} of its GDP.",
                terms={"trade_given_up": lost},
                citations=["hirschman1945", "drezner1999"],
            )
        )
    for donor, orders in sorted(t.previous.revealed.get(t.turn - 1, {}).items()):
        for a in orders.aid:
            st = s.actors[a.to]
            if st.milex is None:
                continue
            added = a.value_usd_m * THOUSANDS_PER_MILLION * r.aid_to_milex
            events.append(
                outcome(
                    t,
                    [actor_change(a.to, "milex", st.milex + added)],
                    "economy.aid",
                    STEP,
                    f"{s.actors[donor].name}'s aid of ${a.value_usd_m:,.0f}m reached {st.name}.",
                    inputs={"donor": donor, "value_usd_m": a.value_usd_m},
                    citations=["drezner1999"],
                )
            )
    return events
