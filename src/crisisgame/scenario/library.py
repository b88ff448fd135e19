"""The server's catalogue of scenarios: the shipped ones and those facilitators uploaded.

A game is created from a catalogue id only, never from a path a client names. Uploaded files are
validated by the same loader as `crisisgame validate`, and only valid ones are kept, each as
`<id>.yaml` in the scenarios folder (written whole, then renamed into place, so a crash never leaves
half a file). A file in the folder that no longer validates (edited by hand, or made invalid by a
newer crisisgame) is left out of the catalogue and logged, never served.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from crisisgame.scenario.catalogue import shipped
from crisisgame.scenario.loader import ScenarioError, check_file, check_text
from crisisgame.scenario.model import Scenario

log = logging.getLogger("crisisgame.scenarios")

UPLOAD_MAX_BYTES = 256 * 1024
"""Largest scenario file a facilitator may upload (the shipped scenarios are under 70 KiB)."""
UPLOAD_MAX_FILES = 50
"""Most uploaded scenarios the folder keeps; replacing one (same id) is always allowed."""

_ID_LINE = re.compile(r"^id\s*:", re.MULTILINE)


@dataclass(frozen=True)
class CatalogueEntry:
    scenario: Scenario
    source: str
    """'shipped' or 'uploaded'."""


class ScenarioLibrary:
    """Shipped scenarios (validated once) and the uploaded ones in `folder` (re-read when a file changes)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._shipped: list[CatalogueEntry] | None = None
        self._uploaded: dict[Path, tuple[tuple[int, int], Scenario | None]] = {}
        self._lock = threading.Lock()
        """Uploads are checked in a worker thread while the catalogue is read on the event loop."""

    def entries(self) -> list[CatalogueEntry]:
        """Every scenario a game can be created from, shipped first, each sorted by id."""
        if self._shipped is None:
            self._shipped = [CatalogueEntry(e.scenario, "shipped") for e in shipped()]
        shipped_ids = {e.scenario.id for e in self._shipped}
        uploaded = [CatalogueEntry(s, "uploaded") for s in self._uploaded_scenarios() if s.id not in shipped_ids]
        return [*self._shipped, *sorted(uploaded, key=lambda e: e.scenario.id)]

    def find(self, scenario_id: str) -> Scenario | None:
        return next((e.scenario for e in self.entries() if e.scenario.id == scenario_id), None)

    def _uploaded_scenarios(self) -> list[Scenario]:
        if self.folder is None or not self.folder.is_dir():
            return []
        with self._lock:
            return self._read_folder(self.folder)

    def _read_folder(self, folder: Path) -> list[Scenario]:
        found: list[Scenario] = []
        seen: set[Path] = set()
        for path in sorted(folder.glob("*.yaml")):
            seen.add(path)
            try:
                stat = path.stat()
            except OSError:
                continue
            key = (stat.st_mtime_ns, stat.st_size)
            cached = self._uploaded.get(path)
            if cached is None or cached[0] != key:
                scenario, errors = check_file(path)
                if errors:
                    log.warning("scenario file %s is invalid and left out of the catalogue: %s", path, errors[0])
                cached = (key, scenario)
                self._uploaded[path] = cached
            if cached[1] is not None:
                found.append(cached[1])
        for gone in set(self._uploaded) - seen:
            del self._uploaded[gone]
        return found

    def upload(self, text: str, name: str = "upload.yaml") -> tuple[Scenario | None, list[ScenarioError]]:
        """Validate a scenario's text and, if it is valid, keep it in the folder under its id.

        Returns the scenario (None if refused) and every error, located in the uploaded text.
        """
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > UPLOAD_MAX_BYTES:
            return None, [
                ScenarioError(
                    1,
                    1,
                    f"the file is {size:,} bytes, more than the {UPLOAD_MAX_BYTES:,} an upload may be",
                    "a scenario is a few hundred lines; is this the right file?",
                    name,
                )
            ]
        try:
            scenario, errors = check_text(text, name)
        except Exception:  # a bug in the loader must not take the server down with a facilitator's file
            log.exception("validating an uploaded scenario failed")
            failed = "the file could not be checked (an error in crisisgame, logged)"
            return None, [ScenarioError(1, 1, failed, None, name)]
        if errors or scenario is None:
            return None, errors
        if self.folder is None:
            hint = "start the server with --scenarios DIR"
            return None, [ScenarioError(1, 1, "this server keeps no uploaded scenarios", hint, name)]
        refusal = self._refuse(scenario, text, name)
        if refusal is not None:
            return None, [refusal]
        self._store(scenario, text)
        return scenario, []

    def _refuse(self, scenario: Scenario, text: str, name: str) -> ScenarioError | None:
        match = _ID_LINE.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        if self._shipped is None:
            self.entries()
        if any(e.scenario.id == scenario.id for e in self._shipped or []):
            taken = f"the id '{scenario.id}' is taken by a scenario shipped with crisisgame"
            return ScenarioError(line, 1, taken, "give your scenario an id of its own", name)
        assert self.folder is not None
        target = self.folder / f"{scenario.id}.yaml"
        kept = list(self.folder.glob("*.yaml")) if self.folder.is_dir() else []
        if not target.exists() and len(kept) >= UPLOAD_MAX_FILES:
            return ScenarioError(
                1,
                1,
                f"the server already keeps {UPLOAD_MAX_FILES} uploaded scenarios, the most it may",
                "upload a new version of one of them (same id), or ask the operator to remove some",
                name,
            )
        return None

    def _store(self, scenario: Scenario, text: str) -> None:
        """Write the file whole, rename it into place, and remember it as checked (the catalogue is read
        on the event loop: it must not parse the file again there)."""
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{scenario.id}.yaml"
        partial = self.folder / f".{scenario.id}.yaml.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with self._lock:
            os.replace(partial, target)
            stat = target.stat()
            self._uploaded[target] = ((stat.st_mtime_ns, stat.st_size), scenario)
        log.info("scenario %s uploaded to %s", scenario.id, target)
