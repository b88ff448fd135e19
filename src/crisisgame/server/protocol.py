"""The wire protocol: every JSON message between browser and server, defined once.

Messages are pydantic models discriminated by `type`. The browser client and the docs use the
JSON Schema exported from these models (`crisisgame protocol-schema`). Every message the server
sends about a game carries that game's sequence number `seq`, so a client that reconnects with
its last `seq` gets exactly what it missed (or, across two views or more, the newest view and what
followed it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic_core import to_json

from crisisgame.engine.events import Event
from crisisgame.engine.seatview import MessagePage, OutcomePage, View

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 64 * 1024
"""Largest frame a client may send; larger ones close the connection with 1009."""
MAX_FACILITATOR_MESSAGE_BYTES = 640 * 1024
"""Largest frame once signed in as the facilitator, whose scenario uploads are up to 256 KiB of
YAML (JSON escapes its line breaks, so a frame is somewhat larger than the file)."""


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- client -> server


class Join(_Msg):
    """A student joins a team (or the observers) with a join code and a display name."""

    type: Literal["join"]
    code: Annotated[str, Field(min_length=4, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=40)]


class Resume(_Msg):
    """Reconnect with a session token; `last_seq` asks for what was missed since."""

    type: Literal["resume"]
    token: Annotated[str, Field(min_length=10, max_length=100)]
    last_seq: Annotated[int, Field(ge=0)] | None = None


class Facilitate(_Msg):
    """The facilitator signs in with the server's facilitator token (printed at start-up)."""

    type: Literal["facilitate"]
    token: Annotated[str, Field(min_length=10, max_length=100)]
    game: str | None = Field(None, description="Open this game's console (or only the lobby).")
    last_seq: Annotated[int, Field(ge=0)] | None = None


class SendCommand(_Msg):
    """A game command (see `crisisgame.engine.commands`); the server fills in who sent it."""

    type: Literal["command"]
    id: Annotated[str, Field(min_length=1, max_length=64)] = Field(description="Echoed in the ack or error.")
    command: dict[str, Any]


class PhaseLengths(_Msg):
    """Phase lengths in seconds for one game (the bounds of a scenario's `turns.phases`)."""

    briefing: Annotated[int, Field(ge=0, le=7200)] | None = None
    diplomacy: Annotated[int, Field(ge=30, le=7200)] | None = None
    orders: Annotated[int, Field(ge=30, le=7200)] | None = None
    results: Annotated[int, Field(ge=0, le=7200)] | None = None


class CreateGame(_Msg):
    type: Literal["create_game"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    scenario: Annotated[str, Field(min_length=1, max_length=200)]
    teams: list[str] = Field(description="Actors played by teams; every other actor is played by a bot.")
    seed: Annotated[int, Field(ge=0, le=2**53)] | None = None
    auto_release: bool = True
    phases: PhaseLengths | None = Field(
        None, description="This game's phase lengths in seconds; a phase left out keeps the scenario's."
    )


class ListGames(_Msg):
    type: Literal["list_games"]
    id: Annotated[str, Field(min_length=1, max_length=64)]


class ListScenarios(_Msg):
    type: Literal["list_scenarios"]
    id: Annotated[str, Field(min_length=1, max_length=64)]


class Members(_Msg):
    type: Literal["members"]
    id: Annotated[str, Field(min_length=1, max_length=64)]


class Reseat(_Msg):
    """The facilitator moves a student to another seat, or removes them (`seat: null`)."""

    type: Literal["reseat"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    member: Annotated[str, Field(min_length=8, max_length=100)] = Field(description="The member id from `members`.")
    seat: str | None


class Report(_Msg):
    """A game's debrief as HTML (in the reply's `html`): the facilitator may ask for any edition; a team or
    the observers may ask for the student edition of their own game once the facilitator has released it."""

    type: Literal["report"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    game: str | None = Field(None, description="A stored game's id (default: the game being run).")
    edition: Literal["full", "summary", "student"] = Field(
        "full",
        description="full: the complete record (facilitator only); summary: the two-page summary with every "
        "secret (facilitator only); student: the summary without secrets or private messages.",
    )
    release: bool = Field(
        False, description="Facilitator only, with edition 'student': release it to every seat of the game."
    )
    runs: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None,
        description="Facilitator only, with edition 'summary' or 'student': also play this many bot games from the "
        "game's start and show where the class falls among them; `progress` messages follow the runs.",
    )


class Fork(_Msg):
    """The facilitator forks a stored game at turn N: a new live game in which turn N's orders phase starts
    again with a fresh clock, with its own join codes."""

    type: Literal["fork"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    game: str | None = Field(None, description="The game to fork (default: the game being run).")
    turn: Annotated[int, Field(ge=1)] = Field(description="The turn whose orders phase the fork reopens.")
    reason: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="Why the game is forked; shown in the fork's title."
    )


class History(_Msg):
    """Older messages of one channel than those the seat's view holds (a view carries the newest only)."""

    type: Literal["history"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    channel: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="'public', or 'private:A,B' / 'group:A,B,C' (the members, sorted, the sender included)."
    )
    before: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        None, description="The id of the oldest message the client holds (none: the newest messages)."
    )
    limit: Annotated[int, Field(ge=1, le=100)] = 100


class OutcomeHistory(_Msg):
    """Every released result of one turn, its revealed orders and its proposals, as far as the seat may see
    them: a view carries the newest results only (`older_outcomes` counts the rest by turn), the newest
    turns' orders, and the open and the last turns' proposals (`older_proposals` counts the rest by turn)."""

    type: Literal["outcome_history"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    turn: Annotated[int, Field(ge=0, le=1000)] = Field(description="The turn whose results to send.")


class RotateCodes(_Msg):
    """The facilitator replaces join codes (after removing a student, or a code seen by the wrong
    people): the old codes stop working at once; students already in keep their sessions."""

    type: Literal["rotate_codes"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    game: str | None = Field(None, description="A game's id (default: the game being run).")
    seat: str | None = Field(None, description="Only this seat's code (default: every seat's).")


class UploadScenario(_Msg):
    """The facilitator uploads a scenario file; the reply lists every error (line, column, message,
    hint), or, if there are none, the scenario as the catalogue now lists it."""

    type: Literal["upload_scenario"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(max_length=300_000)] = Field(description="The YAML file's text (UTF-8).")
    name: Annotated[str, Field(max_length=200)] = Field("upload.yaml", description="The file's name, for messages.")


class Teammates(_Msg):
    """A student asks who else plays their seat, and who of them is online (the "Now" panel)."""

    type: Literal["teammates"]
    id: Annotated[str, Field(min_length=1, max_length=64)]


class Ping(_Msg):
    """A heartbeat: the server answers with a `pong` carrying its clock (the client's `t` echoed), so
    a client notices a dead link and keeps its estimate of the server's clock fresh."""

    type: Literal["ping"]
    t: Annotated[float, Field(ge=0, le=1e13)] | None = Field(None, description="The client's clock when sent.")


ClientMessage = Annotated[
    Join
    | Resume
    | Facilitate
    | SendCommand
    | CreateGame
    | ListGames
    | ListScenarios
    | Members
    | Reseat
    | Report
    | History
    | OutcomeHistory
    | RotateCodes
    | UploadScenario
    | Teammates
    | Fork
    | Ping,
    Field(discriminator="type"),
]
CLIENT_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


# --------------------------------------------------------------------------- server -> client


class Welcome(_Msg):
    type: Literal["welcome"] = "welcome"
    v: int = PROTOCOL_VERSION
    game: str | None
    seat: str
    name: str
    token: str | None = Field(None, description="Session token to resume with; sent on join only.")
    seq: int
    now: float | None = Field(None, description="The server's clock (Unix seconds) when sent: deadlines use it.")


class ViewMsg(_Msg):
    """Everything the seat may see, as of `seq` (sent on connect, at phase changes, and to resync)."""

    type: Literal["view"] = "view"
    game: str
    seq: int
    view: View = Field(
        description="A `FacilitatorView` for Control, a `TeamView` for a team, a `SeatView` for the plenary screen."
    )


def view_message(game: str, seq: int, view: bytes) -> bytes:
    """`ViewMsg(game=game, seq=seq, view=v).model_dump_json()`, byte for byte, given the view's own JSON
    (`view_json`, which encodes what every seat shares once): serialising through the message model
    encodes the view again, through the `View` union, at twice the cost of the view itself."""
    return b'{"type":"view","game":%s,"seq":%d,"view":%s}' % (to_json(game), seq, view)


class EventMsg(_Msg):
    """One event the seat may see, in order."""

    type: Literal["event"] = "event"
    game: str
    seq: int
    event: Event = Field(description="The event, or the part of it this seat may see (an outcome's own changes).")


def event_message(game: str, seq: int, event: Event) -> bytes:
    """`EventMsg(game=game, seq=seq, event=event).model_dump_json()`, byte for byte, without building
    the message model: the server sends one per event and audience, and validating an event that
    the engine built already was a good part of a broadcast's cost."""
    return b'{"type":"event","game":%s,"seq":%d,"event":%s}' % (to_json(game), seq, to_json(event))


class Ack(_Msg):
    type: Literal["ack"] = "ack"
    id: str
    game: str
    seq: int
    repeat: bool = Field(
        False, description="The command was applied before under this id (a retry): it was not applied again."
    )


def ack_message(ident: str, game: str, seq: int, repeat: bool = False) -> bytes:
    """`Ack(id=ident, game=game, seq=seq, repeat=repeat).model_dump_json()`, byte for byte, without
    building the model: every command is acknowledged, so this is on the hot path too."""
    return b'{"type":"ack","id":%s,"game":%s,"seq":%d,"repeat":%s}' % (
        to_json(ident),
        to_json(game),
        seq,
        b"true" if repeat else b"false",
    )


ErrorCode = Literal[
    "invalid_json",
    "invalid_message",
    "not_signed_in",
    "unknown_code",
    "unknown_token",
    "forbidden",
    "rejected",
    "rate_limited",
    "not_found",
    "conflict",
    "server_error",
]


class Error(_Msg):
    """A structured error: a stable `code`, a human `message`, and the field at fault if any."""

    type: Literal["error"] = "error"
    id: str | None = None
    code: ErrorCode
    message: str
    field: str | None = None
    seq: int | None = None


class ScenarioActor(_Msg):
    id: str
    name: str
    playable: bool


class ScenarioEntry(_Msg):
    id: str
    title: str
    region: str
    actors: list[ScenarioActor]
    priority: list[str] = Field(description="The order in which to fill seats when there are fewer teams.")
    minimum: int = Field(description="The fewest teams the scenario works with.")
    source: Literal["shipped", "uploaded"] = Field(description="Shipped with crisisgame, or uploaded by a facilitator.")


class ScenarioList(_Msg):
    """The answer to `list_scenarios`: the shipped scenarios."""

    scenarios: list[ScenarioEntry]


class GameEntry(_Msg):
    id: str
    scenario: str
    title: str
    created: float = Field(description="Unix time.")
    seq: int
    phase: str
    codes: dict[str, str] = Field(description="Join codes by seat.")


class GameList(_Msg):
    """The answer to `list_games`: every stored game, ended ones included."""

    games: list[GameEntry]


class GameMade(_Msg):
    """The answer to `create_game`."""

    game: str
    codes: dict[str, str] = Field(description="Join codes by seat (each team, and `observer`).")
    seed: int


class MemberEntry(_Msg):
    member: str = Field(description="The member id, for `reseat`.")
    seat: str
    name: str
    active: bool
    online: bool


class MemberList(_Msg):
    """The answer to `members`."""

    members: list[MemberEntry]


class Reseated(_Msg):
    """The answer to `reseat`."""

    member: str
    seat: str | None


class ReportPage(_Msg):
    """The answer to `report`: the after-action report as an HTML page."""

    game: str
    html: str


class ForkMade(_Msg):
    """The answer to `fork`: the new game, live in the server."""

    game: str
    codes: dict[str, str] = Field(description="Join codes by seat (each team, and `observer`).")
    forked_from: str = Field(description="The game it was forked from.")
    turn: int = Field(description="The turn whose orders phase it reopens.")
    title: str = Field(description="Its title: the original's, with the turn and the reason.")


class CodesRotated(_Msg):
    """The answer to `rotate_codes`: every seat's join code now (the old ones no longer work)."""

    game: str
    codes: dict[str, str] = Field(description="Join codes by seat.")


class UploadProblem(_Msg):
    """One error in an uploaded scenario, located where the author can fix it."""

    line: int = Field(description="1-based line of the file.")
    column: int = Field(description="1-based column.")
    message: str
    hint: str | None


class UploadResult(_Msg):
    """The answer to `upload_scenario`: the scenario as the catalogue now lists it, or every error."""

    scenario: ScenarioEntry | None = Field(description="The stored scenario; none if the file has errors.")
    errors: list[UploadProblem]


class Teammate(_Msg):
    name: str = Field(description="The student's display name.")
    online: bool
    you: bool = Field(description="Whether this is the student who asked.")


class TeammateList(_Msg):
    """The answer to `teammates`: who plays the asker's seat, and who is connected."""

    seat: str
    members: list[Teammate]


ReplyData = (
    ScenarioList
    | GameList
    | GameMade
    | MemberList
    | Reseated
    | ReportPage
    | MessagePage
    | OutcomePage
    | CodesRotated
    | UploadResult
    | TeammateList
    | ForkMade
)
"""The answer to each request (each shape refuses the others' fields, so data matches exactly one)."""


class Reply(_Msg):
    """The answer to a lobby request (`list_games`, `create_game`, ...), to `history` or to `outcome_history`."""

    type: Literal["reply"] = "reply"
    id: str
    data: ReplyData


class Pong(_Msg):
    type: Literal["pong"] = "pong"
    t: float | None = Field(None, description="The ping's `t`, echoed (the round trip bounds the clock's error).")
    now: float | None = Field(None, description="The server's clock (Unix seconds) when it answered.")


class Progress(_Msg):
    """How far a long request has got (a `report` with `runs`): `done` of `total` steps, before its reply."""

    type: Literal["progress"] = "progress"
    id: str = Field(description="The request's id.")
    done: int
    total: int


ServerMessage = Annotated[
    Welcome | ViewMsg | EventMsg | Ack | Error | Reply | Pong | Progress, Field(discriminator="type")
]
SERVER_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def protocol_schema() -> dict[str, Any]:
    """JSON Schema of both directions, for the browser client and for docs."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "crisisgame wire protocol",
        "version": PROTOCOL_VERSION,
        "client": CLIENT_ADAPTER.json_schema(),
        "server": SERVER_ADAPTER.json_schema(),
    }
