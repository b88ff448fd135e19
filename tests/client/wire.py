"""A plain websocket client for setting up games fast (the browser tests then look at them)."""

from __future__ import annotations

import itertools
import json
import time
from contextlib import ExitStack
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.client.conftest import Server

IDS = itertools.count(1)


class Wire:
    """One signed-in websocket: send requests and wait for their answers (bounded waits)."""

    def __init__(self, server: Server) -> None:
        self.stack = ExitStack()
        self.ws: ClientConnection = self.stack.enter_context(connect(server.ws_url, open_timeout=10))
        self.seen: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def until(self, pred: Any, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message from the server")
            msg: dict[str, Any] = json.loads(self.ws.recv(timeout=left))
            self.seen.append(msg)
            if pred(msg):
                return msg

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        ident = f"t{next(IDS)}"  # unique across connections: a command id is an idempotency key per member
        self.send({**message, "id": ident})
        answer = self.until(lambda m: m.get("id") == ident and m["type"] in ("ack", "reply", "error"))
        if answer["type"] == "error":
            raise AssertionError(f"{message}: {answer['message']}")
        return answer

    def command(self, command: dict[str, Any]) -> dict[str, Any]:
        return self.request({"type": "command", "command": command})

    def close(self) -> None:
        self.stack.close()


def facilitate(server: Server, game: str | None = None) -> Wire:
    w = Wire(server)
    hello: dict[str, Any] = {"type": "facilitate", "token": server.facilitator_token}
    if game:
        hello["game"] = game
    w.send(hello)
    w.until(lambda m: m["type"] == "welcome")
    return w


def join(server: Server, code: str, name: str) -> Wire:
    w = Wire(server)
    w.send({"type": "join", "code": code, "name": name})
    w.until(lambda m: m["type"] == "view")
    return w


def create(
    server: Server, *, teams: tuple[str, ...] = ("ALPHA", "BRAVO", "CHARLIE"), auto_release: bool = True
) -> tuple[str, dict[str, str]]:
    """A new game of the test scenario: (game id, join codes by seat)."""
    lobby = facilitate(server)
    data = lobby.request(
        {
            "type": "create_game",
            "scenario": "seminar",
            "teams": list(teams),
            "seed": 3,
            "auto_release": auto_release,
        }
    )["data"]
    lobby.close()
    return data["game"], data["codes"]


def notes_from_alpha_to_bravo(server: Server, count: int) -> dict[str, str]:
    """A started game in which Alpha's team has sent Bravo `count` private notes ('note 0', 'note 1', ...)
    from three connections in turn, each within the rate limit's burst; the join codes by seat."""
    game, codes = create(server)
    control = facilitate(server, game)
    control.command({"type": "start"})
    senders = [join(server, codes["ALPHA"], f"Alpha {i}") for i in range(3)]
    for n in range(count):
        senders[n % 3].command({"type": "send_message", "channel": "private", "to": ["BRAVO"], "text": f"note {n}"})
    for w in (*senders, control):
        w.close()
    return codes


def advance(control: Wire, phase: str) -> None:
    control.command({"type": "advance", "phase": phase})


def play_a_turn(server: Server) -> tuple[str, dict[str, str]]:
    """A game into turn 2's diplomacy: messages, a ratified pact, orders, results, an inject, and an open
    proposal from Bravo waiting for Alpha's answer."""
    game, codes = create(server)
    control = facilitate(server, game)
    alpha = join(server, codes["ALPHA"], "Wire Alpha")
    bravo = join(server, codes["BRAVO"], "Wire Bravo")
    control.command({"type": "start"})
    advance(control, "briefing")
    alpha.command({"type": "send_message", "channel": "private", "to": ["BRAVO"], "text": "A pact, Bravo?"})
    bravo.command({"type": "send_message", "channel": "public", "text": "Bravo supports a rules-based order."})
    pact = {"type": "defence_pact", "parties": ["ALPHA", "BRAVO"], "issue": "border", "position": 0.5}
    alpha.command({"type": "propose", "proposal": pact})
    proposal = bravo.until(lambda m: m.get("type") == "event" and m["event"]["type"] == "proposal_made")
    bravo.command({"type": "accept", "proposal_id": proposal["event"]["id"]})
    advance(control, "diplomacy")
    alpha.command(
        {"type": "submit_orders", "orders": {"defence_spending": 2.5, "statements": [{"text": "Alpha stands firm."}]}}
    )
    bravo.command({"type": "submit_orders", "orders": {"defence_spending": 2.0}})
    advance(control, "orders")
    advance(control, "results")
    advance(control, "briefing")
    bravo.command(
        {
            "type": "propose",
            "proposal": {"type": "arms_deal", "parties": ["ALPHA", "BRAVO"], "value_usd_m": 250, "item": "radars"},
        }
    )
    for w in (control, alpha, bravo):
        w.close()
    return game, codes
