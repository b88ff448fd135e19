"""The scenarios shipped with crisisgame, found in the installed package or the source tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import Scenario


def shipped_dir() -> Path:
    """`crisisgame/scenarios` in an installed wheel, else `scenarios/` at the top of the checkout."""
    packaged = Path(__file__).resolve().parent.parent / "scenarios"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "scenarios"


@dataclass(frozen=True)
class Entry:
    path: Path
    scenario: Scenario

    @property
    def line(self) -> str:
        s = self.scenario
        playable = sum(a.playable for a in s.actors)
        return (
            f"{s.id:<18} {s.meta.title} ({s.meta.region}, {s.meta.date.isoformat()}): "
            f"{playable} playable of {len(s.actors)} actors, {s.turns.count} turns"
        )


def shipped() -> list[Entry]:
    """Every shipped scenario, loaded and validated, sorted by id."""
    entries = [Entry(p, load_scenario(p)) for p in sorted(shipped_dir().glob("*.yaml"))]
    return sorted(entries, key=lambda e: e.scenario.id)


def find(name: str) -> Path:
    """A scenario by path, or by the id or file stem of a shipped one."""
    direct = Path(name)
    if direct.is_file():
        return direct
    for path in sorted(shipped_dir().glob("*.yaml")):
        if name in (path.stem, path.stem.replace("_", "-")):
            return path
    for entry in shipped():
        if entry.scenario.id == name:
            return entry.path
    raise FileNotFoundError(f"no scenario file or shipped scenario named '{name}'")
