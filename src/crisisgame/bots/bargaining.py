"""War as a bargaining failure (Fearon 1995): what a computer player demands, concedes and fights for.

Each dispute is an issue on which two states hold different ideal positions. On the challenger's
scale its own ideal is worth 1 and the other side's 0; the status quo (the issue's settlement, or the
median of the interested states' positions while it is unsettled) lies in between. Fighting gives the
challenger its ideal with probability p and costs it c, so war is worth p - c; a settlement x is worth
x. The target compares the same things on its own scale.

Every number here is a belief of the deciding state, from its own view:
- p is its own estimate of the balance in the target's theatre (military strength decayed by
  distance, Boulding 1962), counting each protector of the target with its credibility and each
  backer of the attacker with its unconditional backing (deterrence ex ante), plus a private error
  of spread `war.misperception` drawn once per game and pair: two sides can both be optimistic;
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

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from crisisgame.bots.reading import PROTECTIVE, Reading
from crisisgame.engine.chance import draw
from crisisgame.engine.commands import DemandAnswer, DemandOrder, ForceOrder
from crisisgame.engine.rules.common import LEVELS, clip, combined_reach
from crisisgame.engine.seatview import IssueView
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
        self._odds: dict[tuple[str, str], float] = {}
        self._military: dict[str, float] = {}
        self._shift: dict[str, float] = {}
        self._states = set(reading.states())

    # -- beliefs ------------------------------------------------------------------------------

    def _private(self, key: str) -> float:
        """A uniform number in [-1, 1), drawn once per game for this state and `key` (a stable belief)."""
        return 2 * draw(self.seed, 0, f"bargain:{self.r.me}:{key}") - 1

    def reach(self, actor: str, theatre: str) -> float:
        """Share of `actor`'s strength that reaches `theatre` (Boulding's loss-of-strength gradient):
        from home and from every base it may use under an agreement in force whose host consents
        standing, in proportion to the forces stationed there (routes combined as the engine does)."""
        if actor == theatre:
            return 1.0
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

    def protectors(self, target: str, attacker: str) -> dict[str, float]:
        """Each state expected to fight for `target` against `attacker`, with the weight of its help.

        The weight is my belief that it would fight: the credibility of its commitment as the world sees
        it (Fearon 1997) times (1 +- `bargaining.credibility_spread`), a private draw made once per game
        for me, the protector and the protected state (the guarantor's resolve is its private information,
        so states read the same commitment differently). Deterrence works before the first shot because
        the attacker counts each ally's expected intervention; `bargaining.expected_help` = false (an
        ablation) counts none.
        """
        if not self.b.expected_help:
            return {}
        cred = self.r.view.credibility
        spread = self.b.credibility_spread
        out: dict[str, float] = {}
        for ag in self.r.active():
            if ag.type not in PROTECTIVE or target not in ag.parties or attacker in ag.parties:
                continue
            for g in ag.guarantors or ag.parties:
                if g in (target, attacker) or g in self.r.allies(attacker):
                    continue
                belief = cred.get(pair(g, target), 0.0) * (1 + spread * self._private(f"ally:{g}:{target}"))
                out[g] = max(out.get(g, 0.0), clip(belief))
        return out

    def odds(self, attacker: str, target: str) -> float:
        """The balance as this state reckons it, before its private error: `attacker`'s chance of
        prevailing in `target`'s theatre, allies' expected help included."""
        key = (attacker, target)
        if key not in self._odds:
            self._odds[key] = self._reckon(attacker, target)
        return self._odds[key]

    def military(self, aid: str) -> float:
        if aid not in self._military:
            self._military[aid] = self.r.military(aid)
        return self._military[aid]

    def _reckon(self, attacker: str, target: str) -> float:
        side_a = self.military(attacker) * self.reach(attacker, target)
        for g in sorted(self.r.backers(attacker, target)):
            side_a += self.r.backing(attacker, target) * self.military(g) * self.reach(g, target)
        side_b = self.military(target)
        for g, weight in sorted(self.protectors(target, attacker).items()):
            side_b += weight * self.military(g) * self.reach(g, target)
        return self.r.attack_odds(side_a, side_b)

    def estimate(self, attacker: str, target: str) -> float:
        """My estimate of `attacker`'s chance against `target`: the reckoning plus my private error."""
        spread = self.war.misperception
        return clip(self.odds(attacker, target) + spread * self._private(f"odds:{attacker}:{target}"))

    def cost_weight(self, against: str) -> float:
        weight = float(getattr(self.b, f"cost_weight_{self.temperament}"))
        if self.temperament == "constructivist":
            mine = set(self.r.mine.identities)
            if mine & set(self.r.actor(against).identities):
                weight += self.b.kin_cost
        return weight

    def deterrent(self, aid: str) -> float:
        """How much `aid`'s own arsenal deters: 1 with a secure second strike, less without, 0 without one."""
        arsenal = self.r.actor(aid).nuclear
        if not arsenal.warheads:
            return 0.0
        return 1.0 if arsenal.second_strike else self.rules.nuclear.first_strike_share

    def shadow(self, defender: str, attacker: str) -> float:
        """The nuclear shadow over an attack on `defender`: its own arsenal, or a protector's weighted by
        the credibility of the protector's commitment (extended deterrence)."""
        best = self.deterrent(defender)
        for g, weight in self.protectors(defender, attacker).items():
            best = max(best, weight * self.deterrent(g))
        return best

    def nuclear_cost(self, defender: str, attacker: str, rung: str) -> float:
        """Expected cost to the attacker of the chance that fighting on `rung` goes nuclear."""
        n = self.rules.nuclear
        if rung not in FIGHTING_RUNGS:
            return 0.0  # below an armed attack the nuclear threshold is not in sight
        risk = n.escalation_risk_war if rung == "war" else n.escalation_risk_strike
        return risk * n.catastrophe * self.shadow(defender, attacker)

    def conventional_cost(self, against: str, rung: str = "war") -> float:
        """My own cost of fighting `against` on `rung` without nuclear risk (private: my resolve)."""
        resolve = 1 + self.b.resolve_spread * self._private("resolve")
        share = 1.0 if rung in FIGHTING_RUNGS else self.b.coercion_cost_share
        return self.war.cost_of_war * self.cost_weight(against) * resolve * LEVELS[rung] * share

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
        audience = self.rules.domestic.audience_cost
        sq, gap = d.value(d.status_quo), abs(d.theirs - x)
        points = self._spreads(self.estimate(self.r.me, d.other), self.defence_cost())
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
            p = self.estimate(self.r.me, d.other)
            lottery = p * d.value(x) + (1 - p) * d.value(d.theirs)
            return sq + w * (lottery - sq) - self.my_cost(d.other, rung)
        answered = 1 - self.estimate(self.r.me, d.other)
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
        audience = self.rules.domestic.audience_cost
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

    def concedes(self, demander: str, issue_id: str, position: float) -> bool:
        """Whether I accept `demander`'s demand: what it leaves me beats what I expect from war."""
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
        p_demander = self.estimate(demander, self.r.me)
        # The demander's threat, on its scale: is war worth more to it than backing down?
        audience = self.rules.domestic.audience_cost
        threat = p_demander * d.their_value(position) + (1 - p_demander) * d.their_value(d.mine)
        credible = threat - self.their_cost(demander) >= d.their_value(d.status_quo) - audience
        at_war = p_demander * d.value(position) + (1 - p_demander) - self.conventional_cost(demander)
        return credible and d.value(position) >= at_war and self.ratifiable(issue_id, position)

    def ratifiable(self, issue_id: str, position: float) -> bool:
        """Whether a concession at `position` falls inside my domestic win-set (Putnam 1988): a
        government cannot give what its legislature or public would not ratify. Others do not
        know my win-set, so a demand outside it is refused and can end in war."""
        low_high = self.r.view.me.win_sets.get(issue_id)
        return low_high is None or low_high[0] <= position <= low_high[1]


# --------------------------------------------------------------------------- orders


def demand(b: Bargainer) -> DemandOrder | None:
    """The one coercive demand worth most to me this turn, if any beats the peace I expect.

    Partners do not coerce each other: states that share an agreement in force (an alliance, basing
    rights, a partnership) manage their disputes through it (Weitsman 2004). Nor does a state repeat
    a demand still open or just refused on the same issue."""
    r = b.r
    pending = {
        (d.target, d.issue) for d in r.view.demands if d.actor == r.me and (d.status == "open" or d.turn >= r.turn - 2)
    }
    best: tuple[float, DemandOrder] | None = None
    for d in b.disputes():
        if (d.other, d.issue) in pending or r.shares_agreement(r.me, d.other):
            continue
        choice = b.best_demand(d)
        if choice is not None and (best is None or choice.gain > best[0]):
            best = (choice.gain, DemandOrder(target=d.other, issue=d.issue, position=round(choice.position, 4)))
    return best[1] if best else None


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
        DemandAnswer(demand_id=d.id, accept=b.concedes(d.actor, d.issue, d.position)) for d in b.r.open_demands_on_me()
    ]
