"""Building the after-action report for a 10-turn, 8-actor game (target: at most 2 s).

The game is a generated 8-actor world played by bots for 10 turns; the figure includes folding
the log into its history and rendering the HTML.
"""

from __future__ import annotations

import statistics
import time

from crisisgame.debrief.history import history
from crisisgame.debrief.report import report_html
from crisisgame.engine.events import Event
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.generate import world
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play

TARGET_S = 2.0


def measure(name: str, log: list[Event]) -> None:
    timings = []
    size = 0
    for _ in range(5):
        started = time.perf_counter()
        size = len(report_html(history(log)))
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(
        f"report for {name} ({len(log)} events, {size / 1024:.0f} KiB): median {median:.2f} s, "
        f"worst {max(timings):.2f} s, target <= {TARGET_S:.0f} s: {'met' if median <= TARGET_S else 'MISSED'}"
    )


def main() -> None:
    measure("a 10-turn, 8-actor generated game", play(world(8, seed=5, turns=10), seed=5).log)
    measure("the Baltic scenario, 8 turns, 14 actors", play(load_scenario(find("baltic")), seed=5).log)


if __name__ == "__main__":
    main()
