"""The two-page summary as one self-contained HTML page (inline CSS, no scripts), laid out for A4."""

from __future__ import annotations

from html import escape

from crisisgame.debrief.summary import Answer, Ending, Summary

SECTIONS = (
    ("turns", "Turn by turn"),
    ("turning-points", "Turning points"),
    ("ledger", "The alliance ledger"),
    ("endings", "Agreements that ended"),
    ("freeform", "Free-form actions"),
    ("objectives", "Objectives"),
    ("theory", "The theory at work"),
    ("questions", "Questions for discussion"),
    ("record", "The full record"),
)
"""Every section of the summary, by anchor id and heading, in order."""
DISTRIBUTION = ("distribution", "The class against the distribution")
"""The optional centrepiece: shown after the headlines when bot runs of the same start are given."""

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:960px;padding:1.2rem;
color:#1b1b1b;line-height:1.35;font-size:14px}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.08rem;border-bottom:2px solid #1b1b1b;margin:1rem 0 .35rem;
padding-bottom:.1rem}table{border-collapse:collapse;width:100%;font-size:.86rem}
th,td{border:1px solid #bbb;padding:.15rem .35rem;text-align:left;vertical-align:top}th{background:#eee}
.muted{color:#555}.met{color:#176e2c;font-weight:600}.unmet{color:#9b1c1c;font-weight:600}
.honoured{color:#176e2c;font-weight:600}.abandoned{color:#9b1c1c;font-weight:600}
ol,ul{margin:.2rem 0;padding-left:1.3rem}
li{margin:.1rem 0}.move{white-space:nowrap;font-variant-numeric:tabular-nums}.edition{float:right;font-size:.8rem;
border:1px solid #888;border-radius:.3rem;padding:0 .4rem}dl{margin:0}dt{font-weight:600}dd{margin:0 0 .3rem 1rem}
.src{color:#555;font-size:.8rem}.dist-bar{display:inline-block;width:8rem;height:.7rem;border:1px solid #555}
.dist-bar span{display:block;height:100%;background:#1f4e99}.unstated{font-style:italic}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;padding:0;font-size:10pt}h2{break-after:avoid}tr,li,dd{break-inside:avoid}
a{color:inherit}}
"""


def _e(value: object) -> str:
    return escape(str(value))


def _section(anchor: str, body: str) -> str:
    title = dict((*SECTIONS, DISTRIBUTION))[anchor]
    return f'<section id="{anchor}" data-section="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


def _answers(answers: tuple[Answer, ...]) -> str:
    """A call's answers grouped by kind: 'Honoured: Poland (69%), Alpha (its team's decision)'."""
    groups = []
    for kind in ("honoured", "abandoned", "no answer", "pending"):
        given = [a for a in answers if a.answer == kind]
        if given:
            names = ", ".join(
                f"{_e(a.actor)} ({f'{a.odds:.0%}' if a.odds is not None else _e(a.reason)})" for a in given
            )
            groups.append(f"<span class='{kind.replace(' ', '-')}'>{kind.capitalize()}</span>: {names}")
    return "<br>".join(groups)


def _ending(x: Ending) -> str:
    """One agreement's end: its turn, name and parties, how and by whom it ended, and why (a renouncer's words
    quoted; an engine's account, or the note that a team gave no reason, muted)."""
    how = x.cause + (f" by {_e(x.by)}" if x.by and x.cause != "notice given" else "")
    if x.cause == "notice given":
        how = f"notice of renunciation given by {_e(x.by)} (still in force at the end)"
    why = (
        f"<q class='stated'>{_e(x.reason)}</q>"
        if x.stated
        else f"<span class='{'unstated' if x.by else 'muted'}'>{_e(x.reason)}</span>"
    )
    return (
        f"<tr data-cause='{_e(x.cause)}'><td>{x.turn}</td><td>{_e(x.agreement)}<br><span class='muted'>"
        f"{_e(', '.join(x.parties))}</span></td><td>{how}</td><td>{why}</td></tr>"
    )


def summary_html(s: Summary, full_record: str | None = None, distribution: str | None = None) -> str:
    """The summary page; `full_record` is the link to the complete record (facilitator edition only);
    `distribution` the rendered section placing the class among bot runs (debrief.distribution)."""
    heads = "".join(f"<li value='{h.turn}'>{_e(h.text)}</li>" for h in s.headlines)
    points = "".join(
        f"<tr><td>{p.turn}</td><td>{_e(p.measure)}</td><td>{_e(p.subject)}</td>"
        f"<td class='move'>{p.before:.2f} &rarr; {p.after:.2f}</td><td>{_e(p.cause)}</td></tr>"
        if p.measure != "alignment"
        else f"<tr><td>{p.turn}</td><td>alignment</td><td>{_e(p.subject)}</td>"
        f"<td class='move'>{p.before:.0f} &rarr; {p.after:.0f}</td><td>{_e(p.cause)}</td></tr>"
        for p in s.turning_points
    )
    points_table = (
        "<table><thead><tr><th>Turn</th><th>Measure</th><th>What moved</th><th>Move</th><th>The decision behind it"
        f"</th></tr></thead><tbody>{points}</tbody></table>"
        if points
        else "<p class='muted'>Nothing moved far enough to count as a turning point.</p>"
    )
    calls = "".join(
        f"<tr><td>{c.turn}</td><td>{_e(c.caller)} against {_e(c.adversary)}</td><td>{_e(c.agreement)}"
        + (f"<br><span class='muted'>{_e(c.clause)}</span>" if c.clause else "")
        + f"</td><td>{_answers(c.answers)}</td></tr>"
        for c in s.ledger
    )
    ledger_table = (
        "<p class='muted'>A percentage is a computer player's chance of honouring, from its reputation, the "
        "strength and clarity of the commitment, its interest and the cost of war; teams decided for themselves.</p>"
        "<table><thead><tr><th>Turn</th><th>Who called</th><th>Agreement and clause</th><th>Who answered how, and why"
        f"</th></tr></thead><tbody>{calls}</tbody></table>"
        if calls
        else "<p class='muted'>No ally was called on to help in this game.</p>"
    )
    ends = "".join(_ending(x) for x in s.endings)
    endings_table = (
        "<p class='muted'>A renunciation gives the reason its renouncer stated (quoted); a computer player's comes "
        "from its own reckoning of what the agreement was still worth to it.</p>"
        "<table><thead><tr><th>Turn</th><th>Agreement</th><th>How it ended</th><th>Why</th></tr></thead>"
        f"<tbody>{ends}</tbody></table>"
        if ends
        else "<p class='muted'>No agreement ended, and none was renounced, in this game.</p>"
    )
    actions = "".join(
        f"<tr><td>{f.turn}</td><td>{_e(f.actor)}</td><td>{_e(f.what)}{'' if f.public else ' <em>(private)</em>'}"
        f"<br><span class='muted'>for: {_e(f.intended_effect)}</span></td>"
        f"<td>{f.arguments} for; {len(f.counters)} against"
        + (f" ({_e(', '.join(f.counters))})" if f.counters else "")
        + f"</td><td>{_e(f.verdict)}</td><td>{_e(f.effects) or '–'}</td></tr>"
        for f in s.freeform
    )
    freeform_table = (
        "<table><thead><tr><th>Turn</th><th>Who</th><th>Action</th><th>Arguments</th><th>Rating and roll</th>"
        f"<th>Effects applied</th></tr></thead><tbody>{actions}</tbody></table>"
        if actions
        else "<p class='muted'>No free-form action was argued in this game.</p>"
    )
    objs = "".join(
        f"<tr><td>{_e(o.team)}</td><td>{_e(o.text)}{' <em>(secret)</em>' if o.secret else ''}</td>"
        f"<td class='{'met' if o.met else 'unmet'}'>{'met' if o.met else 'not met'}</td><td>{_e(o.why)}</td></tr>"
        for o in s.objectives
    )
    objectives_table = (
        "<table><thead><tr><th>Team</th><th>Objective</th><th></th><th>Why</th></tr></thead>"
        f"<tbody>{objs}</tbody></table>"
        if objs
        else "<p class='muted'>No team had objectives.</p>"
    )
    theory = "".join(
        f"<dt>{_e(t.concept)}</dt><dd>{_e(t.definition)} <strong>In this game (turn {t.turn}):</strong> "
        f"{_e(t.moment)} <span class='src'>Source: {_e(t.source)}</span></dd>"
        for t in s.theory
    )
    questions = "".join(f"<li>{_e(q)}</li>" for q in s.questions)
    if full_record:
        record = (
            f"<p>Every adjudication with its reasons, the network and charts for each turn and the message archive "
            f"are in <a href='{_e(full_record)}'>the full record</a>"
            + "".join(f" (<a href='{_e(full_record)}#turn-{h.turn}'>turn {h.turn}</a>)" for h in s.headlines)
            + ".</p>"
        )
    elif s.edition == "facilitator":
        record = (
            "<p>The full record (every adjudication with its reasons, the network and charts for each turn, the "
            "message archive) opens from the console's 'Open the after-action report', or with "
            "<code>crisisgame debrief GAME --out FILE --full</code>.</p>"
        )
    else:
        record = "<p>The full record of every decision stays with your facilitator.</p>"
    edition = "Facilitator edition" if s.edition == "facilitator" else "Student edition"
    teams = ", ".join(s.teams) or "none (bots played every seat)"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Debrief summary: {_e(s.title)}</title><style>{CSS}</style></head>
<body><main>
<span class="edition">{edition}</span>
<h1>Debrief: {_e(s.title)}</h1>
<p class="muted">{s.turns} turn(s); teams: {_e(teams)}; scenario {_e(s.scenario)}, seed {s.seed}.</p>
{_section("turns", f"<ol>{heads}</ol>")}
{_section("distribution", distribution) if distribution else ""}
{_section("turning-points", points_table)}
{_section("ledger", ledger_table)}
{_section("endings", endings_table)}
{_section("freeform", freeform_table)}
{_section("objectives", objectives_table)}
{_section("theory", f"<dl>{theory}</dl>" if theory else "<p class='muted'>No concept was illustrated.</p>")}
{_section("questions", f"<ol>{questions}</ol>")}
{_section("record", record)}
</main></body></html>
"""
