"""A flood of messages cannot make views weigh megabytes: a view carries each channel's newest messages,
and `history` pages back through the older ones, for the seats that may read them only.

A real server over SQLite, real websocket clients."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisgame.engine import view as view_module
from crisisgame.engine.state import MESSAGE_WINDOW
from crisisgame.engine.view import MESSAGES_IN_VIEW, REVEALED_TURNS_IN_VIEW
from crisisgame.server.app import Limits
from tests.server.support import (
    UNLIMITED,
    Client,
    assert_structured,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    until,
)

TEAMS = ["ALPHA", "BETA", "GAMMA"]
TEXT = "x" * 4000
"""The longest message a team may send."""
WINDOW = 10
"""Results in a view in the paging test (`OUTCOMES_IN_VIEW` is sized for big scenarios)."""
PER_MESSAGE = 300
"""What a message adds to a view besides its text, at most (bytes): ids, names, turn, time."""


def view_size(client: Client) -> int:
    return len(json.dumps(client.latest_view(), separators=(",", ":")))


async def test_after_a_flood_every_view_stays_under_its_bound_and_history_pages_only_to_readers(
    tmp_path: Path,
) -> None:
    limits = Limits(rate=10_000.0, burst=10_000.0)
    async with running_server(tmp_path / "games.db", limits=limits, quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        codes = created["codes"]
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        alpha = await join(srv, codes["ALPHA"], "Ada")
        quiet = {seat: view_size(await join(srv, codes[seat], f"before {seat}")) for seat in ("BETA", "observer")}

        flood = MESSAGE_WINDOW + 50
        for i in range(flood):
            for command in (
                {"type": "send_message", "channel": "public", "text": f"{i} {TEXT}"[:4000]},
                {"type": "send_message", "channel": "private", "to": ["BETA"], "text": f"{i} {TEXT}"[:4000]},
            ):
                assert (await alpha.command(command, timeout=30))["type"] == "ack"

        beta = await join(srv, codes["BETA"], "Bo")
        gamma = await join(srv, codes["GAMMA"], "Cy")
        plenary = await join(srv, codes["observer"], "Screen")
        bound = MESSAGES_IN_VIEW * (len(TEXT) + PER_MESSAGE)
        assert view_size(beta) <= quiet["BETA"] + bound
        assert view_size(plenary) <= quiet["observer"] + bound
        held = beta.latest_view()["messages"]
        private = [m["id"] for m in held if m["channel"] == "private"]
        assert len(private) == MESSAGE_WINDOW
        assert len([m for m in held if m["channel"] == "public"]) == MESSAGE_WINDOW
        assert beta.latest_view()["older_messages"] == {"private:ALPHA,BETA": 50, "public": 50}
        assert plenary.latest_view()["older_messages"] == {"public": 50}
        assert not any(m["channel"] == "private" for m in plenary.latest_view()["messages"])

        page = await beta.request(
            {"type": "history", "id": "h1", "channel": "private:ALPHA,BETA", "before": private[0], "limit": 100}
        )
        assert page["type"] == "reply"
        older = page["data"]["messages"]
        assert len(older) == 50
        assert not page["data"]["more"]
        assert [m["text"].split()[0] for m in older] == [str(i) for i in range(50)]
        assert {(m["sender"], tuple(m["to"])) for m in older} == {("ALPHA", ("BETA",))}
        # Before a message the room's state no longer keeps (the log has it): the page is read there too.
        deeper = await beta.request(
            {"type": "history", "id": "h1b", "channel": "private:ALPHA,BETA", "before": older[-1]["id"], "limit": 20}
        )
        assert [m["id"] for m in deeper["data"]["messages"]] == [m["id"] for m in older[-21:-1]]
        assert deeper["data"]["more"]

        for outsider in (gamma, plenary):
            empty = await outsider.request({"type": "history", "id": "h2", "channel": "private:ALPHA,BETA"})
            assert empty["data"] == {"channel": "private:ALPHA,BETA", "messages": [], "more": False}
            refused = await outsider.request(
                {"type": "history", "id": "h3", "channel": "private:ALPHA,BETA", "before": private[0]}
            )
            assert_structured(refused, "not_found", "before")
            assert "BETA" not in refused["message"]
            refused = await outsider.request(
                {"type": "history", "id": "h3b", "channel": "private:ALPHA,BETA", "before": older[0]["id"]}
            )
            assert_structured(refused, "not_found", "before")
        everything = await control.request({"type": "history", "id": "h4", "channel": "private:ALPHA,BETA"})
        assert len(everything["data"]["messages"]) == 100
        assert everything["data"]["more"]

        stranger = await Client.connect(srv.url, "stranger")
        refused = await stranger.request({"type": "history", "id": "h5", "channel": "public"})
        assert_structured(refused, "not_signed_in")
        for c in (lobby, control, alpha, beta, gamma, plenary, stranger):
            await c.close()


async def test_a_late_view_holds_the_newest_results_and_outcome_history_pages_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view_module, "OUTCOMES_IN_VIEW", WINDOW)  # the small scenario decides a few dozen in all
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path, count=4, briefing=30, results=30), TEAMS)
        codes = created["codes"]
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})

        def now() -> tuple[int, str]:
            game = control.latest_view()["game"]
            return game["turn"], game["phase"]

        while now() != (4, "diplomacy"):  # (no phase passes on its own: one advance, one view)
            views = len([m for m in control.messages if m["type"] == "view"])
            await control.ok({"type": "advance"})
            await until(lambda views=views: len([m for m in control.messages if m["type"] == "view"]) > views)  # type: ignore[misc]
        alpha = await join(srv, codes["ALPHA"], "Ada")
        plenary = await join(srv, codes["observer"], "Screen")
        for client in (control, alpha, plenary):
            v = client.latest_view()
            assert len(v["outcomes"]) == WINDOW
            assert v["older_outcomes"]
            assert list(v["revealed_orders"]) == ["1", "2", "3"][-REVEALED_TURNS_IN_VIEW:]
            paged = 0
            for turn, missing in v["older_outcomes"].items():
                reply = await client.request({"type": "outcome_history", "id": f"o{turn}", "turn": int(turn)})
                page = reply["data"]
                assert page["turn"] == int(turn)
                assert {o["turn"] for o in page["outcomes"]} == {int(turn)}
                held = sum(1 for o in v["outcomes"] if o["turn"] == int(turn))
                assert len(page["outcomes"]) == held + missing
                paged += missing
            assert paged == sum(v["older_outcomes"].values())
        seen = {}
        for client in (control, alpha, plenary):
            reply = await client.request({"type": "outcome_history", "id": "t1", "turn": 1})
            seen[client] = reply["data"]["outcomes"]
        assert len(seen[plenary]) < len(seen[control])  # private results stay with their audience
        for o in seen[alpha]:
            for ch in o.get("changes", []):
                if ch["target"] == "pair" and ch["field"] in ("intent", "threat"):
                    assert ch["key"].startswith("ALPHA>")

        stranger = await Client.connect(srv.url, "stranger")
        refused = await stranger.request({"type": "outcome_history", "id": "o9", "turn": 1})
        assert_structured(refused, "not_signed_in")
        for c in (lobby, control, alpha, plenary, stranger):
            await c.close()


async def test_old_proposals_leave_the_view_and_outcome_history_gives_them_to_their_parties_only(
    tmp_path: Path,
) -> None:
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path, count=4, briefing=30, results=30), TEAMS)
        codes = created["codes"]
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        alpha = await join(srv, codes["ALPHA"], "Ada")
        beta = await join(srv, codes["BETA"], "Bo")
        gamma = await join(srv, codes["GAMMA"], "Gus")
        plenary = await join(srv, codes["observer"], "Screen")

        def now() -> tuple[int, str]:
            game = control.latest_view()["game"]
            return game["turn"], game["phase"]

        async def advance_to(turn: int, phase: str) -> None:
            while now() != (turn, phase):  # (no phase passes on its own: one advance, one view)
                views = len([m for m in control.messages if m["type"] == "view"])
                await control.ok({"type": "advance"})
                await until(lambda views=views: len([m for m in control.messages if m["type"] == "view"]) > views)  # type: ignore[misc]

        def made() -> list[str]:
            return [
                m["event"]["id"]
                for m in alpha.messages
                if m["type"] == "event" and m["event"]["type"] == "proposal_made"
            ]

        await advance_to(1, "diplomacy")
        await alpha.ok({"type": "propose", "proposal": {"type": "consultation", "parties": ["ALPHA", "BETA"]}})
        secret = {"type": "consultation", "parties": ["ALPHA", "GAMMA"], "public": False}
        await alpha.ok({"type": "propose", "proposal": secret})
        await until(lambda: len(made()) == 2)
        with_beta, with_gamma = made()
        await beta.ok({"type": "reject", "proposal_id": with_beta})
        await advance_to(3, "diplomacy")
        for client in (control, alpha, beta):  # turn 1 is still in the window (the last two turns')
            assert with_beta in [p["id"] for p in client.latest_view()["proposals"]]
        await advance_to(4, "diplomacy")

        parties = {control: {with_beta, with_gamma}, alpha: {with_beta, with_gamma}, beta: {with_beta}}
        parties |= {gamma: {with_gamma}, plenary: set()}
        for client, theirs in parties.items():
            await until(lambda c=client: (c.latest_view()["game"]["turn"], c.latest_view()["game"]["phase"]) == now())  # type: ignore[misc]
            v = client.latest_view()
            assert not {p["id"] for p in v["proposals"]} & {with_beta, with_gamma}, client.label
            assert v["older_proposals"] == ({"1": len(theirs)} if theirs else {}), client.label
            reply = await client.request({"type": "outcome_history", "id": "p1", "turn": 1})
            assert reply["type"] == "reply", reply
            page = reply["data"]["proposals"]
            assert {p["id"] for p in page} == theirs, client.label  # a non-party gets nothing of it
            closed = {with_beta: "rejected", with_gamma: "expired"}
            assert {p["id"]: p["status"] for p in page} == {k: s for k, s in closed.items() if k in theirs}

        wrong = await alpha.request({"type": "outcome_history", "id": "w", "turn": 9})
        assert_structured(wrong, "not_found", "turn")
        assert wrong["message"] == "no turn 9 yet: the game is at turn 4"
        for c in (lobby, control, alpha, beta, gamma, plenary):
            await c.close()
