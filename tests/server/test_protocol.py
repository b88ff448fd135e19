"""The hot-path encoders of `event`, `ack` and `view` messages give the same bytes as the `EventMsg`, `Ack` and
`ViewMsg` models."""

from __future__ import annotations

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.view import view, view_json, visible_event
from crisisgame.server.protocol import Ack, EventMsg, ViewMsg, ack_message, event_message, view_message
from tests.engine.support import Table


def test_event_message_is_byte_for_byte_the_models_serialisation() -> None:
    table = Table()
    table.do(Start(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    table.do(SendMessage(by="ALPHA", channel="public", text='quotes " and \\ and ünïcode \u2028 and 🙂'))
    table.do(SendMessage(by="ALPHA", channel="private", to=["BETA"], text="a word in private"))
    table.do(Advance(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    seats = [*table.state.actors, FACILITATOR, "observer"]
    checked = 0
    for seq, event in enumerate(table.log, start=1):
        for seat in seats:
            shown = visible_event(event, seat, table.state)
            if shown is not None:
                model = EventMsg(game="g-ü", seq=seq, event=shown).model_dump_json().encode()
                assert event_message("g-ü", seq, shown) == model
                checked += 1
    assert checked > len(table.log)


def test_ack_message_is_byte_for_byte_the_models_serialisation() -> None:
    for ident in ("c1", 'quotes " and \\ and ünïcode \u2028 🙂', "x" * 64):
        for game, seq, repeat in (("g1", 0, False), ("g-ü", 12345678901, True)):
            model = Ack(id=ident, game=game, seq=seq, repeat=repeat).model_dump_json().encode()
            assert ack_message(ident, game, seq, repeat) == model


def test_view_message_is_byte_for_byte_the_models_serialisation() -> None:
    table = Table()
    table.do(Start(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    table.do(SendMessage(by="ALPHA", channel="public", text='quotes " and \\ and ünïcode \u2028 and 🙂'))
    table.do(SendMessage(by="ALPHA", channel="private", to=["BETA"], text="a word in private"))
    for seat in [*table.state.actors, FACILITATOR, "observer"]:
        for game in ("g1", 'g-ü "quoted"'):
            model = ViewMsg(game=game, seq=table.state.seq, view=view(table.state, seat)).model_dump_json().encode()
            assert view_message(game, table.state.seq, view_json(table.state, seat)) == model
