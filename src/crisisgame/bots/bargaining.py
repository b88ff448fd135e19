"""War as a bargaining failure (Fearon 1995): what a computer player demands, concedes and fights for.

Each dispute is an issue on which two states hold different ideal positions. On the challenger's
scale its own ideal is worth 1 and the other side's 0; the status quo (the issue's settlement, or the
median of the interested states' positions while it is unsettled) lies in between. Fighting gives the
challenger its ideal with probability p and costs it c, so war is worth p - c; a settlement x is worth
x. The target compares the same things on its own scale.

Every number here is a belief of the deciding state, from its own view:
- p is its own estimate of the balance in the target's theatre (military strength decayed by
  distance, Boulding 1962), counting each ally bound to defend the target with its credibility, each
  other state with a stake in the issue with the chance that it joins by its own decision (strategic
  ambiguity), and each backer of the attacker with its unconditional backing (deterrence ex ante),
  plus a private error of spread `war.misperception` drawn once per game and pair: two sides can both
  be optimistic;
- a recent nuclear threat between two states adds a risk left to chance to any fight between them,
  and a recent test lets an unproven arsenal deter in full (`nuclear` group; `coercion` and
  `deterrence` weigh making them);
- its own cost of war is private (resolve): the rule's cost times its temperament's weight times
  (1 +- `bargaining.resolve_spread`), drawn once per game; the other side's is known only on average;
- a power shift is forecast from arms deliveries on their way.

So the challenger demands the settlement that maximises its expected value, trading a larger gain
against a higher chance of refusal (Fearon's risk-return trade-off); the target concedes when the
demand leaves it at least what it expects from fighting; after a refusal, the challenger fights when
war is worth more than the peace it can expect, which a coming shift against it lowers (the
commitment problem). An indivisible issue admits only all-or-nothing demands, so the bargaining
range shrinks to nothing short of capitulation. None of this names a proposition: wars follow when
beliefs diverge, power shifts or stakes cannot be split.
"""

from __future__ import annotations

import copy
import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from crisisgame.bots.reading import PROTECTIVE, Reading
from crisisgame.engine.chance import draw
from crisisgame.engine.commands import DemandAnswer, DemandOrder, ForceOrder
from crisisgame.engine.objectives import war_points
from crisisgame.engine.rules.commitments import regime_scale
from crisisgame.engine.rules.common import LEVELS, clip, combined_reach, occupation_share
from crisisgame.engine.seatview import DemandView, IssueView
from crisisgame.engine.state import pair
from crisisgame.scenario.model import IssueOutcome, Objective
from crisisgame.scenario.rulebook import Rulebook

FIGHTING_RUNGS = ("limited_strike", "war")
"""Rungs of the ladder on which the sides fight a battle that can settle the issue."""

COERCIVE_RUNGS = ("grey_zone", "show_of_force", "blockade")
"""Rungs below an armed attack: no battle, but ground gained on the issue if the target does not answer
in kind (the engine's fait accompli). Nuclear use is not among a computer player's options (the nuclear
taboo: Tannenwald 1999); nuclear threats and tests are signals, not rungs."""


@dataclass(frozen=True)
class Dispute:
    """An issue between the deciding state (`me`) and `other`, on `me`'s scale."""

    issue: str
    other: str
    mine: float
    theirs: float
    status_quo: float
    divisible: bool

    def value(self, position: float) -> float:
        """What a settlement at `position` is worth to me: 1 at my ideal, less by the distance from it."""
        return 1 - abs(self.mine - position)

    def their_value(self, position: float) -> float:
        """What a settlement at `position` is worth to the other state."""
        return 1 - abs(self.theirs - position)


@dataclass(frozen=True)
class Choice:
    """A decision and the beliefs behind it (kept for tests and for explaining a bot's play)."""

    position: float
    gain: float
    """Expected value of the choice minus the value of the peace I expect."""


def status_quo(issue: IssueView) -> float:
    """Where things stand: the settlement if there is one, else the median of the stated positions."""
    if issue.settled is not None:
        return issue.settled
    return float(statistics.median(issue.positions.values())) if issue.positions else 0.5


def _stakes(objectives: Sequence[Objective]) -> set[str]:
    """Issues named in a list of objectives (what a state has at stake)."""
    return {o.issue for o in objectives if isinstance(o, IssueOutcome)}


class Bargainer:
    """A state's bargaining calculus, on its own beliefs read from its view."""

    def __init__(self, reading: Reading, rules: Rulebook, seed: int, temperament: str) -> None:
        self.r = reading
        self.rules = rules
        self.seed = seed
        self.temperament = temperament
        self.b = rules.bargaining
        self.war = rules.war
        self._odds: dict[tuple[str, str, str | None], float] = {}
        self._military: dict[str, float] = {}
        self._shift: dict[str, float] = {}
        self._states = set(reading.states())
        self._volunteers: dict[tuple[str, str, str | None], dict[str, float]] = {}
        self._sides: dict[tuple[str, str, str], tuple[float, float, float, float, float]] = {}
        self._balances: dict[tuple[str, str], tuple[float, float]] = {}
        self._joiners: dict[tuple[str, str, str | None], dict[str, float]] = {}
        # Pure functions of the view and the seed, kept (and shared with `signalling`'s copies, to which
        # a nuclear signal changes none of them):
        self._draws: dict[str, float] = {}
        self._bound: dict[tuple[str, str], dict[str, float]] = {}
        self._reach: dict[tuple[str, str], float] = {}
        self.threats, self.tested = reading.nuclear_signals(rules.nuclear.signal_turns)
        """Nuclear threats (threatener, threatened) and tests (testers) still in my reckoning."""

    def signalling(self, threat: tuple[str, str] | None = None, test: str | None = None) -> Bargainer:
        """The same calculus as if a nuclear threat or test had just been made (to weigh making it)."""
        other = copy.copy(self)
        other.threats = self.threats | ({threat} if threat else set())
        other.tested = self.tested | ({test} if test else set())
        return other

    def signalled(self, a: str, b: str) -> bool:
        """Whether either of `a` and `b` has threatened the other with nuclear weapons lately."""
        return (a, b) in self.threats or (b, a) in self.threats

    # -- beliefs ------------------------------------------------------------------------------

    def _private(self, key: str) -> float:
        """A uniform number in [-1, 1), drawn once per game for this state and `key` (a stable belief)."""
        got = self._draws.get(key)
        if got is None:
            got = self._draws[key] = 2 * draw(self.seed, 0, f"bargain:{self.r.me}:{key}") - 1
        return got

    def reach(self, actor: str, theatre: str) -> float:
        """Share of `actor`'s strength that reaches `theatre` (Boulding's loss-of-strength gradient):
        from home and from every base it may use under an agreement in force whose host consents
        standing, in proportion to the forces stationed there (routes combined as the engine does)."""
        if actor == theatre:
            return 1.0
        got = self._reach.get((actor, theatre))
        if got is None:
            got = self._reach[actor, theatre] = self._reckon_reach(actor, theatre)
        return got

    def _reckon_reach(self, actor: str, theatre: str) -> float:
        span = self.war.distance_decay_km * (self.war.projection_floor + self.r.actor(actor).power_projection)
        home = math.exp(-self.r.km(actor, theatre) / span)
        forward = []
        for ag in self.r.active():
            host, troops = ag.terms.host, ag.terms.troops
            if not host or not troops or host == actor or actor not in ag.parties or host not in ag.parties:
                continue
            if ag.terms.host_consent != "standing" and host != theatre:
                continue  # consent left to the host case by case: not counted on in advance
            distance = 0.0 if host == theatre else self.r.km(host, theatre)
            forward.append(min(1.0, troops / self.war.forward_base_troops) * math.exp(-distance / span))
        return combined_reach(home, forward)

    def bound(self, target: str, attacker: str) -> dict[str, float]:
        """Each state bound to fight for `target` against `attacker` by a clause its partner can invoke
        (a defence, offence or extended-deterrence obligation), with the weight of its help.

        The weight is my belief that it would fight: the credibility of its commitment as the world sees
        it (Fearon 1997) times (1 +- `bargaining.credibility_spread`), a private draw made once per game
        for me, the protector and the protected state (the guarantor's resolve is its private information,
        so states read the same commitment differently). Deterrence works before the first shot because
        the attacker counts each ally's expected intervention; `bargaining.expected_help` = false (an
        ablation) counts none. A consultation-only agreement binds no one: no call can be made under it.
        """
        if not self.b.expected_help:
            return {}
        got = self._bound.get((target, attacker))
        if got is None:
            got = self._bound[target, attacker] = self._reckon_bound(target, attacker)
        return got

    def _reckon_bound(self, target: str, attacker: str) -> dict[str, float]:
        cred = self.r.view.credibility
        spread = self.b.credibility_spread
        out: dict[str, float] = {}
        for ag in self.r.active():
            if ag.type not in PROTECTIVE or not ag.binding or target not in ag.parties or attacker in ag.parties:
                continue
            for g in ag.guarantors or ag.parties:
                if g in (target, attacker) or g in self.r.allies(attacker):
                    continue
                belief = cred.get(pair(g, target), 0.0) * (1 + spread * self._private(f"ally:{g}:{target}"))
                out[g] = max(out.get(g, 0.0), clip(belief))
        return out

    def protectors(self, target: str, attacker: str, issue: str | None = None) -> dict[str, float]:
        """Each state expected to fight for `target` against `attacker`, with the weight of its help: an ally
        bound by a clause weighs its credibility (`bound`), any other state the chance that it joins the
        battle by its own decision (`volunteer_chance`), as the engine lets it (`Orders.defend`).
        `bargaining.expected_help` = false (an ablation) counts none."""
        if not self.b.expected_help:
            return {}
        out = dict(self.volunteer_chances(attacker, target, issue))
        for g, weight in self.bound(target, attacker).items():
            out[g] = max(out.get(g, 0.0), weight)
        return out

    # -- intervention without an obligation ---------------------------------------------------

    def _objectives(self, aid: str) -> Sequence[Objective]:
        return self.r.view.me.objectives if aid == self.r.me else self.r.actor(aid).objectives

    def _distances(
        self, g: str, attacker: str, target: str, issue: str | None, demanded: float | None
    ) -> Iterator[tuple[float, float]]:
        """On each issue `g` names in an objective (only `issue`, if given) where the three hold positions:
        how far `g`'s position is from the attacker's (or its demand, if given) and from the target's."""
        mine = _stakes(self._objectives(g))
        for i in self.r.view.issues:
            pos = i.positions
            if (issue is not None and i.id != issue) or i.id not in mine or not {g, attacker, target} <= set(pos):
                continue
            theirs = pos[attacker] if demanded is None else demanded
            yield abs(pos[g] - theirs), abs(pos[g] - pos[target])

    def stake(
        self, g: str, attacker: str, target: str, issue: str | None = None, demanded: float | None = None
    ) -> float:
        """What `g` has riding on a battle between `attacker` and `target`: on an issue `g` names in an
        objective, how much nearer its ideal the target's position is than the attacker's (or the
        attacker's demand, if given): the battle carries the issue one way or the other (on `issue` if
        given, else the issue on which `g` has most at stake)."""
        best = 0.0
        for to_attacker, to_target in self._distances(g, attacker, target, issue, demanded):
            best = max(best, to_attacker - to_target)
        return best

    def _balance(self, attacker: str, target: str) -> tuple[float, float]:
        """Each side's strength in `target`'s theatre: the attacker with its backers' backing, the target
        with the allies bound to it weighted by their credibility."""
        key = (attacker, target)
        if key not in self._balances:
            side_a = self.military(attacker) * self.reach(attacker, target)
            for g in sorted(self.r.backers(attacker, target)):
                side_a += self.r.backing(attacker, target) * self.military(g) * self.reach(g, target)
            side_b = self.military(target)
            for g, weight in sorted(self.bound(target, attacker).items()):
                side_b += weight * self.military(g) * self.reach(g, target)
            self._balances[key] = (side_a, side_b)
        return self._balances[key]

    def _with(self, g: str, attacker: str, target: str) -> tuple[float, float, float, float, float]:
        """The battle between `attacker` and `target` as I reckon it, with and without `g`: the attacker's
        chance without `g` (its side with its backers, the target's with its bound allies by credibility),
        with `g` on the attacker's side, with `g` on the target's side; `g`'s strength in the theatre, and
        the attacker's side's strength with `g` in it."""
        key = (g, attacker, target)
        if key not in self._sides:
            side_a, side_b = self._balance(attacker, target)
            extra = self.military(g) * self.reach(g, target)
            odds = self.r.attack_odds
            p0, p_join, p_defend = odds(side_a, side_b), odds(side_a + extra, side_b), odds(side_a, side_b + extra)
            self._sides[key] = (p0, p_join, p_defend, extra, side_a + extra)
        return self._sides[key]

    def lean(
        self, g: str, attacker: str, target: str, issue: str | None = None, demanded: float | None = None
    ) -> float:
        """How much more `g` wants the attacker to prevail than the target to hold, on the issue the battle
        carries (`issue`, else the one on which `g` leans most): the value to `g` of the attacker's demand
        (or its position) less that of the target's position, positive for a state dissatisfied with what
        the target defends, negative for one that wants it kept. 0 without a stake named in an objective."""
        best = 0.0
        for to_attacker, to_target in self._distances(g, attacker, target, issue, demanded):
            lean = to_target - to_attacker
            best = lean if abs(lean) > abs(best) else best
        return best

    def spoils(self, g: str, target: str, strength: float, side: float) -> float:
        """What `g`'s share of the spoils of a victory over `target` is worth to `g`, if its side prevails, as
        the engine takes them (step 6): what is left of the `war.spoils_share` of the target's economy that
        conquest can take, shared by the strength each brought (`g`'s `strength` of its side's `side`), up to
        the output of the land `g`'s forces in the theatre can occupy (its personnel times its reach and its
        readiness, `war.unmobilised_strength` plus its mobilisation, at
        `war.occupation_troops_per_1000` per 1,000 inhabitants) less what it already holds there; valued as the
        share of `g`'s own GDP it adds, the scale on which a war costs it a share of its stakes. 0 without GDP
        figures."""
        mine, theirs = self.r.actor(g), self.r.actor(target)
        gdp_g = mine.capabilities.gdp_usd_bn or 0.0
        gdp_t = theirs.capabilities.gdp_usd_bn or 0.0
        if gdp_g <= 0 or side <= 0:
            return 0.0
        lost = self.r.lost_to_conquest(target)
        whole = gdp_t / (1.0 - lost) if lost < 1.0 else gdp_t
        claim = max(0.0, self.war.spoils_share - lost) * strength / side
        military, milper = self.military(g), mine.capabilities.milper
        ready = self.war.unmobilised_strength + mine.mobilisation  # as the engine counts strength in a theatre
        personnel = None if milper is None or military <= 0 else milper * strength / military * ready
        hold = occupation_share(personnel, theirs.capabilities.tpop, self.war.occupation_troops_per_1000)
        return whole * max(0.0, min(claim, hold - mine.conquests.get(target, 0.0))) / gdp_g

    def volunteer_gain(
        self, g: str, attacker: str, target: str, issue: str | None = None, demanded: float | None = None
    ) -> float:
        """What joining `target`'s battle against `attacker` is worth to `g` before its cost: the battle
        carries the issue to the attacker's side with the attacker's chance of prevailing, and `g`'s forces
        in the theatre lower that chance (the balance without `g` counts the target's bound allies only)."""
        p0, _, p_defend, extra, _ = self._with(g, attacker, target)
        if extra <= 0 or p0 <= 0:
            return 0.0
        return (p0 - p_defend) * self.stake(g, attacker, target, issue, demanded)

    def defend_value(
        self, attacker: str, target: str, issue: str | None = None, demanded: float | None = None
    ) -> float:
        """What fighting for `target` against `attacker` is worth to me over staying out: my stake times
        the fall in the attacker's chance my forces cause, less my own (private) cost of war."""
        gain = self.volunteer_gain(self.r.me, attacker, target, issue, demanded)
        if gain <= 0:
            return -math.inf
        return gain - self.conventional_cost(attacker, "war")

    def join_value(self, attacker: str, target: str, issue: str | None = None, demanded: float | None = None) -> float:
        """What joining `attacker`'s battle on `target` is worth to me over staying out (Schweller 1994, as
        an expected value on my own view): my forces raise the attacker's chance, which carries the issue
        towards its demand (worth my `lean` on it, which a state that wants the status quo kept pays for),
        and with that chance I share the spoils by the strength I bring (`spoils`); I bear my own (private)
        cost of war, as every belligerent does. Staying out, I get the issue's outcome anyway: only the
        spoils are mine alone."""
        _, _, _, extra, _ = self._with(self.r.me, attacker, target)
        if extra <= 0:
            return -math.inf
        return self.join_gain(self.r.me, attacker, target, issue, demanded) - self.conventional_cost(target, "war")

    def join_gain(
        self, g: str, attacker: str, target: str, issue: str | None = None, demanded: float | None = None
    ) -> float:
        """What joining `attacker`'s battle on `target` is worth to `g` before its cost: the rise in the
        attacker's chance its forces cause times its lean on the issue, plus its chance of a share of the
        spoils (`join_value` weighs it against the cost)."""
        p0, p_join, _, extra, side = self._with(g, attacker, target)
        if extra <= 0:
            return 0.0
        gain = (p_join - p0) * self.lean(g, attacker, target, issue, demanded)
        return gain + p_join * self.spoils(g, target, extra, side)

    def joiner_chance(self, g: str, attacker: str, target: str, issue: str | None = None) -> float:
        """My belief that `g` joins `attacker`'s battle on `target` by its own decision (`Orders.join`), read
        as `volunteer_chance` reads a state that may fight for the target: the share of its possible costs
        of war below what joining is worth to it. I know my own cost, so for myself it is my decision."""
        if g == self.r.me:
            return 1.0 if self.joins(attacker, target, issue) else 0.0
        return self.chance_worth_its_cost(self.join_gain(g, attacker, target, issue))

    def joiner_chances(self, attacker: str, target: str, issue: str | None = None) -> dict[str, float]:
        """Every state but the two sides, the target's bound allies, the attacker's backers and the target's
        partners (joining an attack on a partner breaks the agreement), with the chance that it fights on
        the attacker's side unbound. `bargaining.expected_help` = false (an ablation) counts none."""
        if not self.b.expected_help:
            return {}
        key = (attacker, target, issue)
        if key not in self._joiners:
            skip = {attacker, target} | set(self.bound(target, attacker)) | self.r.backers(attacker, target)
            out = {}
            for g in sorted((self._states | {self.r.me}) - skip):
                if self.r.shares_agreement(g, target):
                    continue
                chance = self.joiner_chance(g, attacker, target, issue)
                if chance > 0:
                    out[g] = chance
            self._joiners[key] = out
        return self._joiners[key]

    def volunteers(self, attacker: str, target: str, issue: str | None = None, demanded: float | None = None) -> bool:
        """Whether I fight for `target` against `attacker` by my own decision: my stake in the battle's
        outcome, times how much my forces lower the attacker's chance, beats my own (private) cost of war,
        and beats joining the attacker instead."""
        value = self.defend_value(attacker, target, issue, demanded)
        return value > 0 and value >= self.join_value(attacker, target, issue, demanded)

    def joins(self, attacker: str, target: str, issue: str | None = None, demanded: float | None = None) -> bool:
        """Whether I join `attacker`'s battle on `target` by my own decision: it is worth more to me than
        staying out and more than fighting for the target (`join_value`, `defend_value`)."""
        value = self.join_value(attacker, target, issue, demanded)
        return value > 0 and value > self.defend_value(attacker, target, issue, demanded)

    def volunteer_chance(self, g: str, attacker: str, target: str, issue: str | None = None) -> float:
        """My belief that `g` joins a battle between `attacker` and `target` by its own decision (strategic
        ambiguity): the share of its possible costs of war (the rule's, spread by its unknown resolve) below
        what the battle is worth to it. I know my own cost, so for myself it is my decision."""
        if g == self.r.me:
            return 1.0 if self.volunteers(attacker, target, issue) else 0.0
        return self.chance_worth_its_cost(self.volunteer_gain(g, attacker, target, issue))

    def chance_worth_its_cost(self, gain: float) -> float:
        """My belief that a fight worth `gain` to another state is worth its cost of war to it: the share
        of its possible costs (the rule's, spread by its resolve, which I do not know) below the gain."""
        if gain <= 0:
            return 0.0
        cost, spread = self.defence_cost(), self.b.resolve_spread
        if spread <= 0:
            return 1.0 if gain > cost else 0.0
        return clip((gain / cost - (1 - spread)) / (2 * spread)) if cost > 0 else 1.0

    def volunteer_chances(self, attacker: str, target: str, issue: str | None = None) -> dict[str, float]:
        """Every state but the two sides, their allies bound by a clause and the attacker's allies, with
        the chance that it fights for `target` unbound."""
        key = (attacker, target, issue)
        if key not in self._volunteers:
            skip = {attacker, target} | set(self.bound(target, attacker)) | self.r.allies(attacker)
            out = {}
            for g in sorted((self._states | {self.r.me}) - skip):
                chance = self.volunteer_chance(g, attacker, target, issue)
                if chance > 0:
                    out[g] = chance
            self._volunteers[key] = out
        return self._volunteers[key]

    def odds(self, attacker: str, target: str, issue: str | None = None) -> float:
        """The balance as this state reckons it, before its private error: `attacker`'s chance of
        prevailing in `target`'s theatre over `issue` (or whatever is at stake), the expected help of bound
        allies and of states that may join unbound included."""
        key = (attacker, target, issue)
        if key not in self._odds:
            self._odds[key] = self._reckon(attacker, target, issue)
        return self._odds[key]

    def military(self, aid: str) -> float:
        if aid not in self._military:
            self._military[aid] = self.r.military(aid)
        return self._military[aid]

    def _reckon(self, attacker: str, target: str, issue: str | None) -> float:
        side_a = self.military(attacker) * self.reach(attacker, target)
        for g in sorted(self.r.backers(attacker, target)):
            side_a += self.r.backing(attacker, target) * self.military(g) * self.reach(g, target)
        for g, weight in sorted(self.joiner_chances(attacker, target, issue).items()):
            side_a += weight * self.military(g) * self.reach(g, target)
        side_b = self.military(target)
        for g, weight in sorted(self.protectors(target, attacker, issue).items()):
            side_b += weight * self.military(g) * self.reach(g, target)
        return self.r.attack_odds(side_a, side_b)

    def estimate(self, attacker: str, target: str, issue: str | None = None) -> float:
        """My estimate of `attacker`'s chance against `target`: the reckoning plus my private error."""
        spread = self.war.misperception
        return clip(self.odds(attacker, target, issue) + spread * self._private(f"odds:{attacker}:{target}"))

    def cost_weight(self, against: str) -> float:
        weight = float(getattr(self.b, f"cost_weight_{self.temperament}"))
        if self.temperament == "constructivist":
            mine = set(self.r.mine.identities)
            if mine & set(self.r.actor(against).identities):
                weight += self.b.kin_cost
        return weight

    def audience_cost(self, aid: str) -> float:
        """What backing down from a public demand costs `aid` at home, in units of the stakes, as any state
        can reckon it: `domestic.audience_cost` times the factor of its regime (`domestic.regime_*`), the
        factor step 10 applies to the approval it loses. Regime type is public; how sensitive the
        audience is beyond it is not, so the regime is what others read (Fearon 1994: publics that can
        punish a leader make its threats believable; Weeks 2008: autocrats' elites punish less)."""
        return self.rules.domestic.audience_cost * regime_scale(self.rules.domestic, self.r.actor(aid).regime)

    def deterrent(self, aid: str) -> float:
        """How much `aid`'s own arsenal deters: 1 with a secure second strike, less without, 0 without one.
        A recent test removes the doubt that discounts an arsenal that might not survive or work: it deters
        in full while the test is in mind (Sagan 1996: a test demonstrates the capability)."""
        arsenal = self.r.actor(aid).nuclear
        if not arsenal.warheads:
            return 0.0
        return 1.0 if arsenal.second_strike or aid in self.tested else self.rules.nuclear.first_strike_share

    def shadow(self, defender: str, attacker: str) -> float:
        """The nuclear shadow over an attack on `defender`: its own arsenal, or the arsenal of an ally bound
        by a clause weighted by the credibility of its commitment (extended deterrence is an obligation an
        agreement carries; a state that may join unbound adds its forces, not an umbrella)."""
        best = self.deterrent(defender)
        for g, weight in self.bound(defender, attacker).items():
            best = max(best, weight * self.deterrent(g))
        return best

    def nuclear_cost(self, defender: str, attacker: str, rung: str) -> float:
        """Expected cost to the attacker of the chance that fighting on `rung` goes nuclear. Below an armed
        attack the nuclear threshold is not in sight, unless either side has threatened the other with
        nuclear weapons: the threat leaves something to chance on every rung (Schelling 1966)."""
        n = self.rules.nuclear
        risk = 0.0
        if rung in FIGHTING_RUNGS:
            risk = n.escalation_risk_war if rung == "war" else n.escalation_risk_strike
        if self.signalled(attacker, defender) and rung in (*COERCIVE_RUNGS, *FIGHTING_RUNGS):
            risk += n.threat_risk
        return risk * n.catastrophe * self.shadow(defender, attacker) if risk > 0 else 0.0

    def exposure(self, defender: str, attacker: str) -> float:
        """The defender's own expected cost of nuclear use in a fight with `attacker`: none unless a nuclear
        threat passed between them, then the threat's risk times the arsenal that could strike it (the
        attacker's own, or a backer's weighted by its backing). A threat is a shared risk."""
        if not self.signalled(attacker, defender):
            return 0.0
        n = self.rules.nuclear
        arsenal = self.deterrent(attacker)
        for g in self.r.backers(attacker, defender):
            arsenal = max(arsenal, self.r.backing(attacker, defender) * self.deterrent(g))
        return n.threat_risk * n.catastrophe * arsenal

    def conventional_cost(self, against: str, rung: str = "war") -> float:
        """My own cost of fighting `against` on `rung` without nuclear risk (private: my resolve), and, on the
        rung that makes a war, the objectives that war would break (`objective_cost`)."""
        resolve = 1 + self.b.resolve_spread * self._private("resolve")
        share = 1.0 if rung in FIGHTING_RUNGS else self.b.coercion_cost_share
        fighting = self.war.cost_of_war * self.cost_weight(against) * resolve * LEVELS[rung] * share
        return fighting + (self.objective_cost(against) if rung == "war" else 0.0)

    def objective_cost(self, against: str) -> float:
        """What a war with `against` costs me in my objectives, in the units of the stakes: the points of my
        `avoid_war` objectives it would break (naming it, or any war) times `bots.objective_weight`, counted on
        the war rung alone (lower rungs put no one at war) in every war I would fight: one I start, one I join on
        either side, one I would face by refusing a demand. Only mine are counted: others' objectives may be
        secret, so I do not reckon them in another state's cost."""
        return self.rules.bots.objective_weight * war_points(self.r.view.me.objectives, against)

    def my_cost(self, against: str, rung: str = "war") -> float:
        """My cost of attacking `against` on `rung`: conventional, plus the risk of going nuclear if a
        nuclear shadow covers it. The shadow deters an attacker; it does not add to a defender's cost
        (nuclear weapons deter but do not compel: Schelling 1966; Sechser & Fuhrmann 2017)."""
        return self.conventional_cost(against, rung) + self.nuclear_cost(against, self.r.me, rung)

    def their_cost(self, other: str, rung: str = "war") -> float:
        """What I believe `other`'s cost of attacking me is: the rule's cost on average, plus the
        nuclear risk of attacking under the shadow that covers me."""
        return self.war.cost_of_war * LEVELS[rung] + self.nuclear_cost(self.r.me, other, rung)

    def defence_cost(self, rung: str = "war") -> float:
        """What I believe another state's cost of defending itself is: the rule's cost on average."""
        return self.war.cost_of_war * LEVELS[rung]

    def shift(self, adversary: str) -> float:
        """How much my chance against `adversary` will fall once arms on their way arrive."""
        if adversary not in self._shift:
            self._shift[adversary] = self.r.coming_shift(self.r.me, adversary)
        return self._shift[adversary]

    # -- disputes -----------------------------------------------------------------------------

    def disputes(self) -> list[Dispute]:
        """Issues at stake between me and another state: both name the issue in an objective (a stake
        each would fight over), and where things stand lies between what each of us wants, so it is
        the other state that stands in my way."""
        me = self.r.me
        mine_at_stake = _stakes(self.r.view.me.objectives)
        out = []
        for issue in self.r.view.issues:
            mine = issue.positions.get(me)
            if mine is None or issue.id not in mine_at_stake:
                continue
            sq = status_quo(issue)
            for other, theirs in sorted(issue.positions.items()):
                if other not in self._states or (mine - sq) * (theirs - sq) > 0 or mine == sq:
                    continue  # no quarrel: it stands where I do, or between me and where things stand
                if issue.id in _stakes(self.r.actor(other).objectives):
                    out.append(Dispute(issue.id, other, mine, theirs, sq, issue.divisible))
        return out

    def candidates(self, d: Dispute) -> list[float]:
        """Positions I could demand, from where things stand towards my ideal: only my ideal if the
        issue cannot be split."""
        if not d.divisible:
            return [d.mine]
        steps = self.b.demand_steps
        return [d.status_quo + (d.mine - d.status_quo) * k / steps for k in range(1, steps + 1)]

    # -- the challenger -----------------------------------------------------------------------

    def _spreads(self, p: float, c: float) -> list[tuple[float, float]]:
        """Points of my belief about the other side's (estimate, cost): uniform around my own
        estimate and the average cost, by the misperception and the resolve spreads."""
        m, r = self.war.misperception, self.b.resolve_spread
        n = self.b.belief_points
        ticks = [-1 + 2 * k / (n - 1) for k in range(n)]
        return [(clip(p + m * a), c * (1 + r * b)) for a in ticks for b in ticks]

    def acceptance(self, d: Dispute, x: float) -> float:
        """My belief that `d.other` accepts a settlement at position `x`.

        It gives in only to a threat it believes: that I would fight rather than back down (my war
        value, at my cost as it can only guess it, at least the status quo less the audience cost a of
        backing down). And only if refusing is worse: a war gives it its ideal unless I prevail, so it
        accepts when (1 - p_B) |theirs - x| <= c_B. I know neither its estimate p_B nor its cost c_B.
        """
        c = self.defence_cost() + self.nuclear_cost(d.other, self.r.me, "war")
        audience = self.audience_cost(self.r.me)
        sq, gap = d.value(d.status_quo), abs(d.theirs - x)
        their_cost = self.defence_cost() + self.exposure(d.other, self.r.me)
        points = self._spreads(self.estimate(self.r.me, d.other, d.issue), their_cost)
        yes = sum(
            p_b * d.value(x) + (1 - p_b) * d.value(d.theirs) - c >= sq - audience and (1 - p_b) * gap <= c_b
            for p_b, c_b in points
        )
        return yes / len(points)

    def rung_value(self, d: Dispute, x: float, rung: str) -> float:
        """What using force on `rung` for a demand at position `x` is worth to me.

        A battle (limited strike, war) carries the issue from the status quo, by the rung's weight (a war
        all the way), towards my demand if I prevail and towards the other side's ideal if it does.
        Coercion below an armed attack fights no battle: it gains ground by the fait-accompli share of the
        rung's weight unless the other side answers in kind, which I expect it to do as often as it
        expects to win a fight (its estimate is my belief about it), and leaves any coming power shift to
        erode what it gains as it erodes peace. Either way it costs me my cost of war on that rung, plus
        the nuclear risk of the rung."""
        sq = d.value(d.status_quo)
        w = LEVELS[rung]
        if rung in FIGHTING_RUNGS:
            p = self.estimate(self.r.me, d.other, d.issue)
            lottery = p * d.value(x) + (1 - p) * d.value(d.theirs)
            return sq + w * (lottery - sq) - self.my_cost(d.other, rung)
        answered = 1 - self.estimate(self.r.me, d.other, d.issue)
        gain = (1 - answered) * self.war.fait_accompli * w * (d.value(x) - sq)
        # Coercion fights no battle, so it leaves the coming shift in place: what it gains is still a
        # peace that the other side's arms will erode (only fighting meets the commitment problem).
        return sq + gain - self.erosion(d) - self.my_cost(d.other, rung)

    def fight(self, d: Dispute, x: float) -> tuple[str | None, float]:
        """The rung of force worth most to me for a demand at position `x`, and its value: every rung
        from grey-zone coercion to major war is weighed the same way (`rung_value`)."""
        best: tuple[str | None, float] = (None, -math.inf)
        for rung in (*COERCIVE_RUNGS, *FIGHTING_RUNGS):
            value = self.rung_value(d, x, rung)
            if value > best[1]:
                best = (rung, value)
        return best

    def peace_value(self, d: Dispute) -> float:
        """What peace is worth to me: the status quo, less what a coming shift in the balance will let
        the other side take from me: once the arms arrive, its threat moves the settlement against me
        by the shift (over the span of the dispute) in each turn left, a loss that recurs while a war
        now costs me once (Fearon 1995; Powell 2006: large, persistent shifts make war a commitment
        problem)."""
        return d.value(d.status_quo) - self.erosion(d)

    def erosion(self, d: Dispute) -> float:
        """What a coming shift in the balance will let the other side take from me in the turns left
        of any peace, coerced or not: the shift, over the span of the dispute, in each turn left."""
        span = abs(d.mine - d.theirs)
        turns_left = max(1, self.r.view.game.turns - self.r.turn)
        return self.shift(d.other) * span * turns_left

    def best_demand(self, d: Dispute) -> Choice | None:
        """The demand with the highest expected value, if it beats the peace I expect.

        Refused, a public demand leaves me the better of fighting and backing down (which costs an
        audience cost at home, Fearon 1994)."""
        peace = self.peace_value(d)
        audience = self.audience_cost(self.r.me)
        best: Choice | None = None
        for x in self.candidates(d):
            q = self.acceptance(d, x)
            fallback = max(self.fight(d, x)[1], d.value(d.status_quo) - audience)
            gain = q * d.value(x) + (1 - q) * fallback - peace
            if gain > 0 and (best is None or gain > best.gain):
                best = Choice(position=x, gain=gain)
        return best

    def escalation(self, d: Dispute, position: float) -> str | None:
        """After a refusal of my demand at `position`: the rung to fight on, if fighting beats peace."""
        rung, value = self.fight(d, position)
        return rung if value > self.peace_value(d) else None

    def preventive(self, d: Dispute) -> str | None:
        """Without a demand: fight now only if a shift is coming against me and fighting for my ideal
        beats the peace that the shift will leave me."""
        if self.shift(d.other) <= 0:
            return None
        return self.escalation(d, d.mine)

    # -- the target ---------------------------------------------------------------------------

    def concedes(self, demander: str, issue_id: str, position: float, public: bool = True) -> bool:
        """Whether I accept `demander`'s demand: what it leaves me beats what I expect from war, and its
        threat is credible: fighting is worth more to it than backing down, which after a `public`
        demand costs it its audience cost (`audience_cost`); a private demand costs nothing to drop."""
        issue = next((i for i in self.r.view.issues if i.id == issue_id), None)
        if issue is None or self.r.me not in issue.positions or demander not in issue.positions:
            return False
        d = Dispute(
            issue_id,
            demander,
            issue.positions[self.r.me],
            issue.positions[demander],
            status_quo(issue),
            issue.divisible,
        )
        p_demander = self.estimate(demander, self.r.me, issue_id)
        # The demander's threat, on its scale: is war worth more to it than backing down?
        audience = self.audience_cost(demander) if public else 0.0
        threat = p_demander * d.their_value(position) + (1 - p_demander) * d.their_value(d.mine)
        credible = threat - self.their_cost(demander) >= d.their_value(d.status_quo) - audience
        at_war = (
            p_demander * d.value(position)
            + (1 - p_demander)
            - self.conventional_cost(demander)
            - self.exposure(self.r.me, demander)
        )
        return credible and d.value(position) >= at_war and self.ratifiable(issue_id, position)

    def expected_loss(self, dem: DemandView) -> float:
        """What I expect to lose to `dem.actor` once I refuse its demand: over my beliefs about its estimate
        of the odds and its cost of war (spread as in `acceptance`), the chance that some rung is worth more
        to it than the status quo (the same valuation as `rung_value`, on its scale), times what that rung
        costs me. A nuclear signal lowers it by raising the demander's nuclear cost on every rung."""
        issue = next((i for i in self.r.view.issues if i.id == dem.issue), None)
        me, x = self.r.me, dem.actor
        if issue is None or me not in issue.positions or x not in issue.positions:
            return 0.0
        sq = status_quo(issue)
        theirs = Dispute(issue.id, me, issue.positions[x], issue.positions[me], sq, issue.divisible)
        mine = Dispute(issue.id, x, issue.positions[me], issue.positions[x], sq, issue.divisible)
        p_mine = self.estimate(x, me, issue.id)
        points = self._spreads(p_mine, self.defence_cost())
        total = 0.0
        for p, c in points:
            best, chosen = theirs.value(sq), None
            for rung in (*COERCIVE_RUNGS, *FIGHTING_RUNGS):
                value = self._their_value(theirs, x, dem.position, rung, p, c)
                if value > best:
                    best, chosen = value, rung
            if chosen is not None:
                total += self._loss(mine, dem.position, chosen, p_mine)
        return total / len(points)

    def _their_value(self, d: Dispute, demander: str, position: float, rung: str, p: float, cost: float) -> float:
        """What force on `rung` is worth to `demander` (`d` on its scale, `d.other` being me) if its
        estimate is `p` and its cost of war `cost`: as `rung_value` reckons it."""
        sq, w = d.value(d.status_quo), LEVELS[rung]
        nuclear = self.nuclear_cost(self.r.me, demander, rung)
        if rung in FIGHTING_RUNGS:
            lottery = p * d.value(position) + (1 - p) * d.value(d.theirs)
            return sq + w * (lottery - sq) - cost * w - nuclear
        gain = p * self.war.fait_accompli * w * (d.value(position) - sq)
        return sq + gain - cost * w * self.b.coercion_cost_share - nuclear

    def _loss(self, d: Dispute, position: float, rung: str, p: float) -> float:
        """What the demander's force on `rung` costs me (`d` on my scale), at my estimate `p` of its odds."""
        sq, w = d.value(d.status_quo), LEVELS[rung]
        exposure = self.exposure(self.r.me, d.other)
        if rung in FIGHTING_RUNGS:
            lottery = p * d.value(position) + (1 - p) * d.value(d.mine)
            return w * (sq - lottery) + self.conventional_cost(d.other, rung) + exposure
        return p * self.war.fait_accompli * w * (sq - d.value(position)) + exposure

    def ratifiable(self, issue_id: str, position: float) -> bool:
        """Whether a concession at `position` falls inside my domestic win-set (Putnam 1988): a
        government cannot give what its legislature or public would not ratify. Others do not
        know my win-set, so a demand outside it is refused and can end in war."""
        low_high = self.r.view.me.win_sets.get(issue_id)
        return low_high is None or low_high[0] <= position <= low_high[1]


# --------------------------------------------------------------------------- orders


def demand(b: Bargainer) -> DemandOrder | None:
    """The one coercive demand worth most to me this turn, if any beats the peace I expect."""
    return coercion(b)[0]


def signal_cost(b: Bargainer, threatened: str | None = None) -> float:
    """What a nuclear signal costs me: the alarm the engine spreads (the perceived intent of me it raises,
    in `threatened` for a threat, in every other state for a test, its neighbours twice), priced at
    `nuclear.signal_cost` per unit (the arming and balancing it provokes)."""
    n, me = b.rules.nuclear, b.r.me
    if threatened is not None:
        alarm = n.threat_intent
    else:
        tau = b.rules.threat.tau_km
        alarm = sum(n.test_intent * (1 + math.exp(-b.r.km(a.id, me) / tau)) for a in b.r.view.actors if a.id != me)
    return n.signal_cost * alarm


def coercion(b: Bargainer) -> tuple[DemandOrder | None, list[str]]:
    """The one coercive demand worth most to me this turn, if any beats the peace I expect, and whether to
    back it with a nuclear threat.

    Partners do not coerce each other: states that share an agreement in force (an alliance, basing
    rights, a partnership) manage their disputes through it (Weitsman 2004). Nor does a state repeat
    a demand still open or just refused on the same issue. A nuclear-armed state weighs each demand with
    and without a threat that leaves something to chance (Schelling 1966): the threat raises the target's
    expected cost of refusing, and so the chance it gives in, but it shares the risk when the target has a
    nuclear shadow of its own, and it costs the alarm it spreads (`signal_cost`)."""
    r = b.r
    pending = {
        (d.target, d.issue) for d in r.view.demands if d.actor == r.me and (d.status == "open" or d.turn >= r.turn - 2)
    }
    armed = r.mine.nuclear.warheads > 0
    best: tuple[float, DemandOrder, bool] | None = None
    for d in b.disputes():
        if (d.other, d.issue) in pending or r.shares_agreement(r.me, d.other):
            continue
        options = [(b.best_demand(d), 0.0, False)]
        if armed:
            options.append((b.signalling(threat=(r.me, d.other)).best_demand(d), signal_cost(b, d.other), True))
        for choice, cost, threat in options:
            if choice is None or choice.gain - cost <= 0 or (best is not None and choice.gain - cost <= best[0]):
                continue
            order = DemandOrder(target=d.other, issue=d.issue, position=round(choice.position, 4))
            best = (choice.gain - cost, order, threat)
    if best is None:
        return None, []
    return best[1], [best[1].target] if best[2] else []


def deterrence(b: Bargainer, refused: Sequence[DemandView]) -> tuple[list[str], bool]:
    """Nuclear threats and a nuclear test to deter the demanders I refuse from escalating.

    For each refused demand a nuclear-armed state compares what it expects to lose to the demander's
    escalation (`expected_loss`) with and without a threat against it, and with and without a test, on
    its own beliefs: a threat raises the demander's nuclear cost on every rung (and mine, if it can strike
    me); a test makes an arsenal that might not survive a first strike deter in full. Either is made
    when what it saves beats what it costs (`signal_cost`)."""
    if b.r.mine.nuclear.warheads <= 0 or not refused:
        return [], False
    me = b.r.me
    threats: list[str] = []
    saved_by_test = 0.0
    tested = b.signalling(test=me)
    for dem in refused:
        loss = b.expected_loss(dem)
        if loss <= 0:
            continue
        if loss - b.signalling(threat=(me, dem.actor)).expected_loss(dem) > signal_cost(b, dem.actor):
            threats.append(dem.actor)
        saved_by_test += loss - tested.expected_loss(dem)
    return sorted(set(threats)), saved_by_test > signal_cost(b)


def force(b: Bargainer) -> list[ForceOrder]:
    """Force after a refusal (the demand resisted last turn), or preventively before a power shift."""
    r = b.r
    disputes = {(d.other, d.issue): d for d in b.disputes()}
    out: dict[str, ForceOrder] = {}
    for dem in r.view.demands:
        d = disputes.get((dem.target, dem.issue))
        if dem.actor != r.me or dem.status != "resisted" or dem.turn != r.turn - 2 or d is None:
            continue
        rung = b.escalation(d, dem.position)
        if rung is not None:
            out[d.other] = ForceOrder(target=d.other, level=rung)
    for d in disputes.values():
        if d.other in out or r.shares_agreement(r.me, d.other):
            continue
        rung = b.preventive(d)
        if rung is not None:
            out[d.other] = ForceOrder(target=d.other, level=rung)
    return [out[k] for k in sorted(out)]


def answers(b: Bargainer) -> list[DemandAnswer]:
    """Concede each open demand on me that leaves me at least what I expect from fighting."""
    return [
        DemandAnswer(demand_id=d.id, accept=b.concedes(d.actor, d.issue, d.position, d.public))
        for d in b.r.open_demands_on_me()
    ]
