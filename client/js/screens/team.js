// The team view: a state's dashboard, the network, channels, proposals, orders, results, briefing.

import { h, replace, tabs, throttled, announce, toast, toastError } from '../dom.js';
import { PHASES, num } from '../format.js';
import { phaseTimer } from '../components/timer.js';
import { networkPanel, liveSnapshot } from '../components/network.js';
import { dashboard } from '../components/dashboard.js';
import { channelsPanel } from '../components/channels.js';
import { proposalsPanel } from '../components/proposals.js';
import { ordersPanel } from '../components/orders.js';
import { freeformPanel, freeformResults } from '../components/freeform.js';
import { earlierTurn, outcomesByStep, revealedOrders, turnOf } from '../components/results.js';
import { notices, whatChangedForYou } from '../components/news.js';
import { statusBadge } from './chrome.js';
import { nowPanel, answersDue } from '../components/now.js';

const TEAMMATES_EVERY = 15000;

/** Who else received a piece of intelligence: "only you", or the others it was shared with. */
function intelligenceTag(model, audience) {
  const others = audience.filter((a) => a !== model.seat).map((a) => model.actorName(a));
  return others.length ? `Intelligence: shared with ${others.join(', ')}` : 'Intelligence: only you';
}

function readyButton(model, link) {
  const btn = h('button', { type: 'button', class: 'ready', 'aria-pressed': 'false' }, 'Mark ready');
  const note = h('span', { class: 'ready-note' });
  btn.addEventListener('click', async () => {
    const mine = model.view.game.ready.includes(model.seat);
    btn.disabled = true;
    try {
      await link.command({ type: 'set_ready', ready: !mine });
      announce(mine ? 'No longer ready' : 'Marked ready');
    } catch (err) {
      toastError(err);
    } finally {
      btn.disabled = false;
      update();
    }
  });
  const update = () => {
    const g = model.view?.game;
    if (!g) return;
    const mine = g.ready.includes(model.seat);
    btn.setAttribute('aria-pressed', mine ? 'true' : 'false');
    btn.textContent = mine ? 'Ready ✓' : 'Mark ready';
    btn.title = mine ? 'Press again if you are not ready after all' : 'End the phase early once every team is ready';
    const active = ['briefing', 'diplomacy', 'orders', 'results'].includes(g.phase);
    btn.hidden = !active;
    // In the orders phase a team answers every call and demand due before it can be ready (the server checks too).
    const owed = g.phase === 'orders' && !mine ? answersDue(model).filter((d) => !d.answered).length : 0;
    note.textContent = !active ? '' : owed ? `Answer ${owed} call${owed === 1 ? '' : 's'} or demand${owed === 1 ? '' : 's'} in Orders before marking ready` : `${g.ready.length} of ${g.teams.length} teams ready`;
  };
  return { el: h('div', { class: 'ready-box' }, btn, note), update };
}

export function teamScreen(root, session, protocol) {
  const { model, link } = session;
  const me = model.actor(model.seat);
  const status = statusBadge(link);
  const timer = phaseTimer(model);
  const ready = readyButton(model, link);
  const title = h('h1', { class: 'who' }, h('span', { class: 'state-name' }, me?.name ?? model.seat), h('span', { class: 'player' }, ` · ${model.name ?? ''}`));
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('a', { href: '#play', class: 'logo' }, 'crisisgame'), title),
    timer.el,
    ready.el,
    status.el,
  );

  let team = null;
  const goTo = (id, key = null) => {
    t?.select(id);
    if (id === 'orders' && key) orders.reveal(key);
  };
  const now = nowPanel(model, { goTo, teammates: () => team });
  const askTeammates = async () => {
    if (!link.online) return;
    try {
      team = (await link.request({ type: 'teammates' })).members;
      now.update();
    } catch {
      // (the panel leaves the line out until the next try)
    }
  };
  const teammatesTimer = window.setInterval(askTeammates, TEAMMATES_EVERY);
  link.addEventListener('status', (ev) => {
    if (ev.detail.status === 'online') askTeammates();
  });

  const dashPanel = h('div', {});
  const netBox = h('div', {});
  const net = networkPanel({ title: 'Alliance network (map)' });
  const showThreats = h('input', { type: 'checkbox', id: 'show-threats', checked: true });
  netBox.append(
    h('h2', {}, 'Actors and agreements'),
    h('div', { class: 'field field-check' }, showThreats, h('label', { for: 'show-threats' }, 'Show the threats you perceive (0.30 and above)')),
    net.el,
  );
  const msgPanel = h('div', {});
  const propPanel = h('div', {});
  const ordPanel = h('div', {});
  const resPanel = h('div', {});
  const briefPanel = h('div', {});

  let t = null;
  const visible = (id) => t && t.current() === id && document.visibilityState === 'visible';
  const channels = channelsPanel(model, link, protocol, {
    isVisible: () => visible('messages'),
    onUnread: (n) => t?.setBadge('messages', n ? (n > 9 ? '9+' : String(n)) : '', `${n} unread`),
  });
  msgPanel.append(channels.el);
  const proposals = proposalsPanel(model, link, protocol, {
    onBadge: (n) => t?.setBadge('proposals', n ? String(n) : '', `${n} awaiting your answer`),
  });
  propPanel.append(proposals.el);
  const orders = ordersPanel(model, link, protocol);
  const freeform = freeformPanel(model, link, protocol);
  ordPanel.append(orders.el, freeform.el);

  // Results: a turn picker and the outcomes of that turn, grouped by step.
  const turnSel = h('select', { id: 'results-turn' });
  const resBody = h('div', { class: 'results-body' });
  resPanel.append(
    h('h2', {}, 'Results'),
    h('div', { class: 'field inline' }, h('label', { for: 'results-turn' }, 'Turn'), turnSel),
    resBody,
  );
  let pickedTurn = null;
  turnSel.addEventListener('change', () => {
    pickedTurn = Number(turnSel.value);
    renderResults();
  });
  let seenResults = null;

  const list = [
    { id: 'dashboard', label: 'Dashboard', panel: dashPanel },
    { id: 'network', label: 'Network', panel: netBox },
    { id: 'messages', label: 'Messages', panel: msgPanel },
    { id: 'proposals', label: 'Proposals', panel: propPanel },
    { id: 'orders', label: 'Orders', panel: ordPanel },
    { id: 'results', label: 'Results', panel: resPanel },
    { id: 'briefing', label: 'Briefing', panel: briefPanel },
  ];
  const saved = sessionStorage.getItem('crisisgame.tab');
  t = tabs('Team view', list, (id) => {
    if (id === 'network') window.setTimeout(() => net.fit(), 0);
    if (id === 'messages') channels.update();
    if (id === 'results') {
      t?.setBadge('results', '', '');
      renderResults(); // (fetches the shown turn's results if the view left some out)
    }
    sessionStorage.setItem('crisisgame.tab', id);
  });
  const main = h('main', { id: 'main', tabindex: '-1' }, now.el, t.el);
  replace(root, header, main);
  askTeammates();
  if (saved && list.some((x) => x.id === saved)) t.select(saved);

  function renderResults() {
    const v = model.view;
    const turns = model.resultTurns().filter((x) => x > 0);
    const waiting = v.game.phase === 'results' && !v.game.released;
    replace(turnSel, turns.length ? turns.map((x) => h('option', { value: String(x) }, `Turn ${x}`)) : h('option', { value: '' }, 'No results yet'));
    // Follow the latest turn unless the student picked an earlier one.
    if (!turns.includes(pickedTurn) || pickedTurn === seenResults) pickedTurn = turns.length ? turns[turns.length - 1] : null;
    if (pickedTurn !== null) turnSel.value = String(pickedTurn);
    const shown = pickedTurn === null ? [] : v.outcomes.filter((e) => turnOf(e) === pickedTurn && e.reason && e.reason.step > 0);
    replace(
      resBody,
      waiting ? h('p', { class: 'note', role: 'status' }, `Control is reviewing the results of turn ${v.game.turn}; they appear here once released.`) : null,
      notices(model).map((x) => h('p', { class: 'note notice', role: 'status' }, x.text)),
      pickedTurn === null
        ? h('p', { class: 'empty' }, 'Results appear here after each turn is adjudicated.')
        : [
            t?.current() === 'results' ? earlierTurn(model, link, pickedTurn) : null,
            h('section', { class: 'what-changed' }, h('h3', {}, 'What changed for you'), h('ul', {}, whatChangedForYou(model, pickedTurn).map((x) => h('li', {}, x)))),
            freeformResults(model, pickedTurn),
            revealedOrders(model, pickedTurn, 3),
            h('details', { class: 'technical', dataset: { key: `technical-${pickedTurn}` } }, h('summary', {}, 'Details: every adjudication with its reasons'), outcomesByStep(model, shown, { headingLevel: 3 })),
          ],
    );
    const latest = turns[turns.length - 1] ?? null;
    if (latest !== null && seenResults !== null && latest !== seenResults) {
      announce(`Results of turn ${latest} are out`);
      if (t.current() !== 'results') t.setBadge('results', 'new', 'new results');
    }
    seenResults = latest;
  }

  function renderBriefing() {
    const v = model.view;
    const injects = [...v.injects].reverse();
    replace(
      briefPanel,
      h('h2', {}, v.game.title),
      h('p', { class: 'small' }, `${v.game.region} · ${v.game.date} · ${v.game.turns} turns`),
      h('p', {}, v.briefing.summary),
      v.briefing.learning_objectives.length
        ? [h('h3', {}, 'What this game is about'), h('ul', {}, v.briefing.learning_objectives.map((o) => h('li', {}, o)))]
        : null,
      h('h3', {}, 'Injects and intelligence'),
      injects.length
        ? h(
            'ul',
            { class: 'injects' },
            injects.map((i) =>
              h(
                'li',
                { class: 'inject card' },
                h('h4', {}, i.title, ' ', Array.isArray(i.audience) ? h('span', { class: 'tag tag-secret' }, intelligenceTag(model, i.audience)) : null),
                h('p', { class: 'small' }, `Turn ${i.turn}`),
                h('p', {}, i.text),
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'No injects yet.'),
    );
  }

  const render = throttled(() => {
    const v = model.view;
    if (!v) return;
    timer.update();
    ready.update();
    now.update();
    replace(dashPanel, dashboard(model));
    // The reasons of the threats on the dashboard are the last adjudication's results, which the view may hold in part.
    const adjudicated = v.game.phase === 'results' && v.game.released ? v.game.turn : v.game.turn - 1;
    if (adjudicated > 0 && t?.current() === 'dashboard') model.ensureTurn(link, adjudicated);
    net.update(liveSnapshot(model, { threats: showThreats.checked }));
    channels.update();
    proposals.update();
    orders.update();
    freeform.update();
    renderResults();
    renderBriefing();
    document.title = `${model.actorName(model.seat)} · ${PHASES[v.game.phase] ?? v.game.phase} · crisisgame`;
    if (v.game.phase === 'ended') {
      const scores = v.actors.map((a) => `${a.name}`);
      if (!root.querySelector('.game-over')) {
        const debrief = h('button', { type: 'button', class: 'link-button' }, 'Open the debrief summary');
        debrief.addEventListener('click', async () => {
          try {
            const data = await link.request({ type: 'report', edition: 'student' });
            window.open(URL.createObjectURL(new Blob([data.html], { type: 'text/html' })), '_blank', 'noopener');
          } catch (err) {
            toastError(err);
          }
        });
        main.prepend(h('div', { class: 'game-over note', role: 'status' }, `The game is over. Your score: ${num(v.me?.score, 0)}. `, h('a', { href: '#replay' }, 'Replay the game'), ` (${scores.length} actors). `, debrief));
      }
    }
  });
  showThreats.addEventListener('change', () => net.update(liveSnapshot(model, { threats: showThreats.checked })));
  model.addEventListener('change', render);
  document.addEventListener('visibilitychange', render);
  render();
  return () => {
    timer.stop();
    window.clearInterval(teammatesTimer);
    model.removeEventListener('change', render);
    document.removeEventListener('visibilitychange', render);
  };
}
