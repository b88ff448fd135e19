"""Proposition 11, calibration of alliance reliability (leeds2000)."""

from __future__ import annotations

from functools import partial

from crisisgame.engine.state import State, evolve
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import Run, play
from tests.conftest import SHIPPED
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 9
TURNS = 6
BAND = (0.65, 0.85)
LEEDS = 0.745


def answers(game: Run) -> list[tuple[int, str, str, bool, float]]:
    """(turn, guarantor, call, honoured, reputation before) for every answered call (step 7)."""
    out = []
    for e in w.outcomes(game.log, "alliance.answer"):
        before = e.reason.inputs["reputation_before"]
        assert isinstance(before, float)
        for change in (c for c in e.changes if c.field.startswith("answer:")):  # one answer may cover several calls
            out.append((e.turn, change.field.removeprefix("answer:"), change.key, bool(change.value), before))
    return out


def keep(snapshots: dict[int, State], game: Run) -> None:
    """Keep the state at the end of each turn (on_turn of `play`)."""
    snapshots[game.state.turn] = game.state


def next_turn(snapshots: dict[int, State], turn: int, guarantor: str, reputation: float) -> State:
    """Turn `turn` + 1 adjudicated again from the end of `turn`, with the guarantor's reputation set."""
    s = snapshots[turn]
    actors = dict(s.actors)
    actors[guarantor] = evolve(actors[guarantor], reputation=reputation)
    orders = snapshots[turn + 1].revealed.get(turn + 1, {})
    after, _ = w.advance(evolve(s, actors=actors), orders)
    return after


def test_commitments_are_honoured_about_three_times_in_four_and_defaulters_are_believed_less() -> None:
    """Proposition 11 (leeds2000): across many bot games on the shipped scenarios, invoked commitments
    are honoured 65-85% of the time (Leeds et al. 2000: 74.5%), and a state that has defaulted is
    believed less (its partners' abandonment fear rises).

    Experiment: 9 seeds x the 3 shipped scenarios, 6 bot-played turns each (27 games); every answer
    to an invoked commitment (step 7) counts, at least 200 in all. Margin: the pooled honour rate's
    99% interval (cluster-robust standard error over games, z = 2.576) inside [0.65, 0.85].
    Defaults: for each guarantor that only abandoned calls in a turn, the next turn is adjudicated
    twice from the same state and orders, with its reputation after the default (as played) and with
    its reputation before it (the counterfactual). Margin: the paired differences (before - after) in
    what others believe about its help to each partner it abandoned (q, step 5), and (after - before)
    in the abandonment fear of each state it protects, each more than 3 standard errors above 0.
    """
    honoured_by_game: list[float] = []
    answered_by_game: list[float] = []
    believed_less: list[float] = []
    feared_more: list[float] = []
    defaults = 0
    for path in SHIPPED:
        sc = load_scenario(path)
        for seed in range(SEEDS):
            snapshots: dict[int, State] = {}
            game = play(sc, seed, turns=TURNS, on_turn=partial(keep, snapshots))
            answered = answers(game)
            honoured_by_game.append(sum(ok for *_, ok, _ in answered))
            answered_by_game.append(len(answered))
            turns: dict[tuple[int, str], list[tuple[str, bool, float]]] = {}
            for turn, guarantor, call, ok, before in answered:
                turns.setdefault((turn, guarantor), []).append((call, ok, before))
            for (turn, guarantor), calls in sorted(turns.items()):
                if turn >= TURNS or any(ok for _, ok, _ in calls):
                    continue
                defaults += 1
                callers = sorted({snapshots[turn].calls[call].caller for call, _, _ in calls})
                partners = sorted(p for p in snapshots[turn].actors if guarantor in snapshots[turn].allies_of(p))
                played = next_turn(snapshots, turn, guarantor, snapshots[turn].actors[guarantor].reputation)
                counterfactual = next_turn(snapshots, turn, guarantor, calls[0][2])
                believed_less.extend(
                    counterfactual.credibility_of(guarantor, c) - played.credibility_of(guarantor, c) for c in callers
                )
                feared_more.extend(
                    played.actors[p].abandonment_fear - counterfactual.actors[p].abandonment_fear for p in partners
                )
    rate = stats.ratio(honoured_by_game, answered_by_game)
    low, high = rate.mean - stats.Z99 * rate.se, rate.mean + stats.Z99 * rate.se
    credibility_drop = stats.mean(believed_less)
    fear_rise = stats.mean(feared_more)
    stats.report(
        "P11",
        answers=int(sum(answered_by_game)),
        honoured=int(sum(honoured_by_game)),
        rate=rate,
        interval_99=f"[{low:.3f}, {high:.3f}]",
        wilson_99=tuple(round(x, 3) for x in stats.wilson(int(sum(honoured_by_game)), int(sum(answered_by_game)))),
        defaulting_guarantor_turns=defaults,
        partners_measured=len(feared_more),
        partners_more_afraid=sum(x > 0 for x in feared_more),
        partners_less_afraid=sum(x < 0 for x in feared_more),
        credibility_drop=credibility_drop,
        fear_rise=fear_rise,
    )
    assert sum(answered_by_game) >= 200, f"only {sum(answered_by_game):.0f} invoked commitments counted"
    why = f"honour rate {rate} (Leeds et al. 2000: {LEEDS}); 99% interval [{low:.3f}, {high:.3f}]"
    assert low >= BAND[0], f"{why} reaches below {BAND[0]}"
    assert high <= BAND[1], f"{why} reaches above {BAND[1]}"
    stats.assert_positive(credibility_drop, "q for the abandoned partners: before the default - after")
    stats.assert_positive(fear_rise, "partners' abandonment fear: after the default - before")
