"""The three temperaments of the computer players (docs/rules.md), as pure policies over a seat's view.

- realist: balances against threat (arms first, then allies), discounts promises by reputation,
  guards autonomy, accommodates its top threat when it judges it cannot hold out against it even
  with the help it has or could still find (and then does not arm against the state it sides with),
  coerces when strong;
- liberal institutionalist: prefers multilateral and mandated agreements, reassures, honours
  commitments, never starts a war;
- constructivist: aligns with those who share its identities and norms, ties its hands in public
  for them, and guards its reputation.

All of them arm as Richardson's (1960) equations have it (a response to threat, restrained by the
burden already carried) and, with allies, choose their effort as a best response in the alliance's
voluntary provision of deterrence, counting what their allies already spend (Olson & Zeckhauser
1966, with Sandler's private joint products); they judge a crisis by their own estimate of the odds
(the public reckoning plus a private error of spread `war.misperception`, Fearon 1995), count on
allies' help for a crisis they start only as far as the commitment is unconditional (Benson 2011),
and fight sooner when a power shift is coming against them (Fearon's commitment problem). They may
fight for a threatened state without any obligation when its battle is worth their cost (`defend`), or
join the attacker when its battle, with a share of the spoils, is worth more to them (`join`), and,
with nuclear weapons, back coercion or deterrence with a nuclear threat or test when its expected
value beats not making it (`bargaining.coercion`, `bargaining.deterrence`).

Chance enters through `crisisgame.engine.chance.draw` keyed by seat, turn and decision, so a bot
replays exactly.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from crisisgame.bots import bargaining
from crisisgame.bots.agreements import Valuer, agreement_orders, shape, weigh_objectives
from crisisgame.bots.reading import PROTECTIVE, Reading
from crisisgame.bots.statecraft import coalition, drafts, sanctions, terms_acceptable, withheld
from crisisgame.engine.chance import draw
from crisisgame.engine.commands import (
    Accept,
    Command,
    DemandAnswer,
    DemandOrder,
    Exercise,
    ForceOrder,
    JoinOrder,
    Orders,
    Proposal,
    Propose,
    Reject,
    Statement,
    SubmitOrders,
)
from crisisgame.engine.constants import DEMAND_CYCLE, MAX_DEFENCE_SPENDING, MAX_STATES_PER_ORDER, PERCENT
from crisisgame.engine.seatview import DemandView, ProposalView, SeatView, TeamView
from crisisgame.scenario.model import HaveAgreement, SpendAtMost
from crisisgame.scenario.rulebook import Bots


class Bot:
    """What all temperaments share; subclasses set the dispositions."""

    multilateral = False
    accommodates = False
    """Whether this temperament bandwagons when weak and alone (the realist does, Walt 1987)."""

    def __init__(self, view: TeamView, seed: int) -> None:
        self.r = Reading(view)
        self.seed = seed
        self.rules = view.rules
        self.coef: Bots = view.rules.bots
        """This game's bot dispositions (the rulebook's `bots` group, overridable by the scenario)."""

    @property
    def temperament(self) -> str:
        return type(self).__name__.lower()

    def chance(self, key: str) -> float:
        return draw(self.seed, self.r.turn, f"bot:{self.r.me}:{key}")

    # -- diplomacy ---------------------------------------------------------------------------

    def partner_score(self, k: str, threat_from: str | None) -> float:
        a = self.r.actor(k)
        if threat_from is not None and (k == threat_from or self.r.shares_agreement(k, threat_from, PROTECTIVE)):
            return 0.0
        return a.cinc * a.reputation * (1 - self.r.intent(k))

    def available_partners(self, j: str | None) -> list[str]:
        """States that could ally against `j`: not `j` nor its protector, and not seen as hostile (Walt 1987)."""
        return sorted(
            k for k in self.r.states() if self.partner_score(k, j) > 0 and self.r.intent(k) < self.coef.hostile_intent
        )

    def best_partner(self, j: str | None) -> str | None:
        candidates = self.available_partners(j)
        if not candidates:
            return None
        return max(candidates, key=lambda k: self.partner_score(k, j))

    def holding_chance(self, j: str) -> float:
        """My estimated chance of holding out against `j` in my own theatre: my strength, my protectors'
        help weighted by their credibility (as in `Reading.odds`), and the help of the states I could still
        ally with, weighted by their reputation (`bots.ally_help` of each). The same reckoning as giving
        in to a demand, made before any demand."""
        me, r = self.r.me, self.r
        help_share = self.coef.ally_help
        protectors = [g for g in r.allies(me) if g != j]
        prospects = [k for k in self.available_partners(j) if k not in protectors]
        mine = (
            r.military(me)
            + r.protection(me) * sum(r.military(g) for g in protectors) * help_share
            + sum(r.military(k) * r.actor(k).reputation for k in prospects) * help_share
        )
        theirs = r.military(j) * r.decay(j, me)
        return mine / (mine + theirs) if mine + theirs > 0 else 0.5

    def outmatched_by(self, j: str | None) -> bool:
        """Whether holding out against `j` looks hopeless: the chance is below `bots.yield_hold_chance`, the
        threshold at which a bot gives in to a demand (Walt 1987: states bandwagon when balancing cannot work)."""
        return j is not None and self.holding_chance(j) < self.coef.yield_hold_chance

    def bandwagons(self) -> bool:
        """Walt (1987): side with a pressing threat when holding out against it, with every ally at hand,
        looks hopeless. Weakness and isolation enter only through that estimate."""
        if not self.accommodates:
            return False
        j, t = self.r.top_threat()
        return t > self.coef.act_threat and self.outmatched_by(j)

    def proposal(self) -> Proposal | None:
        j, t = self.r.top_threat()
        if t < self.coef.act_threat:
            return None
        k = self.best_partner(j)
        if k is None or self.r.shares_agreement(self.r.me, k, PROTECTIVE):
            if j is not None and self.outmatched_by(j) and not self.r.shares_agreement(self.r.me, j):
                return Proposal(
                    type="strategic_partnership",
                    parties=[self.r.me, j],
                    strength=self.coef.appeasement_strength,
                    ambiguity=self.coef.appeasement_ambiguity,
                )
            return None
        return Proposal(
            type="defence_pact",
            parties=[self.r.me, k],
            strength=self.coef.pact_strength,
            ambiguity=self.coef.offer_ambiguity,
        )

    def tied_to(self, k: str, j: str | None) -> bool:
        """Whether `k` is bound by a protective agreement to `j` (public: agreements in force are seen)."""
        return j is not None and k != j and self.r.shares_agreement(k, j, PROTECTIVE)

    def accepts(self, p: ProposalView) -> bool:
        prop = p.proposal
        j, _ = self.r.top_threat()
        others = [x for x in prop.parties if x != self.r.me]
        if j is not None and j in others and prop.type in PROTECTIVE | {"basing_rights"}:
            return self.outmatched_by(j)
        if prop.type in PROTECTIVE and any(self.tied_to(x, j) for x in others):
            return False  # a pact with my adversary's ally binds me to the side I fear
        reliable = min(self.r.actor(x).reputation for x in others)
        hostile = max(self.r.intent(x) for x in others)
        return reliable >= self.coef.partner_reputation and hostile < self.coef.partner_intent

    @functools.cached_property
    def valuer(self) -> Valuer:
        """My reckoning of what agreements are worth to me (`bots/agreements.py`)."""
        return Valuer(self.r, self.temperament, self.seed, self.bargainer)

    def objective_proposals(self) -> list[Proposal]:
        """Agreements my `have_agreement` objectives ask for and I am not yet party to: a bilateral one of the
        objective's type with its partner, on the terms I offer (a protective one at `bots.pact_strength`, any
        other at `bots.multilateral_strength`, ambiguity `bots.offer_ambiguity`)."""
        me, coef = self.r.me, self.coef
        out = []
        for o in self.r.view.me.objectives:
            if not isinstance(o, HaveAgreement) or o.with_ == me or o.with_ not in self.r.states():
                continue
            if any(ag.type == o.type and me in ag.parties and o.with_ in ag.parties for ag in self.r.active()):
                continue
            strength = coef.pact_strength if o.type in PROTECTIVE else coef.multilateral_strength
            out.append(Proposal(type=o.type, parties=[me, o.with_], strength=strength, ambiguity=coef.offer_ambiguity))
        return out

    def next_proposal(self) -> Proposal | None:
        """What I propose now: a sanctions coalition first (`statecraft.coalition`), unless my objectives count
        against it by more than it is worth to me; else an agreement my objectives ask for, where they outweigh
        what it is worth to me before them; else my temperament's proposal, unless my objectives count against it
        by more than it is worth to me (`weigh_objectives`)."""

        def weighed(p: Proposal | None, inclined: bool) -> bool:
            if p is None:
                return False
            pid = f"proposal:{p.type}:{'+'.join(sorted(p.parties))}"  # the draws of this offer, not of another
            return weigh_objectives(self.valuer, p, pid, inclined=inclined)

        coalition_offer = shape(self.r, coalition(self.r, self.temperament))
        if weighed(coalition_offer, inclined=True):
            return coalition_offer
        for wanted in self.objective_proposals():
            shaped = shape(self.r, wanted)
            if weighed(shaped, inclined=False):
                return shaped
        own = shape(self.r, self.proposal())
        return own if weighed(own, inclined=True) else None

    def diplomacy(self) -> list[Command]:
        me = self.r.me
        commands: list[Command] = []
        for p in self.r.open_proposals_for_me():
            if p.sender == me:
                continue
            yes = self.accepts(p) and terms_acceptable(self.r, p, self.temperament)
            yes = weigh_objectives(self.valuer, p.proposal, p.id, inclined=yes)
            commands.append(Accept(by=me, proposal_id=p.id) if yes else Reject(by=me, proposal_id=p.id))
        commands.extend(drafts(self.r, self.temperament))
        if not self.r.my_open_proposals():
            proposal = self.next_proposal()
            if proposal is not None:
                commands.append(Propose(by=me, proposal=proposal))
        return commands

    # -- orders ------------------------------------------------------------------------------

    def autarky_spending(self) -> float:
        """The defence burden (% of GDP) I would choose standing alone: Richardson's (1960) response to
        my top threat, the value I put on security rising with the threat.

        A state without allies reads its valuation off what it spends now, and arms as Richardson's
        equations have it: a response to the threat restrained by the burden already carried (fatigue),
        so a steady threat leads to a steady level of arms and only a rising threat (a spiral, Jervis
        1978) keeps arms rising. A state with allies cannot read its valuation off its current spending,
        which is already net of what its allies carry (doing so would compound its free-riding turn by
        turn); it reads it off its starting burden, scaled by the same response to the threat.
        """
        mine = self.r.mine
        _, t = self.r.top_threat()
        k = self.coef
        if not self.r.allies():
            s = mine.defence_spending
            return s * (1 + k.arms_response * max(0.0, t - k.arms_threat_floor - k.arms_fatigue * s))
        return mine.baseline_spending * (1 + k.arms_response * max(0.0, t - k.arms_threat_floor))

    def allied_effort(self) -> float:
        """The allies' defence effort I count as security I already enjoy, in points of my own GDP.

        Each ally that would stand with me against my top threat (not that threat, nor one allied to it)
        counts with its outlay (its GDP x its defence spending) as far as it is effective in my theatre:
        weighted by the credibility of its commitment to me (its forces protect me only as far as it
        would come), by Boulding's loss-of-strength gradient from it to me (as adjudication decays
        strength, `Reading.decay`) and by `bots.allied_effort_weight`. 0 when I have no GDP to measure
        it against.
        """
        me, r = self.r.me, self.r
        gdp = r.mine.capabilities.gdp_usd_bn or 0.0
        if gdp <= 0:
            return 0.0
        j, _ = r.top_threat()
        allies = r.backers(me, j) if j is not None else r.allies()
        cred = r.view.credibility
        outlay = sum(
            cred.get(f"{g}>{me}", 0.0)
            * r.decay(g, me)
            * (r.actor(g).capabilities.gdp_usd_bn or 0.0)
            * r.actor(g).defence_spending
            for g in sorted(allies)
        )
        return self.coef.allied_effort_weight * outlay / gdp

    def spending(self) -> float:
        """My best response in the alliance's voluntary provision of deterrence (Olson & Zeckhauser 1966),
        whose benefits are partly private (Sandler's joint products; Sandler & Murdoch 2000).

        In points of my GDP: I spend b, and count the allied effort A (`allied_effort`). I value security
        in proportion to what I have to protect (my GDP) and to the threat (`autarky_spending`), and measure
        it as the log-odds of holding out against my top threat's strength T, the odds being effort /
        (effort + T): a unit of effort adds less the more there is. A share p = `burden.private_share` of the
        benefit of my effort is private, bought by my effort alone (log(b / T)); the rest is the alliance's
        common deterrent (log((b + A) / T)). Cost is linear in outlay. T drops out of the margin, and the
        value of security is pinned by my autarky burden u (where, alone, its marginal value equals its
        cost), so the first-order condition (1 - p) u / (b + A) + p u / b = 1 gives, taking the allies'
        current spending as given (a Nash best response),

            b = ((u - A) + sqrt((u - A)^2 + 4 p u A)) / 2:

        b = max(0, u - A) for a pure public good (a member spends only what its own demand for security
        exceeds what the others already provide: the largest carry it, the small ride free) and b = u
        when benefits are all private (burdens as if alone). An allied bot closes
        `bots.spending_adjustment` of the gap to b each turn. In a crisis nobody disarms, and rising
        tension accelerates the race (Richardson 1960). What the bot then spends is kept under the caps of its
        `spend_at_most` objectives where they are worth more to it than the security the rest would buy
        (`within_caps`).
        """
        return self.within_caps(self.wanted_spending())

    def wanted_spending(self) -> float:
        """The spending `spending` describes, before my objectives' caps."""
        mine = self.r.mine
        base = mine.defence_spending
        k = self.coef
        target = autarky = self.autarky_spending()
        if self.r.allies():
            allied = self.allied_effort()
            private = self.rules.burden.private_share
            # The larger root of b^2 - 2 h b - p u A = 0 (h = (u - A) / 2): h + sqrt(h^2 + p u A), written
            # as p u A / (sqrt(h^2 + p u A) - h) when A > u, to avoid cancellation.
            half = (autarky - allied) / 2
            root = math.sqrt(half * half + private * autarky * allied)
            best = half + root if half >= 0 else private * autarky * allied / (root - half)
            target = base + k.spending_adjustment * (best - base)
        if self.in_crisis():
            # In a crisis nobody disarms; rising tension accelerates the race (Richardson 1960).
            tension = self.r.view.system.get("tension", 0.0)
            target = max(base, target) * (1 + k.crisis_arms * max(0.0, tension - k.crisis_tension))
        return round(min(MAX_DEFENCE_SPENDING, max(k.min_spending, target)), 2)

    def security_value(self, b: float) -> float:
        """What spending b (% of GDP) is worth to me, in points of my GDP, as `spending` reckons it: u x ((1 - p)
        log(b + A) + p log b) - b, u my autarky burden, A the allied effort and p `burden.private_share` (alone,
        A = 0, so u log b - b)."""
        if b <= 0:
            return -math.inf  # no spending at all: no security, whatever the threat
        u = self.autarky_spending()
        if not self.r.allies():
            return u * math.log(b) - b
        allied, p = self.allied_effort(), self.rules.burden.private_share
        return u * ((1 - p) * math.log(b + allied) + p * math.log(b)) - b

    def within_caps(self, wanted: float) -> float:
        """What I spend once my `spend_at_most` objectives are weighed: the level, among `wanted` and each cap
        below it (no lower than `bots.min_spending`), worth most to me: its security value (`security_value`, in
        points of GDP) plus the points of the caps it keeps, at `bots.objective_weight` per point in the units of
        the stakes, a stake being valued as a share of my own GDP (as bargaining values the spoils), so
        `bots.objective_weight` x points x 100 points of GDP."""
        k = self.coef
        caps = [o for o in self.r.view.me.objectives if isinstance(o, SpendAtMost) and o.percent_gdp < wanted]
        if not caps or k.objective_weight <= 0:
            return wanted

        def worth(level: float) -> float:
            kept = sum(o.points for o in caps if level <= o.percent_gdp)
            return self.security_value(level) + k.objective_weight * kept * PERCENT

        levels = [wanted, *sorted({max(k.min_spending, o.percent_gdp) for o in caps}, reverse=True)]
        return max(levels, key=worth)

    def base_grants(self) -> list[str]:
        """Partners whose forces on my territory I let fight from my bases this turn, where our agreement
        leaves consent to me case by case: only when I feel threatened myself (by someone other than
        them), so a host without a threat of its own stays out of its partner's war."""
        me = self.r.me
        source, t = self.r.top_threat()
        if t < self.coef.grant_bases_threat:
            return []
        users = {
            g
            for ag in self.r.active()
            if ag.terms.host == me and ag.terms.host_consent == "case_by_case"
            for g in ag.parties
            if g != me and g != source
        }
        return sorted(users)

    def in_crisis(self) -> bool:
        """Whether I am in a crisis: tension at the crisis level, a war of mine, or a demand on me open."""
        me = self.r.me
        tension = self.r.view.system.get("tension", 0.0)
        at_war = any(me in w.split("|") for w in self.r.view.wars)
        return tension >= self.coef.crisis_tension or at_war or bool(self.r.open_demands_on_me())

    @functools.cached_property
    def bargainer(self) -> bargaining.Bargainer:
        """This state's bargaining calculus (beliefs computed once per decision)."""
        return bargaining.Bargainer(self.r, self.rules, self.seed, type(self).__name__.lower())

    def demand(self) -> DemandOrder | None:
        return bargaining.demand(self.bargainer)

    def estimate(self, attacker: str, target: str) -> float:
        """This state's own estimate of `attacker`'s chance against `target` (Fearon 1995)."""
        return self.bargainer.estimate(attacker, target)

    def force(self) -> list[ForceOrder]:
        return bargaining.force(self.bargainer)

    def resisting(self, answers: list[DemandAnswer]) -> list[DemandView]:
        """Demands on me I resist: those I refuse this turn, and those whose demander escalated to force
        against me last turn (an attack I face, which it may press again)."""
        refused = {a.demand_id for a in answers if not a.accept}
        me, turn = self.r.me, self.r.turn
        attacked = [
            d
            for d in self.r.view.demands
            if d.target == me and d.status == "escalated" and d.turn >= turn - DEMAND_CYCLE - 1
        ]
        return [d for d in self.r.open_demands_on_me() if d.id in refused] + attacked

    def defend(self) -> list[str]:
        """States I fight for this turn without an obligation (`Orders.defend`): each state facing a demand
        made in the last turns, by someone who is not my ally, that no clause binds me to defend, if
        joining its battle is worth my cost (`Bargainer.volunteers`). Allies bound by a clause are
        answered through their calls."""
        r, b = self.r, self.bargainer
        me = r.me
        out: set[str] = set()
        for dem in sorted(r.view.demands, key=lambda d: d.id):
            x, k = dem.actor, dem.target
            if dem.turn < r.turn - 2 or dem.status == "accepted" or me in (x, k) or k in out:
                continue
            if x in r.allies() or me in b.bound(k, x):
                continue
            if b.volunteers(x, k, dem.issue, dem.position):
                out.add(k)
        return sorted(out)[:MAX_STATES_PER_ORDER]

    def join(self) -> list[JoinOrder]:
        """Attacks I join on the attacker's side this turn (`Orders.join`): each demand made in the last turns
        by one state on another, neither of them me nor a partner of mine (joining an attack on a partner
        breaks our agreement), whose battle is worth more to me on the attacker's side than staying out or
        fighting for the target (`Bargainer.joins`: my share of the spoils and the issue's outcome against my
        own cost of war)."""
        r, b = self.r, self.bargainer
        me = r.me
        out: dict[tuple[str, str], JoinOrder] = {}
        for dem in sorted(r.view.demands, key=lambda d: d.id):
            x, k = dem.actor, dem.target
            if dem.turn < r.turn - 2 or dem.status == "accepted" or me in (x, k) or (x, k) in out:
                continue
            if r.shares_agreement(me, k):
                continue
            if b.joins(x, k, dem.issue, dem.position):
                out[(x, k)] = JoinOrder(attacker=x, target=k)
        return [out[key] for key in sorted(out)][:MAX_STATES_PER_ORDER]

    def answers(self) -> list[DemandAnswer]:
        return bargaining.answers(self.bargainer)

    def extras(self, orders: dict[str, Any]) -> None:
        """Temperament-specific additions to the orders."""

    def orders(self) -> Orders:
        _, t = self.r.top_threat()
        mine = self.r.mine
        bandwagons = self.bandwagons()
        spending = mine.defence_spending if bandwagons else self.spending()
        answers = self.answers()
        parts: dict[str, Any] = {"defence_spending": spending, "demand_answers": answers}
        level = max(t, self.r.view.system.get("tension", 0.0)) if self.in_crisis() else t
        if (t > self.coef.mobilise_threat or self.in_crisis()) and not bandwagons and mine.mobilisation < level:
            # Mobilise towards the level of the threat (or of the crisis), a step at a time.
            parts["mobilisation"] = round(min(level, mine.mobilisation + self.coef.mobilisation_step), 3)
        demand, threats = bargaining.coercion(self.bargainer)
        if demand is not None:
            parts["demands"] = [demand]
        deterring, test = bargaining.deterrence(self.bargainer, self.resisting(answers))
        threats = sorted(set(threats) | set(deterring))[:MAX_STATES_PER_ORDER]
        if threats:
            parts["nuclear_threats"] = threats
        if test:
            parts["nuclear_test"] = True
        parts["force"] = self.force()
        defend = self.defend()
        if defend:
            parts["defend"] = defend
        join = [j for j in self.join() if j.target not in defend]
        if join:
            parts["join"] = join
        allies = sorted(self.r.allies())
        if allies and t > self.coef.exercise_threat and self.chance("exercise") < self.coef.exercise_chance:
            parts["exercises"] = [Exercise(partners=allies[:2], host=self.r.me)]
        grants = self.base_grants()
        if grants:
            parts["grant_bases"] = grants
        self.extras(parts)
        parts |= agreement_orders(self.r, self.temperament, self.seed, self.bargainer)
        parts |= sanctions(self.r, self.temperament)
        parts["withhold"] = withheld(self.r, self.temperament)
        return Orders(**parts)

    def play(self) -> list[Command]:
        phase = self.r.view.game.phase
        if phase == "diplomacy":
            return self.diplomacy()
        if phase == "orders" and self.r.view.me.orders is None:
            return [SubmitOrders(by=self.r.me, orders=self.orders())]
        return []


class Realist(Bot):
    accommodates = True

    def extras(self, orders: dict[str, Any]) -> None:
        j, _ = self.r.top_threat()
        if self.bandwagons():
            orders["alignment"] = j


class Liberal(Bot):
    multilateral = True

    def proposal(self) -> Proposal | None:
        j, t = self.r.top_threat()
        friendly = self.coef.friendly_intent
        # The friendliest first, never a state bound to defend my top threat: an alliance with my
        # adversary's ally would protect neither of us (ties broken by id so a bot replays exactly).
        candidates = [k for k in self.r.states() if self.r.intent(k) < friendly and k != j and not self.tied_to(k, j)]
        partners = sorted(candidates, key=lambda k: (self.r.intent(k), k))[: self.coef.multilateral_partners]
        if t < self.coef.liberal_threat_floor or len(partners) < 2:
            return super().proposal()
        kind = "defence_pact" if t > self.coef.liberal_pact_threat else "consultation"
        return Proposal(
            type=kind,
            parties=[self.r.me, *partners],
            strength=self.coef.multilateral_strength,
            ambiguity=self.coef.offer_ambiguity,
            mandate="regional",
        )

    def accepts(self, p: ProposalView) -> bool:
        others = [x for x in p.proposal.parties if x != self.r.me]
        j, _ = self.r.top_threat()
        if p.proposal.type in PROTECTIVE and any(self.tied_to(x, j) for x in others):
            return False
        return max(self.r.intent(x) for x in others) < self.coef.partner_intent

    def spending(self) -> float:
        return round(min(super().spending(), self.r.mine.defence_spending * self.coef.liberal_spending_growth), 2)

    def extras(self, orders: dict[str, Any]) -> None:
        j, t = self.r.top_threat()
        if j is not None and self.coef.reassure_low < t < self.coef.reassure_high:
            orders["statements"] = [Statement(text="We seek no confrontation and welcome transparency.", reassure=j)]


class Constructivist(Bot):
    def kin(self) -> list[str]:
        mine = set(self.r.mine.identities)
        return sorted(k for k in self.r.states() if mine & set(self.r.actor(k).identities))

    def proposal(self) -> Proposal | None:
        kin = [k for k in self.kin() if not self.r.shares_agreement(self.r.me, k)]
        if kin:
            return Proposal(
                type="strategic_partnership",
                parties=[self.r.me, kin[0]],
                strength=self.coef.kin_strength,
                ambiguity=self.coef.offer_ambiguity,
            )
        return super().proposal()

    def accepts(self, p: ProposalView) -> bool:
        others = [x for x in p.proposal.parties if x != self.r.me]
        kin = set(self.kin())
        return all(x in kin or self.r.intent(x) < self.coef.friendly_intent for x in others)

    def extras(self, orders: dict[str, Any]) -> None:
        pledges = [k for k in self.kin() if k in self.r.allies()][:2]
        if pledges:
            orders["statements"] = [Statement(text=f"We stand by {k}.", pledge_to=k) for k in pledges]


TEMPERAMENTS: dict[str, type[Bot]] = {"realist": Realist, "liberal": Liberal, "constructivist": Constructivist}


def policy(view: SeatView, seed: int, temperament: str | None = None) -> list[Command]:
    """The commands a bot playing `view`'s seat issues now (its own temperament unless given)."""
    if not isinstance(view, TeamView):
        raise TypeError(f"a bot plays an actor's seat, not {view.seat!r}")
    kind = temperament or view.me.temperament
    return TEMPERAMENTS[kind](view, seed).play()
