"""How computer players manage agreements over time: no duplicates, renewal, and exit.

- No bot proposes an agreement that duplicates one in force (same type, same parties).
- Political agreements (consultation, partnership) are proposed for a fixed, renewable term, so
  that durability can be studied: each renewal is a decision.
- Renewal and exit weigh what the agreement is worth to the state now (Leeds & Savun 2007: states
  leave agreements whose value to them has changed since they were made). `Valuer.value` reckons,
  for one party and one agreement, per turn, in units of threat times a chance (of holding out or
  of prevailing), as gains less losses:
  - security (gain): the rise in the party's chance of holding out against its strongest threat
    from outside the agreement that the agreement's guarantors bring (their credibility, shared
    among the binding agreements that carry it by strength), times that threat. Other agreements'
    protectors count in the baseline, so a new alliance substitutes for an old one, and a party that
    has grown strong gains less from help (relative power);
  - stake (gain): for a guarantor, the same rise in each protected partner's chance against the
    guarantor's own strongest outside threat (a partner's survival against a common enemy);
  - entrapment (loss): for a guarantor, the same involvement in the partner's fight with a state
    that is aggressive but does not threaten the guarantor (Snyder 1984), times the commitment's
    firmness;
  - projection (gain): forces stationed on a partner's territory under the agreement, the rise in
    the chance of prevailing against a threat in its theatre that the forward base brings;
  - restraint (gain): partners do not coerce each other, so an agreement holds in check the threat
    of partners that are not friendly (Weitsman 2004; non-aggression pacts are made with rivals,
    Leeds 2003), times the agreement's strength;
  - leverage (loss): for the same reason the agreement keeps me from my best demand on an unfriendly
    partner it alone ties me to, beyond the best demand I can make elsewhere (one demand a turn);
  - the threat-based parts weighted by `bots.agreement_threat_weight`; and by temperament: a realist
    takes them as they are (threat and power); a liberal counts the gains (1 + its partners'
    record) times and trade with reliable partners as a gain (Keohane 1984); a constructivist
    counts the gains (1 + the share of kin among its partners) times and a hostile partner sharing
    none of its identities as a loss (Wendt 1999);
  - privately weighed: the gains and the losses each count (1 +- `bots.agreement_weight_spread`)
    times, and a private error of `bots.agreement_value_spread` per unit of strength is added, all
    drawn once per game, party and agreement (a random-utility model: the analyst does not see every
    reason a state has, nor how much each side of the ledger weighs with it).
  A bot renews a fixed-term agreement about to expire when its value is positive (any party's
  renewal renews it, step 12), and renounces one when its value is below minus the cost of leaving
  that the engine charges (step 12: reputation lost in proportion to strength, approval lost in
  proportion to audience-cost sensitivity and regime), the reputation cost weighted by temperament as
  when answering calls (a liberal's commitment, a constructivist's reputation). A fixed-term
  agreement that would run out within the notice period is left to lapse rather than renounced. In
  the first turn, before any threat has been reckoned, a bot keeps its agreements as they are.
- A coalition whose sanctions term targets only states the bot is now calm towards (no longer an attacker,
  no longer seen as hostile) has served its purpose: no temperament renews it, and a realist or a
  constructivist renounces it (bots/statecraft.py).
- A bot states why it renounces (`Orders.renounce_reasons`), in words made from its own ledger
  (`Valuer.terms`, the value line by line): the loss that weighs most (and the next, if at least half as
  large), what the agreement still gives, and the balance against the cost of leaving; or that the
  coalition's target is no longer hostile.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from crisisgame.bots.bargaining import Bargainer
from crisisgame.bots.reading import Reading
from crisisgame.bots.statecraft import spent_coalition, spent_words
from crisisgame.engine.chance import draw
from crisisgame.engine.commands import Proposal
from crisisgame.engine.constants import PERCENT, STATED_REASON_LENGTH
from crisisgame.engine.objectives import agreement_points, kept_points, war_points
from crisisgame.engine.obligations import CALLABLE, clauses
from crisisgame.engine.rules.commitments import regime_scale
from crisisgame.engine.rules.common import clip
from crisisgame.engine.seatview import AgreementTerms, AgreementView
from crisisgame.scenario.model import AvoidAgreement, AvoidWar, HaveAgreement, KeepApproval, KeepReputation

TERMED = frozenset({"consultation", "strategic_partnership"})


def in_force(r: Reading, p: Proposal) -> bool:
    """Whether an agreement of the same type between the same parties is already in force."""
    return any(ag.type == p.type and set(ag.parties) == set(p.parties) for ag in r.active())


def mandate_held(r: Reading, parties: list[str]) -> str:
    """The mandate these parties hold (see `State.mandate_for`): bots claim none they were not granted."""
    council = r.view.council
    if council is None:
        return "none"
    if any(res.status == "adopted" and set(res.authorised) & set(parties) for res in council.resolutions):
        return "unsc"
    return "regional" if set(council.regional_bodies) & set(parties) else "none"


def shape(r: Reading, p: Proposal | None) -> Proposal | None:
    """The proposal a bot makes: none if it would duplicate one in force; a fixed term if political; at most
    the mandate its parties hold."""
    if p is None or in_force(r, p):
        return None
    rank = {"none": 0, "regional": 1, "unsc": 2}
    held = mandate_held(r, p.parties)
    if rank[p.mandate] > rank[held]:
        p = p.model_copy(update={"mandate": held})
    if p.type in TERMED and p.duration is None:
        return p.model_copy(update={"duration": r.view.rules.bots.agreement_term})
    return p


def _guards(ag: AgreementView) -> list[str]:
    return list(ag.guarantors or ag.parties)


@dataclass(frozen=True)
class Term:
    """One line of an agreement's ledger as a bot weighs it (`Valuer.terms`): its kind, what it adds to the
    agreement's value (a loss is negative), and the states it is about, most relevant first."""

    kind: str
    value: float
    about: tuple[str, ...] = ()


@dataclass
class Valuer:
    """One bot's reckoning of what its agreements are worth to it now (see the module's docstring), and of an
    agreement proposed (`extra`: reckoned as if it were in force, `hypothetical`)."""

    r: Reading
    temperament: str
    seed: int
    bargainer: Bargainer
    extra: tuple[AgreementView, ...] = ()

    @property
    def reckoned(self) -> bool:
        """Whether I have reckoned any threat yet: in the first turn every threat is 0, there is nothing to weigh
        my agreements against, and I keep them as they are."""
        return any(self.r.view.me.threat.values())

    @functools.cached_property
    def _binding(self) -> list[AgreementView]:
        return [ag for ag in (*self.r.active(), *self.extra) if ag.binding]

    @functools.cached_property
    def _strengths(self) -> dict[str, float]:
        return {a.id: self.r.military(a.id) for a in self.r.view.actors}

    def _military(self, aid: str) -> float:
        return self._strengths[aid]

    @functools.cached_property
    def _carriers(self) -> dict[tuple[str, str], list[AgreementView]]:
        """The binding agreements through which `g` guards `p`, keyed (p, g)."""
        out: dict[tuple[str, str], list[AgreementView]] = {}
        for ag in self._binding:
            for p in ag.parties:
                for g in _guards(ag):
                    if g != p:
                        out.setdefault((p, g), []).append(ag)
        return out

    def _protection(self, p: str, g: str, without: str | None) -> float:
        """The share of `g`'s credibility towards `p` carried by binding agreements other than `without`,
        each in proportion to its strength (two treaties with one ally share its one answer, step 5)."""
        ags = self._carriers.get((p, g), [])
        total = sum(ag.strength for ag in ags)
        if total <= 0:
            return 0.0
        kept = sum(ag.strength for ag in ags if ag.id != without)
        return self._credibility(g, p) * kept / total

    def _credibility(self, g: str, p: str) -> float:
        """The credibility of `g`'s promise to `p` as step 5 reckoned it; for a promise an agreement not yet in
        force would make (`extra`), at least the part of step 5's formula its terms and the base interest give,
        rho_g x (`credibility.b0` x s x (1 - ambiguity) + `credibility.b1` x `credibility.interest_base`) (the
        rest, shared threats, sunk costs and pledges, comes only once it is in force)."""
        known = self.r.view.credibility.get(f"{g}>{p}", 0.0)
        fresh = [ag for ag in self.extra if ag.binding and p in ag.parties and g in _guards(ag) and g != p]
        if not fresh:
            return known
        c, rho = self.r.view.rules.credibility, self.r.actor(g).reputation
        own = max(rho * (c.b0 * ag.strength * (1 - ag.ambiguity) + c.b1 * c.interest_base) for ag in fresh)
        return max(known, clip(own))

    @functools.cached_property
    def _allies(self) -> dict[str, Set[str]]:
        return {a.id: self.r.allies(a.id) for a in self.r.view.actors}

    @functools.cached_property
    def _protectors(self) -> dict[str, list[str]]:
        out: dict[str, set[str]] = {}
        for p, g in self._carriers:
            out.setdefault(p, set()).add(g)
        return {p: sorted(gs) for p, gs in out.items()}

    @functools.cached_property
    def _holds(self) -> dict[tuple[str, str, str | None], float]:
        return {}

    def hold(self, p: str, against: str, without: str | None = None) -> float:
        """`p`'s chance of holding out against `against` in its own theatre with the help its protectors would
        bring (as `Bot.holding_chance` reckons it), counting no agreement `without`."""
        key = (p, against, without)
        if key not in self._holds:
            r = self.r
            helpers = [g for g in self._protectors.get(p, []) if g != against and g not in self._allies[against]]
            mine = self._military(p) + r.view.rules.bots.ally_help * sum(
                self._protection(p, g, without) * self._military(g) for g in helpers
            )
            theirs = self._military(against) * r.decay(against, p)
            self._holds[key] = mine / (mine + theirs) if mine + theirs > 0 else 0.5
        return self._holds[key]

    def outside_threat(self, ag: AgreementView) -> tuple[str | None, float]:
        """My strongest threat from a state outside the agreement (what it could be held against)."""
        row = {k: v for k, v in self.r.view.me.threat.items() if k not in ag.parties}
        if not row:
            return None, 0.0
        x = max(sorted(row), key=lambda k: row[k])
        return x, row[x]

    def _protected(self, ag: AgreementView, p: str) -> bool:
        return ag.binding and any(g != p for g in _guards(ag))

    def security(self, ag: AgreementView) -> tuple[float, float]:
        """(gain, loss): the protection, deterrence and stake the agreement's obligations are worth against the
        threats now, and the entrapment they risk (before strength and the threat weight)."""
        parts = self._security_parts(ag)
        gain = sum(amount for kind, amount, _ in parts if kind != "entrapment")
        loss = sum(amount for kind, amount, _ in parts if kind == "entrapment")
        return gain, loss

    def _security_parts(self, ag: AgreementView) -> list[tuple[str, float, tuple[str, ...]]]:
        """`security`'s parts, each (kind, amount, the states it is about): 'security' (my protection against my
        outside threat x), then per partner k I guard its 'stake' (k against x) and 'entrapment' (k against y)."""
        me = self.r.me
        x, threat = self.outside_threat(ag)
        if not ag.binding or x is None:
            return []
        parts: list[tuple[str, float, tuple[str, ...]]] = []
        if self._protected(ag, me):
            parts.append(("security", threat * max(0.0, self.hold(me, x) - self.hold(me, x, ag.id)), (x,)))
        if me in _guards(ag):
            guarded = [k for k in ag.parties if k != me and self._protected(ag, k)]
            firmness = (1 - ag.ambiguity) * (1 - ag.conditionality)
            for k in guarded:
                # The agreement's help to k is my involvement in k's fights: worth my threat from x in a fight
                # against x, and a cost in a fight against a state that does not threaten me.
                stake = threat * max(0.0, self.hold(k, x) - self.hold(k, x, ag.id)) / len(guarded)
                parts.append(("stake", stake, (k, x)))
                worst, y = self._entrapment_by(ag, k, x)
                parts.append(("entrapment", firmness * worst / len(guarded), (k, y) if y is not None else (k,)))
        return parts

    def _entrapment(self, ag: AgreementView, k: str, x: str) -> float:
        """How far the agreement would draw me into partner `k`'s fight with a state I have no quarrel with: for
        each state outside the agreement other than my threat `x`, how far it would draw me into `k`'s fight with
        it (`drawn`), times how little it threatens me; the worst of them (`_entrapment_by` names that state)."""
        return self._entrapment_by(ag, k, x)[0]

    def _entrapment_by(self, ag: AgreementView, k: str, x: str) -> tuple[float, str | None]:
        """`_entrapment`, and the state whose fight with `k` it is (None if there is none)."""
        r = self.r
        worst, which = 0.0, None
        for y in r.states():
            if y in ag.parties or y == x:
                continue
            risk = self.drawn(ag, k, y) * (1 - r.threat(y))
            if risk > worst:
                worst, which = risk, y
        return worst, which

    def drawn(self, ag: AgreementView, k: str, y: str) -> float:
        """How far the agreement would draw me into partner `k`'s fight with `y`: how aggressive I believe `y` is,
        times the rise in `k`'s chance against it that the agreement brings (my involvement)."""
        return self.r.intent(y) * max(0.0, self.hold(k, y) - self.hold(k, y, ag.id))

    def war_risk(self, ag: AgreementView) -> float:
        """The points of my `avoid_war` objectives the agreement puts at risk: for each partner it obliges me to
        guard, the worst over states outside it of how far it would draw me into that partner's fight with the
        state (`drawn`, the reckoning of entrapment, whoever the state is) times the points a war with it would
        break; the mean over those partners, times the commitment's firmness (as entrapment is weighed)."""
        me, objectives = self.r.me, self.r.view.me.objectives
        if not ag.binding or me not in _guards(ag) or not any(war_points(objectives, y) for y in self.r.states()):
            return 0.0
        guarded = [k for k in ag.parties if k != me and self._protected(ag, k)]
        if not guarded:
            return 0.0
        firmness = (1 - ag.ambiguity) * (1 - ag.conditionality)
        outside = [y for y in self.r.states() if y not in ag.parties]
        total = sum(
            max((self.drawn(ag, k, y) * war_points(objectives, y) for y in outside), default=0.0) for k in guarded
        )
        return firmness * total / len(guarded)

    def stakes(self, ag: AgreementView) -> float:
        """What my objectives put at stake on the agreement, in the units of the stakes (`bots.objective_weight`
        per point): the points of the `have_agreement` objectives it meets, less those of the `avoid_agreement`
        objectives it breaks (each only where no other agreement of mine already decides it), less the points of
        my `avoid_war` objectives it risks (`war_risk`)."""
        weight = self.r.view.rules.bots.objective_weight
        if weight <= 0:
            return 0.0
        me = self.r.me
        others = [(o.type, o.parties) for o in self.r.active() if o.id != ag.id and me in o.parties]
        points = agreement_points(self.r.view.me.objectives, me, ag.type, ag.parties, others)
        return weight * (points - self.war_risk(ag))

    def projection(self, ag: AgreementView) -> float:
        """What forces I station on a partner's territory under the agreement bring me (`_projection`)."""
        return self._projection(ag)[0]

    def _projection(self, ag: AgreementView) -> tuple[float, str | None]:
        """What forces I station on a partner's territory under the agreement bring me: the rise in my chance of
        prevailing against a threat in its own theatre when the base adds its share of my strength, reckoned as
        adjudication does (`theatre_strength`: a base of `war.forward_base_troops` brings all of my strength
        that reaches the theatre from it), times that threat; the best use of the base, and the threat it serves
        against."""
        r, me = self.r, self.r.me
        host = ag.terms.host
        troops = r.view.me.troops_abroad.get(host, 0) if host is not None else 0
        if host is None or host == me or host not in ag.parties or troops <= 0:
            return 0.0, None
        war = r.view.rules.war
        reach = war.distance_decay_km * (war.projection_floor + r.mine.power_projection)
        share = min(1.0, troops / war.forward_base_troops)
        best, against = 0.0, None
        for x in r.states():
            if x in ag.parties or r.threat(x) <= 0:
                continue
            home = r.decay(me, x)
            forward = share * math.exp(-(0.0 if host == x else r.km(host, x)) / reach)
            mine, theirs = self._military(me), self._military(x)
            gain = r.attack_odds(mine * (1 - (1 - home) * (1 - forward)), theirs) - r.attack_odds(mine * home, theirs)
            if r.threat(x) * gain > best:
                best, against = r.threat(x) * gain, x
        return best, against

    def restraint(self, ag: AgreementView) -> float:
        """What the agreement buys from partners that are rivals: partners do not coerce each other (Weitsman
        2004's tethering; a non-aggression pact is made with a rival, Leeds 2003), so the threat of a partner I do
        not count as friendly (perceived intent at least `bots.friendly_intent`) is held in check while it lasts;
        the mean over partners."""
        r = self.r
        partners = [k for k in ag.parties if k != r.me]
        friendly = r.view.rules.bots.friendly_intent
        return sum(r.threat(k) for k in partners if r.intent(k) >= friendly) / len(partners)

    @functools.cached_property
    def _demands(self) -> dict[str, float]:
        """My best demand's expected gain on each state I have a dispute with, as my bargaining calculus reckons it
        (`Bargainer.best_demand`, whether or not an agreement now holds me back)."""
        out: dict[str, float] = {}
        for d in self.bargainer.disputes():
            choice = self.bargainer.best_demand(d)
            if choice is not None and choice.gain > out.get(d.other, 0.0):
                out[d.other] = choice.gain
        return out

    def leverage(self, ag: AgreementView) -> float:
        """What the agreement forgoes in coercion (`_leverage`)."""
        return self._leverage(ag)[0]

    def _leverage(self, ag: AgreementView) -> tuple[float, str | None]:
        """What the agreement forgoes, and the partner it is forgone on: partners do not coerce each other
        (`bargaining.coercion`, Weitsman 2004), so
        while it is the only agreement I share with a partner that is a rival (perceived intent at least
        `bots.friendly_intent`, as for restraint), my best demand on that partner is not made. I make one demand a
        turn, so what is forgone is only what that demand would gain beyond the best demand I can make now on a
        state no agreement ties me to (the opportunity cost)."""
        me, active = self.r.me, self.r.active()

        def tied(k: str, but: str | None = None) -> bool:
            return any(o.id != but and me in o.parties and k in o.parties for o in active)

        friendly = self.r.view.rules.bots.friendly_intent
        rivals = [k for k in ag.parties if k != me and self.r.intent(k) >= friendly and not tied(k, ag.id)]
        if not rivals:
            return 0.0, None
        free = max((g for k, g in self._demands.items() if not tied(k)), default=0.0)
        held, on = max((self._demands.get(k, 0.0), k) for k in sorted(rivals))
        return max(0.0, held - free), on

    def disposition(self, ag: AgreementView) -> tuple[float, float, float]:
        """How my temperament weighs the agreement: (factor on its gains, gain of its own, loss of its own), the
        last two per unit of strength. A realist takes the gains as they are (threat and power). A liberal values
        the institution by its partners' record: the gains count (1 + record) times, record being the mean over
        partners of reputation x (1 - perceived intent), and trade with reliable partners is a gain of its own
        (mean dependence x reputation; Keohane 1984). A constructivist values the trust it keeps: the gains count
        (1 + the share of partners that are kin) times, and a partner that shares none of its identities and
        that it sees as hostile (intent above `bots.friendly_intent`) is a loss by that excess (Wendt 1999)."""
        r, coef = self.r, self.r.view.rules.bots
        partners = [k for k in ag.parties if k != r.me]
        n = len(partners)
        if self.temperament == "liberal":
            record = sum(r.actor(k).reputation * (1 - r.intent(k)) for k in partners) / n
            trade = sum(r.view.me.dependence.get(k, 0.0) * r.actor(k).reputation for k in partners) / n
            return 1 + record, trade, 0.0
        if self.temperament == "constructivist":
            mine = set(r.mine.identities)
            kin = [k for k in partners if mine & set(r.actor(k).identities)]
            distrust = sum(max(0.0, r.intent(k) - coef.friendly_intent) for k in partners if k not in kin) / n
            return 1 + len(kin) / n, 0.0, distrust
        return 1.0, 0.0, 0.0

    def _uniform(self, ag: AgreementView, part: str) -> float:
        """A uniform number in [-1, 1), drawn once per game (turn 0) for me, the agreement and `part`."""
        return 2 * draw(self.seed, 0, f"agreement-value:{self.r.me}:{ag.id}:{part}") - 1

    def private(self, ag: AgreementView) -> float:
        """My private error on the agreement's value per unit of its strength: `bots.agreement_value_spread`
        times a uniform number in [-1, 1), drawn once per game, party and agreement."""
        return self.r.view.rules.bots.agreement_value_spread * self._uniform(ag, "value")

    def weights(self, ag: AgreementView) -> tuple[float, float]:
        """My private weights on the agreement's gains and on its losses: each 1 +- `bots.agreement_weight_spread`,
        drawn once per game, party and agreement (how much each side of the ledger matters to me, as my resolve
        weighs my cost of war)."""
        spread = self.r.view.rules.bots.agreement_weight_spread
        return 1 + spread * self._uniform(ag, "gains"), 1 + spread * self._uniform(ag, "losses")

    def ledger(self, ag: AgreementView) -> tuple[float, float]:
        """(gains, losses) of the agreement to me now, per turn, as the public reckoning has them."""
        w = self.r.view.rules.bots.agreement_threat_weight
        sec_gain, sec_loss = self.security(ag)
        factor, own_gain, own_loss = self.disposition(ag)
        threatened = sec_gain + self.projection(ag) + ag.strength * self.restraint(ag)
        gains = factor * w * threatened + ag.strength * own_gain
        losses = w * sec_loss + self.leverage(ag) + ag.strength * own_loss
        return gains, losses

    def worth(self, ag: AgreementView) -> float:
        """What the agreement is worth to me now before my objectives: the public gains and losses, each times my
        private weight, plus my private error per unit of strength times the strength."""
        gains, losses = self.ledger(ag)
        on_gains, on_losses = self.weights(ag)
        return gains * on_gains - losses * on_losses + ag.strength * self.private(ag)

    def value(self, ag: AgreementView) -> float:
        """What the agreement is worth to me now, as I reckon it: its `worth` plus what my objectives put at stake
        on it (`stakes`)."""
        return self.worth(ag) + self.stakes(ag)

    def exit_cost(self, ag: AgreementView) -> float:
        """What renouncing costs me, as step 12 charges it: reputation (weighted by temperament, as when
        answering calls) and approval at home, and the objectives those losses would break (`exit_stakes`)."""
        rules = self.r.view.rules
        weight = {
            "liberal": rules.alliance.liberal_commitment_weight,
            "constructivist": rules.alliance.constructivist_reputation_weight,
        }.get(self.temperament, 1.0)
        home = rules.alliance.renunciation_approval * self.r.view.me.audience_cost_sensitivity
        regime = regime_scale(rules.domestic, self.r.mine.regime)
        lost = rules.alliance.renunciation_reputation * ag.strength
        return weight * lost + home * regime + self.exit_stakes(lost, home * regime)

    def exit_stakes(self, reputation_lost: float, approval_lost: float) -> float:
        """What renouncing costs me in my objectives, in the units of the stakes: the points of the
        `keep_reputation` and `keep_approval` objectives that the reputation and approval it loses me would
        break (net of any it would meet), times `bots.objective_weight`."""
        mine, objectives = self.r.mine, self.r.view.me.objectives
        rep = kept_points(objectives, KeepReputation, mine.reputation, clip(mine.reputation - reputation_lost))
        app = kept_points(objectives, KeepApproval, mine.approval, clip(mine.approval - approval_lost))
        return self.r.view.rules.bots.objective_weight * (rep + app)

    def terms(self, ag: AgreementView) -> list[Term]:
        """`value` line by line: each gain and loss of the ledger times the weights that `value` gives it, and my
        private error; they add up to `value`. Kinds: security, stake, projection, restraint, trade (gains);
        entrapment, leverage, distrust (losses); objectives (`stakes`) and private (either way); and 'other',
        whatever else `value` counts that no line here names (nothing today: a part added to `value` and not named
        here still counts, and is worded as the bot's own reasons, never more specifically, since it may be
        private; so is the objectives line while any objective it weighs is secret). A line worth nothing is
        left out."""
        w = self.r.view.rules.bots.agreement_threat_weight
        factor, own_gain, own_loss = self.disposition(ag)
        on_gains, on_losses = self.weights(ag)
        up = factor * w * on_gains
        partners = [k for k in ag.parties if k != self.r.me]
        out = [
            Term(kind, -w * amount * on_losses if kind == "entrapment" else up * amount, about)
            for kind, amount, about in self._security_parts(ag)
        ]
        projected, against = self._projection(ag)
        out.append(Term("projection", up * projected, tuple(a for a in (ag.terms.host, against) if a is not None)))
        friendly = self.r.view.rules.bots.friendly_intent
        held = tuple(sorted(partners, key=lambda k: -self.r.threat(k) if self.r.intent(k) >= friendly else 0.0))
        out.append(Term("restraint", up * ag.strength * self.restraint(ag), held))
        out.append(Term("trade", ag.strength * own_gain * on_gains, tuple(partners)))
        mine = set(self.r.mine.identities)
        strangers = tuple(k for k in partners if not mine & set(self.r.actor(k).identities))
        out.append(Term("distrust", -ag.strength * own_loss * on_losses, strangers))
        forgone, on = self._leverage(ag)
        out.append(Term("leverage", -forgone * on_losses, (on,) if on is not None else ()))
        out.append(Term("objectives", self.stakes(ag)))
        out.append(Term("private", ag.strength * self.private(ag)))
        rest = self.value(ag) - sum(t.value for t in out)
        if abs(rest) > 1e-9:
            out.append(Term("other", rest))
        return [t for t in out if t.value != 0.0]


def _declared(v: Valuer) -> bool:
    """Whether every objective of mine that agreements put at stake (`Valuer.stakes`) is public: a stated reason
    is read by every party, so it names no secret objective, nor hints at one."""
    stakes = (HaveAgreement, AvoidAgreement, AvoidWar)
    return not any(o.secret for o in v.r.view.me.objectives if isinstance(o, stakes))


def _names(v: Valuer, ids: tuple[str, ...] | list[str]) -> str:
    names = [v.r.actor(a).name for a in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _loss_words(v: Valuer, t: Term) -> str:
    """A loss in the ledger, as a clause a student reads."""
    name = functools.partial(_names, v)
    if t.kind == "entrapment" and len(t.about) == 2:
        k, y = t.about
        return f"it could drag us into {name([k])}'s fight with {name([y])}, which does not threaten us"
    if t.kind == "leverage" and t.about:
        return f"it stops us pressing our claims on {name(t.about)}, where a demand would gain us most"
    if t.kind == "distrust" and t.about:
        hostile = [k for k in t.about if v.r.intent(k) > v.r.view.rules.bots.friendly_intent] or list(t.about)
        return f"it binds us to {name(hostile)}, hostile to us and sharing none of our identities"
    if t.kind == "objectives" and _declared(v):
        return "it works against the objectives we have declared"
    return "we rate it lower than its terms suggest, for reasons of our own"


def _gain_words(v: Valuer, t: Term | None, ag: AgreementView) -> str:
    """What the agreement still gives, as a clause: its largest gain, with the figure that shows how small."""
    r, name = v.r, functools.partial(_names, v)
    if t is None:
        x, _ = v.outside_threat(ag)
        if not ag.binding:
            return "it commits no one to fight for us and holds no rival in check"
        return "no state outside it threatens us" if x is None else "it adds nothing to our security"
    if t.kind == "security":
        x = t.about[0]
        rise = v.hold(r.me, x) - v.hold(r.me, x, ag.id)
        return (
            f"it guards us against {name([x])}, whose threat to us is {r.threat(x):.2f} of 1, and raises our chance "
            f"of holding out by {PERCENT * rise:.0f} points"
        )
    if t.kind == "stake":
        k, x = t.about
        rise = v.hold(k, x) - v.hold(k, x, ag.id)
        return (
            f"helping {name([k])} hold out against {name([x])}, whose threat to us is {r.threat(x):.2f} of 1, raises "
            f"its chance by {PERCENT * rise:.0f} points"
        )
    if t.kind == "projection":
        return f"the forces we base in {name(t.about[:1])} under it add little to our strength"
    if t.kind == "restraint":
        k = t.about[0]
        return f"the threat it holds in check, from {name([k])}, is {r.threat(k):.2f} of 1"
    if t.kind == "trade":
        return f"our trade with {name(t.about)} weighs little"
    if t.kind == "objectives":
        return "it serves the objectives we have declared"
    return "it is worth little to us"


def stated_reason(v: Valuer, ag: AgreementView) -> str:
    """Why I renounce `ag`, in plain words from my own ledger (`Valuer.terms`): the losses that weigh most (the
    largest, and the next if it is at least half as large), what the agreement still gives (its largest gain),
    and the balance against the cost of leaving. At most `STATED_REASON_LENGTH` characters: the balance, then the
    second loss, are dropped if the names make it longer."""
    terms = v.terms(ag)
    losses = sorted((t for t in terms if t.value < 0), key=lambda t: t.value)
    unnamed = ("private", "other") if _declared(v) else ("private", "other", "objectives")
    gains = sorted((t for t in terms if t.value > 0 and t.kind not in unnamed), key=lambda t: -t.value)
    named = [t for t in losses if t.kind not in unnamed] or losses
    lead = named[:2] if len(named) > 1 and named[1].value <= named[0].value / 2 else named[:1]
    gain = _gain_words(v, gains[0] if gains else None, ag)
    worth = sum(t.value for t in terms)
    balance = f"; all told it is worth {worth:+.2f} a turn to us, and leaving costs {v.exit_cost(ag):.2f} once"

    def said(causes: list[Term], tail: str) -> str:
        why = " and ".join(_loss_words(v, t) for t in causes) if causes else gain
        rest = f"; in return, {gain}" if causes else ""
        return why[0].upper() + why[1:] + rest + tail + "."

    for causes, tail in ((lead, balance), (lead, ""), (lead[:1], "")):
        text = said(causes, tail)
        if len(text) <= STATED_REASON_LENGTH:
            return text
    return text[: STATED_REASON_LENGTH - 1].rstrip() + "\u2026"


def renewals(v: Valuer) -> list[str]:
    """Agreements of mine that expire at the end of this turn and are worth keeping to me."""
    r = v.r
    out = []
    for ag in r.active():
        if r.me not in ag.parties or ag.duration is None or ag.duration > 1 or spent_coalition(r, ag):
            continue
        if not v.reckoned or v.value(ag) > 0:
            out.append(ag.id)
    return sorted(out)


def exits(v: Valuer) -> list[str]:
    """Agreements I renounce now: spent coalitions (not a liberal), and those worth less than leaving costs."""
    r = v.r
    notice = r.view.rules.alliance.renunciation_notice
    out = []
    for ag in r.active():
        if r.me not in ag.parties or ag.notice_until is not None:
            continue
        if spent_coalition(r, ag):
            if v.temperament != "liberal":
                out.append(ag.id)
            continue
        if ag.duration is not None and ag.duration <= notice + 1:
            continue  # it runs out as soon as notice would end it: let it lapse
        if v.reckoned and v.value(ag) < -v.exit_cost(ag):
            out.append(ag.id)
    return sorted(out)


def agreement_orders(r: Reading, temperament: str, seed: int, bargainer: Bargainer | None = None) -> dict[str, Any]:
    """The renew and renounce parts of a bot's orders (never both for one agreement), each renunciation with
    the reason the bot states for it (`stated_reason`, or `spent_words` for a spent coalition)."""
    v = Valuer(r, temperament, seed, bargainer or Bargainer(r, r.view.rules, seed, temperament))
    leaving = exits(v)
    agreements = {ag.id: ag for ag in r.active()}
    reasons = {
        a: spent_words(r, agreements[a]) if spent_coalition(r, agreements[a]) else stated_reason(v, agreements[a])
        for a in leaving
    }
    return {
        "renounce": leaving,
        "renounce_reasons": reasons,
        "renew": [a for a in renewals(v) if a not in leaving],
    }


def hypothetical(r: Reading, p: Proposal, pid: str) -> AgreementView:
    """The agreement `p` would make, as a view of one in force (id `pid`), so that it can be valued as one."""
    return AgreementView(
        id=pid,
        name=pid,
        type=p.type,
        parties=list(p.parties),
        guarantors=list(p.guarantors),
        strength=p.strength,
        ambiguity=p.ambiguity,
        conditionality=p.conditionality,
        duration=p.duration,
        mandate=p.mandate,
        public=p.public,
        active=True,
        since_turn=r.turn,
        notice_until=None,
        binding=any(c.kind in CALLABLE for c in clauses(p.type, p.obligations)),
        terms=AgreementTerms(
            troops=p.troops,
            host=p.host,
            item=p.item,
            value_usd_m=p.value_usd_m,
            issue=p.issue,
            position=p.position,
            sanctions=list(p.sanctions),
            aid=list(p.aid),
        ),
    )


def weigh_objectives(v: Valuer, p: Proposal, pid: str, inclined: bool) -> bool:
    """Whether I make or accept the agreement `p`, once my objectives are weighed, given whether my temperament's
    rule alone is `inclined` to: where they put nothing at stake the rule decides; where they count against it
    (`Valuer.stakes` below 0) I decline it unless what it is worth to me before them (`Valuer.worth`, at least
    nothing since the rule wanted it) covers the loss; where they count for it I take it, even against the rule,
    when they outweigh what it is worth to me before them."""
    ag = hypothetical(v.r, p, pid)
    with_it = Valuer(v.r, v.temperament, v.seed, v.bargainer, extra=(ag,))
    stake = with_it.stakes(ag)
    if stake == 0:
        return inclined
    worth = with_it.worth(ag)
    if inclined:
        return max(0.0, worth) + stake >= 0
    return stake > 0 and worth + stake > 0
