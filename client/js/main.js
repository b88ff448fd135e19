// Boot and routing. The hash says which door:
//   #join=CODE            a student joins (asks for a display name)
//   #play                 the team view (resumes the session kept in localStorage)
//   #plenary=CODE         the projector joins with the observer code; #plenary resumes
//   #replay=CODE / #replay  replay of the observer's (or team's) view
//   #facilitator=TOKEN    the facilitator's link printed by `crisisgame serve` (kept, then #console)
//   #console              the console's lobby; #console/GAME a game; #console/GAME/replay its replay

import { h, replace } from './dom.js';
import { loadProtocol } from './protocol.js';
import { setReferences } from './format.js';
import { openSession, savedSession } from './session.js';
import { joinScreen } from './screens/join.js';
import { teamScreen } from './screens/team.js';
import { plenaryScreen } from './screens/plenary.js';
import { replayScreen } from './screens/replay.js';
import { lobbyScreen, consoleScreen, TOKEN_KEY } from './screens/facilitator.js';

const root = document.getElementById('app');
let protocol = null;
let current = null; // {stop(), teardown()}

function teardown() {
  if (!current) return;
  try {
    current.teardown?.();
  } finally {
    current.session?.stop();
    current = null;
  }
}

function loading(text) {
  replace(root, h('main', { id: 'main', class: 'center', tabindex: '-1' }, h('p', { class: 'loading', role: 'status' }, text)));
}

function fail(title, text, link = null) {
  replace(
    root,
    h(
      'main',
      { id: 'main', class: 'center', tabindex: '-1' },
      h('div', { class: 'card' }, h('h1', {}, title), h('p', { role: 'alert' }, text), link ? h('p', {}, h('a', { href: link[0] }, link[1])) : null),
    ),
  );
}

function parseHash() {
  const raw = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  const [head, ...rest] = raw.split('/');
  const [key, value = ''] = head.split('=');
  return { key, value, rest };
}

/** Open a seat session and show `screen` once its first view is in. */
function seat(start, screen, { onFailHash = '#join' } = {}) {
  loading('Connecting…');
  const entry = {};
  current = entry;
  entry.session = openSession(protocol, start, {
    onReady: (model) => {
      if (current !== entry) return;
      if (screen === 'auto') {
        const target = model.seat === 'observer' ? '#plenary' : '#play';
        if (window.location.hash !== target) {
          // Keep this session: the route for the target reuses the saved session (resume).
          entry.session.stop();
          current = null;
          window.location.hash = target;
          return;
        }
      }
      const run = screen === 'auto' ? (model.seat === 'observer' ? plenaryScreen : teamScreen) : screen;
      entry.teardown = run(root, entry.session, protocol);
    },
    onMoved: (moved) => {
      if (current !== entry) return;
      // A new seat is a new screen: route again (an observer seat opens the plenary screen).
      const target = moved.seat === 'observer' ? '#plenary' : '#play';
      if (window.location.hash === target) route();
      else window.location.hash = target;
    },
    onFail: (err) => {
      if (current !== entry) return;
      teardown();
      if (start.join) {
        start.retry?.(err.message);
        return;
      }
      showJoin('', err.message, onFailHash);
    },
  });
}

function showJoin(code, message = '', next = null) {
  joinScreen(root, protocol, {
    code,
    message,
    onJoin: (msg, retry) => {
      teardown();
      const entry = {};
      current = entry;
      entry.session = openSession(protocol, { join: msg }, {
        onReady: (model) => {
          if (current !== entry) return;
          entry.session.stop();
          current = null;
          const target = next && next !== '#join' ? next : model.seat === 'observer' ? '#plenary' : '#play';
          if (window.location.hash === target) route();
          else window.location.hash = target;
        },
        onFail: (err) => {
          if (current !== entry) return;
          current.session.stop();
          current = null;
          retry(err.message);
        },
      });
    },
  });
}

function route() {
  teardown();
  document.getElementById('toasts')?.replaceChildren();
  const { key, value, rest } = parseHash();
  if (key === 'facilitator' && value) {
    localStorage.setItem(TOKEN_KEY, value);
    window.location.replace('#console');
    return;
  }
  if (key === 'console') {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) {
      fail('Control console', 'Open the console with the facilitator link that `crisisgame serve` printed (it ends with #facilitator=…).');
      return;
    }
    const game = rest[0] || null;
    const mode = rest[1] || null;
    const screen = !game ? (r, sess) => lobbyScreen(r, sess, protocol) : mode === 'replay' ? (r, sess) => replayScreen(r, sess, { back: `#console/${game}` }) : (r, sess) => consoleScreen(r, sess, protocol, game);
    loading('Connecting to the server…');
    const entry = {};
    current = entry;
    entry.session = openSession(protocol, { facilitate: { token, game } }, {
      onReady: () => {
        if (current === entry) entry.teardown = screen(root, entry.session);
      },
      onFail: (err) => {
        if (current !== entry) return;
        teardown();
        if (err.code === 'unknown_token') localStorage.removeItem(TOKEN_KEY);
        fail('Control console', err.message, game ? ['#console', 'Back to the list of games'] : null);
      },
    });
    return;
  }
  if (key === 'join') {
    showJoin(value);
    return;
  }
  if ((key === 'plenary' || key === 'replay') && value) {
    // The projector: join with the observer code at once (no name to type).
    const next = `#${key}`;
    const entry = {};
    current = entry;
    loading('Joining…');
    entry.session = openSession(protocol, { join: { code: value, name: key === 'plenary' ? 'Plenary screen' : 'Replay' } }, {
      onReady: () => {
        if (current !== entry) return;
        entry.session.stop();
        current = null;
        window.location.replace(next);
      },
      onFail: (err) => {
        if (current !== entry) return;
        teardown();
        showJoin(value, err.message, next);
      },
    });
    return;
  }
  if (key === 'plenary') {
    const saved = savedSession('observer');
    if (!saved) return showJoin('', 'Type the observer code to open the plenary screen.', '#plenary');
    seat({ resume: saved }, (r, sess) => plenaryScreen(r, sess, protocol), { onFailHash: '#plenary' });
    return;
  }
  if (key === 'replay') {
    const saved = savedSession('observer') || savedSession('team');
    if (!saved) return showJoin('', 'Type an observer code to replay the game.', '#replay');
    seat({ resume: saved }, (r, sess) => replayScreen(r, sess, { back: saved.seat === 'observer' ? '#plenary' : '#play' }), { onFailHash: '#replay' });
    return;
  }
  if (key === 'play' || key === '') {
    const saved = savedSession('team');
    if (!saved) {
      if (key === 'play') window.location.replace('#join');
      else showJoin('');
      return;
    }
    seat({ resume: saved }, (r, sess) => teamScreen(r, sess, protocol));
    return;
  }
  fail('Page not found', `There is no page “#${key}”.`, ['#join', 'Join a game']);
}

async function boot() {
  loading('Loading…');
  try {
    protocol = await loadProtocol();
  } catch (err) {
    fail('Cannot start', `${err.message}. Is the crisisgame server running?`);
    return;
  }
  try {
    const res = await fetch('/bibliography.json', { cache: 'no-cache' });
    if (res.ok) setReferences(await res.json());
  } catch {
    // Without it, citations show their short form only (the full references are in the report).
  }
  window.addEventListener('hashchange', route);
  route();
}

boot();
