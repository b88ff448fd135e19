"""Check `crisisgame.engine.power.cinc` against the Correlates of War's published CINC column.

Usage: python benchmarks/check_cinc_against_cow.py [PATH_TO/nmc-v6-abridged.csv]

COW NMC v6 (Singer, Bremer & Stuckey 1972; Greig & Enterline 2021) lists, per state-year, the six
components and the CINC computed over the whole state system of that year, with -9 for a missing
value. This recomputes every year's CINC with the engine's public function and prints the largest
absolute difference, so researchers can see the engine uses COW's formula (a missing component is
left out of a state's mean, not counted as zero). The data set is not shipped with crisisgame.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from crisisgame.engine.power import COMPONENTS, cinc

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "nmc-v6-abridged.csv"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        print(f"no COW NMC file at {path}; pass its path as the first argument")
        return 1
    years: dict[int, dict[str, dict[str, float | None]]] = defaultdict(dict)
    published: dict[tuple[int, str], float] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            year, state = int(row["year"]), row["stateabb"] + row["ccode"]
            years[year][state] = {c: None if float(row[c]) < 0 else float(row[c]) for c in COMPONENTS}
            published[(year, state)] = float(row["cinc"])
    worst = (0.0, 0, "")
    checked = 0
    for year, states in sorted(years.items()):
        ours = cinc(states)
        for state, value in ours.items():
            diff = abs(value - published[(year, state)])
            checked += 1
            if diff > worst[0]:
                worst = (diff, year, state)
    print(
        f"CINC of {checked:,} state-years ({min(years)}-{max(years)}) recomputed; largest difference from COW's "
        f"published value: {worst[0]:.2e} ({worst[2]} {worst[1]})"
    )
    return 0 if worst[0] < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
