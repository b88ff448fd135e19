"""Reading a seat's view: the facts every temperament needs (threats, partners, odds of war)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from crisisgame.engine.power import distance_km

PROTECTIVE = {"defence_pact", "security_guarantee", "offence_pact"}


@dataclass
class Reading:
    """A bot's reading of its view."""

    view: dict[str, Any]

    @property
    def me(self) -> str:
        return str(self.view["seat"])

    @property
    def turn(self) -> int:
        return int(self.view["game"]["turn"])

    def actor(self, aid: str) -> dict[str, Any]:
        return next(a for a in self.view["actors"] if a["id"] == aid)

    @property
    def mine(self) -> dict[str, Any]:
        return self.actor(self.me)

    def states(self) -> list[str]:
        return [a["id"] for a in self.view["actors"] if a["kind"] == "state" and a["id"] != self.me]

    def threat(self, j: str) -> float:
        return float(self.view["me"]["threat"].get(j, 0.0))

    def intent(self, j: str) -> float:
        return float(self.view["me"]["intent"].get(j, 0.0))

    def top_threat(self) -> tuple[str | None, float]:
        row = self.view["me"]["threat"]
        if not row:
            return None, 0.0
        j = max(sorted(row), key=lambda k: row[k])
        return j, float(row[j])

    def km(self, a: str, b: str) -> float:
        pa, pb = self.actor(a)["position"], self.actor(b)["position"]
        return distance_km(pa["lat"], pa["lon"], pb["lat"], pb["lon"])

    def active(self) -> list[dict[str, Any]]:
        return [ag for ag in self.view["agreements"] if ag["active"]]

    def allies(self, aid: str | None = None) -> set[str]:
        """Actors sharing a protective agreement with `aid` (default: me)."""
        aid = aid or self.me
        out: set[str] = set()
        for ag in self.active():
            if ag["type"] in PROTECTIVE and aid in ag["parties"]:
                out.update(p for p in ag["parties"] if p != aid)
        return out

    def shares_agreement(self, a: str, b: str, types: set[str] | None = None) -> bool:
        return any(
            a in ag["parties"] and b in ag["parties"] and (types is None or ag["type"] in types) for ag in self.active()
        )

    def protection(self, aid: str) -> float:
        """The best credibility of anyone protecting `aid`, as the world sees it."""
        cred = self.view["credibility"]
        return max((v for k, v in cred.items() if k.endswith(">" + aid)), default=0.0)

    def military(self, aid: str) -> float:
        """A share-of-system measure of military strength (expenditure and personnel)."""

        def share(name: str) -> float:
            values = {a["id"]: a["capabilities"].get(name) or 0.0 for a in self.view["actors"]}
            total = sum(values.values())
            return values[aid] / total if total else 0.0

        return 0.5 * share("milex") + 0.25 * share("milper") + 0.25 * float(self.actor(aid)["cinc"])

    def odds(self, attacker: str, target: str) -> float:
        """Estimated chance that `attacker` prevails in `target`'s theatre, counting target's protectors."""
        reach = 3000.0
        a = self.actor(attacker)
        strength_a = self.military(attacker) * math.exp(
            -self.km(attacker, target) / (reach * (0.25 + a["power_projection"]))
        )
        strength_b = (
            self.military(target)
            + self.protection(target) * sum(self.military(g) for g in self.allies(target) if g != attacker) * 0.5
        )
        return strength_a / (strength_a + strength_b) if strength_a + strength_b > 0 else 0.5

    def gdp_share_in(self, members: set[str]) -> float:
        gdp = {m: self.actor(m)["capabilities"].get("gdp_usd_bn") or 0.0 for m in members | {self.me}}
        total = sum(gdp.values())
        return gdp[self.me] / total if total else 1.0

    def open_proposals_for_me(self) -> list[dict[str, Any]]:
        return [p for p in self.view["proposals"] if p["status"] == "open" and self.me not in p["accepted"]]

    def my_open_proposals(self) -> list[dict[str, Any]]:
        return [p for p in self.view["proposals"] if p["status"] == "open" and p["sender"] == self.me]

    def open_demands_on_me(self) -> list[dict[str, Any]]:
        return [
            d
            for d in self.view["demands"]
            if d["target"] == self.me and d["status"] == "open" and d["turn"] < self.turn
        ]
