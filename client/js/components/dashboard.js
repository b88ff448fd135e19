// A team's dashboard: its state's capabilities and CINC, approval, reputation, the threats it
// perceives with their reasons (threat.walt outcomes), and the abandonment/entrapment gauges.

import { h, s } from '../dom.js';
import { CAPABILITIES, capability, label, level, num, pct, words } from '../format.js';
import { reasonBlock } from './results.js';

/** A semicircular gauge for a share in [0, 1] (an image with a text equivalent). */
export function gauge(title, value, note = '') {
  const v = Math.max(0, Math.min(1, value ?? 0));
  const angle = Math.PI * (1 - v);
  const x = 60 + 48 * Math.cos(angle);
  const y = 60 - 48 * Math.sin(angle);
  const large = 0;
  const colour = v >= 0.66 ? '#b3261e' : v >= 0.33 ? '#a15c00' : '#2e7d32';
  const text = `${title}: ${num(v)} (${level(v)})`;
  return h(
    'figure',
    { class: 'gauge' },
    s(
      'svg',
      { viewBox: '0 0 120 70', role: 'img', 'aria-label': text, width: '140', height: '82' },
      s('path', { d: 'M 12 60 A 48 48 0 0 1 108 60', fill: 'none', stroke: '#d9dde3', 'stroke-width': '12', 'stroke-linecap': 'round' }),
      v > 0
        ? s('path', { d: `M 12 60 A 48 48 0 ${large} 1 ${x.toFixed(2)} ${y.toFixed(2)}`, fill: 'none', stroke: colour, 'stroke-width': '12', 'stroke-linecap': 'round' })
        : null,
      s('text', { x: '60', y: '58', 'text-anchor': 'middle', 'font-size': '20', 'font-weight': '700', fill: '#10151f' }, num(v)),
    ),
    h('figcaption', {}, h('strong', {}, title), h('span', { class: `level level-${level(v)}` }, ` ${level(v)}`), note ? h('small', {}, note) : null),
  );
}

/** A labelled horizontal bar for a share (a <meter> with its number). */
export function bar(title, value, { low = 0.33, high = 0.66, optimum = 1 } = {}) {
  return h(
    'div',
    { class: 'bar' },
    h('span', { class: 'bar-label' }, title),
    h('meter', { min: '0', max: '1', low: String(low), high: String(high), optimum: String(optimum), value: String(value ?? 0), 'aria-label': title }),
    h('span', { class: 'bar-value' }, num(value)),
  );
}

/** The latest threat.walt outcome for me -> other (it carries the reason). */
function threatReason(model, other) {
  const me = model.me.id;
  const key = `${me}>${other}`;
  for (let i = model.view.outcomes.length - 1; i >= 0; i -= 1) {
    const e = model.view.outcomes[i];
    if (e.type === 'outcome' && e.reason?.rule === 'threat.walt' && e.changes.some((c) => c.key === key && c.field === 'threat')) return e;
  }
  return null;
}

function objectiveList(model, objectives) {
  if (!objectives?.length) return h('p', {}, 'No objectives.');
  return h(
    'ul',
    { class: 'objectives' },
    objectives.map((o) => h('li', {}, o.secret ? h('span', { class: 'tag tag-secret' }, 'Secret') : null, ' ', o.text, h('small', {}, ` (${o.points} points)`))),
  );
}

export function dashboard(model) {
  const v = model.view;
  const me = model.me;
  const a = model.actor(me.id);
  const threats = Object.entries(me.threat || {}).sort((x, y) => y[1] - x[1]);
  const issues = v.issues || [];
  const protectors = Object.entries(v.credibility || {})
    .filter(([k]) => k.endsWith(`>${me.id}`))
    .map(([k, q]) => [k.split('>')[0], q]);
  return h(
    'div',
    { class: 'dashboard' },
    h(
      'section',
      { class: 'card card-state', 'aria-labelledby': 'dash-state' },
      h('h2', { id: 'dash-state' }, a.name, h('small', {}, ` · ${words(a.regime)} · ${words(a.kind)}`)),
      h(
        'dl',
        { class: 'stats' },
        h('div', {}, h('dt', {}, 'CINC (share of world power)'), h('dd', {}, num(a.cinc, 3))),
        h('div', {}, h('dt', {}, 'Score'), h('dd', {}, num(me.score, 0))),
        h('div', {}, h('dt', {}, 'Defence spending'), h('dd', {}, `${num(a.defence_spending, 1)}% of GDP`)),
        h('div', {}, h('dt', {}, 'Mobilisation'), h('dd', {}, pct(a.mobilisation))),
        h('div', {}, h('dt', {}, 'Behaviour (last turn)'), h('dd', {}, label(a.behaviour))),
        h('div', {}, h('dt', {}, 'Declared alignment'), h('dd', {}, a.alignment ? model.actorName(a.alignment) : 'none')),
      ),
      bar('Approval at home', a.approval),
      bar('Reputation for keeping commitments', a.reputation),
      bar('Alliance cohesion', a.cohesion),
    ),
    h(
      'section',
      { class: 'card card-gauges', 'aria-labelledby': 'dash-dilemma' },
      h('h2', { id: 'dash-dilemma' }, 'Alliance dilemma'),
      h(
        'div',
        { class: 'gauges' },
        gauge('Abandonment fear', a.abandonment_fear, 'That allies will not help you'),
        gauge('Entrapment risk', a.entrapment_risk, 'That allies drag you into their war'),
      ),
      protectors.length
        ? h(
            'p',
            { class: 'small' },
            'Who others believe would come to your aid: ',
            protectors.map(([g, q], i) => [i ? ', ' : '', `${model.actorName(g)} (${pct(q)})`]),
          )
        : h('p', { class: 'small' }, 'No commitment protects you.'),
    ),
    h(
      'section',
      { class: 'card card-threats', 'aria-labelledby': 'dash-threats' },
      h('h2', { id: 'dash-threats' }, 'Threats you perceive'),
      h('p', { class: 'small' }, 'Threat = perceived intent × (power, proximity and offensive capacity), after Walt (1987).'),
      h(
        'ul',
        { class: 'threats' },
        threats.map(([other, t]) => {
          const why = threatReason(model, other);
          return h(
            'li',
            { class: 'threat' },
            bar(`${model.actorName(other)}`, t, { low: 0.3, high: 0.6, optimum: 0 }),
            h('p', { class: 'small' }, `Perceived intent ${num(me.intent?.[other])}`),
            why
              ? h('details', { class: 'why', dataset: { key: `why-${other}` } }, h('summary', {}, `Why ${model.actorName(other)}?`), reasonBlock(model, why))
              : h('p', { class: 'small muted' }, 'Reasons appear after the first adjudication.'),
          );
        }),
      ),
    ),
    h(
      'section',
      { class: 'card card-capabilities', 'aria-labelledby': 'dash-cap' },
      h('h2', { id: 'dash-cap' }, 'Capabilities (Correlates of War)'),
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, `Capabilities of ${a.name}`),
        h('tbody', {}, CAPABILITIES.map(([key, name]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, capability(key, a.capabilities[key]))))),
      ),
    ),
    h(
      'section',
      { class: 'card card-objectives', 'aria-labelledby': 'dash-obj' },
      h('h2', { id: 'dash-obj' }, 'Objectives'),
      objectiveList(model, me.objectives),
      issues.length
        ? [
            h('h3', {}, 'Issues and your win-sets'),
            h(
              'ul',
              { class: 'issues' },
              issues.map((i) =>
                h(
                  'li',
                  {},
                  h('strong', {}, i.name),
                  i.positions[me.id] !== undefined ? ` · your position ${num(i.positions[me.id])}` : '',
                  me.win_sets?.[i.id] ? ` · your parliament ratifies ${num(me.win_sets[i.id][0])}–${num(me.win_sets[i.id][1])}` : '',
                  i.settled !== null && i.settled !== undefined ? ` · settled at ${num(i.settled)}` : '',
                ),
              ),
            ),
          ]
        : null,
    ),
  );
}
