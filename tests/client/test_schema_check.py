"""The browser tests' schema checks can fail: a message or a read the schema does not allow is caught."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

from crisisgame.engine.commands import OBSERVER
from crisisgame.engine.view import view
from crisisgame.server.protocol import ViewMsg
from crisisgame.simulate import play
from tests.client.schema_check import fast_validator, invalid_messages, message_validator, unknown_reads
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


def _places(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place inside a JSON value (a key of an object, an item of an array)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    out: list[tuple[str | int, ...]] = []
    for key, inner in items:
        out += [(*path, key), *_places(inner, (*path, key))]
    return out


def test_the_fast_validator_refuses_what_the_reference_validator_refuses() -> None:
    """The wire is checked by jsonschema-rs and explained by jsonschema: a message that one passes and the
    other refuses would let a wrong message through, so damaged views must get the same verdict from both."""
    state = play(trio(), seed=1, turns=1).state
    good = json.loads(ViewMsg(game="g", seq=state.seq, view=view(state, OBSERVER)).model_dump_json())
    rng = random.Random(5)
    wrong_values: list[Any] = [None, "x", "", -1e12, 1e12, 0.5, True, [], {}, [1]]
    verdicts = []
    for place in rng.sample(_places(good), 12):
        bad = copy.deepcopy(good)
        parent = bad
        for key in place[:-1]:
            parent = parent[key]
        change = rng.choice(("replace", "remove", "add"))
        if change == "replace":
            parent[place[-1]] = rng.choice(wrong_values)
        elif change == "remove":
            parent.pop(place[-1])
        elif isinstance(parent, dict):
            parent["unheard_of"] = rng.choice(wrong_values)
        else:
            parent.append(rng.choice(wrong_values))
        refused = any(True for _ in message_validator("view").iter_errors(bad))
        assert fast_validator("view").is_valid(bad) is not refused, (place, change)
        verdicts.append(refused)
    assert any(verdicts), "no damage was refused: the check proves nothing"


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
