"""The class against the distribution: 100 bot runs of the 8-turn Baltic game (target: under 60 s on 2 cores).

The figure is what `crisisgame debrief GAME --out report.html --runs 100 --jobs 2` adds to the
summary: play the runs from the class's start in two worker processes and place the class among
them. Wall time depends on what else the machine runs; the CPU time of the workers is printed too.
"""

from __future__ import annotations

import os
import time

from crisisgame.debrief.against import distribution_section
from crisisgame.debrief.history import history
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play

TARGET_S = 60.0
RUNS = 100
JOBS = 2


def main() -> None:
    h = history(play(load_scenario(find("baltic")), seed=11).log)
    before = os.times()
    started = time.perf_counter()
    distribution_section(h, RUNS, JOBS)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    print(
        f"distribution of {RUNS} runs of the {h.final.turn}-turn Baltic game on {JOBS} processes: "
        f"{wall:.1f} s wall ({cpu:.1f} s CPU in the workers, {cpu / RUNS:.2f} s per run), "
        f"target < {TARGET_S:.0f} s: {'met' if wall < TARGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
