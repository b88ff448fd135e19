"""Forces in theatre need their host's consent (CSIS 2023, Cancian et al.: bases in Japan decide how much
US power reaches a Taiwan contingency).

Mechanism under test: `engine.rules.common.base_consent` lets forward forces fight from a host's bases
only with the host's consent (standing in the agreement, or granted case by case each turn, and
deniable any turn), and `theatre_strength` combines home and every usable base. The shipped Taiwan
scenario leaves US combat use of bases in Japan to Japan case by case (1960 prior-consultation notes).
Ablation: with no US forces stationed in Japan, Japan's decision changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from crisisgame.engine.commands import Orders
from crisisgame.engine.rules.crisis import win_probability
from crisisgame.engine.state import State
from tests.theory.test_wargames import after_first_turn, intervening

GRANT = {"JPN": Orders(grant_bases=["USA"])}
DENY = {"JPN": Orders(deny_bases=["USA"])}


def test_japan_denying_us_bases_raises_chinas_odds_against_a_us_defence_of_taiwan() -> None:
    us = intervening(after_first_turn("taiwan_strait"), ("USA",))
    granted = win_probability(us, "CHN", "TWN", GRANT)
    denied = win_probability(us, "CHN", "TWN", DENY)
    assert denied > granted + 0.03, (granted, denied)
    assert granted < 0.5, "with Japan's bases the US defence holds (CSIS base case)"
    assert win_probability(us, "CHN", "TWN") == denied, "case by case: no grant, no use"


def test_ablation_without_forces_in_japan_the_hosts_decision_changes_nothing() -> None:
    us = intervening(after_first_turn("taiwan_strait"), ("USA",))
    bare: State = replace(us, troops={k: v for k, v in us.troops.items() if k != "USA>JPN"})
    assert win_probability(bare, "CHN", "TWN", GRANT) == win_probability(bare, "CHN", "TWN", DENY)
