// A seat's session: sign in (join with a code, or resume with the token kept in localStorage and
// the last seq seen), keep the model current, reconnect and resync by itself.

import { Link } from './link.js';
import { GameModel } from './model.js';
import { toast } from './dom.js';

const KEY = { team: 'crisisgame.session.team', observer: 'crisisgame.session.observer' };

export function roleOf(seat) {
  return seat === 'observer' ? 'observer' : 'team';
}

export function savedSession(role) {
  try {
    const s = JSON.parse(localStorage.getItem(KEY[role]) || 'null');
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function forgetSession(role) {
  localStorage.removeItem(KEY[role]);
}

function cacheKey(game, seat) {
  return `crisisgame.view.${game}.${seat}`;
}

/** The view this tab last saw for a seat, with its seq (so a reload resumes from it). */
function cachedView(game, seat) {
  try {
    const c = JSON.parse(sessionStorage.getItem(cacheKey(game, seat)) || 'null');
    return c && c.view && typeof c.seq === 'number' ? c : null;
  } catch {
    return null;
  }
}

function storeView(game, seat, seq, view) {
  try {
    sessionStorage.setItem(cacheKey(game, seat), JSON.stringify({ seq, view }));
  } catch {
    /* quota: the next reload asks for a fresh view instead */
  }
}

/**
 * Open a seat's session. `start` is {join: {code, name}}, {resume: savedSession} or
 * {facilitate: {token, game}} (game null: the console's lobby only).
 * Callbacks: onReady(model) once the first view is in; onFail(error) when sign-in is refused.
 * Returns {model, link, stop(), resync()}.
 */
export function openSession(protocol, start, { onReady = () => {}, onFail = () => {}, onStatus = () => {}, onMoved = () => {} } = {}) {
  const model = new GameModel();
  let session = start.resume ?? null;
  let ready = false;
  let first = true;

  if (start.facilitate?.game) session = { game: start.facilitate.game, seat: 'facilitator', name: 'Control' };
  if (session) {
    const cached = cachedView(session.game, session.seat);
    if (cached) {
      model.seat = session.seat;
      model.game = session.game;
      model.name = session.name;
      model.setView({ game: session.game, seq: cached.seq, view: cached.view });
    }
  }

  const signIn = () => {
    if (start.facilitate) {
      const hello = { type: 'facilitate', token: start.facilitate.token };
      if (start.facilitate.game) hello.game = start.facilitate.game;
      if (start.facilitate.game && model.view) hello.last_seq = model.seq;
      return hello;
    }
    if (session) {
      // In-page reconnect: what we have applied; first connection after a reload: the cached view's seq.
      const lastSeq = model.view ? model.seq : null;
      return lastSeq === null ? { type: 'resume', token: session.token } : { type: 'resume', token: session.token, last_seq: lastSeq };
    }
    return { type: 'join', code: start.join.code, name: start.join.name };
  };

  const onMessage = (msg) => {
    switch (msg.type) {
      case 'welcome': {
        if (start.facilitate) {
          model.welcome(msg);
          if (!first && model.view) toast('Reconnected');
          first = false;
          if (!msg.game && !ready) {
            ready = true;
            onReady(model);
          }
          break;
        }
        if (msg.token) {
          session = { token: msg.token, game: msg.game, seat: msg.seat, name: msg.name };
          localStorage.setItem(KEY[roleOf(msg.seat)], JSON.stringify(session));
        } else if (session && session.seat !== msg.seat) {
          // The facilitator moved us to another seat: forget the old seat's cached view.
          if (roleOf(session.seat) !== roleOf(msg.seat)) forgetSession(roleOf(session.seat));
          session = { ...session, seat: msg.seat, game: msg.game };
          localStorage.setItem(KEY[roleOf(msg.seat)], JSON.stringify(session));
          model.view = null;
          toast(`Your facilitator moved you to ${msg.seat}`);
          link.stop();
          onMoved(session);
          return;
        }
        if (model.game && model.game !== msg.game) model.view = null;
        model.welcome(msg);
        if (msg.v !== undefined && msg.v !== protocol.version) {
          toast(`This page speaks protocol v${protocol.version}, the server v${msg.v}: reload the page.`, 'error');
        }
        if (!first && model.view) toast('Reconnected');
        first = false;
        break;
      }
      case 'view':
        model.setView(msg);
        storeView(msg.game, model.seat, msg.seq, msg.view);
        if (!ready) {
          ready = true;
          onReady(model);
        }
        break;
      case 'event':
        if (!model.applyEvent(msg)) resync();
        break;
      case 'error':
        if (start.facilitate && (msg.code === 'unknown_token' || msg.code === 'not_found')) {
          link.stop();
          onFail(msg);
        } else if (msg.code === 'unknown_token' || msg.code === 'unknown_code') {
          if (session) forgetSession(roleOf(session.seat));
          link.stop();
          onFail(msg);
        } else {
          toast(msg.message, 'error');
        }
        break;
      default:
        break;
    }
  };

  const link = new Link(protocol, signIn, onMessage);
  link.addEventListener('status', (ev) => onStatus(ev.detail));
  link.addEventListener('clock', (ev) => {
    model.skew = ev.detail;
  });
  link.addEventListener('moved', (ev) => toast(ev.detail || 'Your facilitator changed your seat'));

  /** Ask for a fresh view (after something did not add up). */
  function resync() {
    model.view = null;
    link.reconnect();
  }

  link.connect();
  if (model.view) {
    ready = true;
    window.setTimeout(() => onReady(model), 0);
  }
  return { model, link, stop: () => link.stop(), resync };
}
