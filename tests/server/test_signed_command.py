"""The one-pass path for a signed-in connection's command (`sessions.signed_command`) accepts only what
the general path (`sessions.parsed`, then `run_command`'s checks and validation) accepts, with the same
command, and every such command in UTF-8 text but a number it leaves to the general path's parser
(`_UNSURE`): anything it leaves out is answered by the general path as before (tests/server/test_abuse.py
and test_harden.py check those answers through a live server)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from crisisgame.engine.commands import Command
from crisisgame.server.protocol import SendCommand
from crisisgame.server.sessions import COMMAND_ADAPTER, SignedCommand, _sign, parsed, signed_command


class FakeConn:
    """What the two paths read of a connection: its room, seat, member and display name; what it is sent."""

    def __init__(self, seat: str = "ALPHA", member: str | None = "m" * 16, name: str | None = "Ada") -> None:
        self.room: object | None = object()
        self.seat = seat
        self.member = member
        self.name = name
        self.sent: list[Any] = []

    def send(self, message: Any) -> None:
        self.sent.append(message)


def general(conn: Any, raw: str | bytes) -> tuple[str, Command] | None:
    """What the general path makes of the frame: (its id, the signed command), or None if it refuses it."""
    msg = parsed(conn, raw)
    if not isinstance(msg, SendCommand) or "by" in msg.command:
        return None
    try:
        return msg.id, COMMAND_ADAPTER.validate_python(_sign(conn, dict(msg.command)))
    except ValidationError:
        return None


def one_pass(conn: Any, raw: str | bytes) -> tuple[str, Command] | None:
    signed = signed_command(conn, raw)
    return None if signed is None else (signed.id, signed.command)


def frame(command: Any, ident: Any = "c1", **extra: Any) -> str:
    return json.dumps({"type": "command", "id": ident, "command": command, **extra})


SAY = {"type": "send_message", "channel": "public", "text": "hello"}
AMEND = {"type": "amend", "target": "actor", "key": "ALPHA", "field": "morale", "value": 0.25, "reason": "typo fixed"}
UTF16 = frame(SAY).encode("utf-16")
"""A binary frame in UTF-16: the general path reads it, the one pass leaves it to it."""

FRAMES: list[str | bytes] = [
    frame(SAY),
    frame(SAY).encode(),
    UTF16,
    "\ufeff" + frame(SAY),
    frame({**SAY, "author": "x" * 80}),  # a client's author is replaced, whatever it was
    frame({**SAY, "author": 7}),
    frame({**SAY, "by": "BRAVO"}),
    frame({**SAY, "to": ["BRAVO", "CHARLIE"], "channel": "group"}),
    frame({"type": "set_ready", "ready": True}),
    frame({"type": "set_ready", "ready": 1}),
    frame({"type": "set_ready", "ready": "yes"}),
    frame({"type": "extend", "seconds": 60}),
    frame({"type": "extend", "seconds": 60.0}),
    frame({"type": "extend", "seconds": 60.5}),
    '{"type": "command", "id": "n", "command": {"type": "set_ready", "ready": NaN}}',
    '{"type": "command", "id": "n", "command": {"type": "extend", "seconds": 1e999}}',
    '{"type": "command", "id": "n", "command": {"type": "extend", "seconds": -Infinity}}',
    '{"type": "command", "id": "n", "command": {"type": "extend", "seconds": 1' + "0" * 250 + "e99}}",
    '{"type": "command", "id": "n", "command": {"type": "extend", "seconds": 1' + "0" * 5000 + "}}",
    '{"type": "command", "id": "n", "command": {"type": "extend", "seconds": 12e2}}',
    frame(AMEND),
    frame(AMEND).replace("0.25", "1e999"),  # (an unbounded float: the general path refuses the number itself)
    frame(AMEND).replace("0.25", "-1" + "0" * 400 + ".5"),
    frame(AMEND).replace("0.25", "1" + "0" * 250 + "e99"),
    frame(AMEND).replace("0.25", "1" + "0" * 250 + "e-99"),
    '{"type": "command", "id": "\\ud800", "command": {"type": "set_ready", "ready": true}}',
    frame(SAY).replace("hello", "a\\udfffb"),
    frame(SAY).replace("hello", "\\ud83d\\ude00"),  # (a surrogate pair: a character like any other)
    '{"type": "command", "id": "d", "command": {"type": "set_ready", "ready": true}, "id": "e"}',
    '{"type": "command", "id": "t", "command": {"type": "set_ready", "ready": true}} x',
    frame(SAY, ident=""),
    frame(SAY, ident="x" * 64),
    frame(SAY, ident="x" * 65),
    frame(SAY, ident=5),
    frame(SAY, extra=1),
    frame([SAY]),
    json.dumps({"type": "command", "command": SAY}),
    json.dumps({"type": "ping", "id": "p", "command": SAY}),
    frame({"type": "warp"}),
    frame({"channel": "public"}),
    frame({"type": "submit_orders", "orders": {"mobilisation": 7}}),
    frame({"type": "submit_orders", "orders": {"mobilisation": 1}}),
    "[1, 2, 3]",
    "{not json",
]


def agree(conn: Any, raw: str | bytes) -> bool:
    """Whether the one pass took the frame (else it is left to the general path); it fails the test if
    it took one the general path refuses, or made another command of it."""
    expected = general(conn, raw)
    found = one_pass(conn, raw)
    if found is None:
        return False
    assert expected is not None, raw
    assert found == expected, raw
    assert type(found[1]) is type(expected[1])
    return True


def test_the_one_pass_path_accepts_what_the_general_path_accepts_with_the_same_command() -> None:
    accepted = 0
    for raw in FRAMES:
        for conn in (FakeConn(), FakeConn(seat="facilitator", member=None, name=None)):
            taken = agree(conn, raw)
            accepted += taken
            if not taken and raw is not UTF16:
                assert general(conn, raw) is None, raw  # (refused: the general path says why)
    assert accepted >= 30  # (the cases are not all refusals)


def test_the_one_pass_path_is_for_a_connection_signed_in_to_a_game_only() -> None:
    conn: Any = FakeConn()
    conn.room = None
    assert signed_command(conn, frame(SAY)) is None  # (the general path answers not_signed_in)
    assert one_pass(FakeConn(seat=""), frame(SAY)) is None


def test_the_signed_message_has_the_fields_and_bounds_of_send_command() -> None:
    ours = SignedCommand.model_json_schema()["properties"]
    theirs = SendCommand.model_json_schema()["properties"]
    for name in ("type", "id"):
        assert {k: v for k, v in ours[name].items() if k != "description"} == {
            k: v for k, v in theirs[name].items() if k != "description"
        }
    assert set(ours) == set(theirs)
    assert SignedCommand.model_config.get("extra") == SendCommand.model_config.get("extra") == "forbid"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
IDS = st.sampled_from(["ALPHA", "BRAVO", "CHARLIE", "", "x" * 80])
COMMANDS = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("send_message"),
            "channel": st.sampled_from(["public", "group", "private", "telepathy"]),
            "text": st.text(max_size=30),
        },
        optional={"to": st.lists(IDS, max_size=3), "author": st.text(max_size=50) | st.integers()},
    ),
    st.fixed_dictionaries(
        {"type": st.just("set_ready")},
        optional={"ready": st.booleans() | st.integers(-1, 2) | st.sampled_from(["yes", "true", "off", "x"])},
    ),
    st.fixed_dictionaries(
        {"type": st.just("extend")},
        optional={"seconds": st.integers(-5, 8000) | st.floats(allow_nan=False) | st.sampled_from(["60", "1e3"])},
    ),
    st.fixed_dictionaries({"type": st.just("advance")}, optional={"phase": st.none() | st.text(max_size=10)}),
)
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e999", "1e308", "-0", "1" + "0" * 310, "1" + "0" * 250 + "e99", "3E+2"]


@settings(max_examples=500, deadline=None)
@given(
    command=COMMANDS,
    extra=st.dictionaries(st.sampled_from(["by", "orders", "x", "type"]), JSON_VALUES, max_size=1),
    ident=st.text(min_size=1, max_size=64) | st.text(max_size=70) | st.integers(),
    number=st.none() | st.sampled_from(RAW_NUMBERS),
    binary=st.booleans(),
)
def test_the_two_paths_agree_on_generated_frames(
    command: dict[str, Any], extra: dict[str, Any], ident: Any, number: str | None, binary: bool
) -> None:
    raw = frame({**command, **extra}, ident=ident)
    if number is not None:  # (a number as the client's JSON text has it, not as json.dumps writes one)
        raw = raw.replace('"seconds": ', f'"seconds": {number}, "was": ', 1) if "seconds" in command else raw
    conn = FakeConn()
    taken = agree(conn, raw.encode() if binary else raw)
    if not taken:
        assert general(conn, raw) is None, raw
