"""Join codes: what a student types to take a seat. The server hands them out when it creates a
game and the debrief when it reopens a fork, so they live below both, beside the store that keeps
them."""

from __future__ import annotations

import secrets

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U to misread; eight characters are 40 bits of secret."""


def new_code() -> str:
    """A fresh random join code: two groups of four characters joined by a dash, like 7K2M-Q9XD."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


__all__ = ["CODE_ALPHABET", "new_code"]
