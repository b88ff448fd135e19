"""The debrief over the wire: the facilitator reads every edition; seats read the student edition once released."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.server.support import assert_structured, create_game, facilitator, join, running_server, short_scenario


async def test_the_student_edition_is_released_by_the_facilitator_and_holds_no_private_message(
    tmp_path: Path,
) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA", "GAMMA"])
        game, codes = created["game"], created["codes"]
        control = await facilitator(srv, game)
        alpha = await join(srv, codes["ALPHA"], "Ada", "ALPHA")
        observer = await join(srv, codes["observer"], "projector", "observer")
        await control.ok({"type": "start"})
        await alpha.ok({"type": "send_message", "channel": "private", "to": ["BETA"], "text": "PRIVATE-XYZ"})

        summary = await control.request({"type": "report", "id": "s", "edition": "summary"})
        assert "Facilitator edition" in summary["data"]["html"]
        full = await control.request({"type": "report", "id": "f", "edition": "full"})
        assert "PRIVATE-XYZ" in full["data"]["html"]

        for client in (alpha, observer):
            for edition in ("full", "summary"):
                refused = await client.request({"type": "report", "id": "q", "edition": edition})
                assert_structured(refused, "forbidden")
            early = await client.request({"type": "report", "id": "q", "edition": "student"})
            assert_structured(early, "forbidden")
            assert "not released" in early["message"]
        cheeky = await alpha.request({"type": "report", "id": "q", "edition": "student", "release": True})
        assert_structured(cheeky, "forbidden")
        wrong = await control.request({"type": "report", "id": "q", "edition": "summary", "release": True})
        assert_structured(wrong, "rejected", "release")

        released = await control.request({"type": "report", "id": "r", "edition": "student", "release": True})
        assert "Student edition" in released["data"]["html"]
        for client in (alpha, observer):
            answer = await client.request({"type": "report", "id": "q", "edition": "student"})
            assert answer["type"] == "reply", answer
            assert answer["data"]["game"] == game
            assert "Student edition" in answer["data"]["html"]
            assert "PRIVATE-XYZ" not in answer["data"]["html"]
        other = await alpha.request({"type": "report", "id": "q", "edition": "student", "game": "deadbeef"})
        assert_structured(other, "forbidden")
