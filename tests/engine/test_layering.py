"""The engine is the bottom layer: it imports nothing from the shell or the players built on it.

Every import statement in `src/crisisgame/engine` is read with `ast` (those inside functions and
`if TYPE_CHECKING:` blocks too, and relative ones resolved), so a cycle cannot hide in a late import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ENGINE = ROOT / "src" / "crisisgame" / "engine"
ABOVE = ("crisisgame.server", "crisisgame.bots", "crisisgame.debrief", "crisisgame.store")
"""The layers built on the engine: it may import none of them."""


def imported(source: str, package: str) -> list[str]:
    """Every module an import statement of `source` names (relative ones resolved from `package`)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def upward(source: str, package: str) -> list[str]:
    return sorted({n for n in imported(source, package) if any(n == a or n.startswith(a + ".") for a in ABOVE)})


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT / "src").parent.parts)


MODULES = sorted(ENGINE.rglob("*.py"))


def test_the_check_sees_every_form_of_import() -> None:
    package = "crisisgame.engine.rules"
    cases = {
        "import crisisgame.bots.policy": ["crisisgame.bots.policy"],
        "from crisisgame.server import app": ["crisisgame.server", "crisisgame.server.app"],
        "def f():\n    from crisisgame.store.base import Member": [
            "crisisgame.store.base",
            "crisisgame.store.base.Member",
        ],
        "if TYPE_CHECKING:\n    from crisisgame.debrief import history": [
            "crisisgame.debrief",
            "crisisgame.debrief.history",
        ],
        "from ...bots import council": ["crisisgame.bots", "crisisgame.bots.council"],
        "from . import common": [],
        "from crisisgame.engine.state import State\nimport crisisgame.botsy": [],
    }
    for source, found in cases.items():
        assert upward(source, package) == found, source


def test_the_engine_has_modules_to_check() -> None:
    assert len(MODULES) > 30
    assert ENGINE / "rules" / "alliance.py" in MODULES


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_the_engine_imports_nothing_from_the_layers_above_it(module: Path) -> None:
    found = upward(module.read_text(encoding="utf-8"), package_of(module))
    assert not found, f"{module.relative_to(ROOT)} imports {found}: the engine must not depend on them"


def test_game_is_importable_from_the_package_and_loaded_only_when_asked_for() -> None:
    script = (
        "import sys\n"
        "import crisisgame.engine.chance\n"
        "assert 'crisisgame.engine.game' not in sys.modules, 'importing one engine module loaded Game'\n"
        "from crisisgame.engine import Game\n"
        "assert Game.__module__ == 'crisisgame.engine.game'\n"
        "assert not any(m.startswith(('crisisgame.bots', 'crisisgame.server')) for m in sys.modules), 'upward'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
