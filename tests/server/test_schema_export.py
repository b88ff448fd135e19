"""`crisisgame protocol-schema`: the committed JSON Schema and AsyncAPI document never go stale.

The browser client imports schema/protocol.schema.json instead of keeping a hand copy of the
messages, so the committed files must be exactly what the command prints from the pydantic models.
The AsyncAPI document must be structurally valid AsyncAPI 3.0.0 with every reference resolving,
and both documents must name every message type, game command and event.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from crisisgame.cli import main
from crisisgame.server.asyncapi import (
    CHANNEL,
    COMMAND_ADAPTER,
    EVENT_ADAPTER,
    EXAMPLES,
    client_types,
    command_types,
    event_types,
    server_types,
)
from crisisgame.server.protocol import CLIENT_ADAPTER, PROTOCOL_VERSION, SERVER_ADAPTER, Error
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "schema" / "protocol.schema.json"
ASYNCAPI_FILE = ROOT / "schema" / "asyncapi.json"
PROTOCOL_DOC = ROOT / "docs" / "protocol.md"
ERROR_CODES: tuple[str, ...] = get_args(Error.model_fields["code"].annotation)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["protocol-schema", *args]) == 0
    out, _ = capsys.readouterr()
    return out


@pytest.fixture(scope="module")
def asyncapi() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(ASYNCAPI_FILE.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="module")
def json_schema() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return doc


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"dangling $ref {ref}"
        assert part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _consts(schema: dict[str, Any]) -> set[str]:
    """The `type` constants of a JSON Schema section's union members."""
    return {_resolve(schema, member["$ref"])["properties"]["type"]["const"] for member in schema["oneOf"]}


# --------------------------------------------------------------------------- never stale


def test_committed_json_schema_is_the_commands_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys)
    assert out == _run(capsys, "--format", "json-schema")
    assert out == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schema/protocol.schema.json is stale: run 'crisisgame protocol-schema --out schema/protocol.schema.json'"
    )


def test_committed_asyncapi_is_the_commands_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--format", "asyncapi")
    assert out == ASYNCAPI_FILE.read_text(encoding="utf-8"), (
        "schema/asyncapi.json is stale: run 'crisisgame protocol-schema --format asyncapi --out schema/asyncapi.json'"
    )


def test_out_writes_the_same_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "asyncapi.json"
    assert main(["protocol-schema", "--format", "asyncapi", "--out", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == ASYNCAPI_FILE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the JSON Schema


def test_json_schema_names_every_message_command_and_event(json_schema: dict[str, Any]) -> None:
    assert json_schema["version"] == PROTOCOL_VERSION
    assert _consts(json_schema["client"]) == set(client_types())
    assert _consts(json_schema["server"]) == set(server_types())
    assert _consts(json_schema["command"]) == set(command_types())
    assert _consts(json_schema["event"]) == set(event_types())
    for section in ("client", "server", "command", "event"):
        Draft202012Validator.check_schema(json_schema[section])
        for ref in _refs(json_schema[section]):
            _resolve(json_schema[section], ref)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_are_valid_messages(name: str, json_schema: dict[str, Any], asyncapi: dict[str, Any]) -> None:
    """Each example is accepted by the models, by the JSON Schema and by the AsyncAPI payload schema."""
    client = name in client_types()
    section = json_schema["client" if client else "server"]
    payload_ref = asyncapi["components"]["messages"][name]["payload"]["$ref"]
    wire = Draft202012Validator({"$ref": payload_ref, "components": asyncapi["components"]})
    for example in EXAMPLES[name]:
        msg = (CLIENT_ADAPTER if client else SERVER_ADAPTER).validate_python(example)
        assert msg.type == name
        Draft202012Validator(section).validate(example)
        wire.validate(example)
        if name == "command":
            commands = Draft202012Validator(json_schema["command"])
            commands.validate(example["command"])
            assert not commands.is_valid({**example["command"], "by": "USA"}), "the server sets `by`, never a client"


# --------------------------------------------------------------------------- AsyncAPI


def test_asyncapi_is_structurally_valid_asyncapi_3(asyncapi: dict[str, Any]) -> None:
    assert asyncapi["asyncapi"] == "3.0.0"
    assert asyncapi["info"]["title"]
    assert asyncapi["info"]["version"] == str(PROTOCOL_VERSION)
    assert asyncapi["channels"]
    channel = asyncapi["channels"][CHANNEL]
    assert channel["address"] == "/ws"
    key = re.compile(r"^[A-Za-z0-9.\-_]+$")
    for group in ("channels", "operations"):
        assert all(key.match(k) for k in asyncapi[group])
    for kind in ("messages", "schemas"):
        assert all(key.match(k) for k in asyncapi["components"][kind])
    for name, msg in asyncapi["components"]["messages"].items():
        assert "payload" in msg, name
        assert msg["name"] == name
        payload = _resolve(asyncapi, msg["payload"]["$ref"])
        assert payload["properties"]["type"]["const"] == name
        assert "type" in payload["required"]
    channel_messages = set()
    for name, ref in channel["messages"].items():
        assert _resolve(asyncapi, ref["$ref"]) is asyncapi["components"]["messages"][name]
        channel_messages.add(f"#/channels/{CHANNEL}/messages/{name}")
    for op_id, op in asyncapi["operations"].items():
        assert op["action"] in ("send", "receive"), op_id
        assert op["channel"] == {"$ref": f"#/channels/{CHANNEL}"}
        _resolve(asyncapi, op["channel"]["$ref"])
        assert op["messages"], op_id
        for ref in op["messages"] + op.get("reply", {}).get("messages", []):
            assert ref["$ref"] in channel_messages, f"{op_id}: {ref} is not a message of its channel"
    for ref in _refs(asyncapi):
        _resolve(asyncapi, ref)


def test_asyncapi_client_messages_are_received_and_server_messages_sent(asyncapi: dict[str, Any]) -> None:
    actions: dict[str, set[str]] = {"send": set(), "receive": set()}
    for op in asyncapi["operations"].values():
        for ref in op["messages"]:
            actions[op["action"]].add(ref["$ref"].rsplit("/", 1)[1])
    assert actions["receive"] == set(client_types())
    assert actions["send"] == set(server_types())


def test_asyncapi_carries_every_command_and_event(asyncapi: dict[str, Any]) -> None:
    schemas = asyncapi["components"]["schemas"]
    send_command = schemas["SendCommand"]["properties"]["command"]
    commands = _resolve(asyncapi, send_command["$ref"])["oneOf"]
    command_consts = {_resolve(asyncapi, c["$ref"])["properties"]["type"]["const"] for c in commands}
    assert command_consts == set(command_types())
    for c in commands:
        assert "by" not in _resolve(asyncapi, c["$ref"])["properties"], "the server sets `by`; clients never send it"
    event = schemas["EventMsg"]["properties"]["event"]
    events = _resolve(asyncapi, event["$ref"])["oneOf"]
    assert {_resolve(asyncapi, e["$ref"])["properties"]["type"]["const"] for e in events} == set(event_types())


# --------------------------------------------------------------------------- docs/protocol.md


def test_protocol_doc_covers_every_message_and_error_code() -> None:
    text = PROTOCOL_DOC.read_text(encoding="utf-8")
    for name in (*client_types(), *server_types(), *command_types()):
        assert f'"type": "{name}"' in text or f"`{name}`" in text, f"docs/protocol.md does not mention {name}"
    for code in ERROR_CODES:
        assert f"`{code}`" in text, f"docs/protocol.md does not document error code {code}"


def test_protocol_doc_examples_are_valid_messages() -> None:
    """Every JSON example and transcript line in the guide is a message the models accept."""
    text = PROTOCOL_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    lines = [
        (arrow, body)
        for block in re.findall(r"```text\n(.*?)```", text, re.S)
        for arrow, body in re.findall(r"^\s*\S+\s+([→←])\s+(\{.*\})\s*$", block, re.M)
    ]
    assert len(blocks) >= 15
    assert len(lines) >= 10
    messages = [json.loads(block) for block in blocks] + [json.loads(body) for _, body in lines]
    for data in messages:
        adapter = CLIENT_ADAPTER if data["type"] in client_types() else SERVER_ADAPTER
        adapter.validate_python(data)
        if data["type"] == "command":
            COMMAND_ADAPTER.validate_python({**data["command"], "by": "USA"})
        elif data["type"] == "event":
            EVENT_ADAPTER.validate_python(data["event"])
    for arrow, body in lines:
        assert json.loads(body)["type"] in (client_types() if arrow == "→" else server_types()), body


def test_protocol_doc_command_table_examples_are_valid_commands() -> None:
    text = PROTOCOL_DOC.read_text(encoding="utf-8")
    section = text.split("## Game commands", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)`.*\| `(\{.*\})` \|$", section, re.M)
    assert {name for name, _ in rows} == set(command_types())
    for name, example in rows:
        command = COMMAND_ADAPTER.validate_python({**json.loads(example), "by": "USA"})
        assert command.type == name


def test_views_events_and_replies_are_described_field_by_field(json_schema: dict[str, Any]) -> None:
    """`view`, `event` and `reply` carry typed objects, not bare ones: a client can read every field's type."""
    server = json_schema["server"]
    defs = server["$defs"]

    def members(prop: dict[str, Any]) -> list[dict[str, Any]]:
        refs = prop.get("anyOf") or prop.get("oneOf") or [prop]
        return [_resolve(server, r["$ref"]) for r in refs]

    views = {m["title"]: m for m in members(defs["ViewMsg"]["properties"]["view"])}
    assert set(views) == {"SeatView", "TeamView", "FacilitatorView"}
    for shape in views.values():
        assert shape["additionalProperties"] is False
        assert {"seat", "game", "actors", "messages", "older_messages", "revealed_orders"} <= set(shape["properties"])
    assert "me" in views["TeamView"]["properties"]
    assert "secret_objectives" in views["FacilitatorView"]["properties"]
    actor = _resolve(server, views["SeatView"]["properties"]["actors"]["items"]["$ref"])
    assert {"id", "capabilities", "objectives"} <= set(actor["properties"])
    events = {m["properties"]["type"]["const"] for m in members(defs["EventMsg"]["properties"]["event"])}
    assert events == set(event_types())
    replies = {m["title"] for m in members(defs["Reply"]["properties"]["data"])}
    assert {
        *("ScenarioList", "GameList", "GameMade", "MemberList", "Reseated", "ReportPage", "MessagePage"),
        *("CodesRotated", "UploadResult", "TeammateList", "ForkMade"),
    } == replies
