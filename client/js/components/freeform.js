// Free-form actions (matrix-game style, engine/freeform.py): the team's form and list in the
// Orders tab, counter-arguments to other teams' public actions, and the console's review
// (rate or accept the suggested chance, roll, apply effects chosen from the inject effects).
// Forms and text boxes are built once and kept across re-renders, so typing is never lost.

import { h, replace, field, select, toastError, announce, uid } from '../dom.js';
import { label, pct, num } from '../format.js';
import { schemaForm } from './schemaform.js';

/** A text box with its length shown as you type ("12 / 200 characters"). */
function counted(tag, max, attrs = {}) {
  const input = h(tag, { maxlength: String(max), ...attrs });
  const id = attrs.id || uid('ff');
  input.id = id;
  const note = h('small', { class: 'hint count', id: `${id}-count` }); // read with the box (aria-describedby), not at every keystroke
  const describe = [attrs['aria-describedby'], `${id}-count`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describe);
  const show = () => {
    note.textContent = `${input.value.length} / ${max} characters`;
  };
  input.addEventListener('input', show);
  show();
  return { input, note, reset: () => ((input.value = ''), show()) };
}

/** One effect in words: "Beta's approval −0.20". */
export function effectText(model, eff) {
  const who = (id) => model.actorName(id);
  const signed = (x) => `${x >= 0 ? '+' : '−'}${num(Math.abs(x), 2)}`;
  switch (eff.kind) {
    case 'intent':
      return `how aggressive ${eff.of.map(who).join(', ')} believe ${who(eff.toward)} is ${signed(eff.delta)}`;
    case 'capability':
      return `${who(eff.actor)}'s ${label(eff.component)} ×${num(eff.factor, 2)}`;
    default:
      return `${who(eff.actor)}'s ${eff.kind} ${signed(eff.delta)}`;
  }
}

/** The verdict of a rated action in one sentence, or null before its rating is out. */
export function verdict(model, a) {
  if (!a.rating) return null;
  const r = a.rating;
  const quoted = (text) => `“${text.replace(/[.\s]+$/, '')}”`;
  const rated = `Control rated its chance ${pct(r.chance)} (the arguments suggested ${pct(r.suggested)}): ${quoted(r.comment)}.`;
  const rolled = ` Rolled ${num(r.draw, 2)}: ${r.success ? 'succeeded' : 'failed'}.`;
  const effects = a.applied ? ` Effects: ${a.applied.effects.map((e) => effectText(model, e)).join('; ')} (${quoted(a.applied.reason)}).` : r.success ? ' No effects applied yet.' : '';
  return rated + rolled + effects;
}

function actionCard(model, a, extra = []) {
  const v = model.view;
  const shownVerdict = verdict(model, a);
  return h(
    'li',
    { class: 'card freeform-action', dataset: { action: a.id } },
    h('h4', {}, a.what, ' ', h('span', { class: a.public ? 'tag' : 'tag tag-secret' }, a.public ? 'public' : 'private')),
    h('p', { class: 'small' }, `${model.actorName(a.actor)} · turn ${a.turn}`),
    h('p', {}, h('strong', {}, 'Intended effect: '), a.intended_effect),
    h('h5', {}, 'Arguments for'),
    h('ul', { class: 'arguments' }, a.arguments.map((x) => h('li', {}, x))),
    a.counters.length ? [h('h5', {}, 'Counter-arguments'), h('ul', { class: 'counters' }, a.counters.map((c) => h('li', {}, h('strong', {}, `${model.actorName(c.actor)}: `), c.text)))] : null,
    shownVerdict ? h('p', { class: `verdict ${a.rating.success ? 'success' : 'failure'}`, role: 'status' }, shownVerdict) : null,
    v.game.phase === 'results' && !v.game.released && a.turn === v.game.turn && model.seat !== 'facilitator' ? h('p', { class: 'small' }, 'Control rates and rolls it before releasing the results.') : null,
    extra,
  );
}

/** A turn's rated free-form actions for the Results tab (null if none). */
export function freeformResults(model, turn) {
  const rated = (model.view.freeform || []).filter((a) => a.turn === turn && a.rating);
  if (!rated.length) return null;
  return h('section', { class: 'freeform-results' }, h('h3', {}, 'Free-form actions'), h('ul', { class: 'freeform-actions' }, rated.map((a) => actionCard(model, a))));
}

/** The team's panel: the form (orders phase, up to the rules' limit) and every action it may see. */
export function freeformPanel(model, link, protocol) {
  const A = 'FreeformAction';
  const argMax = protocol.prop(A, 'arguments').items?.maxLength ?? 600;
  const argCount = protocol.limits(A, 'arguments').maxItems ?? 3;
  const what = counted('input', protocol.limits(A, 'what').maxLength ?? 200, { type: 'text', id: 'ff-what', name: 'what' });
  const effect = counted('textarea', protocol.limits(A, 'intended_effect').maxLength ?? 400, { id: 'ff-effect', rows: '2', name: 'intended_effect' });
  const args = Array.from({ length: argCount }, (_, i) => counted('textarea', argMax, { id: `ff-arg-${i + 1}`, rows: '2', name: `argument-${i + 1}` }));
  const isPublic = h('input', { type: 'checkbox', id: 'ff-public', checked: true });
  const error = h('div', { class: 'form-error', role: 'alert' });
  const used = h('p', { class: 'small', id: 'ff-used' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit the free-form action');
  const labelled = (text, c) => h('div', { class: 'field' }, h('label', { for: c.input.id }, text), c.input, c.note);
  const form = h(
    'form',
    { class: 'card freeform-form', 'aria-labelledby': 'ff-title', novalidate: true },
    h('h3', { id: 'ff-title' }, 'Free-form action'),
    h('p', { class: 'small' }, 'Propose a move outside the order menu. Control rates its chance from your arguments (and any counter-arguments), the game rolls it, and Control applies its effects if it succeeds.'),
    used,
    labelled('What you do', what),
    labelled('Intended effect', effect),
    args.map((c, i) => labelled(i === 0 ? 'Argument for (why it should work)' : `Another argument for (optional)`, c)),
    h('div', { class: 'field field-check' }, isPublic, h('label', { for: 'ff-public' }, 'Argue it openly (every team sees it and may counter-argue; otherwise only you and Control)')),
    error,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const command = {
      type: 'freeform_action',
      what: what.input.value.trim(),
      intended_effect: effect.input.value.trim(),
      arguments: args.map((c) => c.input.value.trim()).filter((x) => x),
      public: isPublic.checked,
    };
    submit.disabled = true;
    try {
      await link.command(command);
      for (const c of [what, effect, ...args]) c.reset();
      announce('Free-form action submitted');
    } catch (err) {
      error.textContent = err.messages ? err.messages.join('; ') : err.message;
    } finally {
      submit.disabled = false;
    }
  });

  const counterBoxes = new Map(); // action id -> its counter-argument form, kept across renders
  const counterFor = (a) => {
    if (counterBoxes.has(a.id)) return counterBoxes.get(a.id);
    const text = counted('textarea', protocol.limits('CounterArgument', 'text').maxLength ?? 600, { rows: '2', id: `ff-counter-${a.id}` });
    const err = h('div', { class: 'form-error', role: 'alert' });
    const send = h('button', { type: 'submit' }, 'Add the counter-argument');
    const box = h('form', { class: 'counter-form', novalidate: true }, h('div', { class: 'field' }, h('label', { for: text.input.id }, `Counter-argue “${a.what}”`), text.input, text.note), err, send);
    box.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      send.disabled = true;
      try {
        await link.command({ type: 'counter_argument', action_id: a.id, text: text.input.value.trim() });
        text.reset();
        announce('Counter-argument added');
      } catch (e) {
        err.textContent = e.messages ? e.messages.join('; ') : e.message;
      } finally {
        send.disabled = false;
      }
    });
    counterBoxes.set(a.id, box);
    return box;
  };

  const list = h('div', { class: 'freeform-list' });
  const el = h('section', { class: 'freeform', 'aria-labelledby': 'ff-list-title' }, form, h('h3', { id: 'ff-list-title' }, 'Free-form actions'), list);
  const update = () => {
    const v = model.view;
    if (!v) return;
    const g = v.game;
    const limit = v.rules?.freeform?.max_actions ?? 2;
    const mine = (v.freeform || []).filter((a) => a.actor === model.seat && a.turn === g.turn).length;
    form.hidden = g.phase !== 'orders' || limit === 0;
    used.textContent = `${mine} of ${limit} used this turn.`;
    submit.disabled = mine >= limit;
    const actions = [...(v.freeform || [])].reverse();
    const canCounter = (a) => g.phase === 'orders' && v.counter_arguments && a.public && a.actor !== model.seat && a.turn === g.turn && !a.counters.some((c) => c.actor === model.seat);
    replace(
      list,
      v.counter_arguments ? null : h('p', { class: 'small' }, 'Control does not allow counter-arguments in this game.'),
      actions.length ? h('ul', { class: 'freeform-actions' }, actions.map((a) => actionCard(model, a, canCounter(a) ? counterFor(a) : null))) : h('p', { class: 'empty' }, 'No free-form actions yet.'),
    );
  };
  return { el, update };
}

/** The console's review: every action with rate / roll / apply inline (results, before release). */
export function freeformReview(model, link, protocol) {
  const rows = new Map(); // action id -> the inline controls, kept across renders
  const controlsFor = (a) => {
    if (rows.has(a.id)) return rows.get(a.id);
    const chance = h('input', { type: 'number', min: '0', max: '100', step: '5', id: `ff-chance-${a.id}`, inputmode: 'numeric' });
    const reason = h('input', { type: 'text', id: `ff-reason-${a.id}`, maxlength: String(protocol.limits('RateAction', 'reason').maxLength ?? 1000) });
    const err = h('div', { class: 'form-error', role: 'alert' });
    const roll = h('button', { type: 'submit', class: 'primary' }, 'Rate and roll');
    const rate = h(
      'form',
      { class: 'rate-form', novalidate: true },
      h('div', { class: 'grid3' }, field('Chance (%)', chance, 'Leave empty to accept the suggested chance.'), field('Reason (logged)', reason)),
      err,
      roll,
    );
    rate.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      const command = { type: 'rate_action', action_id: a.id, reason: reason.value.trim() };
      if (chance.value !== '') command.chance = Math.min(1, Math.max(0, Number(chance.value) / 100));
      roll.disabled = true;
      try {
        await link.command(command);
        announce('Rolled');
      } catch (e) {
        err.textContent = e.messages ? e.messages.join('; ') : e.message;
      } finally {
        roll.disabled = false;
      }
    });
    // Effects: the inject effects that act at once, each a form from the protocol schema.
    const kinds = protocol.effectKinds().filter((k) => ['intent', 'approval', 'reputation', 'mobilisation', 'capability'].includes(k.kind));
    const kind = select(kinds.map((k) => [k.kind, label(k.kind)]), kinds[0]?.kind, { id: `ff-kind-${a.id}` });
    const add = h('button', { type: 'button' }, 'Add effect');
    const effects = [];
    const effectsBox = h('div', { class: 'effects' });
    add.addEventListener('click', () => {
      const k = kinds.find((x) => x.kind === kind.value);
      const form = schemaForm(k.def, { actors: model.view.actors, issues: model.view.issues });
      const remove = h('button', { type: 'button', class: 'remove' }, 'Remove effect');
      const box = h('fieldset', { class: 'effect' }, h('legend', {}, `Effect: ${label(k.kind)}`), form.el, remove);
      const entry = { kind: k.kind, form, box };
      remove.addEventListener('click', () => {
        effects.splice(effects.indexOf(entry), 1);
        box.remove();
        add.focus();
      });
      effects.push(entry);
      effectsBox.appendChild(box);
      box.querySelector('select, input')?.focus();
    });
    const applyReason = h('input', { type: 'text', id: `ff-apply-reason-${a.id}`, maxlength: String(protocol.limits('ApplyAction', 'reason').maxLength ?? 1000) });
    const applyErr = h('div', { class: 'form-error', role: 'alert' });
    const applyBtn = h('button', { type: 'submit', class: 'primary' }, 'Apply the effects');
    const apply = h(
      'form',
      { class: 'apply-form', novalidate: true },
      h('div', { class: 'field inline' }, h('label', { for: kind.id }, 'Effect'), kind, add),
      effectsBox,
      field('Reason (logged)', applyReason),
      applyErr,
      applyBtn,
    );
    apply.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      applyErr.textContent = '';
      applyBtn.disabled = true;
      try {
        await link.command({ type: 'apply_action', action_id: a.id, effects: effects.map((x) => ({ kind: x.kind, ...x.form.read() })), reason: applyReason.value.trim() });
        announce('Effects applied');
      } catch (e) {
        applyErr.textContent = e.messages ? e.messages.join('; ') : e.message;
      } finally {
        applyBtn.disabled = false;
      }
    });
    const entry = { rate, apply };
    rows.set(a.id, entry);
    return entry;
  };

  const allow = h('input', { type: 'checkbox', id: 'ff-allow-counters' });
  allow.addEventListener('change', async () => {
    try {
      await link.command({ type: 'set_freeform', counter_arguments: allow.checked });
      announce(allow.checked ? 'Counter-arguments allowed' : 'Counter-arguments stopped');
    } catch (e) {
      allow.checked = !allow.checked;
      toastError(e);
    }
  });
  const list = h('div', {});
  const el = h(
    'section',
    { class: 'freeform-review', 'aria-labelledby': 'ff-review-title' },
    h('h3', { id: 'ff-review-title' }, 'Free-form actions'),
    h('div', { class: 'field field-check' }, allow, h('label', { for: 'ff-allow-counters' }, 'Teams may counter-argue public actions')),
    list,
  );
  const update = () => {
    const v = model.view;
    if (!v) return;
    const g = v.game;
    allow.checked = Boolean(v.counter_arguments);
    const reviewing = g.phase === 'results' && !g.released;
    const actions = [...(v.freeform || [])].filter((a) => a.turn === g.turn || a.rating).reverse();
    replace(
      list,
      actions.length
        ? h(
            'ul',
            { class: 'freeform-actions' },
            actions.map((a) => {
              const c = controlsFor(a);
              const live = reviewing && a.turn === g.turn;
              return actionCard(model, a, [
                !a.rating && a.suggested !== null && a.suggested !== undefined ? h('p', { class: 'small' }, `Suggested chance from the arguments: ${pct(a.suggested)}.`) : null,
                live && !a.rating ? c.rate : null,
                live && a.rating?.success && !a.applied ? c.apply : null,
              ]);
            }),
          )
        : h('p', { class: 'empty' }, 'No free-form actions this turn.'),
    );
  };
  return { el, update };
}
