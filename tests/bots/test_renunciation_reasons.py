"""Computer players say why they renounce: the reason is made from the terms of their own ledger (what made
the agreement's value fall below the cost of leaving), so it names the real cause, and changes with it."""

from __future__ import annotations

import pytest

from crisisgame.bots.agreements import Valuer, agreement_orders, stated_reason
from crisisgame.engine.commands import Orders
from crisisgame.engine.constants import STATED_REASON_LENGTH
from crisisgame.engine.events import AgreementEnded, OrdersSubmitted
from crisisgame.engine.seatview import AgreementView
from crisisgame.engine.state import State, evolve
from crisisgame.simulate import play
from tests.bots.test_commitments import SEED, _expiring, _reading, _valuer
from tests.bots.test_statecraft_terms import _started, costly_world
from tests.engine.support import shipped

TEMPERAMENTS = ("realist", "liberal", "constructivist")


def _standing(state: State) -> State:
    """`state` with the guarantee of no fixed term (a bot lets a term that is running out lapse instead)."""
    return evolve(state, agreements={"guarantee": evolve(state.agreements["guarantee"], duration=None)})


def _entrapping(beta_intent: float = 0.9) -> State:
    """Gamma guarantees Alpha; Beta, which Gamma believes aggressive (`beta_intent`), does not threaten Gamma."""
    return _standing(_expiring({"GAMMA>UNION": 0.3, "GAMMA>BETA": 0.0}, {"GAMMA>BETA": beta_intent}))


def _estranged(beta_threat: float) -> State:
    """Alpha, under Gamma's guarantee against Beta (threat `beta_threat`), now sees Gamma as hostile and shares no
    identity with it any more: a constructivist's distrust weighs against what the guarantee protects it from.
    Alpha's objective of keeping the guarantee is not weighed (`bots.objective_weight` = 0): it would hold Alpha
    to the guarantee whatever the threat (tests/bots/test_objectives.py), and this is about the threat."""
    s = _standing(_expiring({"ALPHA>BETA": beta_threat}, {"ALPHA>GAMMA": 0.95}))
    gamma = evolve(s.actors["GAMMA"], identities=("absolute-monarchy",))
    rules = s.rules.model_copy(update={"bots": s.rules.bots.model_copy(update={"objective_weight": 0.0})})
    return evolve(s, actors=dict(s.actors) | {"GAMMA": gamma}, rules=rules)


def _guarantee(v: Valuer) -> AgreementView:
    return next(a for a in v.r.active() if a.id == "guarantee")


@pytest.mark.parametrize("temperament", TEMPERAMENTS)
def test_the_ledgers_terms_add_up_to_the_value_the_bot_decides_by(temperament: str) -> None:
    for state, seat in [
        (_entrapping(), "GAMMA"),
        (_entrapping(), "ALPHA"),
        (_estranged(0.02), "ALPHA"),
        (_estranged(0.8), "ALPHA"),
        (_standing(_expiring({"GAMMA>BETA": 0.8}, {"GAMMA>BETA": 0.9})), "GAMMA"),
    ]:
        v = _valuer(state, seat, temperament)
        ag = _guarantee(v)
        terms = v.terms(ag)
        assert sum(t.value for t in terms) == pytest.approx(v.value(ag), abs=1e-12)
        assert "other" not in {t.kind for t in terms}  # every part of the value is a named line of the ledger


class _Unnamed(Valuer):
    """A valuer whose value counts a part the ledger does not name (as a part added to `value` later would)."""

    def value(self, ag: AgreementView) -> float:
        return super().value(ag) - 1.0


def test_a_part_of_the_value_the_ledger_does_not_name_is_worded_as_the_bots_own_reasons() -> None:
    s = _standing(_expiring({"ALPHA>BETA": 0.8}))
    unweighed = s.rules.model_copy(update={"bots": s.rules.bots.model_copy(update={"objective_weight": 0.0})})
    base = _valuer(evolve(s, rules=unweighed), "ALPHA", "realist")  # (its largest gain: security, not its objective)
    v = _Unnamed(base.r, base.temperament, base.seed, base.bargainer)
    ag = _guarantee(v)
    terms = v.terms(ag)
    assert [t.value for t in terms if t.kind == "other"] == [pytest.approx(-1.0)]
    assert sum(t.value for t in terms) == pytest.approx(v.value(ag), abs=1e-12)
    why = stated_reason(v, ag)
    assert why.startswith("We rate it lower than its terms suggest, for reasons of our own; in return, it guards us")


def test_a_guarantor_that_would_be_entrapped_says_whose_fight_it_would_be_dragged_into() -> None:
    orders = agreement_orders(_reading(_entrapping(), "GAMMA"), "realist", SEED)
    assert orders["renounce"] == ["guarantee"]
    why = orders["renounce_reasons"]["guarantee"]
    assert why.startswith("It could drag us into Alpha's fight with Beta, which does not threaten us")
    v = _valuer(_entrapping(), "GAMMA", "realist")
    ag = _guarantee(v)
    worth = sum(t.value for t in v.terms(ag))
    assert f"all told it is worth {worth:+.2f} a turn to us, and leaving costs {v.exit_cost(ag):.2f} once" in why
    Orders(renounce=["guarantee"], renounce_reasons={"guarantee": why})  # a reason the engine takes as it is
    # Ablation: Beta no longer aggressive, the entrapment term is gone, and with it the renunciation.
    calm = agreement_orders(_reading(_entrapping(beta_intent=0.0), "GAMMA"), "realist", SEED)
    assert calm["renounce"] == []
    assert calm["renounce_reasons"] == {}


def test_a_protected_state_renounces_once_the_threat_it_was_guarded_against_is_low_and_says_so() -> None:
    """The guarantee protects Alpha from Beta; a constructivist Alpha that has come to distrust Gamma keeps it while
    Beta threatens it, and leaves once Beta's threat is low, naming both: the distrust and the faded threat."""
    faded = agreement_orders(_reading(_estranged(0.02), "ALPHA"), "constructivist", SEED)
    assert faded["renounce"] == ["guarantee"]
    why = faded["renounce_reasons"]["guarantee"]
    assert why.startswith("It binds us to Gamma, hostile to us and sharing none of our identities")
    assert "in return, it guards us against Beta, whose threat to us is 0.02 of 1" in why
    grave = agreement_orders(_reading(_estranged(0.8), "ALPHA"), "constructivist", SEED)
    assert grave["renounce"] == []  # the same distrust, outweighed while the threat is grave
    # Ablation: a realist does not weigh identities; the distrust term, and the renunciation, vanish.
    realist = _valuer(_estranged(0.02), "ALPHA", "realist")
    assert "distrust" not in {t.kind for t in realist.terms(_guarantee(realist))}
    assert agreement_orders(realist.r, "realist", SEED)["renounce"] == []


def test_a_spent_coalitions_reason_names_its_target_as_no_longer_hostile() -> None:
    s = _started(costly_world())
    calm = _reading(evolve(s, intent=dict(s.intent) | {"GAMMA>BETA": 0.1}), "GAMMA")
    why = agreement_orders(calm, "realist", SEED)["renounce_reasons"]["coalition"]
    assert why.startswith("The coalition's target, Beta, is no longer hostile to us")


def test_a_reason_with_long_names_still_fits_the_cap() -> None:
    s = _entrapping()
    long = {a: evolve(st, name=f"{st.name} " + "of the Very Long Official Name " * 5) for a, st in s.actors.items()}
    v = _valuer(evolve(s, actors=long), "GAMMA", "realist")
    why = stated_reason(v, _guarantee(v))
    assert len(why) <= STATED_REASON_LENGTH
    assert why.startswith("It could drag us into Alpha of the Very Long")
    Orders(renounce=["guarantee"], renounce_reasons={"guarantee": why})


def test_in_a_bot_game_every_renunciation_ends_with_the_reason_its_renouncer_gave() -> None:
    sc = next(x for x in shipped() if x.id == "horn-of-africa")
    log = play(sc, seed=3, turns=5).log
    orders = [e for e in log if isinstance(e, OrdersSubmitted)]
    given = {(ag, e.actor): why for e in orders for ag, why in e.orders.renounce_reasons.items()}
    ended = [e for e in log if isinstance(e, AgreementEnded) and e.cause == "renounced"]
    assert ended
    for e in ended:
        by = str(e.reason.inputs["by"])
        assert e.stated_reason == given[e.agreement, by]


def test_a_public_objective_is_named_in_the_reason_and_a_secret_one_never() -> None:
    """Alpha's public objective (keep Gamma's guarantee) is a line of its ledger, worded as its declared objectives;
    once any objective it weighs on agreements is secret, the line is worded as its own reasons only."""
    s = _standing(_expiring({"ALPHA>BETA": 0.8}))
    v = _valuer(s, "ALPHA", "realist")
    ag = _guarantee(v)
    assert [t.kind for t in v.terms(ag) if t.kind == "objectives"] == ["objectives"]
    unnamed = _Unnamed(v.r, v.temperament, v.seed, v.bargainer)
    assert "it serves the objectives we have declared" in stated_reason(unnamed, ag)
    alpha = s.scenario.actors[0]
    assert alpha.id == "ALPHA"
    hidden = [o.model_copy(update={"secret": True}) for o in alpha.objectives]
    actors = [alpha.model_copy(update={"objectives": hidden}), *s.scenario.actors[1:]]
    secret = _valuer(evolve(s, scenario=s.scenario.model_copy(update={"actors": actors})), "ALPHA", "realist")
    assert any(t.kind == "objectives" and t.value > 0 for t in secret.terms(_guarantee(secret)))  # (weighed still)
    secret_unnamed = _Unnamed(secret.r, secret.temperament, secret.seed, secret.bargainer)
    why = stated_reason(secret_unnamed, _guarantee(secret_unnamed))
    assert "objective" not in why
