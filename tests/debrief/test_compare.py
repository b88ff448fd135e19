"""`debrief --compare`: the first decision at which two games differ, and what followed, side by side."""

from __future__ import annotations

import textwrap

from crisisgame.debrief.compare import (
    WIDTH,
    compare,
    decisions,
    first_decision_divergence,
    first_divergence,
    order_phrases,
)
from crisisgame.debrief.fork import fork
from crisisgame.debrief.history import History, history
from crisisgame.engine.commands import DemandOrder, ForceOrder, Orders
from crisisgame.engine.events import Event, GameCreated, OrdersSubmitted, Outcome
from crisisgame.engine.news import lead_stories
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play


def test_bookkeeping_alone_is_not_a_difference(small_log: list[Event]) -> None:
    created = small_log[0]
    assert isinstance(created, GameCreated)
    later = [created.model_copy(update={"at": created.at + 3600}), *small_log[1:]]
    assert first_divergence(small_log, later) == 1  # the raw logs differ at game_created ...
    assert first_decision_divergence(small_log, later) is None  # ... but no decision does
    assert "made the same decisions" in "\n".join(compare(history(small_log), history(later)))


def test_the_first_differing_decision_is_named_with_what_followed(baltic_log: list[Event]) -> None:
    replacement = Orders(defence_spending=12.0, force=[ForceOrder(target="EST", level="war")])
    forked = fork(baltic_log, 2, {"RUS": replacement})
    found = first_decision_divergence(baltic_log, forked)
    assert found is not None
    _, original, changed = found
    assert isinstance(original, OrdersSubmitted)
    assert isinstance(changed, OrdersSubmitted)
    assert (original.turn, original.actor, changed.orders) == (2, "RUS", replacement)
    lines = compare(history(baltic_log), history(forked), "original", "fork")
    text = "\n".join(lines)
    assert "(turn 2): original: Russian Federation ordered" in lines[1]
    assert "fork: Russian Federation ordered defence spending 12.0" in lines[1]
    assert "At the end of each game:" in text
    # What followed, side by side: each turn's first news item found in one game only opens that turn's
    # row, in that game's column (derived from the two games' own news, not from a particular story).
    a, b = history(baltic_log), history(forked)
    start = lines.index("What followed, turn by turn (news found in one game only):") + 1
    header = lines[start]
    assert header.split() == ["original", "|", "fork"]
    bar = header.index(" | ")
    rows = {line[2:6].strip(): line for line in lines[start + 1 :] if line[2:6].startswith("T")}
    checked = 0
    for turn in range(2, len(a.turns) + 1):
        xs, ys = _news(a, turn), _news(b, turn)
        only_a = [x for x in xs if x not in ys]
        only_b = [y for y in ys if y not in xs]
        if not (only_a or only_b):
            assert f"T{turn}" not in rows, text
            continue
        assert f"T{turn}" in rows, text
        row = rows[f"T{turn}"]
        assert row[6:bar].rstrip() == (_first_line(only_a[0]) if only_a else ""), text
        assert row[bar + 3 :] == (_first_line(only_b[0]) if only_b else ""), text
        checked += 1
    assert _news(a, 2) != _news(b, 2)  # a war ordered in turn 2 makes news of that turn at least
    assert checked >= 1


def _news(h: History, turn: int) -> list[str]:
    """A turn's lead stories as `compare` tells them (title: text)."""
    return [f"{x.title}: {x.text}" for x in lead_stories([e for _, e in h.turn(turn).events], h.final)]


def _first_line(story: str) -> str:
    return textwrap.wrap("- " + story, WIDTH, subsequent_indent="  ")[0]


def test_games_with_other_seeds_differ_at_a_decision_not_at_game_created(baltic_log: list[Event]) -> None:
    other = play(load_scenario(find("baltic")), seed=12, turns=2).log
    found = first_decision_divergence(baltic_log, other)
    assert found is not None
    seq, x, _ = found
    assert seq > 1
    assert x is not None
    assert x.type != "game_created"
    lines = compare(history(baltic_log), history(other))
    assert any("Their seeds differ (11 vs 12)" in line for line in lines)
    assert not any("game_created" in line for line in lines)


def test_the_same_decisions_with_other_outcomes_are_put_down_to_chance(small_log: list[Event]) -> None:
    n, e = next((n, e) for n, e in enumerate(small_log) if isinstance(e, Outcome) and e.turn == 3)
    altered = e.model_copy(update={"reason": e.reason.model_copy(update={"explanation": "A different draw."})})
    other = [*small_log[:n], altered, *small_log[n + 1 :]]
    assert first_decision_divergence(small_log, other) is None
    lines = compare(history(small_log), history(other))
    assert any("from turn 3 the engine's chance draws (the seed) made the difference" in line for line in lines)


def test_a_team_counts_once_per_turn_with_its_final_orders(baltic_log: list[Event]) -> None:
    keys = [(e.turn, e.actor) for _, _, e in decisions(baltic_log) if isinstance(e, OrdersSubmitted)]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys, key=lambda k: k[0])


def test_orders_are_told_in_phrases() -> None:
    orders = Orders(
        defence_spending=3.0,
        mobilisation=0.5,
        force=[ForceOrder(target="EST", level="grey_zone")],
        demands=[DemandOrder(target="LTU", issue="transit", position=0.8, public=False)],
    )
    assert order_phrases(orders) == [
        "defence spending 3.0% of GDP",
        "mobilisation 50%",
        "grey zone against EST",
        "a private demand on LTU over transit",
    ]
    assert order_phrases(Orders()) == ["no change"]
