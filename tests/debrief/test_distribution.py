"""The class against the distribution, from synthetic per-run rows (test_against.py plays real runs)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisgame.debrief.distribution import MEASURES, MeasureSpec, class_row, distribution, distribution_html, place
from crisisgame.debrief.history import history
from crisisgame.debrief.summary import summarise
from crisisgame.debrief.summary_html import summary_html
from crisisgame.engine.events import Event

WAR = MeasureSpec("war", "binary", "war broke out")
FORMED = MeasureSpec("agreements_formed", "count", "agreements formed")
WINNER = MeasureSpec("prevailed", "category", "who prevailed")


def test_binary_measure_is_the_share_of_runs_where_it_happened() -> None:
    runs = [{"war": w} for w in [True] * 12 + [False] * 88]
    p = place(WAR, True, runs)
    assert p.share == pytest.approx(0.12)
    assert p.sentence == "War broke out in 12 of 100 bot games; in your class it did."
    assert place(WAR, "false", [{"war": "true"}, {"war": "false"}]).sentence.endswith("it did not.")


def test_count_measure_places_the_class_by_percentile() -> None:
    runs = [{"agreements_formed": n} for n in range(10)]  # 0..9
    p = place(FORMED, 7, runs)
    assert p.share == pytest.approx(0.7)  # 7 of 10 runs formed fewer
    assert p.low == pytest.approx(0.9)
    assert p.median == pytest.approx(4.5)
    assert p.high == pytest.approx(8.1)
    assert "above 70%, level with 10% and below 20% of them" in p.sentence


def test_a_class_level_with_every_bot_game_is_said_to_be_level() -> None:
    """The Eastern Mediterranean debrief read 'ranged 81% to 81% (median 81%), so your class was above 0% of them'."""
    runs = [{"agreements_formed": 3} for _ in range(20)]
    p = place(FORMED, 3, runs)
    assert p.share == 0
    assert p.sentence.endswith("so your class was level with 100% of them.")
    assert place(FORMED, 0, runs).sentence.endswith("so your class was below 100% of them.")


def test_category_measure_counts_each_value() -> None:
    runs = [{"prevailed": w} for w in ["RUS"] * 6 + ["USA"] * 3 + ["EST"]]
    p = place(WINNER, "USA", runs)
    assert p.share == pytest.approx(0.3)
    assert p.counts == (("RUS", 6), ("USA", 3), ("EST", 1))
    assert "in your class USA; in the bot games RUS 6 of 10, USA 3 of 10, EST 1 of 10." in p.sentence
    tied = place(WINNER, "RUS;USA", [{"prevailed": "RUS;USA"}, {"prevailed": "RUS"}])
    assert "in your class RUS and USA (tied); in the bot games RUS 1 of 2, RUS and USA (tied) 1 of 2." in tied.sentence


def test_bad_rows_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="no runs"):
        place(WAR, True, [])
    with pytest.raises(ValueError, match="run 1 has no column 'war'"):
        place(WAR, True, [{"war": 1}, {"peace": 1}])
    with pytest.raises(ValueError, match="column 'agreements_formed' holds 'many', not a number"):
        place(FORMED, 3, [{"agreements_formed": "many"}])


@given(st.lists(st.integers(0, 30), min_size=1, max_size=60), st.integers(0, 30))
def test_percentile_is_the_share_strictly_below(values: list[int], mine: int) -> None:
    p = place(FORMED, mine, [{"agreements_formed": v} for v in values])
    assert p.share == pytest.approx(sum(v < mine for v in values) / len(values))
    assert p.low is not None
    assert p.high is not None
    assert min(values) <= p.low <= p.median <= p.high <= max(values)  # type: ignore[operator]


def test_the_class_row_and_the_section_in_the_summary(baltic_log: list[Event]) -> None:
    h = history(baltic_log)
    row = class_row(h)
    assert set(row) == {m.column for m in MEASURES}
    assert 0.0 <= row["objectives_met"] <= 1.0
    assert row["agreements_formed"] == sum(1 for e in baltic_log if e.type == "agreement_concluded")
    runs = [{**row, "war": n % 4 == 0, "agreements_formed": n, "prevailed": "RUS"} for n in range(20)]
    placements = distribution(row, runs)
    assert [p.label for p in placements] == [m.label for m in MEASURES]
    page = summary_html(summarise(h), distribution=distribution_html(placements))
    assert 'data-section="distribution"' in page
    assert page.index('data-section="distribution"') < page.index('data-section="turning-points"')
    assert "20 bot games of the same scenario" in page
    assert 'data-section="distribution"' not in summary_html(summarise(h))
