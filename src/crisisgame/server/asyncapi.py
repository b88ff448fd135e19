"""Machine-readable descriptions of the wire protocol, built from the pydantic models in `protocol`.

Two documents, both exported by `crisisgame protocol-schema` and committed under `schema/`:

* the JSON Schema (`json_schema_document`): `protocol.protocol_schema()` with the engine's
  `Command` and `Event` unions added; each of its sections `client`, `server`, `command` and
  `event` is a self-contained JSON Schema (its `$ref`s point into that section's own `$defs`);
* the AsyncAPI 3.0.0 document (`asyncapi_document`) of the `/ws` channel: what a client sends are
  the server's `receive` operations, what the server sends are its `send` operations. On the wire
  a command is the engine's command without `by` (the server fills that in from the sign-in), so
  the AsyncAPI schemas of commands leave `by` out.

Nothing here is written by hand except the prose and the examples (real messages, checked against
the models by the tests), so the documents cannot drift from the code.
"""

from __future__ import annotations

import copy
import inspect
import json
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter

from crisisgame.engine.commands import OBSERVER, Command
from crisisgame.engine.events import Event
from crisisgame.server.protocol import (
    CLIENT_ADAPTER,
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    SERVER_ADAPTER,
    ClientMessage,
    ServerMessage,
    ViewMsg,
    protocol_schema,
)

ASYNCAPI_VERSION = "3.0.0"
CHANNEL = "gameSocket"
SCHEMAS = "#/components/schemas/"
COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)

_Json = dict[str, Any]


# --------------------------------------------------------------------------- the model unions


def union_members(union: Any) -> list[type[BaseModel]]:
    """The models of a discriminated union `Annotated[A | B | ..., Field(discriminator=...)]`."""
    return list(get_args(get_args(union)[0]))


def type_literal(model: type[BaseModel]) -> str:
    """The value of a model's `type` field (its `Literal[...]`)."""
    (value,) = get_args(model.model_fields["type"].annotation)
    return str(value)


def client_types() -> list[str]:
    return [type_literal(m) for m in union_members(ClientMessage)]


def server_types() -> list[str]:
    return [type_literal(m) for m in union_members(ServerMessage)]


def command_types() -> list[str]:
    return [type_literal(m) for m in union_members(Command)]


def event_types() -> list[str]:
    return [type_literal(m) for m in union_members(Event)]


# --------------------------------------------------------------------------- the JSON Schema


def json_schema_document() -> _Json:
    """The protocol's JSON Schema with the game commands and events (`schema/protocol.schema.json`)."""
    doc = protocol_schema()
    command = COMMAND_ADAPTER.json_schema()
    for name, schema in command.get("$defs", {}).items():
        if {"by", "type"} <= set(schema.get("properties", {})):
            command["$defs"][name] = _without_by(schema)  # the server sets `by`; a client never sends it
    doc["command"] = command
    doc["event"] = EVENT_ADAPTER.json_schema()
    return doc


# --------------------------------------------------------------------------- AsyncAPI

_REPLIES: dict[str, list[str]] = {
    "join": ["welcome", "view", "error"],
    "resume": ["welcome", "view", "event", "error"],
    "facilitate": ["welcome", "view", "event", "error"],
    "command": ["ack", "error"],
    "create_game": ["reply", "error"],
    "list_games": ["reply", "error"],
    "list_scenarios": ["reply", "error"],
    "members": ["reply", "error"],
    "reseat": ["reply", "error"],
    "report": ["reply", "progress", "error"],
    "fork": ["reply", "error"],
    "history": ["reply", "error"],
    "outcome_history": ["reply", "error"],
    "rotate_codes": ["reply", "error"],
    "upload_scenario": ["reply", "error"],
    "teammates": ["reply", "error"],
    "ping": ["pong", "error"],
}
"""What the server answers each client message with (only to the connection that sent it); a lobby
request not listed here is answered with `reply` or `error`."""


def _view_example() -> _Json:
    """A real `view` message: the plenary screen's view of a new game of the shipped Taiwan Strait
    scenario, cut to its first actor and first issue so the example stays readable."""
    from crisisgame.engine.apply import fold
    from crisisgame.engine.events import GameCreated
    from crisisgame.engine.view import view
    from crisisgame.scenario.catalogue import find
    from crisisgame.scenario.loader import load_scenario
    from crisisgame.scenario.model import scenario_dict

    scenario = load_scenario(find("taiwan-strait"))
    created = GameCreated(at=1795434795.5, scenario=scenario_dict(scenario), seed=7, teams=["USA", "CHN", "TWN"])
    state = fold([created])
    seen = view(state, OBSERVER)
    seen = seen.model_copy(update={"actors": seen.actors[:1], "issues": seen.issues[:1]})
    msg = ViewMsg(game="49e71b4c", seq=state.seq, view=seen)
    data: _Json = json.loads(msg.model_dump_json())
    return data


EXAMPLES: dict[str, list[_Json]] = {
    "join": [{"type": "join", "code": "ZBBD-9VEJ", "name": "Ada"}],
    "resume": [{"type": "resume", "token": "WBVAyessPDjSdA45dSK6IkeLlv3La40q", "last_seq": 11}],
    "facilitate": [
        {"type": "facilitate", "token": "XQAH-MsneaEHQJ1AJAvStW5N"},
        {"type": "facilitate", "token": "XQAH-MsneaEHQJ1AJAvStW5N", "game": "49e71b4c", "last_seq": 7},
    ],
    "command": [
        {
            "type": "command",
            "id": "m1",
            "command": {
                "type": "send_message",
                "channel": "public",
                "text": "The United States calls for calm in the Strait.",
            },
        },
        {
            "type": "command",
            "id": "p1",
            "command": {"type": "propose", "proposal": {"type": "defence_pact", "parties": ["USA", "TWN"]}},
        },
        {"type": "command", "id": "c1", "command": {"type": "start"}},
    ],
    "create_game": [
        {"type": "create_game", "id": "r2", "scenario": "taiwan-strait", "teams": ["USA", "CHN", "TWN"], "seed": 7}
    ],
    "list_games": [{"type": "list_games", "id": "r3"}],
    "list_scenarios": [{"type": "list_scenarios", "id": "r1"}],
    "members": [{"type": "members", "id": "r4"}],
    "reseat": [
        {
            "type": "reseat",
            "id": "r5",
            "member": "f1ccd8ec09967049c9c4610defa32afc4f697d2863e71ffe30b18de0bd5d83d8",
            "seat": "TWN",
        }
    ],
    "report": [{"type": "report", "id": "r7", "game": "49e71b4c"}],
    "history": [{"type": "history", "id": "h1", "channel": "private:CHN,USA", "before": "m41", "limit": 50}],
    "outcome_history": [{"type": "outcome_history", "id": "o1", "turn": 3}],
    "rotate_codes": [{"type": "rotate_codes", "id": "r8", "seat": "TWN"}],
    "upload_scenario": [{"type": "upload_scenario", "id": "u1", "name": "my_crisis.yaml", "text": "id: my-crisis\n"}],
    "teammates": [{"type": "teammates", "id": "r8"}],
    "fork": [{"type": "fork", "id": "r9", "game": "49e71b4c", "turn": 2, "reason": "What if Taiwan had waited?"}],
    "progress": [{"type": "progress", "id": "r7", "done": 40, "total": 100}],
    "ping": [{"type": "ping", "t": 1767225600.125}],
    "welcome": [
        {
            "type": "welcome",
            "v": 1,
            "game": "49e71b4c",
            "seat": "USA",
            "name": "Ada",
            "token": "WBVAyessPDjSdA45dSK6IkeLlv3La40q",
            "seq": 1,
            "now": 1767225600.5,
        }
    ],
    "view": [_view_example()],
    "event": [
        {
            "type": "event",
            "game": "49e71b4c",
            "seq": 8,
            "event": {
                "v": 1,
                "at": 1795434799.5969017,
                "type": "message_sent",
                "id": "m1",
                "turn": 1,
                "channel": "public",
                "sender": "USA",
                "to": [],
                "text": "The United States calls for calm in the Strait.",
            },
        }
    ],
    "ack": [
        {"type": "ack", "id": "m1", "game": "49e71b4c", "seq": 8},
        {"type": "ack", "id": "m1", "game": "49e71b4c", "seq": 8, "repeat": True},
    ],
    "error": [
        {
            "type": "error",
            "id": "x1",
            "code": "rejected",
            "message": "there is no proposal 'p99'",
            "field": None,
            "seq": 11,
        },
        {
            "type": "error",
            "id": "o2",
            "code": "not_found",
            "message": "no turn 9 yet: the game is at turn 3",
            "field": "turn",
            "seq": None,
        },
    ],
    "reply": [
        {
            "type": "reply",
            "id": "r2",
            "data": {
                "game": "49e71b4c",
                "codes": {"USA": "ZBBD-9VEJ", "CHN": "DD02-8XEK", "TWN": "FZJK-D9SX", "observer": "F4KW-P634"},
                "seed": 7,
            },
        }
    ],
    "pong": [{"type": "pong", "t": 1767225600.125, "now": 1767225600.481}],
}
"""One or more real messages of each type, taken from a session with the server (the `view` is built by
the engine: the plenary screen's view of a new Taiwan Strait game, abridged to one actor and one issue)."""
EXAMPLES["reply"].append(
    {
        "type": "reply",
        "id": "h1",
        "data": {
            "channel": "private:CHN,USA",
            "messages": [
                {
                    "v": 1,
                    "at": 1795435813.8998146,
                    "type": "message_sent",
                    "id": "m17",
                    "turn": 1,
                    "channel": "private",
                    "sender": "CHN",
                    "to": ["USA"],
                    "text": "Call me.",
                }
            ],
            "more": False,
        },
    }
)


EXAMPLES["reply"].append(
    {
        "type": "reply",
        "id": "o1",
        "data": {
            "turn": 3,
            "outcomes": [
                {
                    "v": 1,
                    "at": 5400.0,
                    "type": "outcome",
                    "turn": 3,
                    "changes": [{"target": "system", "key": "tension", "field": "value", "value": 0.52}],
                    "reason": {
                        "rule": "system.structure",
                        "step": 12,
                        "explanation": "Tension 0.52.",
                        "inputs": {},
                        "terms": {},
                        "citations": [],
                    },
                    "audience": "public",
                }
            ],
            "orders": {},
            "proposals": [
                {
                    "id": "p7",
                    "sender": "USA",
                    "turn": 3,
                    "status": "ratified",
                    "accepted": ["TWN", "USA"],
                    "counter_of": None,
                    "proposal": {"type": "defence_pact", "parties": ["USA", "TWN"]},
                }
            ],
        },
    }
)


def _walk(node: Any, fn: Any) -> Any:
    """Apply `fn` to every dict in a JSON tree, bottom-up, returning the new tree."""
    if isinstance(node, dict):
        return fn({k: _walk(v, fn) for k, v in node.items()})
    if isinstance(node, list):
        return [_walk(v, fn) for v in node]
    return node


def _schema_group(adapter: TypeAdapter[Any]) -> tuple[list[str], dict[str, _Json]]:
    """A union's member names and every definition it needs, with `$ref`s into components.schemas.

    The OpenAPI-style `discriminator` objects pydantic adds are dropped: in an AsyncAPI schema
    `discriminator` is a property name with other semantics, and each member's `type` constant
    already tells the members apart.
    """
    schema = adapter.json_schema(ref_template=SCHEMAS + "{model}")
    defs: dict[str, _Json] = schema.pop("$defs", {})

    def strip(node: _Json) -> _Json:
        if isinstance(node.get("discriminator"), dict):
            node = {k: v for k, v in node.items() if k != "discriminator"}
        return node

    members = [ref["$ref"].removeprefix(SCHEMAS) for ref in schema["oneOf"]]
    return members, {name: _walk(d, strip) for name, d in defs.items()}


def _rename(defs: dict[str, _Json], names: list[str], renames: dict[str, str]) -> tuple[list[str], dict[str, _Json]]:
    def fix(node: _Json) -> _Json:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(SCHEMAS) in renames:
            node = {**node, "$ref": SCHEMAS + renames[ref.removeprefix(SCHEMAS)]}
        return node

    new = {renames.get(k, k): _walk(v, fix) for k, v in defs.items()}
    return [renames.get(n, n) for n in names], new


def _merge(into: dict[str, _Json], defs: dict[str, _Json], names: list[str], suffix: str) -> list[str]:
    """Add a group's definitions; a name already taken by a different schema gets `suffix`."""
    renames = {k: k + suffix for k, v in defs.items() if k in into and into[k] != v}
    names, defs = _rename(defs, names, renames)
    for k, v in defs.items():
        if k in into and into[k] != v:
            raise ValueError(f"schema name {k!r} is defined twice")
        into[k] = v
    return names


def _require_type(schema: _Json) -> _Json:
    """`type` has a default in the models but is always on the wire: make it required."""
    required = list(schema.get("required", []))
    if "type" in schema.get("properties", {}) and "type" not in required:
        schema = {**schema, "required": ["type", *required]}
    return schema


def _without_by(schema: _Json) -> _Json:
    props = {k: v for k, v in schema["properties"].items() if k != "by"}
    required = [r for r in schema.get("required", []) if r != "by"]
    return {**schema, "properties": props, "required": required}


def _doc(model: type[BaseModel]) -> tuple[str, str | None]:
    """The summary line and the whole docstring of a model (its class name if it has none)."""
    raw = model.__dict__.get("__doc__")
    if not raw:
        return model.__name__, None
    text = inspect.cleandoc(raw)
    return text.split("\n", 1)[0].rstrip("."), text


def _message(model: type[BaseModel], schema_name: str, sender: str) -> _Json:
    name = type_literal(model)
    summary, description = _doc(model)
    msg: _Json = {
        "name": name,
        "title": model.__name__,
        "summary": summary,
        "contentType": "application/json",
        "payload": {"$ref": SCHEMAS + schema_name},
    }
    parts = [description] if description and description.rstrip(".") != summary else []
    if sender == "server":
        parts.append("Sent by the server; every field is present (null when empty).")
    if parts:
        msg["description"] = "\n\n".join(parts)
    msg["examples"] = [{"name": f"{name}{i + 1}", "payload": ex} for i, ex in enumerate(EXAMPLES.get(name, []))]
    return msg


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


_CHANNEL_DESCRIPTION = f"""\
The game socket. One JSON object per text frame, in both directions; a frame larger than \
{MAX_MESSAGE_BYTES // 1024} KiB closes the connection with 1009.

A connection first signs in with `join` (a team's or the observers' join code), `resume` (the \
session token from a previous `welcome`, with the last `seq` seen) or `facilitate` (the facilitator \
token printed by `crisisgame serve`); until then only `ping` is answered, and a connection that \
does not sign in within 30 seconds is closed with 1008. Every message about a game carries that \
game's sequence number `seq`; a client that resumes with `last_seq` gets exactly the messages it \
missed, or, across two views or more, the newest `view` and what followed it, or a fresh `view` \
when the gap is too old.

Limits: 20 messages per second on average with bursts of 60 (`error` with code `rate_limited` \
beyond); a client that falls 500 messages behind is closed with 1013 and may resume; the \
facilitator moving or removing a member closes its connection with 4001; a server shutting down \
closes every connection with 1001. See docs/protocol.md."""


def asyncapi_document() -> _Json:
    """The AsyncAPI 3.0.0 document of the `/ws` channel (`schema/asyncapi.json`)."""
    schemas: dict[str, _Json] = {}
    names, defs = _schema_group(CLIENT_ADAPTER)
    client_names = _merge(schemas, defs, names, "")
    names, defs = _schema_group(SERVER_ADAPTER)
    server_names = _merge(schemas, defs, names, "")
    names, defs = _schema_group(COMMAND_ADAPTER)
    for n in names:
        defs[n] = _require_type(_without_by(defs[n]))
    command_names = _merge(schemas, defs, names, "Command")
    names, defs = _schema_group(EVENT_ADAPTER)
    for n in names:
        defs[n] = _require_type(defs[n])
    event_names = _merge(schemas, defs, names, "Event")
    for n in (*client_names, *server_names):
        schemas[n] = _require_type(schemas[n])

    assert "ClientCommand" not in schemas
    assert "Event" not in schemas
    schemas["ClientCommand"] = {
        "title": "ClientCommand",
        "description": "A game command as a client sends it: the engine's command without `by`, which the "
        "server sets from the connection's seat. Teams may send send_message, propose, counter, accept, "
        "reject, withdraw, submit_orders, set_ready, table_resolution, vote_resolution, freeform_action and "
        "counter_argument; the facilitator the others (and send_message).",
        "oneOf": [{"$ref": SCHEMAS + n} for n in command_names],
    }
    schemas["Event"] = {
        "title": "Event",
        "description": "One event of the game log, as the seat receiving it may see it.",
        "oneOf": [{"$ref": SCHEMAS + n} for n in event_names],
    }
    send_command = copy.deepcopy(schemas["SendCommand"])
    send_command["properties"]["command"] = {"$ref": SCHEMAS + "ClientCommand"}
    schemas["SendCommand"] = send_command
    event_msg = copy.deepcopy(schemas["EventMsg"])
    event_msg["properties"]["event"] = {"$ref": SCHEMAS + "Event"}
    schemas["EventMsg"] = event_msg

    messages: dict[str, _Json] = {}
    channel_messages: dict[str, _Json] = {}
    operations: dict[str, _Json] = {}
    channel_ref = {"$ref": f"#/channels/{CHANNEL}"}
    for sender, models, schema_names in (
        ("client", union_members(ClientMessage), client_names),
        ("server", union_members(ServerMessage), server_names),
    ):
        for model, schema_name in zip(models, schema_names, strict=True):
            name = type_literal(model)
            messages[name] = _message(model, schema_name, sender)
            channel_messages[name] = {"$ref": f"#/components/messages/{name}"}
            summary = messages[name]["summary"]
            op: _Json = {
                "action": "receive" if sender == "client" else "send",
                "channel": channel_ref,
                "title": f"{'Receive' if sender == 'client' else 'Send'} {name}",
                "summary": summary,
                "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{name}"}],
            }
            if sender == "client":
                op["reply"] = {
                    "channel": channel_ref,
                    "messages": [
                        {"$ref": f"#/channels/{CHANNEL}/messages/{r}"} for r in _REPLIES.get(name, ["reply", "error"])
                    ],
                }
            operations[f"{op['action']}{_camel(name)}"] = op

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "crisisgame wire protocol",
            "version": str(PROTOCOL_VERSION),
            "description": "The websocket protocol between the crisisgame server and its browser clients "
            "(students' team consoles, the plenary screen, the facilitator's console). Generated from the "
            "pydantic models by `crisisgame protocol-schema --format asyncapi`; prose in docs/protocol.md.",
            "license": {"name": "MIT"},
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:8000",
                "protocol": "ws",
                "description": "`crisisgame serve` at its default address (`--host`, `--port` change it).",
            }
        },
        "channels": {
            CHANNEL: {
                "address": "/ws",
                "title": "Game socket",
                "description": _CHANNEL_DESCRIPTION,
                "servers": [{"$ref": "#/servers/local"}],
                "messages": channel_messages,
            }
        },
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def document_text(fmt: str) -> str:
    """The document `crisisgame protocol-schema --format FMT` prints."""
    doc = asyncapi_document() if fmt == "asyncapi" else json_schema_document()
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
