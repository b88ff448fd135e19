"""The guards' invariants, over any input: what they let through stays within their bounds."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from crisisgame.server.guard import (
    ECHO_CHARS,
    JoinGuard,
    Quotas,
    allowed_host,
    allowed_origin,
    display_name,
    has_lone_surrogate,
    shown,
)

ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)


@given(ANY_TEXT | st.integers() | st.none())
def test_an_echoed_value_is_always_short_printable_and_encodable(value: object) -> None:
    text = shown(value)
    assert len(text) <= ECHO_CHARS
    assert all(ch.isprintable() for ch in text)
    text.encode("utf-8")  # (never raises: no lone surrogate survives)


@given(ANY_TEXT)
def test_a_display_name_is_trimmed_readable_and_stable(raw: str) -> None:
    name = display_name(raw)
    if name is None:
        return
    assert name == name.strip()
    assert name
    assert "  " not in name
    assert all(ch.isprintable() for ch in name)
    assert display_name(name) == name


@given(st.lists(st.tuples(st.sampled_from(["m1", "m2", "m3"]), st.integers(1, 5000), st.floats(0, 0.5)), max_size=80))
def test_a_team_never_gets_more_than_its_bytes_per_turn(commands: list[tuple[str, int, float]]) -> None:
    quotas = Quotas(member_bytes=20_000, seat_bytes=30_000)
    now = 0.0
    per_member: dict[str, int] = {}
    for member, size, pause in commands:
        now += pause
        if quotas.refuse("g", "ALPHA", member, 1, size, now) is None:
            per_member[member] = per_member.get(member, 0) + size
    assert sum(per_member.values()) <= 30_000
    assert all(used <= 20_000 for used in per_member.values())


def test_the_byte_quota_starts_again_each_turn() -> None:
    quotas = Quotas(member_bytes=1000, seat_bytes=1000)
    assert quotas.refuse("g", "ALPHA", "m", 1, 1000, 0.0) is None
    assert quotas.refuse("g", "ALPHA", "m", 1, 1, 1.0) is not None
    assert quotas.refuse("g", "ALPHA", "m", 2, 1000, 2.0) is None
    assert quotas.refuse("other", "ALPHA", "m", 2, 1000, 2.0) is None  # another game's team is apart


def test_wrong_codes_past_the_free_ones_double_the_wait_up_to_its_cap() -> None:
    guard = JoinGuard(free=3, forgive=30.0, backoff_max=8.0)
    waits = [guard.failed("10.0.0.1", 0.0) for _ in range(8)]
    assert waits == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert guard.wait("10.0.0.2", 0.0) == 0.0  # another address is not held up
    assert guard.wait("10.0.0.1", 9.0) == 0.0


@given(st.lists(st.text(max_size=3) | st.integers(), max_size=5))
def test_a_lone_surrogate_is_found_wherever_it_hides(values: list[object]) -> None:
    raw = json.dumps({"x": values, "y": "\ud800"}, ensure_ascii=True)
    assert has_lone_surrogate(raw, json.loads(raw))
    clean = json.dumps({"x": values, "y": "\U0001f600"}, ensure_ascii=True)
    assert not has_lone_surrogate(clean, json.loads(clean))


def test_hosts_and_origins() -> None:
    assert allowed_host("127.0.0.1:8000", "0.0.0.0", [])
    assert allowed_host("[::1]:8000", "0.0.0.0", [])
    assert allowed_host("localhost:8000", "0.0.0.0", [])
    assert allowed_host("seminar.local:8000", "seminar.local", [])
    assert allowed_host("class.example.edu", "127.0.0.1", ["https://class.example.edu"])
    assert not allowed_host("evil.example.com:8000", "127.0.0.1", [])
    assert not allowed_host(None, "127.0.0.1", [])
    assert allowed_origin("http://10.1.2.3:8000", "10.1.2.3:8000", [], allow_none=False)
    assert allowed_origin("https://class.example.edu", "10.1.2.3:8000", ["https://class.example.edu"], False)
    assert allowed_origin(None, "10.1.2.3:8000", [], allow_none=True)
    assert not allowed_origin(None, "10.1.2.3:8000", [], allow_none=False)
    assert not allowed_origin("http://10.1.2.3:8001", "10.1.2.3:8000", [], allow_none=True)
    assert not allowed_origin("null", "10.1.2.3:8000", [], allow_none=True)
