"""`crisisgame serve` with a wire tap, for the browser tests: every message the server sends to any
client is also appended, one JSON object a line, to the file named by $CRISISGAME_WIRE_TAP, so the
tests can check each one against the published protocol schema (tests/client/schema_check.py).

Every message a connection is sent goes through `Connection.deliver_all` (replies, errors and the
room's events and views alike), so tapping it sees all of them; nothing else is changed.

Usage: python tests/client/tapped_serve.py serve --port 0 --db games.db ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from crisisgame.cli import main
from crisisgame.server.app import Connection

_tap = open(os.environ["CRISISGAME_WIRE_TAP"], "ab", buffering=0)  # noqa: SIM115 (open for the process's life)
_deliver_all = Connection.deliver_all


def _tapped(self: Connection, messages: Sequence[bytes]) -> None:
    _tap.write(b"".join(bytes(m) + b"\n" for m in messages))
    _deliver_all(self, messages)


Connection.deliver_all = _tapped  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
