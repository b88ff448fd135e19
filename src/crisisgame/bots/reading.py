"""Reading a seat's view: the facts every temperament needs (threats, partners, odds of war)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from crisisgame.engine.constants import THOUSANDS_PER_MILLION
from crisisgame.engine.seatview import ActorView, AgreementView, DemandView, ProposalView, TeamView
from crisisgame.scenario.geo import distance_km

PROTECTIVE = {"defence_pact", "security_guarantee", "offence_pact"}


@dataclass
class Reading:
    """A bot's reading of its (typed) view."""

    view: TeamView

    @property
    def me(self) -> str:
        return self.view.seat

    @property
    def turn(self) -> int:
        return self.view.game.turn

    def actor(self, aid: str) -> ActorView:
        return next(a for a in self.view.actors if a.id == aid)

    @property
    def mine(self) -> ActorView:
        return self.actor(self.me)

    def states(self) -> list[str]:
        return [a.id for a in self.view.actors if a.kind == "state" and a.id != self.me]

    def threat(self, j: str) -> float:
        return self.view.me.threat.get(j, 0.0)

    def intent(self, j: str) -> float:
        return self.view.me.intent.get(j, 0.0)

    def top_threat(self) -> tuple[str | None, float]:
        row = self.view.me.threat
        if not row:
            return None, 0.0
        j = max(sorted(row), key=lambda k: row[k])
        return j, row[j]

    def km(self, a: str, b: str) -> float:
        pa, pb = self.actor(a).position, self.actor(b).position
        return distance_km(pa.lat, pa.lon, pb.lat, pb.lon)

    def active(self) -> list[AgreementView]:
        return [ag for ag in self.view.agreements if ag.active]

    def allies(self, aid: str | None = None) -> set[str]:
        """Actors sharing a protective agreement with `aid` (default: me)."""
        aid = aid or self.me
        out: set[str] = set()
        for ag in self.active():
            if ag.type in PROTECTIVE and aid in ag.parties:
                out.update(p for p in ag.parties if p != aid)
        return out

    def shares_agreement(self, a: str, b: str, types: set[str] | None = None) -> bool:
        return any(a in ag.parties and b in ag.parties and (types is None or ag.type in types) for ag in self.active())

    def protection(self, aid: str) -> float:
        """The best credibility of anyone protecting `aid`, as the world sees it."""
        cred = self.view.credibility
        return max((v for k, v in cred.items() if k.endswith(">" + aid)), default=0.0)

    def backers(self, aid: str, against: str) -> set[str]:
        """`aid`'s protectors who would side with it against `against` (not `against`'s allies too)."""
        return {g for g in self.allies(aid) if g != against and g not in self.allies(against)}

    def backing(self, aid: str, against: str) -> float:
        """The help `aid` can count on if it starts a crisis with `against` itself (Benson 2011).

        The bot reads the public rulebook: step 7 lowers a protector's log-odds of honouring by
        `alliance.honour_provocation` x kappa when the partner provoked, so a protector believed to
        help with probability q helps a partner that starts the crisis with probability
        sigma(logit(q) - honour_provocation x kappa). An unconditional commitment (kappa 0) backs a
        protege's risk-taking in full, a conditional one much less, and not at all if the engine did not
        punish provocation. Protectors allied to `against` as well do not count.
        """
        cred = self.view.credibility
        penalty = self.view.rules.alliance.honour_provocation
        backers = self.backers(aid, against)
        best = 0.0
        for ag in self.active():
            if ag.type not in PROTECTIVE or aid not in ag.parties:
                continue
            for g in ag.guarantors or ag.parties:
                if g != aid and g in backers:
                    q = cred.get(f"{g}>{aid}", 0.0)
                    # sigma(logit(q) - h), written so that q = 0 and q = 1 need no special case
                    discount = math.exp(penalty * ag.conditionality)
                    best = max(best, q / (q + (1.0 - q) * discount) if q > 0.0 else 0.0)
        return best

    def military(self, aid: str, extra_milex: dict[str, float] | None = None) -> float:
        """A share-of-system measure of military strength (expenditure and personnel).

        `extra_milex` adds military expenditure (COW units) to some actors: the balance as it will be.
        """

        def share(name: str) -> float:
            values = {a.id: getattr(a.capabilities, name) or 0.0 for a in self.view.actors}
            if name == "milex" and extra_milex:
                values = {a: v + extra_milex.get(a, 0.0) for a, v in values.items()}
            total = sum(values.values())
            return values[aid] / total if total else 0.0

        war = self.view.rules.war
        return (
            war.weight_milex * share("milex")
            + war.weight_milper * share("milper")
            + war.weight_cinc * self.actor(aid).cinc
        )

    def pending_arms(self) -> dict[str, float]:
        """Arms ordered but not yet delivered, by recipient, in COW units of military expenditure.

        Deliveries ordered at turn t arrive at turn t + lag; those arriving after this turn's fighting
        (t + lag > this turn) are a power shift still to come.
        """
        lag = int(self.view.rules.capabilities.arms_delivery_lag)
        out: dict[str, float] = {}
        for turn, orders in self.view.revealed_orders.items():
            if int(turn) + lag <= self.turn:
                continue
            for o in orders.values():
                for d in o.arms_deliveries:
                    out[d.to] = out.get(d.to, 0.0) + d.value_usd_m * THOUSANDS_PER_MILLION
        return out

    def coming_shift(self, me: str, adversary: str) -> float:
        """How much `me`'s chance against `adversary` will fall once arms on their way arrive (Fearon 1995)."""
        pending = self.pending_arms()
        if not pending:
            return 0.0

        def odds(extra: dict[str, float] | None) -> float:
            mine = self.military(me, extra) * self._decay(me, adversary)
            theirs = self.military(adversary, extra)
            return self.attack_odds(mine, theirs)

        return max(0.0, odds(None) - odds(pending))

    def attack_odds(self, attacker: float, defender: float) -> float:
        """The battle odds adjudication uses (step 6), offence-defence balance included."""
        rules = self.view.rules
        return rules.war.attack_odds(attacker, defender, rules.security_dilemma.offence_dominance)

    def _decay(self, attacker: str, target: str) -> float:
        """Boulding's loss-of-strength gradient, with the coefficients adjudication uses (`war` group)."""
        war = self.view.rules.war
        projection = self.actor(attacker).power_projection
        reach = war.distance_decay_km * (war.projection_floor + projection)
        return math.exp(-self.km(attacker, target) / reach)

    def decay(self, attacker: str, target: str) -> float:
        """How much of `attacker`'s strength reaches `target`'s theatre (Boulding's gradient)."""
        return self._decay(attacker, target)

    def odds(self, attacker: str, target: str) -> float:
        """Estimated chance that `attacker` prevails in `target`'s theatre, counting both sides' protectors.

        The target's protectors count with their credibility; the attacker's, who would be helping a
        partner that started the crisis, only with the backing that survives their conditionality.
        """
        help_share = self.view.rules.bots.ally_help
        strength_a = (
            self.military(attacker) * self._decay(attacker, target)
            + self.backing(attacker, target)
            * sum(self.military(g) for g in self.backers(attacker, target))
            * help_share
        )
        strength_b = (
            self.military(target)
            + self.protection(target) * sum(self.military(g) for g in self.allies(target) if g != attacker) * help_share
        )
        return self.attack_odds(strength_a, strength_b)

    def nuclear_signals(self, turns: int) -> tuple[set[tuple[str, str]], set[str]]:
        """Nuclear threats (threatener, threatened) and tests (testers) ordered in the last `turns`
        adjudicated turns, from the revealed orders."""
        threats: set[tuple[str, str]] = set()
        tested: set[str] = set()
        for turn, orders in self.view.revealed_orders.items():
            if int(turn) < self.turn - turns:
                continue
            for actor, o in orders.items():
                if o.nuclear_test:
                    tested.add(actor)
                threats.update((actor, target) for target in o.nuclear_threats)
        return threats, tested

    def open_proposals_for_me(self) -> list[ProposalView]:
        return [p for p in self.view.proposals if p.status == "open" and self.me not in p.accepted]

    def my_open_proposals(self) -> list[ProposalView]:
        return [p for p in self.view.proposals if p.status == "open" and p.sender == self.me]

    def open_demands_on_me(self) -> list[DemandView]:
        return [d for d in self.view.demands if d.target == self.me and d.status == "open" and d.turn < self.turn]
