"""Ids of private objects (messages, proposals, demands, calls): unguessable, yet replayable.

A sequential id ("p3") tells a seat that is not a party how many proposals others have made, and
lets it probe for them by name. These ids are a keyed hash of the game's seed and what the object
is (its place in the game's count, or its parties and turn), so a replay or a fork of the same log
gives the same ids, byte for byte, while a seat that does not know the seed cannot name an object
it was not shown. (The server draws seeds from 2**31 values; a facilitator who sets a small seed
by hand makes ids guessable to whoever knows it.)
"""

from __future__ import annotations

import hashlib

ID_BYTES = 6
"""Bytes of hash in an id (12 hex digits): structural, not a model coefficient."""


def opaque_id(seed: int, prefix: str, key: str) -> str:
    """`prefix` and a hash of (seed, prefix, key): the same inputs always give the same id."""
    digest = hashlib.blake2b(f"{seed}:{prefix}:{key}".encode(), digest_size=ID_BYTES).hexdigest()
    return f"{prefix}{digest}"


__all__ = ["opaque_id"]
