// The plenary screen for the projector (observer seat): the public network, the news feed
// (public statements and messages, injects, results) and the timer, legible from the back.

import { h, replace, throttled } from '../dom.js';
import { PHASES, cite, time } from '../format.js';
import { phaseTimer } from '../components/timer.js';
import { networkPanel, liveSnapshot } from '../components/network.js';
import { statusBadge } from './chrome.js';
import { leadRank, notices, storyText, storyTitle } from '../components/news.js';
import { verdict } from '../components/freeform.js';

export function newsItems(model, { limit = 40 } = {}) {
  const v = model.view;
  const items = [];
  let n = 0;
  const add = (item) => items.push({ ...item, n: (n += 1) });
  for (const [turn, orders] of Object.entries(v.revealed_orders || {})) {
    for (const [actor, o] of Object.entries(orders)) {
      for (const st of o.statements || []) add({ turn: Number(turn), at: 0, kind: 'statement', title: `${model.actorName(actor)} declares`, text: st.text });
    }
  }
  for (const e of v.outcomes) {
    const rank = e.reason ? leadRank(e) : null;
    if (rank === null) continue;
    const title = e.type === 'agreement_concluded' ? `Agreement concluded: ${storyTitle(model, e)}` : storyTitle(model, e);
    add({ turn: e.turn, at: e.at, rank, kind: 'result', title, text: storyText(model, e), cites: e.reason.citations });
  }
  for (const a of v.freeform || []) {
    if (!a.public) continue; // a private action is its team's and Control's only
    const title = `${model.actorName(a.actor)}: ${a.what}`;
    add({ turn: a.turn, at: a.rating?.at ?? 0, rank: a.rating ? 3 : 8, kind: 'freeform', title, text: verdict(model, a) ?? `Argued, for the effect: ${a.intended_effect}` });
  }
  for (const x of notices(model)) add({ turn: x.turn, at: 0, rank: -1, kind: 'notice', title: x.title, text: x.text });
  for (const i of v.injects) {
    if (i.audience !== 'public') continue;
    add({ turn: i.turn, at: i.at, kind: 'inject', title: i.title, text: i.text });
  }
  for (const m of v.messages) {
    if (m.channel !== 'public') continue;
    add({ turn: m.turn, at: m.at, kind: 'message', title: `${model.actorName(m.sender)} says`, text: m.text });
  }
  // The latest turn first; within it agreements, calls and answers, demands, wars lead, then the rest.
  items.sort((a, b) => b.turn - a.turn || (a.rank ?? 9) - (b.rank ?? 9) || (b.at || 0) - (a.at || 0) || b.n - a.n);
  return items.slice(0, limit);
}

const KIND = { message: 'Public message', inject: 'News', result: 'Result', statement: 'Statement', notice: 'Control', freeform: 'Free-form action' };

export function plenaryScreen(root, session) {
  const { model, link } = session;
  const timer = phaseTimer(model, { large: true });
  const net = networkPanel({ title: 'Public alliance network', large: true, table: false, circle: true, filter: true });
  const feed = h('ol', { class: 'news' });
  const headline = h('h1', { class: 'plenary-title' });
  const sub = h('p', { class: 'plenary-sub' });
  const agreements = h('p', { class: 'plenary-agreements' });
  replace(
    root,
    h(
      'main',
      { id: 'main', class: 'plenary', tabindex: '-1' },
      h('header', { class: 'plenary-head' }, h('div', {}, headline, sub), timer.el, h('div', { class: 'plenary-side' }, statusBadge(link).el, h('a', { href: '#replay', class: 'small' }, 'Replay for the debrief'))),
      h(
        'div',
        { class: 'plenary-body' },
        h('section', { class: 'plenary-map', 'aria-labelledby': 'map-title' }, h('h2', { id: 'map-title' }, 'Alliances'), net.el, agreements),
        h('section', { class: 'plenary-news', 'aria-labelledby': 'news-title' }, h('h2', { id: 'news-title' }, 'News'), h('div', { class: 'news-box', tabindex: '0', role: 'region', 'aria-labelledby': 'news-title' }, feed)),
      ),
    ),
  );
  const render = throttled(() => {
    const v = model.view;
    if (!v) return;
    headline.textContent = v.game.title;
    sub.textContent = `${v.game.region} · ${PHASES[v.game.phase] ?? v.game.phase}${v.game.phase === 'results' && !v.game.released ? ' (results under review)' : ''}`;
    document.title = `${v.game.title} · plenary`;
    timer.update();
    const snap = liveSnapshot(model, { threats: false });
    net.update(snap);
    const ags = snap.agreements.filter((a) => a.active !== false);
    agreements.textContent = `${ags.length} public agreements in force${v.wars.length ? ` · ${v.wars.length} at war` : ''} · tension ${v.system.tension !== undefined ? Number(v.system.tension).toFixed(2) : '–'}`;
    const items = newsItems(model);
    replace(
      feed,
      items.length
        ? items.map((it) =>
            h(
              'li',
              { class: `news-item news-${it.kind}` },
              h('p', { class: 'news-meta' }, `${KIND[it.kind]} · turn ${it.turn}${it.at ? ` · ${time(it.at)}` : ''}`),
              h('p', { class: 'news-title' }, it.title),
              h('p', { class: 'news-text' }, it.text),
              it.cites?.length ? h('p', { class: 'news-cite' }, it.cites.map(cite).join('; ')) : null,
            ),
          )
        : h('li', { class: 'empty' }, 'The news will appear here.'),
    );
  });
  model.addEventListener('change', render);
  window.addEventListener('resize', net.fit);
  render();
  window.setTimeout(() => net.fit(), 50);
  return () => {
    timer.stop();
    model.removeEventListener('change', render);
    window.removeEventListener('resize', net.fit);
  };
}
