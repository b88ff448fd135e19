"""Randomness that replays: u = H(game_seed, turn, decision_id) in [0, 1).

Every chance event in the engine draws its number from a hash of what it decides, never from a
shared generator, so outcomes do not depend on the order actions are processed in, and a replay or
a counterfactual fork draws the same numbers for the same decisions.
"""

from __future__ import annotations

import hashlib


def draw(seed: int, turn: int, decision_id: str) -> float:
    """A uniform number in [0, 1) determined by the seed, the turn and the decision."""
    digest = hashlib.blake2b(f"{seed}|{turn}|{decision_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def happens(seed: int, turn: int, decision_id: str, probability: float) -> tuple[bool, float]:
    """Whether an event of `probability` happens, and the number drawn (for the reasons)."""
    u = draw(seed, turn, decision_id)
    return u < probability, u
