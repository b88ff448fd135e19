"""Plain HTTP beside the websocket: the static browser client, `/healthz`, the bibliography and the
protocol schema, and the Host/Origin checks and connection caps applied before any upgrade."""

from __future__ import annotations

import asyncio
import functools
import json
import mimetypes
from http import HTTPStatus
from typing import TYPE_CHECKING

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.server.guard import allowed_host, allowed_origin

if TYPE_CHECKING:
    from crisisgame.server.app import GameServer


@functools.cache
def protocol_schema() -> bytes:
    """The protocol's JSON Schema, made from the models once per process (they cannot change while it
    runs): making it takes half a second of CPU, and every page of the browser client asks for it."""
    from crisisgame.server.asyncapi import document_text

    return document_text("json-schema").encode()


async def process_request(server: GameServer, connection: ServerConnection, request: Request) -> Response | None:
    path = request.path.split("?", 1)[0]
    refusal = refuse_request(server, connection, request, path)
    if refusal is not None:
        return refusal
    if path == "/ws":
        return None
    if path == "/healthz":
        body = json.dumps({"status": "ok", "games": len(server.rooms)}) + "\n"
        return Response(200, "OK", Headers([("Content-Type", "application/json")]), body.encode())
    if path == "/bibliography.json":
        # The full references behind the citation keys that every outcome's reasons carry.
        headers = Headers([("Content-Type", "application/json"), ("Cache-Control", "no-cache")])
        return Response(200, "OK", headers, json.dumps(BIBLIOGRAPHY, indent=1).encode())
    if path == "/schema/protocol.schema.json":
        # The browser client loads the protocol's JSON Schema from here (made from the models, never stale),
        # in a worker thread the first time, so the games go on meanwhile.
        headers = Headers([("Content-Type", "application/schema+json"), ("Cache-Control", "no-cache")])
        return Response(200, "OK", headers, await asyncio.to_thread(protocol_schema))
    return static(server, path)


def refuse_request(server: GameServer, connection: ServerConnection, request: Request, path: str) -> Response | None:
    """The Host check (every request), then for the websocket the Origin check and the caps on
    connections, from one address and in all."""
    extra = server.limits.origins or []
    hosts, origins = request.headers.get_all("Host"), request.headers.get_all("Origin")
    if len(hosts) > 1 or len(origins) > 1:
        return connection.respond(HTTPStatus.BAD_REQUEST, "one Host and at most one Origin header\n")
    host = hosts[0] if hosts else None
    if server.limits.check_host and not allowed_host(host, server.host, extra):
        return connection.respond(HTTPStatus.FORBIDDEN, "this server does not answer to that host name\n")
    if path != "/ws":
        return None
    if not allowed_origin(origins[0] if origins else None, host, extra, server.limits.allow_no_origin):
        return connection.respond(HTTPStatus.FORBIDDEN, "pages from that origin may not connect\n")
    address = str(connection.remote_address[0]) if connection.remote_address else "?"
    if server.per_address.get(address, 0) >= server.limits.connections_per_address:
        return connection.respond(HTTPStatus.TOO_MANY_REQUESTS, "too many connections from this address\n")
    if len(server.connections) >= server.limits.connections:
        return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "the server is full; try again shortly\n")
    return None


def static(server: GameServer, path: str) -> Response:
    not_found = Response(404, "Not Found", Headers([("Content-Type", "text/plain")]), b"not found\n")
    if server.client_dir is None:
        return Response(404, "Not Found", Headers([("Content-Type", "text/plain")]), b"no client installed\n")
    try:
        root = server.client_dir.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return not_found
        body = target.read_bytes()
    except (OSError, ValueError):  # a name too long, a NUL byte, a file unreadable or gone
        return not_found
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if target.suffix in (".js", ".mjs"):
        kind = "text/javascript"
    headers = Headers([("Content-Type", kind), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")])
    return Response(200, "OK", headers, body)
