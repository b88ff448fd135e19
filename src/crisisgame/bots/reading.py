"""Reading a seat's view: the facts every temperament needs (threats, partners, odds of war)."""

from __future__ import annotations

import functools
import math
from collections.abc import Set
from dataclasses import dataclass, field

from crisisgame.engine.constants import THOUSANDS_PER_MILLION
from crisisgame.engine.seatview import ActorView, AgreementView, DemandView, ProposalView, TeamView
from crisisgame.scenario.geo import distance_km

PROTECTIVE = {"defence_pact", "security_guarantee", "offence_pact"}


@dataclass
class Reading:
    """A bot's reading of its (typed) view.

    A view is frozen, so what the reading works out from it (the actors by id, the agreements in force,
    each actor's allies, distances, military strength) is worked out once and kept: a bot's decision asks
    for the same facts thousands of times. Kept sets and lists are shared: callers must not change them.
    """

    view: TeamView
    _allies: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _km: dict[tuple[str, str], float] = field(default_factory=dict, init=False, repr=False, compare=False)
    _military: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)
    _backing: dict[tuple[str, str], float] = field(default_factory=dict, init=False, repr=False, compare=False)
    _backers: dict[tuple[str, str], set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _protection: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)

    @functools.cached_property
    def _actors(self) -> dict[str, ActorView]:
        out: dict[str, ActorView] = {}
        for a in self.view.actors:
            out.setdefault(a.id, a)  # (the first of an id, as a scan would find it)
        return out

    @functools.cached_property
    def _active(self) -> list[AgreementView]:
        return [ag for ag in self.view.agreements if ag.active]

    @property
    def me(self) -> str:
        return self.view.seat

    @property
    def turn(self) -> int:
        return self.view.game.turn

    def actor(self, aid: str) -> ActorView:
        try:
            return self._actors[aid]
        except KeyError:
            raise KeyError(f"no actor {aid!r} in the view") from None

    def lost_to_conquest(self, target: str) -> float:
        """The share of `target`'s economy (before any conquest) that victors have taken from it in this game."""
        return sum(a.conquests.get(target, 0.0) for a in self.view.actors)

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
        got = self._km.get((a, b))
        if got is None:
            pa, pb = self.actor(a).position, self.actor(b).position
            got = self._km[a, b] = distance_km(pa.lat, pa.lon, pb.lat, pb.lon)
        return got

    def active(self) -> list[AgreementView]:
        """The agreements in force (a shared list: do not change it)."""
        return self._active

    def allies(self, aid: str | None = None) -> Set[str]:
        """Actors sharing a protective agreement with `aid` (default: me)."""
        aid = aid or self.me
        got = self._allies.get(aid)
        if got is None:
            got = set()
            for ag in self.active():
                if ag.type in PROTECTIVE and aid in ag.parties:
                    got.update(p for p in ag.parties if p != aid)
            self._allies[aid] = got
        return got

    def shares_agreement(self, a: str, b: str, types: set[str] | None = None) -> bool:
        return any(a in ag.parties and b in ag.parties and (types is None or ag.type in types) for ag in self.active())

    def protection(self, aid: str) -> float:
        """The best credibility of anyone protecting `aid`, as the world sees it."""
        got = self._protection.get(aid)
        if got is None:
            cred = self.view.credibility
            got = self._protection[aid] = max((v for k, v in cred.items() if k.endswith(">" + aid)), default=0.0)
        return got

    def backers(self, aid: str, against: str) -> Set[str]:
        """`aid`'s protectors who would side with it against `against` (not `against`'s allies too)."""
        got = self._backers.get((aid, against))
        if got is None:
            got = self._backers[aid, against] = {
                g for g in self.allies(aid) if g != against and g not in self.allies(against)
            }
        return got

    def backing(self, aid: str, against: str) -> float:
        """The help `aid` can count on if it starts a crisis with `against` itself (Benson 2011).

        The bot reads the public rulebook: step 7 lowers a protector's log-odds of honouring by
        `alliance.honour_provocation` x kappa when the partner provoked, so a protector believed to
        help with probability q helps a partner that starts the crisis with probability
        sigma(logit(q) - honour_provocation x kappa). An unconditional commitment (kappa 0) backs a
        protege's risk-taking in full, a conditional one much less, and not at all if the engine did not
        punish provocation. Protectors allied to `against` as well do not count.
        """
        got = self._backing.get((aid, against))
        if got is None:
            got = self._backing[aid, against] = self._reckon_backing(aid, against)
        return got

    def _reckon_backing(self, aid: str, against: str) -> float:
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
        if extra_milex:
            return self._strength(aid, extra_milex)
        got = self._military.get(aid)
        if got is None:
            got = self._military[aid] = self._strength(aid, None)
        return got

    def _strength(self, aid: str, extra_milex: dict[str, float] | None) -> float:
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
