// Results that read like news: "what changed for you" for a team, and the plenary's lead stories.
// The sentences come from what the seat's view already holds (outcomes, calls, threats), told with
// names instead of ids and without the technical asides; the technical lines stay behind "details".
// The engine's pure counterpart is crisisgame.engine.news (same rules, tested in Python).

import { words } from '../format.js';

/** `text` with every actor id (a whole word) replaced by its name. */
export function withNames(model, text) {
  const ids = (model.view?.actors ?? []).map((a) => a.id).sort((a, b) => b.length - a.length);
  if (!ids.length || !text) return text ?? '';
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(`\\b(${escaped.join('|')})\\b`, 'g'), (id) => model.actorName(id));
}

/** A sentence for a person: names, not ids; no "(0.25 to 0.25)" or other parenthesised figures. */
export function readable(model, text) {
  let out = withNames(model, text);
  for (let previous = null; previous !== out; ) {
    previous = out;
    out = out.replace(/\s*\([^()]*\)/g, ''); // nested asides too
  }
  return out.replace(/\s+([.,;:])/g, '$1').trim();
}

const LEAD = {
  agreement_concluded: 0,
  agreement_ended: 1,
  'agreement.renunciation': 1,
  call_opened: 2,
  'alliance.answer': 3,
  'crisis.demand': 4,
  'crisis.backdown': 4,
  'crisis.war': 5,
  'crisis.strike': 5,
  'crisis.spoils': 5,
  'crisis.ceasefire': 5,
  council: 6,
};

/** The reason a renouncer stated for a renunciation (its notice or its end), or null: its own words, shown as given. */
export function statedReason(e) {
  const why = e.type === 'agreement_ended' ? e.stated_reason : e.reason?.rule === 'agreement.renunciation' ? e.reason.inputs?.stated_reason : null;
  return typeof why === 'string' && why ? why : null;
}

/** A story's text: the readable explanation, and the renouncer's stated reason as given (no asides stripped). */
export function storyText(model, e) {
  const why = statedReason(e);
  return readable(model, e.reason.explanation) + (why ? ` Stated reason: “${why}”` : '');
}

/** How high a plenary story leads (lower first); null if it is not news for the room. */
export function leadRank(e) {
  if (e.type in LEAD) return LEAD[e.type];
  if (e.type !== 'outcome' || e.audience !== 'public') return null;
  const rule = e.reason?.rule ?? '';
  if (rule in LEAD) return LEAD[rule];
  if (rule.startsWith('council.') || rule.startsWith('unsc.')) return LEAD.council;
  if (rule.startsWith('crisis.') && rule !== 'crisis.intent') return 5;
  if (rule === 'ratification.winset') return /fail|reject|defeat|outside/i.test(e.reason.explanation) ? 7 : null;
  return null;
}

/** The headline of a story: what happened, in the room's words. */
export function storyTitle(model, e) {
  const n = (id) => model.actorName(id);
  if (e.type === 'agreement_concluded') return `${e.proposal.parties.map(n).join(' and ')} conclude a ${words(e.proposal.type)}`;
  const agreement = (id) => model.view?.agreements?.find((g) => g.id === id)?.name ?? id;
  if (e.type === 'agreement_ended') return `${agreement(e.agreement)} ended (${words(e.cause)})`;
  if (e.type === 'call_opened') return `${n(e.caller)} calls on its allies against ${n(e.adversary)}`;
  const rule = e.reason?.rule ?? '';
  if (rule === 'agreement.renunciation') return `${n(e.reason.inputs.by)} renounces ${agreement(e.reason.inputs.agreement)}`;
  if (rule === 'alliance.answer') return 'An ally answers';
  if (rule.startsWith('crisis.demand') || rule === 'crisis.backdown') return 'A demand is settled';
  if (rule.startsWith('crisis.')) return 'Force';
  if (rule.startsWith('council.') || rule.startsWith('unsc.')) return 'Security Council';
  return 'Result';
}

function mine(e, seat) {
  const keys = (e.changes ?? []).map((c) => `${c.key} ${c.field}`).join(' ');
  const parties = e.proposal?.parties ?? [];
  return parties.includes(seat) || e.caller === seat || (e.obligated ?? []).includes(seat) || e.adversary === seat || new RegExp(`\\b${seat}\\b`).test(keys);
}

/**
 * Three to six sentences that open a team's results for `turn`: its agreements, the calls that
 * concern it and their answers, demands and force, its top threat, and its objectives.
 */
export function whatChangedForYou(model, turn) {
  const v = model.view;
  const seat = model.seat;
  const n = (id) => (id === seat ? 'you' : model.actorName(id));
  const out = [];
  const events = v.outcomes.filter((e) => (e.turn ?? 0) === turn && e.reason);
  for (const e of events) {
    if (e.type === 'agreement_concluded' && e.proposal.parties.includes(seat)) {
      const others = e.proposal.parties.filter((p) => p !== seat).map(n).join(' and ');
      out.push(`You concluded a ${words(e.proposal.type)} with ${others}; it is in force now.`);
    }
  }
  for (const e of events) {
    if (e.reason.rule !== 'agreement.renunciation') continue;
    const ag = (v.agreements ?? []).find((g) => g.id === e.reason.inputs.agreement);
    if (!ag || !ag.parties.includes(seat)) continue;
    const why = statedReason(e);
    const who = e.reason.inputs.by === seat ? 'You gave' : `${model.actorName(e.reason.inputs.by)} gave`;
    out.push(`${who} notice renouncing ${ag.name}; it binds until turn ${ag.notice_until}.${why ? ` Stated reason: “${why}”` : ''}`);
  }
  for (const e of events) {
    if (e.type !== 'call_opened') continue;
    if (e.caller === seat) out.push(`You called on ${e.obligated.map(n).join(', ')} to help against ${n(e.adversary)}.`);
    else if (e.obligated.includes(seat)) {
      out.push(`${n(e.caller)} called on you to help against ${n(e.adversary)}: honour or abandon the call in your next orders.`);
    }
  }
  for (const e of events) {
    if (e.reason.rule !== 'alliance.answer') continue;
    const call = (v.calls ?? []).find((c) => (e.changes ?? []).some((ch) => ch.key === c.id));
    if (call && (call.caller === seat || e.changes.some((ch) => ch.field === `answer:${seat}`))) out.push(readable(model, e.reason.explanation) + '.');
  }
  for (const e of events) {
    const rule = e.reason.rule;
    if (e.type === 'outcome' && rule.startsWith('crisis.') && rule !== 'crisis.intent' && mine(e, seat)) out.push(readable(model, e.reason.explanation));
  }
  const threats = Object.entries(v.me?.threat ?? {}).sort((a, b) => b[1] - a[1]);
  if (threats.length) {
    const [top, value] = threats[0];
    const moved = events.find((e) => e.reason.rule === 'threat.walt' && (e.changes ?? []).some((ch) => ch.key === `${seat}>${top}`));
    const level = value >= 0.5 ? 'high' : value >= 0.3 ? 'moderate' : 'low';
    out.push(`Your greatest threat is ${model.actorName(top)}, and it is ${level} (${value.toFixed(2)})${moved ? ' after this turn’s moves' : ''}.`);
  }
  const objectives = v.me?.objectives ?? [];
  const score = events.find((e) => e.reason.rule === 'system.score' && (e.changes ?? []).some((ch) => ch.key === seat));
  if (objectives.length) {
    const points = score ? score.changes.find((ch) => ch.key === seat).value : (v.me?.score ?? 0);
    out.push(`${score ? 'This turn moved your score: the' : 'The'} objectives you meet are worth ${points} points so far.`);
  }
  if (out.length < 3) out.unshift('No agreement, call or demand concerned you directly this turn.');
  return [...new Set(out)].slice(0, 6);
}

/** Control's rollbacks and amendments, each with its reason, as the server words them for this seat
 * (the view's `announcements`, built by crisisgame.engine.news: a reload never loses them). */
export function notices(model) {
  return model.view?.announcements ?? [];
}
