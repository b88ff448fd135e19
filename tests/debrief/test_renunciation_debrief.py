"""The debrief says why agreements ended: a renunciation with the reason its renouncer stated, a team that
gave none said to have given none, a notice still running at the end, and no secret agreement in the
student edition."""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.debrief.history import History, history
from crisisgame.debrief.report import report_html
from crisisgame.debrief.summary import NO_REASON_BOT, Ending, summarise
from crisisgame.debrief.summary_html import summary_html
from crisisgame.debrief.tables import tables
from crisisgame.engine.commands import Orders
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play
from tests.engine.test_commitments import GUARANTEE, started, strike, world

WHY = "Beta no longer threatens Alpha; the guarantee only ties our hands."
LATE = "We will not be bound to a neighbour that arms against us."
BORDER: dict[str, Any] = {
    "id": "border-pact",
    "name": "The border pact",
    "type": "non_aggression",
    "parties": ["ALPHA", "BETA"],
    "strength": 0.5,
}
QUIET: dict[str, Any] = {
    "id": "quiet-pact",
    "name": "The Quiet Pact",
    "type": "consultation",
    "parties": ["BETA", "GAMMA"],
    "strength": 0.4,
    "public": False,
}


@pytest.fixture(scope="module")
def played() -> History:
    """Teams play the trio's three turns: in turn 1 Gamma renounces its guarantee of Alpha saying why, and the secret
    pact with Beta without a word, Beta the border pact without a word (the notices run out in turn 3); in turn 3
    (the last) Alpha gives notice, with a reason, on a pact whose notice cannot run out before the game ends."""
    late = GUARANTEE | {"id": "late-pact", "name": "The late pact", "guarantors": [], "type": "consultation"}
    table = started(world(GUARANTEE, BORDER, QUIET, late))
    strike(
        table,
        {
            "GAMMA": Orders(renounce=["guarantee", "quiet-pact"], renounce_reasons={"guarantee": WHY}),
            "BETA": Orders(renounce=["border-pact"]),
        },
    )
    strike(table, {})
    strike(table, {"ALPHA": Orders(renounce=["late-pact"], renounce_reasons={"late-pact": LATE})})
    return history(table.log)


def _by_name(endings: tuple[Ending, ...]) -> dict[str, Ending]:
    return {x.agreement: x for x in endings}


def test_the_summary_lists_each_end_with_its_stated_reason_or_says_none_was_given(played: History) -> None:
    ends = _by_name(summarise(played).endings)
    guarantee = ends["The guarantee"]
    assert (guarantee.turn, guarantee.cause, guarantee.by, guarantee.reason, guarantee.stated) == (
        3,
        "renounced",
        "Gamma",
        WHY,
        True,
    )
    border = ends["The border pact"]
    assert (border.cause, border.by, border.reason, border.stated) == (
        "renounced",
        "Beta",
        "Beta's team gave no reason.",
        False,
    )
    late = ends["The late pact"]
    assert (late.turn, late.cause, late.by, late.reason, late.stated) == (3, "notice given", "Alpha", LATE, True)
    assert ends["The Quiet Pact"].reason == "Gamma's team gave no reason."


def test_the_student_edition_leaves_out_a_secret_agreements_end(played: History) -> None:
    student = summarise(played, "student")
    assert "The Quiet Pact" not in _by_name(student.endings)
    assert {"The guarantee", "The border pact", "The late pact"} <= set(_by_name(student.endings))
    page = summary_html(student)
    assert "Quiet" not in page
    assert all("Quiet" not in q for q in student.questions)


def test_the_summary_page_quotes_the_reason_and_a_question_asks_about_it(played: History) -> None:
    summary = summarise(played)
    page = summary_html(summary)
    assert 'id="endings"' in page
    assert f"<q class='stated'>{WHY}</q>" in page
    assert "<span class='unstated'>Beta&#x27;s team gave no reason.</span>" in page
    assert "notice of renunciation given by Alpha (still in force at the end)" in page
    [asked] = [q for q in summary.questions if "Was that the whole reason?" in q]
    assert asked.startswith(f"Gamma renounced 'The guarantee' saying: \u201c{WHY.rstrip('.')}\u201d (turn 3).")


def test_the_full_report_tells_the_notice_and_the_end_with_the_reason(played: History) -> None:
    page = report_html(played)
    assert "Renunciation: Gamma gave notice renouncing &#x27;The guarantee&#x27;" in page
    assert f"Stated reason: &ldquo;{WHY}&rdquo;" in page
    assert "Renunciation: Beta gave notice renouncing &#x27;The border pact&#x27;" in page
    assert "No reason was stated." in page
    assert "Agreement ended (renounced): &#x27;The guarantee&#x27; ends" in page


def test_computer_players_reasons_reach_the_debrief_in_their_own_words() -> None:
    log = play(load_scenario(find("horn-of-africa")), seed=3, turns=5).log
    ends = [x for x in summarise(history(log)).endings if x.cause in ("renounced", "notice given")]
    assert ends
    for x in ends:
        assert x.stated
        assert x.reason != NO_REASON_BOT
        assert x.reason.startswith(("It ", "The coalition"))


def test_the_exported_agreements_table_says_who_renounced_and_why(played: History) -> None:
    rows = {row["id"]: row for row in tables(played)["agreements"]}
    assert (rows["guarantee"]["renounced_by"], rows["guarantee"]["stated_reason"]) == ("GAMMA", WHY)
    assert (rows["border-pact"]["renounced_by"], rows["border-pact"]["stated_reason"]) == ("BETA", "")
    assert (rows["late-pact"]["renounced_by"], rows["late-pact"]["stated_reason"]) == ("ALPHA", LATE)
