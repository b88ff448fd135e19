"""A room's sketch of its command receipts (`room.Receipts`): a scalable Bloom filter. It never calls a
receipt it has seen new (a retry is never applied twice), sends a few new receipts in 100,000 to
the store, however many the game has written, and grows with the game (three bytes for each receipt
its layers are sized for, at most twice those written)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.server import room as room_module
from crisisgame.server.room import RECEIPTS_HELD, SEEN_BITS_EACH, SEEN_FIRST, Receipts
from crisisgame.store.base import Receipt


class Store:
    """The store's side: every receipt written, and the lookups the sketch asked for."""

    def __init__(self) -> None:
        self.written: dict[Receipt, int] = {}
        self.asked = 0

    def lookup(self, receipt: Receipt) -> int | None:
        self.asked += 1
        return self.written.get(receipt)


def filled(count: int, prefix: str = "c") -> tuple[Receipts, Store]:
    store = Store()
    receipts = Receipts()
    receipts.lookup = store.lookup
    for i in range(count):
        receipt = Receipt(f"member-{i % 7}", f"{prefix}{i}")
        store.written[receipt] = i + 1
        receipts.add(receipt, i + 1)
    return receipts, store


@settings(max_examples=40, deadline=None)
@given(count=st.integers(0, 3000), first=st.sampled_from([3, 24, 192]))
def test_a_receipt_written_is_never_taken_for_new(count: int, first: int) -> None:
    """With layers as small as one receipt (3 bytes: many layers), every receipt written, held or not,
    is known."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(room_module, "SEEN_FIRST", first)
        receipts, store = filled(count)
    for receipt, seq in store.written.items():
        assert receipts.get(receipt) == seq


def test_new_receipts_go_to_the_store_a_few_times_in_100000_however_long_the_game() -> None:
    """80,000 receipts fill three layers and part of a fourth; of 100,000 new ones, under 0.05% are
    looked up (a full layer answers 'maybe' for ~0.004%), and the sketch is sized for at most twice
    the receipts written (beyond its first layer), 3 bytes each."""
    count = 80_000
    receipts, store = filled(count)
    assert len(receipts) == RECEIPTS_HELD
    layers = receipts._layers
    assert [len(layer) for layer in layers] == [SEEN_FIRST * 2**i for i in range(4)]
    for i in range(100_000):
        assert receipts.get(Receipt(f"member-{i % 7}", f"new{i}")) is None
    assert store.asked < 50, store.asked
    sized_for = sum(len(layer) for layer in layers) * 8 // SEEN_BITS_EACH
    assert count <= sized_for <= 2 * count + SEEN_FIRST * 8 // SEEN_BITS_EACH  # (the first layer, then doubling)


def test_a_retry_of_an_old_command_is_looked_up_and_a_held_one_is_not() -> None:
    receipts, store = filled(2000)
    assert receipts.get(Receipt("member-0", "c0")) == 1  # (long gone from the receipts held)
    assert store.asked == 1
    assert receipts.get(Receipt(f"member-{1999 % 7}", "c1999")) == 2000  # (held)
    assert store.asked == 1
