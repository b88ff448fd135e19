"""A seat's outbox (`room._Outbox`), whatever the game did: a client that resumes, from wherever it was
cut off, and folds what it is sent onto what it had, ends where a client that stayed connected is;
one that had the view before the newest is sent every event it missed; and the outbox holds the bytes
of one view at most.

The game is a model: steps of events (each one the seat sees or not), some of them ending with the
seat's view (built, or None when no client of the seat was there). A view is a snapshot: every event
the seat has seen up to its seq, and what only views tell (here: the seq of the last view step). A
client folds an event into its snapshot, and replaces its snapshot with a view.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.server import room as room_module
from crisisgame.server.room import _Outbox

Snapshot = tuple[frozenset[int], int]
"""The events a client has seen, and the seq of the last view step it knows of."""


@st.composite
def games(draw: st.DrawFn) -> dict[str, object]:
    steps = draw(
        st.lists(
            st.tuples(
                st.lists(st.booleans(), min_size=1, max_size=4),  # each event: does the seat see it?
                st.booleans(),  # does the step send views (a phase change)?
                st.booleans(),  # is another client of the seat connected (else the view is not built)?
            ),
            min_size=1,
            max_size=30,
        )
    )
    leave = draw(st.integers(0, len(steps)))  # the client gets the steps before this one...
    cut = draw(st.integers(0, 5))  # ...and the first `cut` messages of that step
    limit = draw(st.none() | st.integers(1, 40))
    outbox = draw(st.integers(2, 60))
    outbox_bytes = draw(st.integers(200, 3000))
    return {"steps": steps, "leave": leave, "cut": cut, "limit": limit, "outbox": outbox, "bytes": outbox_bytes}


def view_bytes(seq: int) -> bytes:
    return b"V%d " % seq + b"." * 120  # a view weighs far more than an event


def event_bytes(seq: int) -> bytes:
    return b"E%d" % seq


def fold(snapshot: Snapshot, messages: list[bytes], truth: dict[int, Snapshot]) -> Snapshot:
    seen, last_view = snapshot
    for message in messages:
        seq = int(message[1:].split(b" ")[0])
        if message.startswith(b"V"):
            seen, last_view = truth[seq]
        else:
            seen = seen | {seq}
    return seen, last_view


@settings(max_examples=400, deadline=None)
@given(games())
def test_a_resumed_client_ends_where_a_connected_one_is(game: dict[str, object]) -> None:
    steps = game["steps"]
    leave, cut, limit = game["leave"], game["cut"], game["limit"]
    assert isinstance(steps, list)
    assert isinstance(leave, int)
    assert isinstance(cut, int)
    assert limit is None or isinstance(limit, int)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(room_module, "OUTBOX", game["outbox"])
        patch.setattr(room_module, "OUTBOX_BYTES", game["bytes"])

        box = _Outbox(complete_after=1)  # (a room opened at seq 0: the view at 0 is not held)
        truth: dict[int, Snapshot] = {0: (frozenset(), 0)}
        seen: frozenset[int] = frozenset()
        last_view_step = 0
        seq = 0
        client: Snapshot = truth[0]  # it joined with a fresh view at seq 0
        client_seq = 0
        stream: list[bytes] = []  # what a client connected throughout was sent after the leaving one left
        for index, (visible, refresh, other) in enumerate(steps):
            connected = index < leave or (index == leave and cut > 0)
            entries: list[tuple[int, bool, bytes | None]] = []
            for sees in visible:
                seq += 1
                if sees:
                    seen = seen | {seq}
                    entries.append((seq, False, event_bytes(seq)))
            if refresh:
                last_view_step = seq
                entries.append((seq, True, view_bytes(seq) if connected or other else None))
            truth[seq] = (seen, last_view_step)
            for entry in entries:
                box.put(entry)
                assert sum(is_view for _, is_view, _ in box.messages) <= 1
                assert box.size == sum(len(m or b"") for _, _, m in box.messages)
            sent = [m for _, _, m in entries if m is not None]
            got = sent if index < leave else sent[:cut] if index == leave else []
            if got:
                client = fold(client, got, truth)
                client_seq = int(got[-1][1:].split(b" ")[0])
            stream.extend(sent[len(got) :] if index == leave else sent if index > leave else [])

        now = (seen, last_view_step)
        missed = box.missed(client_seq, limit)
        sent = [view_bytes(seq)] if missed is None else missed  # (None: the room sends a fresh view, at `seq`)
        assert fold(client, sent, truth) == now
        if limit is not None:
            assert len(sent) <= limit
        if missed is not None:
            # What it is sent is what a connected client was sent since, in order, without the views older
            # than the newest (and with the view at its own seq again, if that is the newest).
            again = view_bytes(client_seq)
            rest = missed[1:] if missed[:1] == [again] and again not in stream else missed
            assert all(m in stream for m in rest)
            indices = [stream.index(m) for m in rest]
            assert indices == sorted(indices)
            views = [m for m in stream if m.startswith(b"V")]
            assert [m for m in rest if m.startswith(b"V")] in ([], views[-1:])
            # A client that missed one view at most, within the bounds, is sent every event it missed.
            if len(views) <= 1 and client_seq >= box.complete_after and (limit is None or len(stream) <= limit):
                assert rest == stream
