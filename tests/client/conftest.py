"""Browser tests of the client: a real server in a subprocess, Debian's Chromium driven by Playwright.

Chromium comes from the Debian package (`apt-get install chromium`, binary /usr/bin/chromium) and
Playwright from pip; `playwright install` is never run. Without either, these tests are skipped.
Screenshots go to artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.client.schema_check import READ_RECORDER, invalid_messages, unknown_reads
from tests.conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the Python package only)")

CHROMIUM = os.environ.get("CRISISGAME_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCENARIO = ROOT / "tests" / "client" / "seminar.yaml"
AXE = ROOT / "client" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
STARTUP_SECONDS = 20.0
TIMEOUT_MS = 15_000
"""Every Playwright wait is bounded by this (the whole suite is bounded in time)."""


TAPPED_SERVE = ROOT / "tests" / "client" / "tapped_serve.py"
TAPS: dict[Path, int] = {}
"""Every wire tap of a server these tests started, and how far its messages have been checked."""


@dataclass
class Server:
    url: str
    facilitator_token: str
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "ws"


def free_port() -> int:
    """A port free on loopback now, for a server that must come back on the same port after a crash."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int = 0, *options: str) -> Server:
    """`python -m crisisgame serve --port PORT --db DB`, the URLs parsed from its output. The test
    scenario is in its catalogue (the scenarios folder beside the database), as if uploaded. Every
    message the server sends is tapped to DB.wire.jsonl and checked against the protocol schema after
    each test (`wire_checked`)."""
    tap = db.with_suffix(".wire.jsonl")
    TAPS.setdefault(tap, 0)
    catalogue = db.parent / "scenarios"
    catalogue.mkdir(exist_ok=True)
    shutil.copyfile(SCENARIO, catalogue / SCENARIO.name)
    cmd = [
        sys.executable,
        str(TAPPED_SERVE),
        "serve",
        "--port",
        str(port),
        "--db",
        str(db),
        "--client",
        str(ROOT / "client"),
        *options,
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        env={**os.environ, "CRISISGAME_WIRE_TAP": str(tap)},
    )
    assert proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    url = token = None
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and token is None:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        found = re.search(r"facilitator console: (http://[^/]+/)#facilitator=(\S+)", line)
        if found:
            url, token = found.group(1), found.group(2)
    if url is None or token is None:
        proc.kill()
        pytest.fail("the server did not start:\n" + "".join(log))
    return Server(url, token, proc, log)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server on a fresh database for the browser tests."""
    running = start_server(tmp_path_factory.mktemp("server") / "games.db")
    yield running
    stop_server(running)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests; closed with the package, because Playwright's sync API
    keeps an event loop running in this thread while it is open (the asyncio tests need it gone)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Pages:
    """Browser contexts for one test (each a separate user: own localStorage), closed at the end."""

    def __init__(self, browser: Any, server: Server) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []
        self.errors: list[str] = []
        self.opened = 0
        """Pages opened with `open` (a test may add contexts of its own, e.g. behind a relay)."""

    def open(self, fragment: str = "", width: int = 1280, height: int = 900) -> Any:
        ctx = self.browser.new_context(viewport={"width": width, "height": height})
        ctx.add_init_script(READ_RECORDER)
        ctx.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(ctx)
        self.opened += 1
        page = ctx.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: self.errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(self.server.url + fragment)
        return page

    def reads(self) -> list[str]:
        """Every field of a server message that the client read in these pages (see `READ_RECORDER`)."""
        out: list[str] = []
        for ctx in self.contexts:
            for page in ctx.pages:
                out += page.evaluate("() => [...(window.__serverReads || [])]")
        return out

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


def checked_pages(browser: Any, server: Server) -> Iterator[Pages]:
    """Pages on `server`; afterwards, no browser error, and no read of a field the schema lacks."""
    p = Pages(browser, server)
    yield p
    reads = p.reads()
    p.close()
    assert not p.errors, "errors in the browser:\n" + "\n".join(p.errors)
    assert reads or not p.opened, "the read recorder saw no field read: is it still installed?"
    unknown = unknown_reads(reads)
    assert not unknown, "the client read fields the protocol schema does not define:\n" + "\n".join(unknown)


def own_server_pages(browser: Any, db: Path, *options: str) -> Iterator[Pages]:
    """Checked pages (as `checked_pages`) on a server of the test's own, started with `options`."""
    server = start_server(db, 0, *options)
    try:
        yield from checked_pages(browser, server)
    finally:
        stop_server(server)


@pytest.fixture
def pages(browser: Any, server: Server) -> Iterator[Pages]:
    yield from checked_pages(browser, server)


@pytest.fixture(autouse=True)
def wire_checked() -> Iterator[None]:
    """After each test, every message the servers sent meanwhile is valid under the published schema."""
    yield
    problems: list[str] = []
    for tap, offset in list(TAPS.items()):
        TAPS[tap], found = invalid_messages(tap, offset)
        problems += found
    assert not problems, "the server sent messages the protocol schema refuses:\n" + "\n".join(problems[:20])


def screenshot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot of `page` as artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run the vendored axe-core on the page; the serious and critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, summary: n.failureSummary}))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any, name: str) -> None:
    bad = axe_violations(page)
    assert not bad, f"axe found serious or critical violations on {name}:\n" + json.dumps(bad, indent=2)
