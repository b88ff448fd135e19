"""Checks of the browser tests against the published protocol schema (schema/protocol.schema.json):

* every message the server sent (the wire tap of tests/client/tapped_serve.py) is valid under the
  schema's `server` section;
* every field of a server message that the client read (recorded in the browser by the
  `READ_RECORDER` init script) is a field the schema defines at that place.

The client's model code is thus held to the schema, not to a hand copy of the messages.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "schema" / "protocol.schema.json"

READ_RECORDER = """
(() => {
  // Record every field the client reads of a message from the server, as (place, field): the place is
  // the path from the message's root, with '*' for an array item ('/view/actors/*/capabilities').
  const reads = new Set();
  const frames = new Set();
  window.__serverReads = reads;
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message') return add.call(this, type, listener, options);
    const noted = (ev) => {
      if (typeof ev.data === 'string') frames.add(ev.data);
      return listener.call(this, ev);
    };
    return add.call(this, type, noted, options);
  };
  const ignored = new Set([...Object.getOwnPropertyNames(Object.prototype), 'then', 'toJSON']);
  const proxies = new WeakMap();
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    let p = proxies.get(value);
    if (p) return p;
    p = new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return v;
        if (Array.isArray(target)) return /^[0-9]+$/.test(key) ? wrap(v, path + '/*') : v;
        if (ignored.has(key)) return v;
        reads.add(path + ' ' + key);
        return wrap(v, path + '/' + key);
      },
    });
    proxies.set(value, p);
    return p;
  };
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    const out = parse.call(JSON, text, reviver);
    return typeof text === 'string' && frames.delete(text) ? wrap(out, '') : out;
  };
})();
"""
"""An init script for each page: the client's reads of server messages, kept in `window.__serverReads`."""


@cache
def server_schema() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    server: dict[str, Any] = doc["server"]
    return server


def _message_schema(kind: str) -> dict[str, Any]:
    """The schema of one server message type (the union member its `type` names, as the client picks it)."""
    schema = server_schema()
    for ref in schema["oneOf"]:
        name = ref["$ref"].rsplit("/", 1)[1]
        if schema["$defs"][name]["properties"]["type"].get("const") == kind:
            return {"$ref": ref["$ref"], "$defs": schema["$defs"]}
    return schema


@cache
def message_validator(kind: str) -> Draft202012Validator:
    """The validator of one server message type, which explains what is wrong with a message."""
    return Draft202012Validator(_message_schema(kind))


@cache
def fast_validator(kind: str) -> jsonschema_rs.Draft202012Validator:
    """The same schema compiled by jsonschema-rs: it tells valid from invalid hundreds of times faster
    than `message_validator` (a whole browser test's wire took seconds there), which then explains
    only the messages it refuses."""
    return jsonschema_rs.Draft202012Validator(_message_schema(kind))


def _deepest(error: ValidationError) -> ValidationError:
    """The most specific error: inside a union, the alternative that got furthest into the message."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def invalid_messages(tap: Path, offset: int) -> tuple[int, list[str]]:
    """Messages from byte `offset` of a wire tap that the schema refuses; the new offset and the problems."""
    if not tap.exists():
        return offset, []
    with tap.open("rb") as f:
        f.seek(offset)
        data = f.read()
    complete = data[: data.rfind(b"\n") + 1]  # (a line being written is checked next time)
    problems = []
    for line in dict.fromkeys(complete.splitlines()):  # a message sent to many connections is checked once
        msg = json.loads(line)
        kind = str(msg.get("type"))
        if fast_validator(kind).is_valid(msg):
            continue
        errors = list(message_validator(kind).iter_errors(msg))
        if errors:
            error = _deepest(max(errors, key=lambda e: len(e.absolute_path)))
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{msg.get('type')} message invalid at /{where}: {error.message[:300]}")
    return offset + len(complete), problems


def _resolve(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema, through `$ref` and union keywords, as the plain schemas it may be."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _resolve({**server_schema()["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}})
    out: list[dict[str, Any]] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for member in schema.get(key, []):
            out += _resolve(member)
    return out or [schema]


def _step(schemas: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    """The schemas of an object's field `part`, or of an array's items (`*`)."""
    out: list[dict[str, Any]] = []
    for s in schemas:
        if not s or (s.get("additionalProperties") is True and part not in s.get("properties", {})):
            out.append({})  # any JSON value: whatever lies below is what the schema allows
        elif part == "*":
            for item in [s.get("items"), *s.get("prefixItems", [])]:
                if isinstance(item, dict):
                    out += _resolve(item)
        elif part in s.get("properties", {}):
            out += _resolve(s["properties"][part])
        elif matched := [v for k, v in s.get("patternProperties", {}).items() if re.search(k, part)]:
            for schema in matched:
                out += _resolve(schema)
        elif isinstance(s.get("additionalProperties"), dict):
            out += _resolve(s["additionalProperties"])
    return out


def _defines(schemas: list[dict[str, Any]], field: str) -> bool:
    """Whether a field is allowed: named, matched by a key pattern (a map keyed by ids), or open."""
    return any(
        not s
        or field in s.get("properties", {})
        or any(re.search(k, field) for k in s.get("patternProperties", {}))
        or s.get("additionalProperties") not in (None, False)
        for s in schemas
    )


def unknown_reads(reads: list[str]) -> list[str]:
    """The reads ('path field') of fields that the schema does not define at that place."""
    bad = []
    for read in sorted(set(reads)):
        path, _, field = read.rpartition(" ")
        schemas = _resolve(server_schema())
        for part in path.split("/")[1:]:
            schemas = _step(schemas, part)
        if not _defines(schemas, field):
            bad.append(read)
    return bad
