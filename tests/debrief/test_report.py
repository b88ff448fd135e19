"""The after-action report: self-contained, complete, and it says why for every adjudication."""

from __future__ import annotations

import html
import re

from crisisgame.debrief.history import history
from crisisgame.debrief.report import report_html
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.commands import FACILITATOR, Advance, Amend, Release, SendMessage, Start
from crisisgame.engine.events import AgreementConcluded, CallOpened, Event, Outcome
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import bot_round, new_game


def test_report_contains_the_reasons_of_every_adjudication_event(baltic_log: list[Event]) -> None:
    page = html.unescape(report_html(history(baltic_log)))
    reasons = [e.reason for e in baltic_log if isinstance(e, Outcome | AgreementConcluded | CallOpened)]
    assert len(reasons) > 100
    missing = [r.explanation for r in reasons if r.explanation not in page]
    assert missing == []
    for key in {c for r in reasons for c in r.citations}:
        assert BIBLIOGRAPHY[key] in page


def test_report_is_self_contained(baltic_log: list[Event]) -> None:
    page = report_html(history(baltic_log))
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert page.count("<svg") >= 4 + 5  # a network per turn and five charts


def test_report_opens_the_message_archive_and_amendments() -> None:
    scenario = load_scenario(find("baltic"))
    game = new_game(scenario, 2, ["EST", "LVA"], auto_release=False)
    game.run(Start(by=FACILITATOR))
    game.run(Advance(by=FACILITATOR))
    game.run(SendMessage(by="EST", channel="private", to=["LVA"], text="Quietly: we will not host more troops."))
    game.run(Advance(by=FACILITATOR))
    bot_round(game)
    game.run(Advance(by=FACILITATOR))
    assert game.state.phase == "results"
    assert not game.state.released
    game.run(
        Amend(
            by=FACILITATOR,
            target="actor",
            key="EST",
            field="approval",
            value=0.5,
            reason="Control corrected the approval after a rules dispute",
        )
    )
    game.run(Release(by=FACILITATOR))
    page = html.unescape(report_html(history(game.log)))
    assert "Quietly: we will not host more troops." in page
    assert "Control corrected the approval after a rules dispute" in page
