// The "Now" panel on every team page: what the phase asks of the team in one sentence, what awaits
// it (proposals to answer, calls and demands due, orders not in, teammates online), and a live
// tracker of each of its objectives (public and secret) with the reason it is on track or not.
// Everything is read from the seat's view (engine/view.py): whether an objective is met is the
// engine's verdict (`me.objectives_met`, engine/objectives.py); the page words the reason only.

import { h, replace } from '../dom.js';
import { num } from '../format.js';

const TASKS = {
  lobby: 'Wait for Control to start the game; meanwhile read your briefing and objectives.',
  briefing: 'Read the briefing and the latest injects, and agree a plan with your teammates.',
  diplomacy: 'Negotiate: message other states, and make or answer proposals before the clock runs out.',
  orders: 'Submit your sealed orders (answering every call and demand below), then mark ready.',
  results: 'Read what happened and why in Results; the next turn starts when Control moves on.',
  ended: 'The game is over: replay it and bring your notes to the debrief.',
};

/** The calls for help and demands this team must answer in this turn's orders (engine/answers.py). */
export function answersDue(model) {
  const v = model.view;
  if (!v || !v.me) return [];
  const seat = model.seat;
  const turn = v.game.turn;
  const orders = v.me.orders;
  const callsAnswered = new Set((orders?.call_answers || []).map((a) => a.call_id));
  const demandsAnswered = new Set((orders?.demand_answers || []).map((a) => a.demand_id));
  const due = [];
  for (const c of v.calls) {
    if (c.status === 'open' && c.obligated.includes(seat) && c.turn < turn) {
      due.push({ kind: 'call', id: c.id, text: `${model.actorName(c.caller)}'s call for help against ${model.actorName(c.adversary)}`, answered: callsAnswered.has(c.id) });
    }
  }
  for (const d of v.demands) {
    if (d.status === 'open' && d.target === seat && d.turn < turn) {
      due.push({ kind: 'demand', id: d.id, text: `${model.actorName(d.actor)}'s demand on ${d.issue}`, answered: demandsAnswered.has(d.id) });
    }
  }
  return due;
}

/** Proposals waiting for this team's answer. */
export function proposalsToAnswer(model) {
  const v = model.view;
  if (!v) return [];
  return v.proposals.filter((p) => p.status === 'open' && p.sender !== model.seat && p.proposal.parties.includes(model.seat) && !p.accepted.includes(model.seat));
}

function atWar(v, a, b) {
  const key = [a, b].sort().join('|');
  return v.wars.includes(key);
}

/** The `i`th objective of the seat, `o`: {met, why}. Whether it is met is the engine's verdict, sent in
 * the view (`me.objectives_met`, engine/objectives.py), never worked out here: the page only words the
 * reason, from the figures the view shows. */
export function objectiveStatus(model, o, i) {
  const v = model.view;
  const seat = model.seat;
  const me = model.actor(seat);
  const verdict = v.me.objectives_met?.[i];
  const met = typeof verdict === 'boolean' ? verdict : null;
  const name = (id) => model.actorName(id);
  const words = (t) => String(t).replaceAll('_', ' ');
  switch (o.kind) {
    case 'have_agreement':
      return { met, why: met ? `a ${words(o.type)} with ${name(o.with)} is in force` : `no ${words(o.type)} with ${name(o.with)} in force yet` };
    case 'avoid_agreement':
      return { met, why: met ? `no ${words(o.type)} with ${name(o.with)}` : `you are party to a ${words(o.type)} with ${name(o.with)}` };
    case 'avoid_war': {
      const wars = o.with ? (atWar(v, seat, o.with) ? [o.with] : []) : v.wars.filter((w) => w.split('|').includes(seat)).map((w) => w.split('|').find((x) => x !== seat));
      return { met, why: wars.length ? `at war with ${wars.map(name).join(', ')}` : o.with ? `at peace with ${name(o.with)}` : 'at peace with everyone' };
    }
    case 'keep_approval':
      return { met, why: `approval ${num(me.approval)} (needs ${num(o.at_least)} or more)` };
    case 'keep_reputation':
      return { met, why: `reputation ${num(me.reputation)} (needs ${num(o.at_least)} or more)` };
    case 'limit_threat':
      return { met, why: `threat you perceive from ${name(o.from)}: ${num(v.me.threat?.[o.from] ?? 0)} (needs ${num(o.at_most)} or less)` };
    case 'issue_outcome': {
      const issue = v.issues.find((x) => x.id === o.issue);
      const at = issue?.settled;
      const range = `${num(o.low)}–${num(o.high)}`;
      if (at === null || at === undefined) return { met, why: `${issue?.name ?? o.issue} is not settled yet (you need ${range})` };
      return { met, why: `${issue?.name ?? o.issue} settled at ${num(at)} (you need ${range})` };
    }
    case 'spend_at_most':
      return { met, why: `spending ${num(me.defence_spending, 1)}% of GDP (at most ${num(o.percent_gdp, 1)}%)` };
    default:
      return { met, why: met === null ? 'tracked at the end of the game' : 'as the game scores it' };
  }
}

/**
 * The panel. `goTo(tab, key)` opens a tab of the team page (and there the control with that `data-key`); `teammates()` gives the latest list of
 * {name, online} for this seat (or null while unknown).
 */
export function nowPanel(model, { goTo, teammates }) {
  const task = h('p', { class: 'now-task' });
  const waiting = h('ul', { class: 'now-list' });
  const objectives = h('ul', { class: 'now-objectives' });
  const el = h(
    'section',
    { class: 'now card', 'aria-labelledby': 'now-title' },
    h('h2', { id: 'now-title' }, 'Now'),
    task,
    h('div', { class: 'now-cols' }, h('div', {}, h('h3', {}, 'Waiting for you'), waiting), h('div', {}, h('h3', {}, 'Your objectives'), objectives)),
  );
  const link = (label, tab, key = null) => h('button', { type: 'button', class: 'link-button', onclick: () => goTo(tab, key) }, label);

  const update = () => {
    const v = model.view;
    if (!v || !v.me) return;
    const phase = v.game.phase;
    task.textContent = TASKS[phase] ?? '';
    const items = [];
    const props = proposalsToAnswer(model);
    if (props.length) items.push(h('li', {}, `${props.length} proposal${props.length === 1 ? '' : 's'} to answer: `, link('Proposals', 'proposals')));
    for (const d of answersDue(model)) {
      items.push(
        h(
          'li',
          { class: d.answered ? 'done' : 'due' },
          d.answered ? `Answered: ${d.text}. ` : `Answer ${d.text} this turn (no answer = ${d.kind === 'call' ? 'abandon' : 'resist'}): `,
          d.answered ? null : link('Orders', 'orders', `${d.kind}-${d.id}`),
        ),
      );
    }
    if (['briefing', 'diplomacy', 'orders'].includes(phase)) {
      items.push(
        v.me.orders
          ? h('li', { class: 'done' }, `Orders for turn ${v.game.turn} submitted (you can still change them in the orders phase).`)
          : h('li', { class: phase === 'orders' ? 'due' : '' }, `Orders for turn ${v.game.turn} not submitted yet: `, link('Orders', 'orders')),
      );
    }
    const mates = teammates();
    if (mates) {
      const online = mates.filter((m) => m.online).map((m) => m.name);
      items.push(h('li', {}, online.length ? `Teammates online: ${online.join(', ')}` : 'No teammate online'));
    }
    replace(waiting, items.length ? items : h('li', {}, 'Nothing waits for you right now.'));
    replace(
      objectives,
      (v.me.objectives || []).map((o, i) => {
        const s = objectiveStatus(model, o, i);
        const mark = s.met === null ? '·' : s.met ? '✓' : '✗';
        const state = s.met === null ? 'open' : s.met ? 'on track' : 'not on track';
        return h(
          'li',
          { class: `objective ${s.met ? 'on-track' : 'off-track'}` },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
          ' ',
          h('strong', {}, o.text),
          o.secret ? h('span', { class: 'tag tag-secret' }, 'secret') : null,
          h('span', { class: 'small' }, ` ${state}, ${o.points} points: ${s.why}.`),
        );
      }),
    );
  };
  return { el, update };
}
