"""Step 11 names an answer to a call chain-ganging or buck-passing only when the partner is fighting."""

from __future__ import annotations

from crisisgame.engine.commands import DemandOrder, ForceOrder, Orders
from tests.theory import worlds as w

SEEDS = range(20)


def labels(seed: int, strike: bool) -> list[tuple[bool, str]]:
    """(honoured, step 11's label of the ally) after A coerces or strikes B, whose ally C must answer."""
    doc = w.blank(3, seed)
    a, b, c = w.ids(doc)
    w.place(doc, a, 0, 0)
    w.place(doc, b, 500, 0)
    w.place(doc, c, 1500, 0)
    w.configure(doc, c, reputation=0.9)
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    w.agreement(doc, "pact", "defence_pact", [b, c], strength=0.9, ambiguity=0.1)
    doc["agreements"][-1]["obligations"] = ["defence", "extended_deterrence"]  # coercion invokes it too
    s = w.primed(w.scenario(doc), seed)
    move = (
        Orders(force=[ForceOrder(target=b, level="limited_strike")])
        if strike
        else Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])
    )
    _, events = w.advance(s, {a: move})
    answered = [
        bool(ch.value) for e in w.outcomes(events, "alliance.answer") for ch in e.changes if ch.field == f"answer:{c}"
    ]
    return [(ok, w.behaviour(events)[c][0]) for ok in answered]


def test_honouring_a_call_against_coercion_alone_is_not_a_chain_gang() -> None:
    found = [x for seed in SEEDS for x in labels(seed, strike=False)]
    assert any(ok for ok, _ in found), "no honoured call to check"
    assert all(label not in ("chain_ganging", "buck_passing") for _, label in found), found


def test_honouring_a_struck_partners_call_is_a_chain_gang_and_refusing_it_passes_the_buck() -> None:
    found = [x for seed in SEEDS for x in labels(seed, strike=True)]
    assert any(ok for ok, _ in found), "no honoured call to check"
    assert all(label == ("chain_ganging" if ok else "buck_passing") for ok, label in found), found
