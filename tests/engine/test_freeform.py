"""Free-form actions through `engine.Game`: argued, counter-argued, rated, rolled and applied."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pydantic import TypeAdapter, ValidationError

from crisisgame.bots import UNREAD
from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine import Game
from crisisgame.engine.chance import draw
from crisisgame.engine.commands import (
    Advance,
    ApplyAction,
    Command,
    CounterArgument,
    FireInject,
    FreeformAction,
    RateAction,
    Release,
    Rollback,
    SetFreeform,
)
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import FreeformApplied, FreeformProposed, FreeformRated, GameCreated, Outcome
from crisisgame.engine.freeform import suggested_chance
from crisisgame.engine.state import evolve
from crisisgame.engine.view import view
from crisisgame.scenario.model import Effect, scenario_dict
from tests.engine.support import FAC, check_log, replayed, trio

STRONG = "Our navy has rehearsed exactly this for a decade and the strait is within range of our bases."
EFFECT = TypeAdapter(Effect)


def new(seed: int = 3, auto_release: bool = True) -> Game:
    created = GameCreated(
        scenario=scenario_dict(trio()), seed=seed, teams=["ALPHA", "BETA", "GAMMA"], auto_release=auto_release
    )
    game = Game([created], keep_log=True)
    for _ in range(3):
        game.handle(Advance(by=FAC), 0.0)
    assert game.state.phase == "orders"
    return game


def act(game: Game, by: str = "ALPHA", *, public: bool = True, arguments: list[str] | None = None) -> str:
    step = game.handle(
        FreeformAction(
            by=by,
            what="Open a humanitarian corridor",
            intended_effect="BETA's public turns against the blockade",
            arguments=arguments or [STRONG],
            public=public,
        ),
        1.0,
    )
    made = step.events[0]
    assert isinstance(made, FreeformProposed)
    return made.id


def to_results(game: Game) -> None:
    game.handle(Advance(by=FAC), 2.0)
    assert game.state.phase == "results"


def approval_down(actor: str = "BETA", delta: float = -0.2) -> Effect:
    return EFFECT.validate_python({"kind": "approval", "actor": actor, "delta": delta})


def refused(game: Game, command: Command, code: str) -> str:
    with pytest.raises(Rejected) as info:
        game.handle(command, 3.0)
    assert info.value.code == code, info.value.reason
    return info.value.reason


def test_an_action_argued_countered_rated_rolled_and_applied_changes_the_state_like_an_inject() -> None:
    game = new()
    aid = act(game)
    game.handle(CounterArgument(by="BETA", action_id=aid, text="Our coast guard will not let anyone through."), 1.5)
    to_results(game)
    assert not game.state.released, "a turn with free-form actions waits for the facilitator's review"
    before = game.state.actors["BETA"].approval
    rated = game.handle(RateAction(by=FAC, action_id=aid, chance=1.0, reason="overwhelming naval superiority"), 3.0)
    rating = rated.events[0]
    assert isinstance(rating, FreeformRated)
    assert rating.success
    assert rating.chance == 1.0
    assert rating.draw == draw(3, game.state.turn, f"freeform|{aid}")
    applied = game.handle(ApplyAction(by=FAC, action_id=aid, effects=[approval_down()], reason="images of aid"), 4.0)
    assert isinstance(applied.events[0], FreeformApplied)
    outcome = applied.events[1]
    assert isinstance(outcome, Outcome)
    assert outcome.reason.rule == "freeform.effect"
    assert game.state.actors["BETA"].approval == pytest.approx(max(0.0, before - 0.2))
    # Teams see nothing of the rating before release, and everything after.
    assert view(game.state, "GAMMA").freeform[0].rating is None
    assert all(e.type == "freeform_applied" or e.type == "outcome" for e in applied.events)
    assert not any(shown for _, shown in applied.visible("GAMMA"))
    game.handle(Release(by=FAC), 5.0)
    seen = view(game.state, "GAMMA").freeform[0]
    assert seen.rating is not None
    assert seen.applied is not None
    assert seen.counters[0].actor == "BETA"
    assert game.log is not None
    check_log(game.log, game.state)


def test_the_roll_is_the_seeded_draw_for_the_action_and_replays() -> None:
    outcomes = []
    for _ in range(2):
        game = new(seed=11)
        aid = act(game)
        to_results(game)
        step = game.handle(RateAction(by=FAC, action_id=aid, chance=0.5, reason="even odds"), 3.0)
        rating = step.events[0]
        assert isinstance(rating, FreeformRated)
        assert rating.success == (draw(11, rating.turn, f"freeform|{aid}") < 0.5)
        outcomes.append((aid, rating.draw, rating.success))
        assert game.log is not None
        assert replayed(game.log).freeform[aid].rating == rating
    assert outcomes[0] == outcomes[1]
    # Another seed draws another number for the same decision.
    other = new(seed=12)
    other_id = act(other)
    to_results(other)
    rating = other.handle(RateAction(by=FAC, action_id=other_id, reason="even odds", chance=0.5), 3.0).events[0]
    assert isinstance(rating, FreeformRated)
    assert rating.draw != outcomes[0][1]


def test_suggested_chance_follows_the_arguments_and_is_accepted_when_no_chance_is_given() -> None:
    game = new()
    rules = game.state.rules.freeform
    aid = act(game, arguments=[STRONG, STRONG, "weak"])
    action = game.state.freeform[aid]
    assert suggested_chance(game.state, action) == pytest.approx(
        rules.base_chance + rules.argument_weight * (2 + rules.weak_share)
    )
    game.handle(CounterArgument(by="BETA", action_id=aid, text=STRONG), 1.2)
    game.handle(CounterArgument(by="GAMMA", action_id=aid, text=STRONG), 1.3)
    action = game.state.freeform[aid]
    assert suggested_chance(game.state, action) == pytest.approx(
        rules.base_chance + rules.argument_weight * rules.weak_share
    )
    to_results(game)
    rating = game.handle(RateAction(by=FAC, action_id=aid, reason="accept the table"), 3.0).events[0]
    assert isinstance(rating, FreeformRated)
    assert rating.chance == rating.suggested == suggested_chance(game.state, action)


def test_the_suggested_chance_stays_within_its_bounds() -> None:
    game = new()
    aid = act(game, arguments=[STRONG, STRONG, STRONG])
    rules = game.state.rules.freeform.model_copy(update={"argument_weight": 0.5})
    state = game.state
    strong_rules = state.rules.model_copy(update={"freeform": rules})
    assert suggested_chance(evolve(state, rules=strong_rules), state.freeform[aid]) == rules.max_chance


def test_rejections_have_codes_and_reasons() -> None:
    game = new()
    # Only teams submit actions and counter-arguments; only the facilitator rates and applies.
    refused(game, FreeformAction(by=FAC, what="xyz", intended_effect="xyz", arguments=["xyz"]), "seat")
    aid = act(game)
    refused(game, RateAction(by="BETA", action_id=aid, reason="I like it"), "seat")
    refused(game, ApplyAction(by="BETA", action_id=aid, effects=[approval_down()], reason="mine"), "seat")
    refused(game, CounterArgument(by="ALPHA", action_id=aid, text="my own"), "invalid")
    refused(game, CounterArgument(by="BETA", action_id="f-nope", text="nothing"), "no_such_action")
    game.handle(CounterArgument(by="BETA", action_id=aid, text="once"), 1.5)
    refused(game, CounterArgument(by="BETA", action_id=aid, text="twice"), "already")
    # A private action is invisible to the others: countering it is refused as if it did not exist.
    secret = act(game, public=False)
    assert "no free-form action" in refused(
        game, CounterArgument(by="GAMMA", action_id=secret, text="nope"), "no_such_action"
    )
    # The rules' limit per team and turn.
    reason = refused(
        game, FreeformAction(by="ALPHA", what="a third", intended_effect="more", arguments=["x" * 9]), "invalid"
    )
    assert "2" in reason
    # Not yet in the review.
    refused(game, RateAction(by=FAC, action_id=aid, reason="too early"), "phase")
    # Counter-arguments can be switched off per game.
    game.handle(SetFreeform(by=FAC, counter_arguments=False), 1.8)
    refused(game, CounterArgument(by="GAMMA", action_id=aid, text="not now"), "invalid")
    refused(game, SetFreeform(by=FAC, counter_arguments=False), "already")
    to_results(game)
    refused(game, FreeformAction(by="BETA", what="late", intended_effect="late", arguments=["late"]), "phase")
    refused(game, ApplyAction(by=FAC, action_id=aid, effects=[approval_down()], reason="not rolled"), "invalid")
    game.handle(RateAction(by=FAC, action_id=aid, chance=0.0, reason="impossible"), 3.0)
    refused(game, RateAction(by=FAC, action_id=aid, chance=1.0, reason="again"), "already")
    refused(game, ApplyAction(by=FAC, action_id=aid, effects=[approval_down()], reason="it failed"), "invalid")
    game.handle(RateAction(by=FAC, action_id=secret, chance=1.0, reason="certain"), 3.2)
    escalate = EFFECT.validate_python({"kind": "escalate", "actor": "ALPHA", "target": "BETA", "level": "war"})
    assert "order it" in refused(
        game, ApplyAction(by=FAC, action_id=secret, effects=[escalate], reason="war"), "invalid"
    )
    stranger = approval_down(actor="NOBODY")
    refused(game, ApplyAction(by=FAC, action_id=secret, effects=[stranger], reason="who"), "unknown")
    game.handle(ApplyAction(by=FAC, action_id=secret, effects=[approval_down("ALPHA", 0.1)], reason="fine"), 3.3)
    refused(game, ApplyAction(by=FAC, action_id=secret, effects=[approval_down()], reason="again"), "already")
    game.handle(Release(by=FAC), 4.0)
    refused(game, RateAction(by=FAC, action_id=aid, reason="after release"), "phase")


def test_lengths_are_checked_by_the_command_model() -> None:
    with pytest.raises(ValidationError):
        FreeformAction(by="ALPHA", what="x" * 201, intended_effect="fine", arguments=["fine"])
    with pytest.raises(ValidationError):
        FreeformAction(by="ALPHA", what="fine", intended_effect="fine", arguments=["a", "b", "c", "d"])
    with pytest.raises(ValidationError):
        CounterArgument(by="BETA", action_id="f", text="y" * 601)


def test_live_events_reach_the_seats_that_may_see_the_action() -> None:
    game = new()
    shown = game.handle(
        FreeformAction(by="ALPHA", what="Quiet talks", intended_effect="calm", arguments=["we can"], public=False), 1.0
    )
    assert [bool(shown.visible(seat)) for seat in ("ALPHA", "BETA", "observer", FAC)] == [True, False, False, True]
    aid = act(game)
    countered = game.handle(CounterArgument(by="BETA", action_id=aid, text="no chance"), 1.2)
    assert all(countered.visible(seat) for seat in ("ALPHA", "BETA", "GAMMA", "observer"))
    to_results(game)
    rated = game.handle(RateAction(by=FAC, action_id=aid, chance=1.0, reason="sure"), 3.0)
    assert not rated.visible("ALPHA")
    assert rated.visible(FAC)
    released = game.handle(Release(by=FAC), 4.0)
    assert released.refresh, "teams get a fresh view with the ratings when results are released"


def test_a_private_action_and_its_effects_reach_only_its_team_and_control() -> None:
    game = new()
    secret = act(game, public=False)
    assert [a.id for a in view(game.state, "ALPHA").freeform] == [secret]
    assert view(game.state, "BETA").freeform == []
    assert view(game.state, "observer").freeform == []
    to_results(game)
    game.handle(RateAction(by=FAC, action_id=secret, chance=1.0, reason="certain"), 3.0)
    step = game.handle(ApplyAction(by=FAC, action_id=secret, effects=[approval_down("BETA")], reason="fine"), 3.1)
    game.handle(Release(by=FAC), 4.0)
    assert all("freeform" not in e.reason.rule for e in view(game.state, "BETA").outcomes if isinstance(e, Outcome))
    assert any(
        isinstance(e, Outcome) and e.reason.rule == "freeform.effect" for e in view(game.state, "ALPHA").outcomes
    )
    assert step.events[1] in view(game.state, FAC).outcomes


def test_a_game_without_free_form_actions_still_releases_its_results_automatically() -> None:
    game = new()
    to_results(game)
    assert game.state.released


def test_a_self_releasing_game_holds_results_for_review_only_until_the_results_deadline() -> None:
    """A game that releases results itself holds a turn with free-form actions for the facilitator's
    review, but not past the results deadline: the clock then releases them (unrated actions lapse),
    so a class never waits on an absent facilitator. A game released by hand still waits."""
    game = new()
    act(game)
    to_results(game)
    assert not game.state.released
    assert game.state.deadline is not None
    deadline = game.state.deadline
    assert game.next_wakeup() == deadline
    assert game.tick(deadline - 1.0) is None
    step = game.tick(deadline)
    assert step is not None
    assert step.source == "clock"
    assert game.state.released
    assert game.state.phase == "results"

    by_hand = new(auto_release=False)
    act(by_hand)
    to_results(by_hand)
    assert by_hand.state.deadline is not None
    assert by_hand.tick(by_hand.state.deadline + 60.0) is None
    assert not by_hand.state.released


def test_rollback_forgets_the_turns_actions() -> None:
    game = new()
    act(game)
    game.handle(Rollback(by=FAC, reason="start the turn again"), 2.0)
    assert game.state.freeform == {}


def test_effects_take_the_injects_path_the_same_changes_as_an_ad_hoc_inject() -> None:
    effects = [
        approval_down("BETA", -0.3),
        EFFECT.validate_python({"kind": "intent", "of": ["GAMMA", "ALPHA"], "toward": "BETA", "delta": 0.25}),
        EFFECT.validate_python({"kind": "capability", "actor": "BETA", "component": "milex", "factor": 0.9}),
    ]
    game = new()
    aid = act(game)
    to_results(game)
    twin = Game.from_state(game.state)
    game.handle(RateAction(by=FAC, action_id=aid, chance=1.0, reason="certain"), 3.0)
    applied = game.handle(ApplyAction(by=FAC, action_id=aid, effects=effects, reason="as argued"), 3.1)
    injected = twin.handle(FireInject(by=FAC, title="Corridor", text="A corridor opens.", effects=effects), 3.1)
    ours = [ch for e in applied.events if isinstance(e, Outcome) for ch in e.changes]
    theirs = [ch for e in injected.events if isinstance(e, Outcome) for ch in e.changes]
    assert ours == theirs
    assert len(ours) == 4
    for field in ("approval", "milex"):
        assert getattr(game.state.actors["BETA"], field) == getattr(twin.state.actors["BETA"], field)
    assert game.state.intent == twin.state.intent


def test_a_scenario_can_turn_free_form_actions_off() -> None:
    scenario = scenario_dict(trio())
    scenario["rules"] = {**scenario.get("rules", {}), "freeform": {"max_actions": 0}}
    created = GameCreated(scenario=scenario, seed=3, teams=["ALPHA", "BETA", "GAMMA"])
    game = Game([created])
    for _ in range(3):
        game.handle(Advance(by=FAC), 0.0)
    command = FreeformAction(by="ALPHA", what="Anything", intended_effect="more", arguments=["because"])
    assert "off in this game" in refused(game, command, "invalid")


@pytest.mark.parametrize("unread", [UNREAD, frozenset({"message_sent"})], ids=["bots", "ablation"])
def test_arguing_a_free_form_action_wakes_no_bot(unread: frozenset[str]) -> None:
    """Bots read no free-form action (Control adjudicates them): one wakes none. The ablation, a schedule
    that reads them, shows the same action wake the bots for another round."""
    created = GameCreated(scenario=scenario_dict(trio()), seed=3, teams=["ALPHA"])
    game = Game([created], bots=seat_commands, schedule=replace(SCHEDULE, unread=unread))
    for _ in range(3):
        game.handle(Advance(by=FAC), 0.0)
    for t in range(1, 10):
        game.run_until(float(t))  # the bots open the orders phase and finish their rounds
    assert game.bots_idle()
    game.handle(FreeformAction(by="ALPHA", what="Quiet talks", intended_effect="calm", arguments=["we can"]), 10.0)
    assert game.bots_idle() == (unread == UNREAD)


def test_a_free_form_action_changes_no_bots_decision() -> None:
    """Why bots may leave free-form events unread: they change a bot's view only in `freeform` (and its
    seq, and the setting), and no temperament's policy reads either."""
    from crisisgame.bots import policy

    game = new()
    before = game.state
    aid = act(game)
    game.handle(CounterArgument(by="BETA", action_id=aid, text="no chance"), 1.2)
    game.handle(SetFreeform(by=FAC, counter_arguments=False), 1.3)
    for actor in before.actors:
        old = view(before, actor, history=False)
        new_view = view(game.state, actor, history=False)
        changed = {k for k, v in old.model_dump().items() if new_view.model_dump()[k] != v}
        assert changed == {"game", "freeform", "counter_arguments"}
        patched = old.model_copy(update={"freeform": new_view.freeform, "counter_arguments": False})
        assert policy(patched, 5) == policy(old, 5)
