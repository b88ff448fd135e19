// The phase timer: counts down to the view's `deadline` (server clock), shows when paused.

import { h, announce } from '../dom.js';
import { clock, spoken, PHASES } from '../format.js';

export function phaseTimer(model, { large = false } = {}) {
  const phase = h('span', { class: 'timer-phase' });
  const turn = h('span', { class: 'timer-turn' });
  const digits = h('span', { class: 'timer-digits' });
  const state = h('span', { class: 'timer-state' });
  const el = h(
    'div',
    { class: `timer${large ? ' timer-large' : ''}`, role: 'timer', 'aria-atomic': 'true' },
    h('span', { class: 'timer-meta' }, turn, ' ', phase),
    digits,
    state,
  );
  let warned = null;
  let lastKey = '';

  const update = () => {
    const g = model.view?.game;
    if (!g) {
      phase.textContent = 'Connecting…';
      digits.textContent = '';
      return;
    }
    turn.textContent = g.phase === 'lobby' ? '' : `Turn ${g.turn} of ${g.turns} ·`;
    phase.textContent = PHASES[g.phase] ?? g.phase;
    const left = model.secondsLeft();
    const noClock = left === null || g.phase === 'lobby' || g.phase === 'ended';
    digits.textContent = noClock ? '' : clock(left);
    let note = '';
    if (g.paused) note = 'Paused';
    else if (g.phase === 'results' && !g.released) note = 'Awaiting release';
    else if (!noClock && left <= 0) note = 'Time is up';
    state.textContent = note;
    el.classList.toggle('timer-paused', Boolean(g.paused));
    el.classList.toggle('timer-urgent', !g.paused && !noClock && left <= 60);
    el.setAttribute(
      'aria-label',
      `${turn.textContent} ${phase.textContent}${noClock ? '' : `, ${spoken(left)} left`}${note ? `, ${note}` : ''}`,
    );
    // Announce phase changes, pauses and the last minute (the timer itself is not a live region).
    const key = `${g.turn}/${g.phase}/${g.paused}`;
    if (lastKey && key !== lastKey) {
      announce(g.paused ? 'The clock is paused' : `Turn ${g.turn}: ${PHASES[g.phase] ?? g.phase}`);
      warned = null;
    }
    lastKey = key;
    if (!noClock && !g.paused && left <= 60 && left > 0 && warned !== `${key}/60`) {
      warned = `${key}/60`;
      announce(`One minute left in ${PHASES[g.phase] ?? g.phase}`);
    }
  };
  const interval = window.setInterval(update, 500);
  update();
  return { el, update, stop: () => window.clearInterval(interval) };
}
