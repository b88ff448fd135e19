"""crisisgame: crisis-simulation wargames on alliances and security cooperation."""

__version__ = "0.1.0"
