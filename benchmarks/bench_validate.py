"""Validating a 50-actor scenario file, end to end (decode, parse, model, references).

Target (scenario authoring issue): at most 200 ms. Prints the median and worst of 20 runs.
"""

from __future__ import annotations

import statistics
import time

from crisisgame.scenario.generate import world
from crisisgame.scenario.loader import check_text
from crisisgame.scenario.writer import dump_scenario

TARGET_MS = 200.0


def main() -> None:
    text = dump_scenario(world(50, seed=1)).encode()
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        scenario, errors = check_text(text)
        timings.append((time.perf_counter() - started) * 1000)
        assert not errors, errors
        assert scenario is not None
    median, worst = statistics.median(timings), max(timings)
    lines = text.count(b"\n")
    print(
        f"validate 50-actor scenario ({lines} lines, {len(text) / 1024:.0f} KiB): median {median:.1f} ms, "
        f"worst {worst:.1f} ms, target <= {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
