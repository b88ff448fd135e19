"""The after-action report: one self-contained HTML file (inline CSS and SVG, no scripts, no network).

It is written to be read in the debrief and printed to PDF for a policy briefing: the timeline,
the alliance network at each turn, charts of threat, approval, reputation, CINC and tension, each
state's behaviour named with its evidence, every adjudication's reasons and citations, the full
message archive (opened to everyone after the game), objectives and scores, and a bibliography.
"""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape

from crisisgame.debrief.history import History, TurnRecord
from crisisgame.debrief.summary import freeform_entry
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.events import AgreementConcluded, AgreementEnded, CallOpened, Outcome
from crisisgame.engine.objectives import met
from crisisgame.engine.state import PROTECTIVE, State

PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
]
STEP_NAMES = {
    0: "Injects",
    1: "Ratification",
    2: "Capabilities",
    3: "Security dilemma",
    4: "Threat",
    5: "Credibility",
    6: "Crises and war",
    7: "Alliance calls",
    8: "Burden sharing",
    9: "Legitimacy",
    10: "Domestic politics",
    11: "Behaviour",
    12: "System",
    13: "Free-form actions",
}
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;
color:#1b1b1b;line-height:1.45}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1b1b1b;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin-bottom:.3rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#eee}
.muted{color:#555}.met{color:#176e2c;font-weight:600}.unmet{color:#9b1c1c}.secret{font-style:italic}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:1rem}
.nets{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:.8rem}
figure{margin:0;border:1px solid #ccc;padding:.4rem;break-inside:avoid}figcaption{font-weight:600;font-size:.9rem}
.reason{margin:.15rem 0;font-size:.88rem}.reason code{font-size:.78rem;color:#444}.cite{color:#555;font-size:.8rem}
details>summary{cursor:pointer;font-weight:600}.msg{font-size:.88rem;margin:.1rem 0}
.label{display:inline-block;padding:0 .35rem;border-radius:.3rem;background:#e8eef7;font-size:.85rem}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}details{display:block}
details>summary{list-style:none}figure,table{break-inside:avoid}}
"""


def _e(value: object) -> str:
    return escape(str(value))


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return _e(value)


# --------------------------------------------------------------------------- charts


def line_chart(title: str, series: dict[str, list[tuple[int, float]]], top: float | None = None) -> str:
    """An inline SVG line chart with a legend, one line per series."""
    width, height, left, bottom, pad = 340, 200, 38, 24, 8
    points = [p for values in series.values() for p in values]
    if not points:
        return f"<figure><figcaption>{_e(title)}</figcaption><p class='muted'>No data.</p></figure>"
    xs = [x for x, _ in points]
    x0, x1 = min(xs), max(max(xs), min(xs) + 1)
    y1 = top if top is not None else max(max(y for _, y in points), 1e-9) * 1.1

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - pad)

    def sy(y: float) -> float:
        return height - bottom - (y / y1) * (height - bottom - pad)

    parts = [
        f'<svg viewBox="0 0 {width} {height + 16 * math.ceil(len(series) / 3)}" role="img" '
        f'aria-label="{_e(title)}" width="100%">'
    ]
    parts.append(f'<line x1="{left}" y1="{sy(0)}" x2="{width - pad}" y2="{sy(0)}" stroke="#888"/>')
    parts.append(f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{sy(0)}" stroke="#888"/>')
    for frac in (0.5, 1.0):
        y = y1 * frac
        parts.append(f'<text x="{left - 4}" y="{sy(y) + 4}" font-size="10" text-anchor="end">{y:.2g}</text>')
    for x in range(x0, x1 + 1):
        parts.append(f'<text x="{sx(x)}" y="{height - 8}" font-size="10" text-anchor="middle">{x}</text>')
    for n, (name, values) in enumerate(sorted(series.items())):
        color = PALETTE[n % len(PALETTE)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(values))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.8" points="{path}"/>')
        lx, ly = 8 + (n % 3) * 110, height + 12 + 16 * (n // 3)
        parts.append(f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly + 1}" font-size="10">{_e(name)}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</figure>"


def network(state: State, caption: str) -> str:
    """The alliance network: actors on a circle, agreements as edges (protective ones thick), wars in red."""
    size, radius = 250, 95
    ids = list(state.actors)
    pos = {
        a: (
            size / 2 + radius * math.cos(2 * math.pi * k / len(ids) - math.pi / 2),
            size / 2 + radius * math.sin(2 * math.pi * k / len(ids) - math.pi / 2),
        )
        for k, a in enumerate(ids)
    }
    parts = [f'<svg viewBox="0 0 {size} {size}" width="100%" role="img" aria-label="{_e(caption)}">']
    for ag in state.active_agreements():
        protective = ag.type in PROTECTIVE
        for i, a in enumerate(ag.parties):
            for b in ag.parties[i + 1 :]:
                (x1, y1), (x2, y2) = pos[a], pos[b]
                parts.append(
                    f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                    f'stroke="{"#1f4e99" if protective else "#9bb3d6"}" '
                    f'stroke-width="{2.4 if protective else 1}"><title>{_e(ag.name)}</title></line>'
                )
    for war in state.wars:
        a, _, b = war.partition("|")
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#c62828" '
            'stroke-width="3" stroke-dasharray="6 3"><title>war</title></line>'
        )
    for a, (x, y) in pos.items():
        r = 5 + 25 * math.sqrt(state.actors[a].cinc)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#f3f3f3" stroke="#333"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="9" text-anchor="middle">{_e(a)}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{_e(caption)}</figcaption>{''.join(parts)}</figure>"


# --------------------------------------------------------------------------- sections


def _series(h: History, metric: str) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = defaultdict(list)
    states = [a for a, st in h.final.actors.items() if st.kind == "state"]
    for record in h.turns:
        if record.state is None:
            continue
        for a in states:
            out[a].append((record.turn, float(getattr(record.state.actors[a], metric))))
    return dict(out)


def _top_threat_series(h: History) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for record in h.turns:
        s = record.state
        if s is None:
            continue
        for a, st in s.actors.items():
            if st.kind == "state":
                out[a].append((record.turn, max((s.threat_of(a, b) for b in s.actors if b != a), default=0.0)))
    return dict(out)


def _reason_html(e: Outcome | AgreementConcluded | CallOpened) -> str:
    r = e.reason
    details = ", ".join(f"{_e(k)} {_num(v)}" for k, v in {**r.inputs, **r.terms}.items())
    cites = ", ".join(_e(c) for c in r.citations)
    audience = ""
    if isinstance(e, Outcome) and e.audience != "public":
        audience = f" <span class='muted'>(seen by {_e(', '.join(e.audience))})</span>"
    return (
        f"<p class='reason'>{_e(r.explanation)}{audience} <code>{_e(r.rule)}</code>"
        + (f" <code>{details}</code>" if details else "")
        + (f" <span class='cite'>[{cites}]</span>" if cites else "")
        + "</p>"
    )


def _turn_summary(record: TurnRecord) -> str:
    s = record.state
    items = [
        f"<li>Inject: <strong>{_e(i.title)}</strong>"
        + (
            f" <span class='muted'>(intelligence for {_e(', '.join(i.audience))})</span>"
            if i.audience != "public"
            else ""
        )
        + "</li>"
        for i in record.injects
    ]
    for _, e in record.events:
        if isinstance(e, AgreementEnded):
            stated = f" Stated reason: &ldquo;{_e(e.stated_reason)}&rdquo;" if e.stated_reason else ""
            items.append(f"<li>Agreement ended ({_e(e.cause)}): {_e(e.reason.explanation)}{stated}</li>")
        elif isinstance(e, Outcome) and e.reason.rule == "agreement.renunciation":
            why = e.reason.inputs.get("stated_reason")
            stated = f" Stated reason: &ldquo;{_e(why)}&rdquo;" if isinstance(why, str) else " No reason was stated."
            items.append(f"<li>Renunciation: {_e(e.reason.explanation)}{stated}</li>")
    for e in record.outcomes:
        if isinstance(e, AgreementConcluded):
            items.append(f"<li>Agreement concluded: {_e(e.reason.explanation)}</li>")
        elif isinstance(e, CallOpened):
            items.append(f"<li>Alliance call: {_e(e.reason.explanation)}</li>")
        elif e.reason.rule in (
            "crisis.war",
            "crisis.strike",
            "crisis.spoils",
            "crisis.demand",
            "crisis.backdown",
            "alliance.answer",
            "crisis.ceasefire",
        ):
            items.append(f"<li>{_e(e.reason.explanation)}</li>")
    tension = s.system.get("tension", 0.0) if s else 0.0
    wars = ", ".join(sorted(s.wars)) if s and s.wars else "none"
    listed = "".join(items) or "<li>No crisis events.</li>"
    return f"<h3>Turn {record.turn}</h3><p class='muted'>Tension {tension:.2f}; wars: {_e(wars)}</p><ul>{listed}</ul>"


def _behaviour_table(h: History) -> str:
    states = [a for a, st in h.final.actors.items() if st.kind == "state"]
    rows = []
    for record in h.turns:
        cells = []
        evidence = {
            e.changes[0].key: e.reason.explanation
            for e in record.outcomes
            if isinstance(e, Outcome) and e.reason.step == 11 and e.changes
        }
        for a in states:
            label = record.state.actors[a].behaviour.replace("_", " ") if record.state else ""
            cells.append(
                f"<td><span class='label'>{_e(label)}</span><br><span class='muted'>"
                f"{_e(evidence.get(a, ''))}</span></td>"
            )
        rows.append(f"<tr><th>{record.turn}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{_e(a)}</th>" for a in states)
    return f"<table><thead><tr><th>Turn</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _adjudications(h: History) -> str:
    parts = []
    for record in h.turns:
        by_step: dict[int, list[str]] = defaultdict(list)
        for e in record.outcomes:
            by_step[e.reason.step].append(_reason_html(e))
        if not by_step:
            continue
        steps = "".join(
            f"<details open><summary>{step}. {_e(STEP_NAMES.get(step, ''))} ({len(items)})</summary>{''.join(items)}"
            "</details>"
            for step, items in sorted(by_step.items())
        )
        parts.append(f"<h3 id='turn-{record.turn}'>Turn {record.turn}</h3>{steps}")
    amendments = list(h.final.amendments)
    if amendments:
        parts.append(
            "<h3>Amendments by the facilitator</h3><ul>"
            + "".join(
                f"<li>Turn {a.turn}: {_e(a.change.target)} {_e(a.change.key)} {_e(a.change.field)} "
                f"{_num(a.previous)} &rarr; {_num(a.change.value)}: {_e(a.reason)}</li>"
                for a in amendments
            )
            + "</ul>"
        )
    return "".join(parts)


def _freeform(h: History) -> str:
    """Every free-form action: the arguments both ways, Control's rating and the roll, the effects."""
    s = h.final
    if not s.freeform:
        return "<p class='muted'>No free-form action was argued in this game.</p>"
    parts = []
    for a in s.freeform.values():
        args = "".join(f"<li>{_e(x)}</li>" for x in a.arguments)
        counters = "".join(f"<li><strong>{_e(who)}:</strong> {_e(text)}</li>" for who, text in a.counters)
        entry = freeform_entry(s, a)
        parts.append(
            f"<div class='reason'><h3>Turn {a.turn}: {_e(entry.actor)}, &ldquo;{_e(a.what)}&rdquo;"
            f"{'' if a.public else ' (private)'}</h3><p>Intended effect: {_e(a.intended_effect)}</p>"
            f"<p>Arguments for:</p><ul>{args}</ul>"
            + (f"<p>Counter-arguments:</p><ul>{counters}</ul>" if counters else "")
            + f"<p>Rating and roll: {_e(entry.verdict)}</p>"
            + (f"<p>Effects applied: {_e(entry.effects)}</p>" if entry.effects else "")
            + "</div>"
        )
    return "".join(parts)


def _messages(h: History) -> str:
    rows = []
    for record in h.turns:
        for m in record.messages:
            to = "everyone" if m.channel == "public" else ", ".join(m.to)
            rows.append(
                f"<tr><td>{record.turn}</td><td>{_e(m.channel)}</td><td>{_e(m.sender)}</td><td>{_e(to)}</td>"
                f"<td>{_e(m.text)}</td></tr>"
            )
    if not rows:
        return "<p class='muted'>No messages were sent.</p>"
    return (
        "<table><thead><tr><th>Turn</th><th>Channel</th><th>From</th><th>To</th><th>Message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _objectives(h: History) -> str:
    s = h.final
    scores = h.ended.scores if h.ended else {a: st.score for a, st in s.actors.items()}
    rows = []
    for actor in s.scenario.actors:
        if not actor.objectives:
            continue
        items = "".join(
            f"<li class='{'secret' if o.secret else ''}'><span class='{'met' if met(s, actor.id, o) else 'unmet'}'>"
            f"{'met' if met(s, actor.id, o) else 'not met'}</span> ({o.points} pts{', secret' if o.secret else ''}): "
            f"{_e(o.text)}</li>"
            for o in actor.objectives
        )
        rows.append(
            f"<tr><td><strong>{_e(actor.name)}</strong> ({_e(actor.id)})</td>"
            f"<td>{scores.get(actor.id, 0):.0f}</td><td><ul>{items}</ul></td></tr>"
        )
    return (
        "<table><thead><tr><th>Actor</th><th>Score</th><th>Objectives</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _bibliography(h: History) -> str:
    keys = sorted({c for record in h.turns for e in record.outcomes for c in e.reason.citations})
    items = "".join(
        f"<li id='ref-{_e(k)}'><strong>{_e(k)}</strong>: {_e(BIBLIOGRAPHY.get(k, 'unknown reference'))}</li>"
        for k in keys
    )
    return f"<ul>{items}</ul>"


def report_html(h: History) -> str:
    """The whole after-action report."""
    s = h.final
    sc = s.scenario
    teams = ", ".join(sorted(s.teams)) or "none (bots played every seat)"
    nets = "".join(network(r.state, f"Turn {r.turn}") for r in h.turns if r.state is not None)
    charts = "".join(
        [
            line_chart("Top perceived threat", _top_threat_series(h), 1.0),
            line_chart("Approval", _series(h, "approval"), 1.0),
            line_chart("Reputation", _series(h, "reputation"), 1.0),
            line_chart("CINC", _series(h, "cinc")),
            line_chart(
                "Tension", {"tension": [(r.turn, r.state.system.get("tension", 0.0)) for r in h.turns if r.state]}, 1.0
            ),
        ]
    )
    objectives = "".join(f"<li>{_e(o)}</li>" for o in sc.meta.learning_objectives)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>After-action report: {_e(sc.meta.title)}</title><style>{CSS}</style></head>
<body><main>
<h1>After-action report: {_e(sc.meta.title)}</h1>
<p class="muted">{_e(sc.meta.region)}, from {_e(sc.meta.date.isoformat())}; {len(h.turns)} turn(s) played;
seed {s.seed}; teams: {_e(teams)}.</p>
<p>{_e(sc.meta.summary)}</p>
<h2>Learning objectives</h2><ul>{objectives}</ul>
<h2>Timeline</h2>{"".join(_turn_summary(r) for r in h.turns)}
<h2>The alliance network, turn by turn</h2>
<p class="muted">Circles grow with CINC; thick dark lines are defence pacts and guarantees, thin lines other
agreements, red dashes wars.</p><div class="nets">{nets}</div>
<h2>Charts</h2><div class="charts">{charts}</div>
<h2>Behaviour, named</h2>{_behaviour_table(h)}
<h2>Objectives and scores</h2>{_objectives(h)}
<h2>Free-form actions</h2>{_freeform(h)}
<h2>Every adjudication and its reasons</h2>{_adjudications(h)}
<h2>Message archive</h2><p class="muted">Every message, private ones included: opened to the class after the game.</p>
{_messages(h)}
<h2>Bibliography</h2>{_bibliography(h)}
</main></body></html>
"""
