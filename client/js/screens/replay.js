// Replay: scrub turn by turn through a finished or running game, built from what the view carries
// (outcomes with their turn, agreements with since_turn, revealed orders, proposals, messages, injects).
// A view carries the newest results, orders and proposals only: the turns it left out are fetched
// with `outcome_history` (model.ensureTurn) before they are shown.

import { h, s, replace, throttled, field } from '../dom.js';
import { PHASES, num, words } from '../format.js';
import { networkPanel } from '../components/network.js';
import { earlierTurn, outcomesByStep, revealedOrders, turnOf } from '../components/results.js';
import { statusBadge } from './chrome.js';

/** The changes of every outcome (and amendment) up to and including `turn`, in order. */
function changesUpTo(v, turn) {
  const out = [];
  for (const e of v.outcomes) if (e.type === 'outcome' && turnOf(e) <= turn) out.push(...e.changes);
  for (const a of v.amendments || []) if (a.turn <= turn) out.push(a.change);
  return out;
}

/** The network as it stood at the end of `turn` (0: the scenario's opening position). */
export function snapshotAt(model, turn) {
  const v = model.view;
  const changes = changesUpTo(v, turn);
  const agreements = v.agreements
    .filter((ag) => (ag.since_turn ?? 0) <= turn)
    .filter((ag) => model.seat !== 'observer' || ag.public)
    .map((ag) => {
      const copy = { ...ag, active: true };
      for (const ch of changes) if (ch.target === 'agreement' && ch.key === ag.id && ch.field in copy) copy[ch.field] = ch.value;
      return copy;
    });
  const wars = new Set();
  for (const ch of changes) {
    if (ch.target === 'pair' && ch.field === 'war') {
      if (ch.value) wars.add(ch.key);
      else wars.delete(ch.key);
    }
  }
  const actors = v.actors.map((a) => {
    let cinc = null;
    for (const ch of changes) if (ch.target === 'actor' && ch.key === a.id && ch.field === 'cinc') cinc = ch.value;
    return { ...a, cinc: cinc ?? a.cinc };
  });
  const threats = [];
  if (v.me) {
    const mine = {};
    for (const ch of changes) if (ch.target === 'pair' && ch.field === 'threat' && ch.key.startsWith(`${v.me.id}>`)) mine[ch.key.split('>')[1]] = ch.value;
    for (const [other, value] of Object.entries(mine)) if (value >= 0.3) threats.push([v.me.id, other, value]);
  }
  return { actors, agreements, wars: [...wars], threats, me: v.me?.id ?? null };
}

/** Tension by turn, from the system step's outcomes. */
function tensionSeries(v) {
  const series = {};
  for (const e of v.outcomes) {
    if (e.type !== 'outcome') continue;
    for (const ch of e.changes) if (ch.target === 'system' && ch.key === 'tension') series[e.turn] = ch.value;
  }
  return Object.entries(series).map(([t, x]) => [Number(t), x]).sort((a, b) => a[0] - b[0]);
}

function sparkline(series, current) {
  if (!series.length) return h('p', { class: 'small' }, 'Tension appears after the first adjudication.');
  const w = 240;
  const hgt = 60;
  const maxT = Math.max(...series.map((p) => p[0]), 1);
  const x = (t) => 10 + ((t - 1) / Math.max(1, maxT - 1)) * (w - 20);
  const y = (val) => hgt - 8 - val * (hgt - 16);
  const d = series.map(([t, val], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)} ${y(val).toFixed(1)}`).join(' ');
  const text = `System tension by turn: ${series.map(([t, val]) => `turn ${t} ${num(val)}`).join(', ')}`;
  return s(
    'svg',
    { viewBox: `0 0 ${w} ${hgt}`, width: String(w), height: String(hgt), role: 'img', 'aria-label': text, class: 'spark' },
    s('path', { d, fill: 'none', stroke: '#1f5fae', 'stroke-width': '2.5' }),
    ...series.map(([t, val]) => s('circle', { cx: x(t).toFixed(1), cy: y(val).toFixed(1), r: t === current ? '5' : '3', fill: t === current ? '#e07a00' : '#1f5fae' })),
  );
}

export function replayScreen(root, session, { back = '#' } = {}) {
  const { model, link } = session;
  const slider = h('input', { type: 'range', id: 'replay-turn', min: '0', max: '0', step: '1', value: '0' });
  const turnLabel = h('output', { for: 'replay-turn', class: 'turn-output' });
  const prev = h('button', { type: 'button' }, '◀ Previous turn');
  const next = h('button', { type: 'button' }, 'Next turn ▶');
  const net = networkPanel({ title: 'Alliance network at this turn' });
  const events = h('div', { class: 'replay-events' });
  const other = h('div', { class: 'replay-other' });
  const spark = h('div', { class: 'spark-box' });
  const head = h('h1', {}, 'Replay');
  let turn = null;
  let follow = true;

  replace(
    root,
    h('header', { class: 'topbar' }, h('div', { class: 'brand' }, h('a', { href: back, class: 'logo' }, 'crisisgame'), h('span', { class: 'role' }, 'Replay')), statusBadge(link).el),
    h(
      'main',
      { id: 'main', class: 'replay', tabindex: '-1' },
      head,
      h(
        'div',
        { class: 'scrubber card' },
        field('Turn (0 is the opening position)', slider),
        turnLabel,
        h('div', { class: 'actions' }, prev, next),
        spark,
      ),
      h(
        'div',
        { class: 'cols replay-cols' },
        h('section', { class: 'card', 'aria-labelledby': 'replay-net' }, h('h2', { id: 'replay-net' }, 'Network'), net.el),
        h('section', { class: 'card', 'aria-labelledby': 'replay-ev' }, h('h2', { id: 'replay-ev' }, 'What happened, and why'), events),
      ),
      other,
    ),
  );

  const setTurn = (tn) => {
    turn = Math.max(0, Math.min(Number(slider.max), tn));
    follow = turn === Number(slider.max);
    slider.value = String(turn);
    render();
  };
  slider.addEventListener('input', () => setTurn(Number(slider.value)));
  prev.addEventListener('click', () => setTurn(turn - 1));
  next.addEventListener('click', () => setTurn(turn + 1));

  const render = throttled(() => {
    const v = model.view;
    if (!v) return;
    const last = Math.max(v.game.phase === 'lobby' ? 0 : v.game.turn, ...model.resultTurns());
    slider.max = String(last);
    if (turn === null || follow) turn = last;
    slider.value = String(turn);
    head.textContent = `Replay: ${v.game.title}`;
    document.title = `Replay · ${v.game.title}`;
    const status = v.game.phase === 'ended' ? 'the game is over' : `the game is running (${PHASES[v.game.phase]} of turn ${v.game.turn})`;
    turnLabel.textContent = turn === 0 ? `Opening position; ${status}.` : `Turn ${turn} of ${v.game.turns}; ${status}.`;
    slider.setAttribute('aria-valuetext', turn === 0 ? 'Opening position' : `Turn ${turn}`);
    prev.disabled = turn <= 0;
    next.disabled = turn >= last;
    net.update(snapshotAt(model, turn));
    replace(spark, sparkline(tensionSeries(v), turn));
    const shown = v.outcomes.filter((e) => turnOf(e) === turn);
    // The network at a turn sums every result up to it: the turns the view left out are fetched first.
    const loading = Array.from({ length: turn }, (_, i) => earlierTurn(model, link, i + 1)).find(Boolean) ?? null;
    replace(events, loading, turn === 0 ? h('p', {}, v.briefing.summary) : outcomesByStep(model, shown, { headingLevel: 3 }));
    const msgs = model.myMessages().filter((m) => m.turn === turn);
    const injects = v.injects.filter((i) => i.turn === turn);
    const proposals = v.proposals.filter((p) => p.turn === turn); // (an earlier turn's, once fetched: `loading`)
    const amendments = (v.amendments || []).filter((a) => a.turn === turn);
    replace(
      other,
      turn > 0
        ? h(
            'div',
            { class: 'cols' },
            h(
              'section',
              { class: 'card', 'aria-labelledby': 'replay-inj' },
              h('h2', { id: 'replay-inj' }, 'Injects'),
              injects.length ? h('ul', {}, injects.map((i) => h('li', {}, h('strong', {}, i.title), ': ', i.text))) : h('p', { class: 'empty' }, 'None.'),
              revealedOrders(model, turn, 3),
              proposals.length
                ? [
                    h('h3', {}, 'Proposals'),
                    h('ul', {}, proposals.map((p) => h('li', {}, `${p.id}: ${words(p.proposal.type)} of ${p.proposal.parties.map((a) => model.actorName(a)).join(', ')}, from ${model.actorName(p.sender)}: ${words(p.status)}`))),
                  ]
                : null,
              amendments.length
                ? [
                    h('h3', {}, 'Amended by Control'),
                    h('ul', {}, amendments.map((a) => h('li', {}, `${a.change.key} ${words(a.change.field)}: ${num(a.previous, 3)} → ${num(a.change.value, 3)} (“${a.reason}”)`))),
                  ]
                : null,
            ),
            h(
              'section',
              { class: 'card', 'aria-labelledby': 'replay-msg' },
              h('h2', { id: 'replay-msg' }, 'Messages'),
              msgs.length
                ? h('ul', { class: 'replay-messages' }, msgs.map((m) => h('li', {}, h('strong', {}, model.actorName(m.sender)), m.channel === 'public' ? ' (public): ' : ` to ${m.to.map((x) => model.actorName(x)).join(', ')}: `, m.text)))
                : h('p', { class: 'empty' }, 'None.'),
            ),
          )
        : null,
    );
  });
  model.addEventListener('change', render);
  render();
  window.setTimeout(() => net.fit(), 50);
  return () => model.removeEventListener('change', render);
}
