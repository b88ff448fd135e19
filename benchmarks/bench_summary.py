"""`crisisgame debrief` for the 8-turn Baltic game (target: at most 2 s).

The figure is what the command does: fold the log into its history, select and render the two-page
summary, and render the full record written beside it. The student edition is timed alone too.
"""

from __future__ import annotations

import statistics
import time

from crisisgame.debrief.history import history
from crisisgame.debrief.report import report_html
from crisisgame.debrief.summary import summarise
from crisisgame.debrief.summary_html import summary_html
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play

TARGET_S = 2.0
RUNS = 5


def main() -> None:
    log = play(load_scenario(find("baltic")), seed=11).log
    both: list[float] = []
    student: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        h = history(log)
        summary_html(summarise(h), "report.full.html")
        report_html(h)
        both.append(time.perf_counter() - started)
        started = time.perf_counter()
        summary_html(summarise(history(log), "student"))
        student.append(time.perf_counter() - started)
    for name, timings in (("summary + full record", both), ("student edition", student)):
        median = statistics.median(timings)
        print(
            f"debrief of the 8-turn Baltic game ({len(log)} events), {name}: median {median:.2f} s, "
            f"worst {max(timings):.2f} s, target <= {TARGET_S:.0f} s: {'met' if median <= TARGET_S else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
