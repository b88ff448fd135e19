"""Counterfactual forks: the same game up to turn N, some orders replaced, then played on.

The fork keeps the original log up to the end of turn N's orders phase (so the same seed, the same
diplomacy and the same sealed orders), swaps in the replacement orders, and lets bots play every
seat from there, or stops there so teams can reopen it. With no replacement, a game that bots
played is reproduced event for event.

A reopened fork (`reopen`) is a live game: its orders phase starts again at the moment it is opened,
with the phase's full length (a fresh clock), so the original's past deadline is never adjudicated
without the teams. Opened with no server running, it waits paused with the full phase to play, and
the facilitator resumes it once the class is back.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from crisisgame.bots.seat import SCHEDULE, seat_commands
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import Orders, SubmitOrders
from crisisgame.engine.events import (
    ClockExtended,
    ClockPaused,
    ClockResumed,
    Event,
    GameCreated,
    GameEnded,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    PhasesSet,
    PhaseStarted,
    ProposalClosed,
    ReadyChanged,
    ServerDowntime,
)
from crisisgame.engine.game import Game
from crisisgame.simulate import Run, play_on


class ForkError(ValueError):
    """A fork that cannot be made, with the reason."""


def _orders_phase_event(e: Event) -> bool:
    """Events a command makes during the orders phase (as opposed to the adjudication that ends it)."""
    if isinstance(e, MessageSent | OrdersSubmitted | ReadyChanged | ClockPaused | ClockResumed | ClockExtended):
        return True
    if isinstance(e, ServerDowntime | PhasesSet):
        return True
    if isinstance(e, InjectReleased):
        return True
    if isinstance(e, Outcome):
        return e.reason.rule == "inject"
    return isinstance(e, ProposalClosed) and e.status == "withdrawn"


def fork_point(log: list[Event], turn: int) -> int:
    """Index just after turn `turn`'s orders phase in `log` (where its adjudication begins)."""
    starts = [i for i, e in enumerate(log) if isinstance(e, PhaseStarted) and e.turn == turn and e.phase == "orders"]
    if not starts:
        last = max((e.turn for e in log if isinstance(e, PhaseStarted)), default=0)
        raise ForkError(f"the game never reached turn {turn}'s orders (it has turns 1 to {last})")
    cut = starts[-1] + 1
    while cut < len(log) and _orders_phase_event(log[cut]):
        cut += 1
    return cut


def read_orders(path: str | Path) -> Orders:
    """Orders from a YAML file (the fields of an orders form: defence_spending, force, ...)."""
    try:
        data = YAML(typ="safe").load(Path(path).read_text(encoding="utf-8"))
        return Orders.model_validate(data or {})
    except OSError as exc:
        raise ForkError(f"{path}: cannot read: {exc.strerror}") from None
    except YAMLError as exc:
        raise ForkError(f"{path}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ForkError(f"{path}: not valid orders: {problems}") from None


def fork(log: list[Event], turn: int, replacements: dict[str, Orders], play: bool = True) -> list[Event]:
    """The forked game's log: bots play on to the original's last turn unless `play` is False."""
    created = log[0]
    if not isinstance(created, GameCreated):
        raise ForkError("the log does not start with game_created")
    cut = fork_point(log, turn)
    start = created.model_copy(update={"teams": []}) if play else created
    game = Game([start, *log[1:cut]], bots=seat_commands, schedule=SCHEDULE, keep_log=True)
    state = game.state
    for actor in replacements:
        if actor not in state.actors:
            raise ForkError(f"unknown actor '{actor}' (actors: {', '.join(state.actors)})")
    run = Run(game, now=state.deadline if state.deadline is not None else log[cut - 1].at)
    for actor, orders in sorted(replacements.items()):
        run.run(SubmitOrders(by=actor, orders=orders))
    if not play:
        return run.log
    ended = next((e for e in reversed(log) if isinstance(e, GameEnded)), None)
    last = ended.turn if ended is not None else max(e.turn for e in log if isinstance(e, PhaseStarted))
    return play_on(run, last).log


REASON_MAX = 300
"""Characters of a fork's reason kept in its title (a sentence, not an essay)."""


def fork_title(title: str, game: str, turn: int, reason: str) -> str:
    """The fork's name in the games list: the original's title, and where and why it forked."""
    reason = " ".join(reason.split())
    if not reason:
        raise ForkError("say why the game is forked (the reason is shown with the fork)")
    if len(reason) > REASON_MAX:
        raise ForkError(f"the reason is {len(reason)} characters; keep it to {REASON_MAX}")
    return f"{title} (fork of {game} at turn {turn}: {reason})"


def reopen(
    log: list[Event], turn: int, replacements: dict[str, Orders], now: float, paused: bool = False
) -> list[Event]:
    """The fork as a live game at `now`: turn `turn`'s orders phase starts again with its full length,
    or waits paused with that length still to play (`paused`: no server is running to keep time)."""
    events = fork(log, turn, replacements, play=False)
    state = fold(events)
    if state.phase != "orders":
        raise ForkError(
            f"the fork stopped in the {state.phase} phase of turn {state.turn}, not in turn {turn}'s orders"
        )
    length = float(state.scenario.turns.phases.orders)
    fresh: list[Event] = [PhaseStarted(at=now, turn=turn, phase="orders", deadline=None if paused else now + length)]
    if paused:
        fresh.append(ClockPaused(at=now, remaining=length))
    return [*events, *fresh]
