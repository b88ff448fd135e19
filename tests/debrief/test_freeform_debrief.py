"""Free-form actions in the debrief: the summary (both editions) and the full report tell each one."""

from __future__ import annotations

from pydantic import TypeAdapter

from crisisgame.debrief.history import history
from crisisgame.debrief.report import report_html
from crisisgame.debrief.summary import summarise
from crisisgame.debrief.summary_html import summary_html
from crisisgame.debrief.tables import tables
from crisisgame.engine import Game
from crisisgame.engine.commands import (
    Advance,
    ApplyAction,
    CounterArgument,
    FreeformAction,
    RateAction,
    Release,
)
from crisisgame.engine.events import FreeformProposed, GameCreated
from crisisgame.engine.news import lead_stories
from crisisgame.scenario.model import Effect, scenario_dict
from tests.engine.support import FAC, trio


def played() -> Game:
    created = GameCreated(scenario=scenario_dict(trio()), seed=5, teams=["ALPHA", "BETA", "GAMMA"])
    game = Game([created], keep_log=True)
    for _ in range(3):
        game.handle(Advance(by=FAC), 0.0)
    ids = []
    for public, what in ((True, "Open a relief corridor"), (False, "Bribe the harbour master")):
        step = game.handle(
            FreeformAction(
                by="ALPHA", what=what, intended_effect="ease the blockade", arguments=["ready"], public=public
            ),
            1.0,
        )
        made = step.events[0]
        assert isinstance(made, FreeformProposed)
        ids.append(made.id)
    game.handle(CounterArgument(by="BETA", action_id=ids[0], text="We will board every ship."), 1.5)
    game.handle(Advance(by=FAC), 2.0)
    game.handle(RateAction(by=FAC, action_id=ids[0], chance=1.0, reason="uncontested sea lanes"), 3.0)
    effect = TypeAdapter(Effect).validate_python({"kind": "approval", "actor": "BETA", "delta": -0.2})
    game.handle(ApplyAction(by=FAC, action_id=ids[0], effects=[effect], reason="images of the convoy"), 3.1)
    game.handle(RateAction(by=FAC, action_id=ids[1], chance=0.0, reason="the master is loyal"), 3.2)
    game.handle(Release(by=FAC), 4.0)
    return game


def test_the_summary_and_report_tell_each_action_and_the_student_edition_only_public_ones() -> None:
    game = played()
    assert game.log is not None
    h = history(game.log)
    full = summarise(h, "facilitator")
    assert [f.what for f in full.freeform] == ["Open a relief corridor", "Bribe the harbour master"]
    corridor = full.freeform[0]
    assert corridor.verdict.startswith("succeeded")
    assert "uncontested sea lanes" in corridor.verdict
    assert "approval -0.20" in corridor.effects
    assert "images of the convoy" in corridor.effects
    assert corridor.counters == (h.final.actors["BETA"].name,)
    assert full.freeform[1].verdict.startswith("failed")
    student = summarise(h, "student")
    assert [f.what for f in student.freeform] == ["Open a relief corridor"]
    page = summary_html(student)
    assert "Open a relief corridor" in page
    assert "harbour master" not in page
    report = report_html(h)
    assert "We will board every ship." in report
    assert "Bribe the harbour master" in report
    assert "Free-form actions" in report


def test_the_news_of_a_turn_tells_public_rolls_only() -> None:
    game = played()
    assert game.log is not None
    h = history(game.log)
    stories = lead_stories([e for _, e in h.turns[0].events], h.final)
    rolled = [x for x in stories if "free-form action" in x.title]
    assert [x.title for x in rolled] == [f"{h.final.actors['ALPHA'].name}'s free-form action succeeds"]
    assert "Open a relief corridor" in rolled[0].text


def test_the_export_has_a_row_per_action_with_its_roll() -> None:
    game = played()
    assert game.log is not None
    rows = tables(history(game.log))["freeform"]
    assert [(r["what"], r["public"], r["success"]) for r in rows] == [
        ("Open a relief corridor", 1, 1),
        ("Bribe the harbour master", 0, 0),
    ]
    assert rows[0]["counter_by"] == "BETA"
    assert rows[0]["chance"] == 1.0
    assert rows[0]["rating_reason"] == "uncontested sea lanes"
    assert '"kind": "approval"' in rows[0]["effects"]
    assert rows[1]["effects"] == ""
