// The facilitator's console ("Control"): the lobby (create a game from a scenario, list games)
// and a game's console (codes and QR codes, the clock, injects, submissions, amend, release,
// roll back, end, members).

import { h, replace, field, checkboxes, select, setOptions, tabs, throttled, toast, toastError, uid, announce } from '../dom.js';
import { PHASES, label, num, words, time } from '../format.js';
import { phaseTimer } from '../components/timer.js';
import { networkPanel, liveSnapshot } from '../components/network.js';
import { channelsPanel } from '../components/channels.js';
import { outcomesByStep, revealedOrders, turnOf } from '../components/results.js';
import { schemaForm } from '../components/schemaform.js';
import { freeformReview } from '../components/freeform.js';
import { qrSvg } from '../components/qr.js';
import { scenarioUpload } from '../components/upload.js';
import { statusBadge } from './chrome.js';

export const TOKEN_KEY = 'crisisgame.facilitator';

function topbar(link, ...middle) {
  return h(
    'header',
    { class: 'topbar topbar-control' },
    h('div', { class: 'brand' }, h('a', { href: '#console', class: 'logo' }, 'crisisgame'), h('span', { class: 'role' }, 'Control')),
    ...middle,
    statusBadge(link).el,
  );
}

/** A button that runs an async action, disables itself meanwhile and reports the server's answer. */
function action(text, run, attrs = {}) {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const done = await run();
      if (typeof done === 'string') toast(done);
    } catch (err) {
      toastError(err);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

// --------------------------------------------------------------------------------------- lobby

const PHASE_NAMES = ['briefing', 'diplomacy', 'orders', 'results'];

/** Four boxes for phase lengths in minutes; `read()` gives the filled ones in seconds. */
function phaseInputs(prefix) {
  const inputs = PHASE_NAMES.map((p) => h('input', { type: 'number', id: `${prefix}-${p}`, min: p === 'diplomacy' || p === 'orders' ? '0.5' : '0', max: '120', step: '0.5', placeholder: 'unchanged' }));
  const el = h('div', { class: 'grid3 phase-lengths' }, PHASE_NAMES.map((p, i) => field(`${p[0].toUpperCase()}${p.slice(1)} (minutes)`, inputs[i])));
  const read = () => {
    const out = {};
    PHASE_NAMES.forEach((p, i) => {
      if (inputs[i].value.trim() !== '') out[p] = Math.round(Number(inputs[i].value) * 60);
    });
    return out;
  };
  const clear = () => inputs.forEach((x) => (x.value = ''));
  return { el, read, clear };
}

export function lobbyScreen(root, session, protocol) {
  const { link } = session;
  const scenarioSel = h('select', { id: 'scenario' });
  const about = h('div', { class: 'scenario-about' });
  let teams = checkboxes('Teams (every other actor is played by a bot)', [], []);
  const teamsSlot = h('div', {}, teams.el);
  const botsNote = h('p', { class: 'small', role: 'status' });
  const seed = h('input', { type: 'number', id: 'seed', min: '0', step: '1', placeholder: 'random' });
  const autoRelease = h('input', { type: 'checkbox', id: 'auto-release', checked: true });
  const lengths = phaseInputs('create');
  const error = h('div', { class: 'form-error', role: 'alert' });
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create game');
  let scenarios = [];

  const showScenario = () => {
    const sc = scenarios.find((x) => x.id === scenarioSel.value);
    if (!sc) return;
    replace(about, h('p', {}, h('strong', {}, sc.title), ` · ${sc.region} · ${sc.actors.length} actors; the scenario needs at least ${sc.minimum} teams.`));
    const playable = sc.actors.filter((a) => a.playable);
    const preset = sc.priority.slice(0, Math.max(sc.minimum, 3));
    const nt = checkboxes('Teams (every other actor is played by a bot)', playable.map((a) => [a.id, `${a.name} (${a.id})`]), preset);
    teams.el.replaceWith(nt.el);
    teams = nt;
    teams.el.addEventListener('change', noteBots);
    noteBots();
  };
  const noteBots = () => {
    const sc = scenarios.find((x) => x.id === scenarioSel.value);
    if (!sc) return;
    const chosen = new Set(teams.values());
    const bots = sc.actors.filter((a) => !chosen.has(a.id)).map((a) => a.name);
    botsNote.textContent = `${chosen.size} teams; bots play ${bots.length ? bots.join(', ') : 'nobody'}.`;
  };
  scenarioSel.addEventListener('change', showScenario);

  const form = h(
    'form',
    { class: 'card create-form', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a game'),
    field('Scenario', scenarioSel),
    about,
    teamsSlot,
    botsNote,
    scenarioUpload(link, (sc) => loadScenarios(sc.id)),
    h('div', { class: 'grid3' }, field('Random seed (optional)', seed, 'The same seed replays the same game.'), h('div', { class: 'field field-check' }, autoRelease, h('label', { for: 'auto-release' }, 'Release results at once (uncheck to review and amend them first)'))),
    h('details', {}, h('summary', {}, 'Phase lengths for this game'), h('p', { class: 'small' }, 'Minutes for each phase; leave a box empty to keep the scenario’s length. You can change them during the game.'), lengths.el),
    error,
    h('div', { class: 'actions' }, create),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (!scenarioSel.value) {
      error.textContent = 'The list of scenarios is still loading; try again in a moment.';
      return;
    }
    const msg = {
      type: 'create_game',
      scenario: scenarioSel.value,
      teams: teams.values(),
      auto_release: autoRelease.checked,
    };
    if (seed.value.trim() !== '') msg.seed = Number(seed.value);
    const chosen = lengths.read();
    if (Object.keys(chosen).length) msg.phases = chosen;
    create.disabled = true;
    try {
      const data = await link.request(msg);
      toast(`Game ${data.game} created`);
      window.location.hash = `#console/${data.game}`;
    } catch (err) {
      error.textContent = err.message;
    } finally {
      create.disabled = false;
    }
  });

  const gamesBox = h('div', { class: 'games' });
  const refresh = async () => {
    try {
      const data = await link.request({ type: 'list_games' });
      const games = [...data.games].reverse();
      replace(
        gamesBox,
        games.length
          ? h(
              'div',
              { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Games on this server' },
              h(
                'table',
                {},
                h('thead', {}, h('tr', {}, ['Game', 'Scenario', 'Phase', 'Created', 'Open'].map((x) => h('th', { scope: 'col' }, x)))),
                h(
                  'tbody',
                  {},
                  games.map((g) =>
                    h(
                      'tr',
                      {},
                      h('th', { scope: 'row' }, h('code', {}, g.id)),
                      h('td', {}, g.title),
                      h('td', {}, PHASES[g.phase] ?? g.phase),
                      h('td', {}, new Date(g.created * 1000).toLocaleString()),
                      h(
                        'td',
                        { class: 'links' },
                        g.phase !== 'ended' ? h('a', { href: `#console/${g.id}` }, 'Console', h('span', { class: 'sr-only' }, ` of game ${g.id}`)) : null,
                        ' ',
                        h('a', { href: `#console/${g.id}/replay` }, 'Replay', h('span', { class: 'sr-only' }, ` of game ${g.id}`)),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : h('p', { class: 'empty' }, 'No games yet.'),
      );
    } catch (err) {
      replace(gamesBox, h('p', { class: 'form-error' }, err.message));
    }
  };

  replace(
    root,
    topbar(link),
    h(
      'main',
      { id: 'main', tabindex: '-1', class: 'lobby' },
      h('h1', {}, 'Control console'),
      form,
      h('section', { class: 'card', 'aria-labelledby': 'games-title' }, h('h2', { id: 'games-title' }, 'Games'), gamesBox, h('div', { class: 'actions' }, action('Refresh list', refresh))),
    ),
  );
  /** The catalogue (shipped and uploaded scenarios); `chosen` selects one (a file just uploaded). */
  function loadScenarios(chosen = null) {
    link
      .request({ type: 'list_scenarios' })
      .then((data) => {
        scenarios = data.scenarios;
        const mark = (sc) => (sc.source === 'uploaded' ? ' · uploaded' : '');
        setOptions(scenarioSel, scenarios.map((sc) => [sc.id, `${sc.title} (${sc.region})${mark(sc)}`]));
        if (chosen) scenarioSel.value = chosen;
        showScenario();
      })
      .catch((err) => toastError(err));
  }
  loadScenarios();
  refresh();
  return () => {};
}

// ------------------------------------------------------------------------------------ console

function codesCard(model, codes, baseInput) {
  const base = () => baseInput.value.replace(/\/+$/, '');
  const rows = Object.entries(codes)
    .sort(([a], [b]) => (a === 'observer') - (b === 'observer') || a.localeCompare(b))
    .map(([seat, code]) => {
      const url = seat === 'observer' ? `${base()}/#plenary=${code}` : `${base()}/#join=${code}`;
      const who = seat === 'observer' ? 'Plenary screen and observers' : model.actorName(seat);
      return h(
        'li',
        { class: 'code-card' },
        qrSvg(url, { size: 132, label: `QR code to join as ${who}` }),
        h(
          'div',
          {},
          h('h3', {}, who),
          h('p', { class: 'join-code' }, h('span', { class: 'sr-only' }, 'Join code '), code),
          h('p', { class: 'small url' }, h('a', { href: url, target: '_blank', rel: 'noopener' }, url)),
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: async () => {
                try {
                  await navigator.clipboard.writeText(url);
                  toast('Link copied');
                } catch {
                  toast(url);
                }
              },
            },
            'Copy link',
            h('span', { class: 'sr-only' }, ` for ${who}`),
          ),
        ),
      );
    });
  return h('ul', { class: 'codes' }, rows);
}

/** The join codes for the projector: a full-screen dialog with large QR codes (Escape closes it). */
function codesProjector(model, codesNow, base) {
  const grid = h('ul', { class: 'projector-codes' });
  const close = h('button', { type: 'button', class: 'primary' }, 'Close');
  const dialog = h('dialog', { class: 'projector', 'aria-labelledby': 'projector-title' }, h('div', { class: 'projector-head' }, h('h2', { id: 'projector-title' }, 'Join the game: scan your team’s code'), close), grid);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  });
  const open = () => {
    const codes = codesNow();
    if (!codes) return;
    const seats = Object.keys(codes).filter((s) => s !== 'observer').sort();
    replace(
      grid,
      seats.map((seat) => {
        const url = `${base()}/#join=${codes[seat]}`;
        return h('li', { class: 'projector-code' }, h('h3', {}, model.actorName(seat)), qrSvg(url, { size: 220, label: `QR code to join as ${model.actorName(seat)}` }), h('p', { class: 'join-code' }, codes[seat]));
      }),
    );
    dialog.showModal();
    dialog.requestFullscreen?.().catch(() => {});
    close.focus();
  };
  return { el: dialog, open };
}

/** One turn's adjudicated changes in one compact table, each with an Amend button beside it. */
function reviewTable(model, outcomes, turn, amend) {
  const rows = [];
  for (const e of outcomes) {
    if (!e.reason || e.reason.step === 0 || !e.changes?.length) continue;
    for (const ch of e.changes) {
      if (!['actor', 'pair', 'agreement'].includes(ch.target)) continue;
      const who = ch.target === 'pair' ? ch.key.split('>').map((x) => model.actorName(x)).join(' → ') : ch.target === 'actor' ? model.actorName(ch.key) : ch.key;
      rows.push(
        h(
          'tr',
          {},
          h('td', {}, String(e.reason.step)),
          h('th', { scope: 'row' }, who),
          h('td', {}, words(ch.field)),
          h('td', { class: 'num' }, typeof ch.value === 'number' ? num(ch.value, 3) : String(ch.value)),
          h('td', { class: 'why' }, e.reason.explanation),
          h('td', {}, typeof ch.value === 'number' ? h('button', { type: 'button', class: 'link-button', onclick: () => amend(ch) }, 'Amend…', h('span', { class: 'sr-only' }, ` ${words(ch.field)} of ${who}`)) : null),
        ),
      );
    }
  }
  if (!rows.length) return h('p', { class: 'empty' }, turn ? `No adjudicated changes in turn ${turn}.` : 'Results appear here once a turn is adjudicated.');
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Adjudicated changes of turn ${turn}` },
    h('table', { class: 'compact' }, h('caption', {}, `Turn ${turn}: ${rows.length} changes`), h('thead', {}, h('tr', {}, ['Step', 'Who', 'Value', 'Now', 'Why', 'Amend'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows)),
  );
}

/** Free-form actions of this turn not yet rated (they wait for Control's review). */
function toRate(v) {
  return (v.freeform || []).filter((a) => a.turn === v.game.turn && !a.rating).length;
}

export function consoleScreen(root, session, protocol, gameId) {
  const { model, link } = session;
  const timer = phaseTimer(model);
  const title = h('h1', {}, 'Control');

  // -- clock
  const extendBy = h('input', { type: 'number', id: 'extend-seconds', min: String(protocol.limits('Extend', 'seconds').min ?? 1), max: String(protocol.limits('Extend', 'seconds').max ?? 7200), value: '60', step: '30' });
  const cmd = (command, done) => async () => {
    await link.command(command);
    return done;
  };
  const startBtn = action('Start the game', cmd({ type: 'start' }, 'Game started'), { class: 'primary' });
  const pauseBtn = action('Pause', cmd({ type: 'pause' }, 'Clock paused'));
  const resumeBtn = action('Resume', cmd({ type: 'resume' }, 'Clock resumed'));
  const extendBtn = action('Extend', async () => {
    await link.command({ type: 'extend', seconds: Number(extendBy.value || 60) });
    return `Phase extended by ${extendBy.value} s`;
  });
  const advanceBtn = action('Advance to the next phase', async () => {
    await link.command({ type: 'advance', phase: model.view.game.phase });
    return 'Advanced';
  });
  const releaseBtn = action('Release results', cmd({ type: 'release' }, 'Results released'), { class: 'primary' });
  const endBtn = action('End the game', async () => {
    if (!window.confirm('End the game now? Scores are final.')) return null;
    await link.command({ type: 'end' });
    return 'Game ended';
  }, { class: 'danger' });
  const newLengths = phaseInputs('console');
  const phasesNow = h('p', { class: 'small phases-now' });
  const setPhasesBtn = action('Set phase lengths', async () => {
    const chosen = newLengths.read();
    if (!Object.keys(chosen).length) return 'Fill in at least one length';
    await link.command({ type: 'set_phases', ...chosen });
    newLengths.clear();
    return 'Phase lengths set';
  });
  const clockInfo = h('p', { class: 'small', role: 'status' });
  const clockCard = h(
    'section',
    { class: 'card clock-card', 'aria-labelledby': 'clock-title' },
    h('h2', { id: 'clock-title' }, 'Clock'),
    clockInfo,
    h('div', { class: 'actions' }, startBtn, pauseBtn, resumeBtn, advanceBtn, releaseBtn),
    h('div', { class: 'actions inline' }, field('Extend by (seconds)', extendBy), extendBtn),
    h(
      'details',
      { class: 'phase-lengths-box' },
      h('summary', {}, 'Phase lengths'),
      phasesNow,
      h('p', { class: 'small' }, 'New lengths apply from the next phase on (extend the phase running now to change it). Leave a box empty to keep its length.'),
      newLengths.el,
      h('div', { class: 'actions' }, setPhasesBtn),
    ),
    h('div', { class: 'actions' }, endBtn),
  );

  // -- seats: submissions and readiness
  const seatsBody = h('div', {});
  const seatsCard = h('section', { class: 'card seats-card', 'aria-labelledby': 'seats-title' }, h('h2', { id: 'seats-title' }, 'Teams'), seatsBody);
  let members = [];

  // -- codes
  const baseInput = h('input', { type: 'url', id: 'base-url', value: window.location.origin });
  const codesBody = h('div', {});
  let codes = null;
  const codesPanel = h(
    'div',
    {},
    h('h2', {}, 'Join codes'),
    h('p', { class: 'small' }, 'Students open the link or scan the code, then type their name. The observer code opens the plenary screen for the projector.'),
    field('Address students use to reach this server', baseInput, 'Start the server with --host 0.0.0.0 and use its address on the classroom network.'),
    codesBody,
    h(
      'div',
      { class: 'actions' },
      action('New join codes', async () => {
        const data = await link.request({ type: 'rotate_codes', game: gameId });
        codes = data.codes;
        drawCodes();
        return 'New join codes: the old ones no longer work (students already in stay in).';
      }),
    ),
    h('p', { class: 'small' }, 'After removing a student, or if a code was seen by the wrong people, give every seat a new code. A team’s code stops working when the game ends.'),
  );
  const drawCodes = () => {
    if (codes) replace(codesBody, codesCard(model, codes, baseInput));
  };
  const projector = codesProjector(model, () => codes, () => baseInput.value.replace(/\/+$/, ''));
  codesPanel.insertBefore(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => projector.open() }, 'Show codes full screen')), codesBody);
  codesPanel.append(projector.el);
  baseInput.addEventListener('change', drawCodes);

  // -- injects
  const injectId = h('select', { id: 'inject-id' });
  const fireButton = h('button', { type: 'submit' }, 'Fire inject');
  const fireForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'fire-title' },
    h('h3', { id: 'fire-title' }, 'Fire a scripted inject'),
    field('Scripted inject', injectId, 'Scripted injects fire by themselves on their turn (a conditional one only if its condition holds); fire one early here.'),
    h('div', { class: 'actions' }, fireButton),
  );
  /** The scenario's scripted injects not yet released, by turn (from the facilitator's view). */
  const drawScript = (v) => {
    const left = (v.script || []).filter((i) => !i.released);
    const audience = (i) => (Array.isArray(i.audience) ? `to ${i.audience.map((a) => model.actorName(a)).join(', ')}` : 'public');
    setOptions(
      injectId,
      left.length
        ? left.map((i) => [i.id, `Turn ${i.turn}: ${i.title} (${audience(i)}${i.conditional ? ', conditional' : ''})`])
        : [['', 'Every scripted inject has been released']],
    );
    injectId.disabled = !left.length;
    fireButton.disabled = !left.length;
  };
  fireForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await link.command({ type: 'inject', inject_id: injectId.value });
      toast('Inject released');
    } catch (err) {
      toastError(err);
    }
  });
  const injTitle = h('input', { type: 'text', id: 'inject-title', maxlength: String(protocol.limits('FireInject', 'title').maxLength ?? 200) });
  const injText = h('textarea', { id: 'inject-text', rows: '3', maxlength: String(protocol.limits('FireInject', 'text').maxLength ?? 4000) });
  const injPublic = h('input', { type: 'radio', name: 'inject-audience', id: 'aud-public', value: 'public', checked: true });
  const injPrivate = h('input', { type: 'radio', name: 'inject-audience', id: 'aud-some', value: 'some' });
  let injAudience = checkboxes('Who receives it (intelligence)', [], []);
  const audienceSlot = h('div', { hidden: true }, injAudience.el);
  for (const radio of [injPublic, injPrivate]) radio.addEventListener('change', () => (audienceSlot.hidden = !injPrivate.checked));
  const effectsList = h('div', { class: 'effects' });
  const effects = [];
  const effectKind = h('select', { id: 'effect-kind' });
  const addEffect = h('button', { type: 'button' }, 'Add effect');
  addEffect.addEventListener('click', () => {
    const kind = protocol.effectKinds().find((k) => k.kind === effectKind.value);
    const form = schemaForm(kind.def, { actors: model.view.actors, issues: model.view.issues });
    const remove = h('button', { type: 'button', class: 'remove' }, 'Remove effect');
    const box = h('fieldset', { class: 'effect' }, h('legend', {}, `Effect: ${label(kind.kind)}`), form.el, remove);
    const entry = { kind: kind.kind, form, box };
    remove.addEventListener('click', () => {
      effects.splice(effects.indexOf(entry), 1);
      box.remove();
      addEffect.focus();
    });
    effects.push(entry);
    effectsList.appendChild(box);
    box.querySelector('select, input')?.focus();
  });
  const injError = h('div', { class: 'form-error', role: 'alert' });
  const writeForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'write-title', novalidate: true },
    h('h3', { id: 'write-title' }, 'Write an inject'),
    field('Title', injTitle),
    field('Text', injText),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Audience'),
      h('label', { class: 'check', for: 'aud-public' }, injPublic, ' Public: every team and the plenary screen'),
      h('label', { class: 'check', for: 'aud-some' }, injPrivate, ' Only some actors (intelligence)'),
      audienceSlot,
    ),
    h('div', { class: 'actions inline' }, field('Kind of effect', effectKind), addEffect),
    effectsList,
    injError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Release inject')),
  );
  writeForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    injError.replaceChildren();
    const command = {
      type: 'inject',
      title: injTitle.value.trim(),
      text: injText.value.trim(),
      audience: injPrivate.checked ? injAudience.values() : 'public',
      effects: effects.map((e) => ({ kind: e.kind, ...e.form.read() })),
    };
    try {
      protocol.checkCommand(command);
    } catch (err) {
      injError.replaceChildren(h('ul', {}, err.messages.map((m) => h('li', {}, m))));
      return;
    }
    try {
      await link.command(command);
      toast('Inject released');
      injTitle.value = '';
      injText.value = '';
      for (const e of [...effects]) e.box.remove();
      effects.length = 0;
    } catch (err) {
      injError.replaceChildren(h('p', {}, err.message));
    }
  });
  const injectsLog = h('div', {});
  const injectsPanel = h('div', { class: 'injects-panel' }, h('h2', {}, 'Injects'), h('div', { class: 'cols' }, writeForm, fireForm), h('h3', {}, 'Released'), injectsLog);

  // -- results, amend, rollback
  const amendTarget = select(protocol.enumOf('Amend', 'target').map((x) => [x, label(x)]), 'actor', { id: 'amend-target' });
  const amendKey = h('select', { id: 'amend-key' });
  const amendKey2 = h('select', { id: 'amend-key2' });
  const key2Field = field('Toward (the pair’s second actor)', amendKey2);
  const amendField = h('input', { type: 'text', id: 'amend-field', list: 'amend-fields', autocomplete: 'off' });
  const fieldsList = h('datalist', { id: 'amend-fields' });
  const amendValue = h('input', { type: 'number', id: 'amend-value', step: '0.01' });
  const amendReason = h('textarea', { id: 'amend-reason', rows: '2', minlength: String(protocol.limits('Amend', 'reason').minLength ?? 5) });
  const amendError = h('div', { class: 'form-error', role: 'alert' });
  // Suggestions only: the engine names the amendable fields in its answer if another is given.
  const SUGGEST = {
    actor: ['approval', 'reputation', 'milex', 'milper', 'defence_spending', 'mobilisation', 'abandonment_fear', 'entrapment_risk', 'score'],
    pair: ['intent', 'threat'],
    agreement: ['strength', 'ambiguity', 'conditionality'],
  };
  const fillKeys = () => {
    const v = model.view;
    const target = amendTarget.value;
    if (target === 'agreement') setOptions(amendKey, v.agreements.map((a) => [a.id, a.name]));
    else setOptions(amendKey, v.actors.map((a) => [a.id, a.name]));
    setOptions(amendKey2, v.actors.map((a) => [a.id, a.name]));
    key2Field.hidden = target !== 'pair';
    replace(fieldsList, (SUGGEST[target] || []).map((f) => h('option', { value: f })));
  };
  amendTarget.addEventListener('change', fillKeys);
  const amendForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'amend-title', novalidate: true },
    h('h3', { id: 'amend-title' }, 'Amend an outcome'),
    h('p', { class: 'small' }, 'Before results are released, change one adjudicated value. The reason is kept in the log and shown in the debrief.'),
    h('div', { class: 'grid3' }, field('What', amendTarget), field('Which', amendKey), key2Field, field('Field', amendField), fieldsList, field('New value', amendValue)),
    field('Reason (logged)', amendReason),
    amendError,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Amend')),
  );
  amendForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    amendError.textContent = '';
    const key = amendTarget.value === 'pair' ? `${amendKey.value}>${amendKey2.value}` : amendKey.value;
    const command = { type: 'amend', target: amendTarget.value, key, field: amendField.value.trim(), value: Number(amendValue.value), reason: amendReason.value.trim() };
    try {
      protocol.checkCommand(command);
      await link.command(command);
      toast('Amended');
      amendReason.value = '';
    } catch (err) {
      amendError.textContent = err.messages ? err.messages.join('; ') : err.message;
    }
  });
  const rollbackReason = h('input', { type: 'text', id: 'rollback-reason', minlength: String(protocol.limits('Rollback', 'reason').minLength ?? 3) });
  const rollbackForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'rollback-title' },
    h('h3', { id: 'rollback-title' }, 'Roll back this turn'),
    h('p', { class: 'small' }, 'Return to the start of the current turn: its briefing and injects again, discarding messages, proposals and orders since.'),
    field('Reason (logged)', rollbackReason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Roll back the turn')),
  );
  rollbackForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!window.confirm('Roll back to the start of this turn?')) return;
    try {
      await link.command({ type: 'rollback', reason: rollbackReason.value.trim() });
      toast('Turn rolled back');
      rollbackReason.value = '';
    } catch (err) {
      toastError(err);
    }
  });
  const stepFilter = select([['', 'All steps'], ...Array.from({ length: 14 }, (_, i) => [String(i), String(i)])], '', { id: 'step-filter' });
  const actorFilter = h('select', { id: 'actor-filter' });
  const outcomesTurn = h('select', { id: 'outcomes-turn' });
  const outcomesBox = h('div', {});
  const amendmentsBox = h('div', {});
  const reviewBox = h('div', { class: 'review-table' });
  const reviewRelease = action('Release these results', cmd({ type: 'release' }, 'Results released'), { class: 'primary' });
  const freeform = freeformReview(model, link, protocol);
  /** Put one change of an outcome into the amend form, ready for a new value and a reason. */
  const amendChange = (ch) => {
    amendTarget.value = ch.target;
    fillKeys();
    if (ch.target === 'pair') {
      const [a, b] = ch.key.split('>');
      amendKey.value = a;
      amendKey2.value = b;
    } else {
      amendKey.value = ch.key;
    }
    amendField.value = ch.field;
    amendValue.value = typeof ch.value === 'number' ? String(ch.value) : '';
    amendValue.focus();
  };
  const resultsPanel = h(
    'div',
    { class: 'results-panel' },
    h('h2', {}, 'Results'),
    h('div', { class: 'review' }, h('div', {}, h('div', { class: 'actions' }, reviewRelease), freeform.el, reviewBox), h('div', { class: 'review-side' }, amendForm, h('h3', {}, 'Amendments'), amendmentsBox)),
    h(
      'details',
      { class: 'outcomes-full' },
      h('summary', {}, 'Every outcome in full, with its reasons and sources'),
      h('div', { class: 'grid3 filters' }, field('Turn', outcomesTurn), field('Step', stepFilter), field('Actor', actorFilter)),
      outcomesBox,
    ),
    rollbackForm,
  );
  for (const f of [stepFilter, actorFilter, outcomesTurn]) f.addEventListener('change', () => renderResults());

  // -- members
  const membersBox = h('div', {});
  const loadMembers = async () => {
    try {
      const data = await link.request({ type: 'members' });
      members = data.members;
      renderMembers();
      renderSeats();
    } catch (err) {
      replace(membersBox, h('p', { class: 'form-error' }, err.message));
    }
  };
  const membersPanel = h('div', {}, h('h2', {}, 'Members'), h('p', { class: 'small' }, 'Everyone who joined with a code. Move a student to another seat, or remove them (they can join again with a code).'), membersBox, h('div', { class: 'actions' }, action('Refresh', loadMembers)));
  const pendingSeat = new Map(); // choices made in a seat select but not yet applied (the list refreshes)
  const renderMembers = () => {
    // Only seats a student can take: the teams' (bots play the others) and the observers'.
    const seats = [...model.view.game.teams.map((id) => [id, model.actorName(id)]), ['observer', 'Observers']];
    replace(
      membersBox,
      members.length
        ? h(
            'ul',
            { class: 'members' },
            members.map((m) => {
              const sel = select(seats, pendingSeat.get(m.member) ?? m.seat, { id: `seat-${m.member.slice(0, 12)}`, dataset: { key: `seat-${m.member}` } });
              sel.addEventListener('change', () => pendingSeat.set(m.member, sel.value));
              return h(
                'li',
                { class: `member${m.active ? '' : ' removed'}` },
                h('span', { class: 'member-name' }, h('strong', {}, m.name), ` · ${model.actorName(m.seat)} · ${m.active ? (m.online ? 'online' : 'offline') : 'removed'}`),
                m.active
                  ? h(
                      'span',
                      { class: 'member-actions' },
                      h('label', { for: sel.id, class: 'sr-only' }, `Seat for ${m.name}`),
                      sel,
                      action(h('span', {}, 'Move', h('span', { class: 'sr-only' }, ` ${m.name}`)), async () => {
                        await link.request({ type: 'reseat', member: m.member, seat: sel.value });
                        pendingSeat.delete(m.member);
                        await loadMembers();
                        return `${m.name} moved`;
                      }, { dataset: { key: `move-${m.member}` } }),
                      action(h('span', {}, 'Remove', h('span', { class: 'sr-only' }, ` ${m.name}`)), async () => {
                        await link.request({ type: 'reseat', member: m.member, seat: null });
                        await loadMembers();
                        return `${m.name} removed`;
                      }, { class: 'danger', dataset: { key: `remove-${m.member}` } }),
                    )
                  : null,
              );
            }),
          )
        : h('p', { class: 'empty' }, 'Nobody has joined yet.'),
    );
  };

  // -- messages, network, teams
  const channels = channelsPanel(model, link, protocol, { isVisible: () => t?.current() === 'messages' });
  const net = networkPanel({ title: 'Alliance network (all agreements, secret ones dashed)' });
  const teamsBox = h('div', {});
  const report = action('Open the after-action report', async () => {
    const data = await link.request({ type: 'report', game: gameId });
    const url = URL.createObjectURL(new Blob([data.html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
    return 'Report opened in a new tab';
  });
  const openPage = (html) => window.open(URL.createObjectURL(new Blob([html], { type: 'text/html' })), '_blank', 'noopener');
  const summary = action('Open the debrief summary', async () => {
    openPage((await link.request({ type: 'report', game: gameId, edition: 'summary' })).html);
    return 'Debrief summary opened in a new tab';
  });
  const releaseSummary = action('Release the student edition', async () => {
    await link.request({ type: 'report', game: gameId, edition: 'student', release: true });
    return 'Every team and the plenary screen can now open the student edition of the summary';
  });

  // -- debrief: the class against bot games, and forks that are live games
  const runsInput = h('input', { type: 'number', id: 'distribution-runs', min: '1', max: '1000', step: '1', value: '100' });
  const runsStatus = h('p', { class: 'small', role: 'status', 'aria-live': 'polite', id: 'distribution-status' });
  const distribution = action('Compare the class with bot games', async () => {
    const runs = Number(runsInput.value);
    runsStatus.textContent = `Playing ${runs} bot games from this game's start…`;
    try {
      const data = await link.request(
        { type: 'report', game: gameId, edition: 'summary', runs },
        { onProgress: (done, total) => (runsStatus.textContent = `Played ${done} of ${total} bot games…`) },
      );
      openPage(data.html);
    } finally {
      runsStatus.textContent = '';
    }
    return 'Debrief summary with the class against the bot games opened in a new tab';
  }, { id: 'distribution-run' });
  const forkTurn = h('input', { type: 'number', id: 'fork-turn', min: '1', step: '1', value: '1' });
  const forkReason = h('input', { type: 'text', id: 'fork-reason', maxlength: '300', placeholder: 'What if Beta had waited?' });
  const forkResult = h('div', { id: 'fork-result' });
  const forkForm = h(
    'form',
    { class: 'fork-form' },
    h('div', { class: 'grid3' }, field('Turn to play again', forkTurn), field('Why (shown with the fork)', forkReason)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'fork-submit' }, 'Fork the game')),
  );
  forkForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = forkForm.querySelector('button');
    button.disabled = true;
    try {
      const data = await link.request({ type: 'fork', game: gameId, turn: Number(forkTurn.value), reason: forkReason.value });
      replace(
        forkResult,
        h('h3', {}, data.title),
        h('ul', { class: 'fork-codes' }, Object.entries(data.codes).map(([seat, code]) => h('li', {}, `${seat === 'observer' ? 'Plenary screen (observer)' : model.actorName(seat)}: `, h('code', { dataset: { seat } }, code)))),
        h('p', {}, h('a', { href: `#console/${data.game}`, id: 'fork-open' }, 'Open the fork’s console')),
      );
      toast(`Forked at turn ${data.turn}: a new live game with its own codes`);
    } catch (err) {
      toastError(err);
    } finally {
      button.disabled = false;
    }
  });
  const debriefPanel = h(
    'div',
    {},
    h('h2', {}, 'The class against the distribution'),
    h('p', { class: 'small' }, 'Bots play the same scenario from the same start, as many turns as the class played; the summary opens with where the class fell among them (war or peace, who prevailed, agreements formed and ended, objectives met).'),
    field('Bot games', runsInput),
    h('div', { class: 'actions' }, distribution),
    runsStatus,
    h('h2', {}, 'Fork: play a turn again'),
    h('p', { class: 'small' }, 'The fork is a new live game: the same history up to the turn’s orders, then that orders phase again with a fresh clock and new join codes.'),
    forkForm,
    forkResult,
  );

  const list = [
    { id: 'codes', label: 'Join codes', panel: codesPanel },
    { id: 'injects', label: 'Injects', panel: injectsPanel },
    { id: 'results', label: 'Results', panel: resultsPanel },
    { id: 'messages', label: 'Messages', panel: h('div', {}, channels.el) },
    { id: 'members', label: 'Members', panel: membersPanel },
    { id: 'teams', label: 'Objectives and scores', panel: teamsBox },
    { id: 'network', label: 'Network', panel: h('div', {}, h('h2', {}, 'Network'), net.el) },
    { id: 'debrief', label: 'Debrief', panel: debriefPanel },
  ];
  let t = null;
  t = tabs('Console sections', list, (id) => {
    if (id === 'network') window.setTimeout(() => net.fit(), 0);
    if (id === 'members') loadMembers();
    if (id === 'messages') channels.update();
  });

  const links = h('p', { class: 'console-links' });
  replace(
    root,
    topbar(link, timer.el),
    h('main', { id: 'main', tabindex: '-1', class: 'console' }, title, links, h('div', { class: 'cols' }, clockCard, seatsCard), t.el),
  );

  const renderSeats = () => {
    const v = model.view;
    const g = v.game;
    const submitted = new Set(v.submitted || []);
    const ready = new Set(g.ready);
    const rows = v.actors.map((a) => {
      const team = g.teams.includes(a.id);
      const online = members.filter((m) => m.seat === a.id && m.active && m.online).map((m) => m.name);
      return h(
        'tr',
        { class: team ? 'team' : 'bot' },
        h('th', { scope: 'row' }, a.name),
        h('td', {}, team ? 'team' : 'bot'),
        h('td', {}, !team ? '–' : submitted.has(a.id) ? h('span', { class: 'ok' }, 'submitted') : g.phase === 'orders' ? h('span', { class: 'wait' }, 'waiting') : '–'),
        h('td', {}, !team ? '–' : ready.has(a.id) ? h('span', { class: 'ok' }, 'ready') : 'not yet'),
        h('td', {}, team ? online.join(', ') || '–' : ''),
      );
    });
    replace(
      seatsBody,
      h('p', { class: 'small' }, `${g.phase === 'orders' ? `${[...submitted].filter((x) => g.teams.includes(x)).length} of ${g.teams.length} teams have submitted orders; ` : ''}${g.ready.length} of ${g.teams.length} ready.`),
      h(
        'div',
        { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Teams, orders and readiness' },
        h('table', {}, h('thead', {}, h('tr', {}, ['Actor', 'Played by', 'Orders', 'Ready', 'Online'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows)),
      ),
    );
  };

  function renderResults() {
    const v = model.view;
    const turns = [...new Set(v.outcomes.map(turnOf))].sort((a, b) => a - b);
    const cur = outcomesTurn.value;
    setOptions(outcomesTurn, turns.map((x) => [String(x), x ? `Turn ${x}` : 'Before turn 1']));
    if (!cur || !turns.map(String).includes(cur) || outcomesTurn.dataset.auto === 'yes') outcomesTurn.value = String(turns[turns.length - 1] ?? '');
    outcomesTurn.dataset.auto = outcomesTurn.value === String(turns[turns.length - 1] ?? '') ? 'yes' : 'no';
    if (!actorFilter.options.length) setOptions(actorFilter, [['', 'All actors'], ...v.actors.map((a) => [a.id, a.name])]);
    const turn = Number(outcomesTurn.value);
    const shown = v.outcomes.filter((e) => turnOf(e) === turn);
    replace(outcomesBox, outcomesByStep(model, shown, { headingLevel: 4, filter: { step: stepFilter.value, actor: actorFilter.value } }), revealedOrders(model, turn, 4));
    reviewRelease.hidden = !(v.game.phase === 'results' && !v.game.released);
    replace(reviewBox, reviewTable(model, shown, turn, amendChange));
    freeform.update();
    replace(
      amendmentsBox,
      v.amendments?.length
        ? h('ul', {}, v.amendments.map((a) => h('li', {}, `Turn ${a.turn}: ${a.change.target} ${a.change.key} ${words(a.change.field)} ${num(a.previous, 3)} → ${num(a.change.value, 3)} — “${a.reason}”`)))
        : h('p', { class: 'empty' }, 'No amendments.'),
    );
  }

  const render = throttled(() => {
    const v = model.view;
    if (!v) return;
    const g = v.game;
    title.textContent = `Control: ${g.title}`;
    document.title = `Control · ${g.title} · ${PHASES[g.phase] ?? g.phase}`;
    replace(
      links,
      `Game `,
      h('code', {}, gameId),
      ` · ${g.region} · `,
      h('a', { href: `#console/${gameId}/replay` }, 'Replay'),
      ' · ',
      h('a', { href: '#console' }, 'All games'),
      ' · ',
      report,
      ' · ',
      summary,
      ' · ',
      releaseSummary,
    );
    timer.update();
    startBtn.hidden = g.phase !== 'lobby';
    forkTurn.max = String(Math.max(1, g.turn)); // a fork replays a turn the game has reached
    pauseBtn.hidden = g.paused || g.phase === 'lobby' || g.phase === 'ended';
    resumeBtn.hidden = !g.paused;
    advanceBtn.hidden = g.phase === 'lobby' || g.phase === 'ended' || (g.phase === 'results' && !g.released);
    releaseBtn.hidden = !(g.phase === 'results' && !g.released);
    endBtn.hidden = g.phase === 'ended';
    extendBtn.disabled = g.phase === 'lobby' || g.phase === 'ended';
    clockInfo.textContent =
      g.phase === 'results' && !g.released
        ? `Turn ${g.turn} is adjudicated. Review the outcomes, amend if needed, then release them to the teams.${toRate(v) ? ` ${toRate(v)} free-form action${toRate(v) === 1 ? '' : 's'} to rate in Results.` : ''}`
        : g.phase === 'lobby'
          ? 'Hand out the join codes, then start the game.'
          : g.phase === 'ended'
            ? 'The game is over.'
            : `${PHASES[g.phase]} of turn ${g.turn}. The phase ends when its time is up or every team is ready.`;
    renderSeats();
    drawCodes();
    const lengthsSet = [...model.phaseChanges].pop();
    phasesNow.textContent = lengthsSet
      ? `Set this session: ${PHASE_NAMES.map((p) => `${p} ${Math.round((lengthsSet[p] / 60) * 10) / 10} min`).join(', ')}.`
      : '';
    if (!injAudience.el.querySelector('input')) {
      const na = checkboxes('Who receives it (intelligence)', v.actors.map((a) => [a.id, a.name]), []);
      injAudience.el.replaceWith(na.el);
      injAudience = na;
      setOptions(effectKind, protocol.effectKinds().map((k) => [k.kind, label(k.kind)]));
    }
    fillKeys();
    drawScript(v);
    replace(
      injectsLog,
      v.injects.length
        ? h('ul', { class: 'injects' }, [...v.injects].reverse().map((i) => h('li', {}, h('strong', {}, i.title), ` (turn ${i.turn}, ${Array.isArray(i.audience) ? `to ${i.audience.map((a) => model.actorName(a)).join(', ')}` : 'public'}${i.effects.length ? `, ${i.effects.length} effects` : ''}): ${i.text}`)))
        : h('p', { class: 'empty' }, 'None yet.'),
    );
    renderResults();
    channels.update();
    net.update(liveSnapshot(model, { threats: false }));
    replace(
      teamsBox,
      h('h2', {}, 'Objectives and scores'),
      h(
        'div',
        { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Objectives and scores' },
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, ['Actor', 'Score', 'Approval', 'Reputation', 'Behaviour', 'Objectives (secret ones marked)'].map((x) => h('th', { scope: 'col' }, x)))),
          h(
            'tbody',
            {},
            v.actors.map((a) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, a.name),
                h('td', {}, num(v.scores?.[a.id], 0)),
                h('td', {}, num(a.approval)),
                h('td', {}, num(a.reputation)),
                h('td', {}, words(a.behaviour)),
                h('td', {}, h('ul', {}, [...a.objectives, ...(v.secret_objectives?.[a.id] || [])].map((o) => h('li', {}, o.secret ? '(secret) ' : '', o.text)))),
              ),
            ),
          ),
        ),
      ),
    );
  });

  model.addEventListener('change', render);
  link
    .request({ type: 'list_games' })
    .then((data) => {
      const game = data.games.find((x) => x.id === gameId);
      codes = game?.codes ?? null;
      if (!codes) replace(codesBody, h('p', { class: 'form-error' }, 'No join codes found for this game.'));
      drawCodes();
    })
    .catch((err) => toastError(err));
  loadMembers();
  const poll = window.setInterval(() => {
    if (link.online) loadMembers();
  }, 5000);
  const onView = (ev) => {
    if (ev.detail === 'view' && link.online) loadMembers();
  };
  model.addEventListener('change', onView);
  render();
  announce(`Console for game ${gameId}`);
  return () => {
    window.clearInterval(poll);
    model.removeEventListener('change', onView);
    timer.stop();
    model.removeEventListener('change', render);
  };
}

export { time, uid };
