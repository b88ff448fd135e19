// Outcomes with their reasons: the rule, a sentence a student can read, inputs and each term's
// contribution, and the literature (citation keys). Used by the team, console, plenary and replay.

import { h } from '../dom.js';
import { STEPS, cite, label, num, reference, words } from '../format.js';
import { statedReason, storyTitle } from './news.js';

/** The turn an outcome-like event belongs to. */
export function turnOf(e) {
  return e.turn ?? 0;
}

function valueText(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : num(v, 3);
  if (v === null || v === undefined) return '–';
  return String(v);
}

function changesList(model, e) {
  if (!e.changes || !e.changes.length) return null;
  return h(
    'ul',
    { class: 'changes' },
    e.changes.map((ch) => {
      let who = ch.key;
      if (ch.target === 'actor') who = model.actorName(ch.key);
      else if (ch.target === 'pair') {
        const [a, b] = ch.key.split(/[>|]/);
        who = `${model.actorName(a)} → ${model.actorName(b)}`;
      }
      return h('li', {}, `${who}: ${words(ch.field)} = ${valueText(ch.value)}`);
    }),
  );
}

function detailTable(captionText, entries) {
  if (!entries.length) return null;
  return h(
    'table',
    { class: 'mini' },
    h('caption', {}, captionText),
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, words(k)), h('td', {}, valueText(v))))),
  );
}

/** The reason of an outcome, agreement or call: explanation, rule, citations, details. */
export function reasonBlock(model, e, { details = true } = {}) {
  const r = e.reason;
  if (!r) return null;
  const cites = (r.citations || []).map((c) => h('cite', { title: reference(c) }, cite(c)));
  const citeLine = cites.length ? cites.flatMap((c, i) => (i ? ['; ', c] : [c])) : null;
  const inputs = Object.entries(r.inputs || {});
  const terms = Object.entries(r.terms || {});
  return h(
    'div',
    { class: 'reason' },
    h('p', { class: 'explanation' }, r.explanation),
    statedReason(e) ? h('p', { class: 'stated-reason' }, `Stated reason: “${statedReason(e)}”`) : null,
    h('p', { class: 'rule' }, h('span', { class: 'rule-id' }, r.rule), citeLine ? [' · ', citeLine] : null),
    details && (inputs.length || terms.length || e.changes?.length)
      ? h(
          'details',
          { dataset: { key: `d-${e.type}-${e.turn}-${r.rule}-${(e.changes || []).map((c) => c.key + c.field).join(',')}` } },
          h('summary', {}, 'Inputs, terms and values set'),
          detailTable('Inputs', inputs),
          detailTable('Each term’s contribution', terms),
          changesList(model, e),
        )
      : null,
  );
}

function audienceNote(model, e) {
  if (!Array.isArray(e.audience)) return null;
  if (model.seat === 'facilitator') return h('span', { class: 'tag' }, `Seen by ${e.audience.map((a) => model.actorName(a)).join(', ')}`);
  return h('span', { class: 'tag' }, 'Only you see this');
}

function titleOf(model, e) {
  if (e.type === 'agreement_concluded') return `Agreement concluded: ${words(e.proposal.type)} of ${e.proposal.parties.map((a) => model.actorName(a)).join(', ')}`;
  if (e.type === 'call_opened') return `${model.actorName(e.caller)} calls on its allies against ${model.actorName(e.adversary)}`;
  if (e.type === 'agreement_ended') return storyTitle(model, e);
  return null;
}

/** One outcome as a list item. */
export function outcomeItem(model, e, opts = {}) {
  const title = titleOf(model, e);
  return h(
    'li',
    { class: `outcome outcome-${e.type}` },
    title ? h('p', { class: 'outcome-title' }, title) : null,
    audienceNote(model, e),
    reasonBlock(model, e, opts),
  );
}

/**
 * Outcomes grouped by pipeline step, with a heading per step.
 * `filter` ({step, actor, text}) narrows the list (the console and replay have many).
 */
export function outcomesByStep(model, outcomes, { headingLevel = 4, filter = {}, details = true } = {}) {
  const list = outcomes.filter((e) => {
    const r = e.reason;
    if (!r) return false;
    if (filter.step !== undefined && filter.step !== '' && String(r.step) !== String(filter.step)) return false;
    if (filter.actor) {
      const keys = (e.changes || []).map((c) => c.key).join(' ');
      const parties = e.proposal?.parties?.join(' ') ?? '';
      if (!`${keys} ${parties} ${e.caller ?? ''} ${e.adversary ?? ''}`.includes(filter.actor)) return false;
    }
    if (filter.text && !r.explanation.toLowerCase().includes(filter.text.toLowerCase())) return false;
    return true;
  });
  if (!list.length) return h('p', { class: 'empty' }, 'Nothing to show.');
  const groups = new Map();
  for (const e of list) {
    const step = e.reason.step;
    if (!groups.has(step)) groups.set(step, []);
    groups.get(step).push(e);
  }
  const tag = `h${headingLevel}`;
  return h(
    'div',
    { class: 'outcomes' },
    [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([step, items]) =>
        h(
          'section',
          { class: 'step' },
          h(tag, {}, `${step ? `${step}. ` : ''}${STEPS[step] ?? `Step ${step}`}`, h('span', { class: 'count' }, ` (${items.length})`)),
          h('ul', { class: 'outcome-list' }, items.map((e) => outcomeItem(model, e, { details }))),
        ),
      ),
  );
}

/** A team's orders as sentences (revealed after adjudication, or one's own). */
export function ordersSummary(model, o) {
  if (!o) return [];
  const n = (id) => model.actorName(id);
  const lines = [];
  if (o.defence_spending !== null && o.defence_spending !== undefined) lines.push(`Defence spending ${num(o.defence_spending, 1)}% of GDP`);
  if (o.mobilisation !== null && o.mobilisation !== undefined) lines.push(`Mobilisation ${num(o.mobilisation * 100, 0)}%`);
  for (const d of o.deployments || []) lines.push(`Deploy ${d.troops.toLocaleString()} troops (${words(d.kind)}) to ${n(d.host)}`);
  for (const w of o.withdrawals || []) lines.push(`Withdraw forces from ${n(w)}`);
  for (const x of o.exercises || []) lines.push(`Joint exercise in ${n(x.host)} with ${x.partners.map(n).join(', ')}`);
  for (const a of o.arms_deliveries || []) lines.push(`Deliver ${a.item} worth $${a.value_usd_m}m to ${n(a.to)}`);
  for (const d of o.demands || []) lines.push(`${d.public ? 'Public' : 'Private'} demand on ${n(d.target)} over ${d.issue} (position ${num(d.position)})`);
  const demand = (id) => {
    const d = model.view?.demands?.find((x) => x.id === id);
    return d ? `${n(d.actor)}'s demand on ${model.view.issues?.find((i) => i.id === d.issue)?.name ?? d.issue}` : `demand ${id}`;
  };
  const call = (id) => {
    const c = model.view?.calls?.find((x) => x.id === id);
    return c ? `${n(c.caller)}'s call for help against ${n(c.adversary)}` : `call ${id}`;
  };
  for (const a of o.demand_answers || []) lines.push(`${a.accept ? 'Accept' : 'Resist'} ${demand(a.demand_id)}`);
  for (const f of o.force || []) lines.push(`Use force against ${n(f.target)}: ${words(f.level)}`);
  for (const c of o.call_answers || []) lines.push(`${c.honour ? 'Honour' : 'Abandon'} ${call(c.call_id)}`);
  for (const s of o.statements || []) {
    let extra = '';
    if (s.pledge_to) extra += ` (pledge to ${n(s.pledge_to)})`;
    if (s.reassure) extra += ` (reassuring ${n(s.reassure)})`;
    lines.push(`Statement: “${s.text}”${extra}`);
  }
  for (const x of o.sanctions || []) lines.push(`Impose ${x.kind || 'sanctions'} on ${n(x.target)}`);
  for (const t of o.lift_sanctions || []) lines.push(`Lift sanctions on ${n(t)}`);
  for (const a of o.aid || []) lines.push(`Aid of $${a.value_usd_m}m to ${n(a.to)}`);
  for (const ag of o.withhold || []) lines.push(`Withhold the sanctions or aid agreement ${ag} commits us to (a breach)`);
  for (const t of o.defend || []) lines.push(`Fight for ${n(t)} without any obligation`);
  for (const j of o.join || []) lines.push(`Join ${n(j.attacker)}’s attack on ${n(j.target)}`);
  const agreement = (id) => model.view?.agreements?.find((g) => g.id === id)?.name ?? id;
  for (const [key, verb] of [['renew', 'Renew'], ['renounce', 'Renounce'], ['suspend', 'Suspend'], ['resume', 'Put back in force']]) {
    for (const id of o[key] || []) {
      const why = key === 'renounce' ? o.renounce_reasons?.[id] : null;
      lines.push(`${verb} ${agreement(id)}${why ? `, stating: “${why}”` : ''}`);
    }
  }
  for (const t of o.grant_bases || []) lines.push(`Let ${n(t)} fight from our bases`);
  for (const t of o.deny_bases || []) lines.push(`Deny ${n(t)} combat use of our bases`);
  for (const t of o.nuclear_threats || []) lines.push(`Nuclear threat against ${n(t)}`);
  if (o.nuclear_test) lines.push('Nuclear test');
  if (o.alignment) lines.push(`Declares alignment with ${n(o.alignment)}`);
  return lines.length ? lines : ['No change'];
}

/** Revealed orders of one turn, per actor. */
export function revealedOrders(model, turn, headingLevel = 4) {
  const all = model.view?.revealed_orders?.[String(turn)];
  if (!all || !Object.keys(all).length) return null;
  const tag = `h${headingLevel}`;
  return h(
    'section',
    { class: 'revealed' },
    h(tag, {}, 'Orders revealed'),
    h(
      'dl',
      { class: 'orders-list' },
      Object.entries(all).flatMap(([actor, o]) => [
        h('dt', {}, model.actorName(actor)),
        h('dd', {}, h('ul', {}, ordersSummary(model, o).map((line) => h('li', {}, line)))),
      ]),
    ),
  );
}

export { label };

/**
 * Earlier turns: a view carries the newest results and the newest turns' orders only, so showing an
 * older turn (or the part of the latest one the view left out) fetches it with `outcome_history`.
 * Returns a note while it loads, or the error with a "Try again" button; null once the turn is whole.
 */
export function earlierTurn(model, link, turn) {
  if (turn === null || turn === undefined || !model.turnIncomplete(turn)) return null;
  const error = model.turnErrors.get(turn);
  if (error) {
    return h(
      'p',
      { class: 'note error earlier-turn', role: 'alert' },
      `The record of turn ${turn} could not be loaded: ${error} `,
      h('button', { type: 'button', class: 'link-button', onclick: () => model.retryTurn(link, turn) }, 'Try again'),
    );
  }
  model.ensureTurn(link, turn);
  return h('p', { class: 'note earlier-turn', role: 'status' }, `Loading the rest of turn ${turn} (its results, orders and proposals)…`);
}
