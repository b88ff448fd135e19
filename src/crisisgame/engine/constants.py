"""Structural constants the rules and bots share: unit conversions and display limits.

These are not model coefficients (no scholar would argue about how many thousands make a million),
so they are not in the rulebook and a scenario cannot override them; they are named here so that
no rule module or bot carries a bare number (see the rule in `crisisgame.scenario.rulebook`).
"""

from __future__ import annotations

THOUSANDS_PER_MILLION = 1e3
"""COW military expenditure is in thousands of US dollars; arms deliveries are in millions."""
THOUSANDS_PER_BILLION = 1e6
"""GDP is in billions of US dollars; military expenditure in thousands."""
PERCENT = 100
"""Defence spending is a percentage of GDP."""
PER_MILLE = 1e3
"""A ratio per 1,000 inhabitants (`war.occupation_troops_per_1000`); personnel and population are both in
thousands in COW's units, so troops per inhabitant are personnel / population."""
MAX_DEFENCE_SPENDING = 50.0
"""The highest defence spending (percent of GDP) an order may set."""
NAMES_LISTED = 4
"""How many names an explanation lists before it stops (it stays one readable line)."""
MAX_STATES_PER_ORDER = 5
"""The most states one turn's orders may threaten with nuclear weapons, or name to defend."""
DEMAND_CYCLE = 2
"""Turns from a demand to the force that may follow its refusal: it is answered the next turn, and the
demander escalates or backs down in the turn after."""
PAIR_TABLES_KEPT = 64
"""Games whose table of pairs (keys and proximities, `rules.common.pair_table`) is kept between their
adjudications: a server's games take turns adjudicating."""
STATED_REASON_LENGTH = 300
"""The longest stated reason a renunciation may carry (`Orders.renounce_reasons`): a sentence or two, as a
state's note of renunciation gives, short enough to show beside the agreement in news and debriefs."""
