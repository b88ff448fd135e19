"""The browser tests' schema checks can fail: a message or a read the schema does not allow is caught."""

from __future__ import annotations

import json
from pathlib import Path

from crisisgame.engine.commands import OBSERVER
from crisisgame.engine.view import view
from crisisgame.server.protocol import ViewMsg
from crisisgame.simulate import play
from tests.client.schema_check import invalid_messages, unknown_reads
from tests.engine.support import trio


def test_a_message_the_schema_refuses_is_reported(tmp_path: Path) -> None:
    state = play(trio(), seed=1, turns=1).state
    good = json.loads(ViewMsg(game="g", seq=state.seq, view=view(state, OBSERVER)).model_dump_json())
    bad = {**good, "view": {**good["view"], "gossip": "the plenary screen sees no private message"}}
    tap = tmp_path / "wire.jsonl"
    tap.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n" + '{"type": "pong"', encoding="utf-8")
    offset, problems = invalid_messages(tap, 0)
    assert len(problems) == 1
    assert "gossip" in problems[0]
    assert offset == len((json.dumps(good) + "\n" + json.dumps(bad) + "\n").encode())  # the unfinished line waits


def test_reads_of_fields_the_schema_lacks_are_reported() -> None:
    fine = [
        " view",
        "/view actors",
        "/view/actors/* capabilities",
        "/view/actors/*/capabilities milex",
        "/view/credibility USA>TWN",
        "/view/revealed_orders/1/CHN demands",
        "/event reason",
        "/event/reason explanation",
        "/data messages",
    ]
    assert unknown_reads(fine) == []
    bad = ["/view/proposals/* closed_reason", "/view/game winner", "/event/reason/inputs/x/y z"]
    assert unknown_reads(bad) == sorted(bad)
