// The sealed orders form. Every order of the engine's `Orders` (enums and limits from the
// protocol schema); what the server rejects comes back as its reason and is shown here.

import { h, replace, field, select, toast, uid, announce } from '../dom.js';
import { label, num, words } from '../format.js';
import { ordersSummary } from './results.js';

function numberFor(protocol, def, name, attrs = {}) {
  const l = protocol.limits(def, name);
  return h('input', {
    type: 'number',
    inputmode: l.integer ? 'numeric' : 'decimal',
    min: l.min !== undefined ? String(l.min) : null,
    max: l.max !== undefined ? String(l.max) : null,
    step: l.integer ? '1' : '0.05',
    ...attrs,
  });
}

/** A list of repeatable rows with Add and Remove buttons. */
function repeater(legend, addLabel, makeRow, max) {
  const rows = [];
  const list = h('div', { class: 'rows' });
  const add = h('button', { type: 'button', class: 'add' }, `+ ${addLabel}`);
  const el = h('fieldset', { class: 'repeater' }, h('legend', {}, legend), list, add);
  const addRow = (value = null, focus = false) => {
    if (rows.length >= max) return null;
    const row = makeRow(value);
    const remove = h('button', { type: 'button', class: 'remove' }, 'Remove', h('span', { class: 'sr-only' }, ` ${addLabel.toLowerCase()}`));
    const box = h('div', { class: 'row' }, row.el, remove);
    const entry = { ...row, box };
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(entry), 1);
      box.remove();
      add.hidden = false;
      add.focus();
    });
    rows.push(entry);
    list.appendChild(box);
    add.hidden = rows.length >= max;
    if (focus) box.querySelector('input, select, textarea')?.focus();
    return entry;
  };
  add.addEventListener('click', () => addRow(null, true));
  return {
    el,
    read: () => rows.map((r) => r.read()).filter((x) => x !== null),
    set: (values) => {
      for (const r of [...rows]) r.box.remove();
      rows.length = 0;
      for (const v of values || []) addRow(v);
      add.hidden = rows.length >= max;
    },
  };
}

export function ordersPanel(model, link, protocol) {
  const seat = model.seat;
  const O = 'Orders';
  const actors = () => model.view.actors;
  const others = () => actors().filter((a) => a.id !== seat);
  const opts = (list, blank = null) => [...(blank ? [['', blank]] : []), ...list.map((a) => [a.id, a.name])];
  const max = (name) => protocol.limits(O, name).maxItems ?? 10;

  const status = h('div', { class: 'orders-status', role: 'status' });
  const error = h('div', { class: 'form-error', role: 'alert', tabindex: '-1', id: uid('oerr') });

  const spending = numberFor(protocol, O, 'defence_spending', { step: '0.1', name: 'defence_spending', dataset: { path: 'orders.defence_spending' } });
  const mobilisation = numberFor(protocol, O, 'mobilisation', { name: 'mobilisation', dataset: { path: 'orders.mobilisation' } });
  const alignment = h('select', { name: 'alignment', dataset: { path: 'orders.alignment' } });

  const deployments = repeater('Deployments abroad', 'Add deployment', (v) => {
    const hostSel = select(opts(others()), v?.host ?? null);
    const troops = numberFor(protocol, 'Deployment', 'troops', { step: '100', value: v?.troops ?? 1000 });
    const kind = select(protocol.enumOf('Deployment', 'kind').map((k) => [k, label(k)]), v?.kind ?? 'tripwire');
    return {
      el: h('div', { class: 'grid3' }, field('Host', hostSel), field('Troops', troops), field('Kind', kind)),
      read: () => ({ host: hostSel.value, troops: Number(troops.value || 0), kind: kind.value }),
    };
  }, max('deployments'));


  const exercises = repeater('Joint exercises', 'Add exercise', (v) => {
    const hostSel = select(opts(actors()), v?.host ?? seat);
    const partners = select(opts(others()), v?.partners?.[0] ?? null);
    return {
      el: h('div', { class: 'grid3' }, field('Host', hostSel), field('Partner', partners)),
      read: () => ({ host: hostSel.value, partners: [partners.value] }),
    };
  }, max('exercises'));

  const arms = repeater('Arms deliveries', 'Add delivery', (v) => {
    const to = select(opts(others()), v?.to ?? null);
    const value = numberFor(protocol, 'ArmsDelivery', 'value_usd_m', { step: '1', value: v?.value_usd_m ?? 100 });
    const item = h('input', { type: 'text', value: v?.item ?? 'arms', maxlength: String(protocol.limits('ArmsDelivery', 'item').maxLength ?? 200) });
    return {
      el: h('div', { class: 'grid3' }, field('To', to), field('Value (US$ million)', value), field('Item', item)),
      read: () => ({ to: to.value, value_usd_m: Number(value.value || 0), item: item.value.trim() || 'arms' }),
    };
  }, max('arms_deliveries'));

  const demands = repeater('Coercive demands', 'Add demand', (v) => {
    const target = select(opts(others()), v?.target ?? null);
    const issue = select(model.view.issues.map((i) => [i.id, i.name]), v?.issue ?? null);
    const position = numberFor(protocol, 'DemandOrder', 'position', { value: v?.position ?? 0.5 });
    const id = uid('pub');
    const pub = h('input', { type: 'checkbox', id, checked: v ? v.public : true });
    return {
      el: h('div', { class: 'grid3' }, field('Target', target), field('Issue', issue), field('Position demanded (0–1)', position), h('div', { class: 'field field-check' }, pub, h('label', { for: id }, 'Public demand'))),
      read: () => (issue.value ? { target: target.value, issue: issue.value, position: Number(position.value || 0), public: pub.checked } : null),
    };
  }, max('demands'));

  const force = repeater('Use of force', 'Add use of force', (v) => {
    const target = select(opts(others()), v?.target ?? null);
    const lvl = select(protocol.enumOf('ForceOrder', 'level').map((l) => [l, label(l)]), v?.level ?? 'protest');
    return {
      el: h('div', { class: 'grid3' }, field('Target', target), field('Level on the escalation ladder', lvl)),
      read: () => ({ target: target.value, level: lvl.value }),
    };
  }, max('force'));

  // Joining another state's attack on a third, on the attacker's side (without any obligation).
  const join = repeater('Join an attack on the attacker’s side', 'Add attack to join', (v) => {
    const attacker = select(opts(others()), v?.attacker ?? null);
    const target = select(opts(others()), v?.target ?? null);
    return {
      el: h('div', { class: 'grid3' }, field('Attacker to join', attacker), field('State it attacks', target)),
      read: () => ({ attacker: attacker.value, target: target.value }),
    };
  }, max('join'));
  join.el.insertBefore(
    h('p', { class: 'small' }, 'If the attacker strikes or makes war on that state this turn, your forces fight on its side and you bear a belligerent’s costs; if its side prevails you share the spoils (a share of the loser’s GDP) by the strength you brought. Joining an attack on a party to one of your agreements breaks it.'),
    join.el.children[1],
  );

  const statements = repeater('Public statements', 'Add statement', (v) => {
    const text = h('textarea', { rows: '2', maxlength: String(protocol.limits('Statement', 'text').maxLength ?? 2000) });
    text.value = v?.text ?? '';
    const pledge = select(opts(others(), 'Nobody'), v?.pledge_to ?? '');
    const reassure = select(opts(others(), 'Nobody'), v?.reassure ?? '');
    return {
      el: h('div', { class: 'grid3' }, field('Statement', text), field('Pledge support to (ties your hands)', pledge), field('Reassure (signals restraint)', reassure)),
      read: () => (text.value.trim() ? { text: text.value.trim(), pledge_to: pledge.value || null, reassure: reassure.value || null } : null),
    };
  }, max('statements'));

  const sanctions = repeater('Sanctions and embargoes', 'Add sanction', (v) => {
    const target = select(opts(others()), v?.target ?? null);
    const kind = select(protocol.enumOf('SanctionOrder', 'kind').map((k) => [k, label(k)]), v?.kind ?? 'sanctions');
    return {
      el: h('div', { class: 'grid3' }, field('Target', target), field('Measure', kind)),
      read: () => ({ target: target.value, kind: kind.value }),
    };
  }, max('sanctions'));

  const aid = repeater('Aid', 'Add aid', (v) => {
    const to = select(opts(others()), v?.to ?? null);
    const value = numberFor(protocol, 'AidOrder', 'value_usd_m', { step: '10', value: v?.value_usd_m ?? 100 });
    return {
      el: h('div', { class: 'grid3' }, field('To', to), field('Value (US$ m)', value)),
      read: () => (Number(value.value) > 0 ? { to: to.value, value_usd_m: Number(value.value) } : null),
    };
  }, max('aid'));

  for (const [r, key] of [[deployments, 'deployments'], [exercises, 'exercises'], [arms, 'arms_deliveries'], [demands, 'demands'], [force, 'force'], [join, 'join'], [statements, 'statements'], [sanctions, 'sanctions'], [aid, 'aid']]) {
    r.el.dataset.path = `orders.${key}`;
  }

  // Lists of states to tick, rebuilt at each view (what was ticked stays ticked). `key` is the order's field.
  const checkLists = {};
  const checkList = (key, legend, hint) => {
    const set = h('fieldset', { class: 'checks', dataset: { path: `orders.${key}` } });
    checkLists[key] = { set, legend, hint, chosen: new Set() };
    return set;
  };
  const renderChecks = (key, items, empty) => {
    const c = checkLists[key];
    const ticked = new Set([...c.set.querySelectorAll('input:checked')].map((i) => i.value));
    for (const v of c.chosen) ticked.add(v);
    c.chosen.clear();
    replace(
      c.set,
      h('legend', {}, c.legend),
      c.hint ? h('p', { class: 'small' }, c.hint) : null,
      items.length
        ? items.map(([value, text]) => {
            const id = uid(key);
            return h('label', { class: 'check', for: id }, h('input', { type: 'checkbox', id, value, checked: ticked.has(value), dataset: { key: `${key}-${value}` } }), ` ${text}`);
          })
        : h('p', { class: 'small' }, empty),
    );
  };
  const ticked = (key) => [...checkLists[key].set.querySelectorAll('input:checked')].map((i) => i.value);
  const withdrawals = checkList('withdrawals', 'Withdraw forces from');
  const defend = checkList('defend', 'Fight for a state without any obligation', 'Your forces join any limited strike or war against it this turn, on its side.');
  const lift = checkList('lift_sanctions', 'Lift your sanctions on');
  const threats = checkList('nuclear_threats', 'Nuclear threats', 'Coercion, not attack: it raises the risk that any fight with them goes nuclear.');
  const grant = checkList('grant_bases', 'Let their forces fight from your bases this turn');
  const deny = checkList('deny_bases', 'Deny their forces combat use of your bases this turn');
  const testId = uid('ntest');
  const nuclearTest = h('input', { type: 'checkbox', id: testId, name: 'nuclear_test', dataset: { path: 'orders.nuclear_test' } });
  const testBox = h('div', { class: 'field field-check' }, nuclearTest, h('label', { for: testId }, 'Test a nuclear weapon this turn'));
  const AGREEMENT_ACTIONS = [
    ['renew', 'Renew for another term'],
    ['renounce', 'Renounce (ends after notice)'],
    ['suspend', 'Suspend'],
    ['resume', 'Put back in force'],
    ['withhold', 'Withhold its sanctions or aid (a breach)'],
  ];
  const agreementActs = h('fieldset', { class: 'agreement-actions' });
  let agreementInputs = [];
  // A renunciation may say why (optional): one line, capped as the protocol schema caps it, counted as you type.
  const reasonCap = protocol.prop(O, 'renounce_reasons').additionalProperties?.maxLength ?? 300;

  const answers = h('div', { class: 'answers' });
  let answerInputs = [];

  // The form folds into sections a student can open one at a time (on a phone it is a long scroll
  // otherwise). Each summary line says what is chosen inside, so a folded form still tells the team
  // what it is about to submit. Built once: a new view refills their contents, never their open state.
  const wide = window.matchMedia('(min-width: 700px)').matches;
  const sections = {};
  const section = (key, title, ...children) => {
    const chosen = h('span', { class: 'section-chosen' });
    const summary = h('summary', { dataset: { key: `section-${key}` } }, h('span', { class: 'section-title' }, title), chosen);
    const el = h('details', { class: 'orders-section', open: wide, dataset: { section: key } }, summary, h('div', { class: 'section-body' }, children));
    sections[key] = { el, chosen, summary };
    return el;
  };

  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit sealed orders');
  const heading = h('h2', { id: uid('orders') }, 'Sealed orders');
  const form = h(
    'form',
    { class: 'orders-form', 'aria-labelledby': heading.id, novalidate: true },
    heading,
    h('p', { class: 'small' }, 'Secret until the turn is adjudicated; submit again to replace them until the orders phase ends. Empty fields mean “no change”; each section’s title line says what you chose in it.'),
    status,
    error,
    section('answer', 'Answer now', answers),
    section(
      'forces',
      'Forces at home and abroad',
      h(
        'fieldset',
        { class: 'grid3' },
        h('legend', {}, 'Forces at home'),
        field('Defence spending (% of GDP)', spending, 'Leave empty to keep the current level.'),
        field('Mobilisation (0–1)', mobilisation, 'Share of forces mobilised; leave empty for no change.'),
      ),
      deployments.el,
      withdrawals,
      exercises.el,
      arms.el,
    ),
    section('deterrence', 'Force and deterrence', force.el, defend, join.el, demands.el, statements.el),
    section(
      'agreements',
      'Your agreements and alignment',
      agreementActs,
      grant,
      deny,
      field('Declared alignment', alignment, protocol.limits(O, 'alignment').description),
    ),
    section('economy', 'Economic measures', sanctions.el, lift, aid.el),
    section('nuclear', 'Nuclear weapons', threats, testBox),
    h('div', { class: 'actions sticky-actions' }, submit),
  );
  sections.answer.el.hidden = true;

  const read = () => {
    const numOr = (el) => (el.value.trim() === '' ? null : Number(el.value));
    const o = {};
    const sp = numOr(spending);
    if (sp !== null) o.defence_spending = sp;
    const mo = numOr(mobilisation);
    if (mo !== null) o.mobilisation = mo;
    if (alignment.value) o.alignment = alignment.value;
    const lists = {
      deployments: deployments.read(),
      withdrawals: ticked('withdrawals'),
      exercises: exercises.read(),
      arms_deliveries: arms.read(),
      demands: demands.read(),
      force: force.read(),
      join: join.read(),
      statements: statements.read(),
      sanctions: sanctions.read(),
      aid: aid.read(),
      defend: ticked('defend'),
      lift_sanctions: ticked('lift_sanctions'),
      nuclear_threats: ticked('nuclear_threats'),
      grant_bases: ticked('grant_bases'),
      deny_bases: ticked('deny_bases'),
      call_answers: answerInputs.filter((a) => a.kind === 'call' && a.el.value).map((a) => ({ call_id: a.id, honour: a.el.value === 'honour' })),
      demand_answers: answerInputs.filter((a) => a.kind === 'demand' && a.el.value).map((a) => ({ demand_id: a.id, accept: a.el.value === 'accept' })),
    };
    for (const [action] of AGREEMENT_ACTIONS) lists[action] = agreementInputs.filter((a) => a.el.value === action).map((a) => a.id);
    for (const [k, v] of Object.entries(lists)) if (v.length) o[k] = v;
    const reasons = Object.fromEntries(agreementInputs.filter((a) => a.el.value === 'renounce' && a.why.value.trim()).map((a) => [a.id, a.why.value.trim()]));
    if (Object.keys(reasons).length) o.renounce_reasons = reasons;
    if (nuclearTest.checked && !testBox.hidden) o.nuclear_test = true;
    return o;
  };

  const fill = (o) => {
    spending.value = o?.defence_spending ?? '';
    mobilisation.value = o?.mobilisation ?? '';
    alignment.value = o?.alignment ?? '';
    deployments.set(o?.deployments);
    exercises.set(o?.exercises);
    arms.set(o?.arms_deliveries);
    demands.set(o?.demands);
    force.set(o?.force);
    join.set(o?.join);
    statements.set(o?.statements);
    sanctions.set(o?.sanctions);
    aid.set(o?.aid);
    nuclearTest.checked = Boolean(o?.nuclear_test);
    for (const [key, c] of Object.entries(checkLists)) {
      c.chosen = new Set(o?.[key] || []);
      for (const i of c.set.querySelectorAll('input')) i.checked = c.chosen.has(i.value);
    }
    for (const a of agreementInputs) {
      a.el.value = AGREEMENT_ACTIONS.map(([k]) => k).find((k) => (o?.[k] || []).includes(a.id)) ?? '';
      a.why.value = o?.renounce_reasons?.[a.id] ?? '';
      a.shown();
    }
    for (const a of answerInputs) {
      if (a.kind === 'call') {
        const ans = (o?.call_answers || []).find((c) => c.call_id === a.id);
        a.el.value = ans ? (ans.honour ? 'honour' : 'abandon') : '';
      } else {
        const ans = (o?.demand_answers || []).find((c) => c.demand_id === a.id);
        a.el.value = ans ? (ans.accept ? 'accept' : 'resist') : '';
      }
    }
  };

  // Each section's summary line: what is chosen inside it, in a few words (the whole list is in the
  // status once submitted). The calls and demands still to answer come first, marked.
  const AGREEMENT_WORDS = {
    renew: (g) => `renew ${g}`,
    renounce: (g) => `renounce ${g}`,
    suspend: (g) => `suspend ${g}`,
    resume: (g) => `put ${g} back in force`,
    withhold: (g) => `withhold what ${g} asks (a breach)`,
  };
  const summarise = () => {
    const o = read();
    const n = (id) => model.actorName(id);
    const names = (ids) => (ids.length > 3 ? `${ids.length} states` : ids.map(n).join(', '));
    const few = (list, one, many) => (!list?.length ? null : list.length === 1 ? one(list[0]) : many(list.length));
    const agreementName = (id) => model.view?.agreements?.find((g) => g.id === id)?.name ?? id;
    const chosen = {
      answer: answerInputs.filter((a) => a.el.value).map((a) => `${a.el.value} ${a.who}'s ${a.kind === 'call' ? 'call' : 'demand'}`),
      forces: [
        o.defence_spending !== undefined ? `spending ${num(o.defence_spending, 1)}% of GDP` : null,
        o.mobilisation !== undefined ? `mobilisation ${num(o.mobilisation)}` : null,
        few(o.deployments, (d) => `${d.troops.toLocaleString()} troops to ${n(d.host)}`, (k) => `${k} deployments`),
        o.withdrawals ? `withdraw from ${names(o.withdrawals)}` : null,
        few(o.exercises, (x) => `exercise with ${x.partners.map(n).join(', ')}`, (k) => `${k} exercises`),
        few(o.arms_deliveries, (a) => `arms to ${n(a.to)}`, (k) => `${k} arms deliveries`),
      ],
      deterrence: [
        few(o.force, (f) => `${words(f.level)} against ${n(f.target)}`, (k) => `${k} uses of force`),
        o.defend ? `fight for ${names(o.defend)}` : null,
        few(o.join, (j) => `join ${n(j.attacker)} against ${n(j.target)}`, (k) => `join ${k} attacks`),
        few(o.demands, (d) => `demand on ${n(d.target)}`, (k) => `${k} demands`),
        few(o.statements, () => '1 statement', (k) => `${k} statements`),
      ],
      agreements: [
        ...Object.entries(AGREEMENT_WORDS).flatMap(([k, say]) => (o[k] || []).map((id) => say(agreementName(id)))),
        o.grant_bases ? `bases for ${names(o.grant_bases)}` : null,
        o.deny_bases ? `bases denied to ${names(o.deny_bases)}` : null,
        o.alignment ? `aligned with ${n(o.alignment)}` : null,
      ],
      economy: [
        few(o.sanctions, (x) => `${words(x.kind)} on ${n(x.target)}`, (k) => `${k} sanctions`),
        o.lift_sanctions ? `lift sanctions on ${names(o.lift_sanctions)}` : null,
        few(o.aid, (a) => `aid to ${n(a.to)}`, (k) => `aid to ${k} states`),
      ],
      nuclear: [o.nuclear_threats ? `threaten ${names(o.nuclear_threats)}` : null, o.nuclear_test ? 'a test' : null],
    };
    for (const [key, list] of Object.entries(chosen)) {
      const s = sections[key];
      const picked = list.filter(Boolean);
      const shown = picked.length > 4 ? [...picked.slice(0, 3), `${picked.length - 3} more`] : picked;
      const due = key === 'answer' ? answerInputs.filter((a) => !a.el.value).length : 0;
      s.el.classList.toggle('urgent', due > 0);
      s.el.classList.toggle('has-choices', picked.length > 0);
      replace(
        s.chosen,
        ' — ',
        due ? h('strong', { class: 'due' }, `${due} to answer`) : null,
        due && shown.length ? ', ' : null,
        shown.length ? shown.join(', ') : due ? null : 'no change',
      );
    }
  };
  // Re-summarised as the student types, ticks, adds or removes a row.
  form.addEventListener('input', summarise);
  form.addEventListener('change', summarise);
  form.addEventListener('click', (ev) => {
    if (ev.target.closest?.('button.add, button.remove')) summarise();
  });

  /** The control at a dotted path of the command (`orders.aid.0.to`), or the first one of the nearest list
   * or field that has one; its section is opened. */
  const controlAt = (fieldPath) => {
    let target = null;
    for (let path = fieldPath ?? ''; path && !target; path = path.replace(/\.?[^.]*$/, '')) {
      target = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    }
    const control = target?.matches('input, select, textarea') ? target : target?.querySelector('input, select, textarea, button');
    const holder = control?.closest('details');
    if (holder) holder.open = true;
    return control ?? null;
  };

  const showError = (message, fieldPath = null) => {
    error.replaceChildren(h('p', {}, h('strong', {}, 'The server did not accept these orders: '), message));
    // The field the server names (or the list it is in), its section opened so that focus reaches it.
    const control = controlAt(fieldPath?.replace(/^command\./, ''));
    (control || error).focus();
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.replaceChildren();
    const orders = read();
    const command = { type: 'submit_orders', orders };
    try {
      protocol.checkCommand(command);
    } catch (err) {
      error.replaceChildren(h('p', {}, h('strong', {}, 'Check these orders: ')), h('ul', {}, err.messages.map((m) => h('li', {}, m))));
      // Each section with a field to check is unfolded (the messages start with its place: orders/aid/0/to).
      for (const m of err.messages) controlAt(m.split(':')[0].replaceAll('/', '.'));
      error.focus();
      return;
    }
    submit.disabled = true;
    try {
      await link.command(command);
      toast('Orders submitted (sealed)');
      announce('Orders submitted');
    } catch (err) {
      showError(err.message, err.field);
    } finally {
      submit.disabled = false;
    }
  });

  let built = false;
  const seenDue = new Set();
  let shownFor = null;
  const update = () => {
    const v = model.view;
    if (!v) return;
    const me = model.me;
    if (!built) {
      replace(alignment, opts(others(), 'No change').map(([val, l]) => h('option', { value: val }, l)));
      built = true;
    }
    const a = model.actor(seat);
    spending.placeholder = `now ${num(a.defence_spending, 1)}`;
    mobilisation.placeholder = `now ${num(a.mobilisation)}`;
    // Hosts with our forces, for withdrawals.
    const abroad = Object.entries(me.troops_abroad || {});
    renderChecks('withdrawals', abroad.map(([host, n]) => [host, `${model.actorName(host)} (${n.toLocaleString()} troops)`]), 'You have no forces abroad.');
    // States to fight for, sanctions to lift, nuclear threats, bases on our territory.
    const named = (ids) => ids.map((id) => [id, model.actorName(id)]);
    renderChecks('defend', named(others().map((x) => x.id)), 'No other states.');
    const mine = Object.keys(v.sanctions || {}).filter((k) => k.split('>')[0] === seat).map((k) => k.split('>')[1]);
    renderChecks('lift_sanctions', named(mine), 'You impose no sanctions.');
    const armed = (a.nuclear?.warheads ?? 0) > 0;
    checkLists.nuclear_threats.set.hidden = !armed;
    testBox.hidden = !armed;
    sections.nuclear.el.hidden = !armed;
    renderChecks('nuclear_threats', armed ? named(others().map((x) => x.id)) : [], 'You have no nuclear weapons.');
    const hosted = [...new Set((v.agreements || []).filter((g) => g.active && g.terms?.host === seat).flatMap((g) => g.parties).filter((p) => p !== seat))];
    for (const key of ['grant_bases', 'deny_bases']) {
      checkLists[key].set.hidden = hosted.length === 0;
      renderChecks(key, named(hosted), 'No partner has forces on your territory under an agreement.');
    }
    // What to do with each agreement we are party to.
    const ours = (v.agreements || []).filter((g) => g.parties.includes(seat) && g.active);
    const keepAct = new Map(agreementInputs.map((x) => [x.id, x.el.value]));
    const keepWhy = new Map(agreementInputs.map((x) => [x.id, x.why.value]));
    agreementInputs = ours.map((g) => {
      const sel = select([['', 'Keep as it is'], ...AGREEMENT_ACTIONS], keepAct.get(g.id) ?? '');
      sel.dataset.key = `agreement-${g.id}`;
      // Beside an agreement set to be renounced: why, in the team's words (whoever sees the renunciation reads it).
      // Labelled "Why renounce it?" and described by the agreement's name (so a label search finds the select alone).
      const act = field(g.name, sel);
      const named = act.querySelector('label');
      named.id = uid('agl');
      const why = h('input', { type: 'text', maxlength: String(reasonCap), autocomplete: 'off', dataset: { key: `reason-${g.id}`, path: `orders.renounce_reasons.${g.id}` } });
      why.value = keepWhy.get(g.id) ?? '';
      const box = field('Why renounce it? (optional; whoever sees the renunciation reads it)', why, `0 of ${reasonCap} characters`);
      box.classList.add('renounce-reason');
      why.setAttribute('aria-describedby', `${named.id} ${why.getAttribute('aria-describedby')}`);
      const count = box.querySelector('.hint');
      const shown = () => {
        box.hidden = sel.value !== 'renounce';
        count.textContent = `${why.value.length} of ${reasonCap} characters`;
        count.classList.toggle('near-limit', why.value.length > reasonCap * 0.9);
      };
      sel.addEventListener('change', shown);
      why.addEventListener('input', shown);
      shown();
      return { id: g.id, el: sel, act, why, box, shown, name: g.name };
    });
    replace(
      agreementActs,
      h('legend', {}, 'Your agreements'),
      agreementInputs.length
        ? agreementInputs.map((x) => h('div', { class: 'agreement-act' }, x.act, x.box))
        : h('p', { class: 'small' }, 'You are party to no agreement in force.'),
    );
    // Open calls for help and demands addressed to us.
    const calls = v.calls.filter((c) => c.status === 'open' && c.obligated.includes(seat));
    const dems = v.demands.filter((d) => d.status === 'open' && d.target === seat);
    const keep = new Map(answerInputs.map((x) => [`${x.kind}:${x.id}`, x.el.value]));
    answerInputs = [];
    const rows = [];
    for (const c of calls) {
      const el = select([['', 'Not answered yet (no answer = abandon them)'], ['honour', 'Honour: come to their aid'], ['abandon', 'Abandon them']], keep.get(`call:${c.id}`) ?? '', { dataset: { key: `call-${c.id}` } });
      answerInputs.push({ kind: 'call', id: c.id, el, who: model.actorName(c.caller) });
      const pact = (v.agreements || []).find((g) => g.id === c.agreement)?.name ?? c.agreement;
      rows.push(field(`${model.actorName(c.caller)} invokes ${pact} against ${model.actorName(c.adversary)}`, el));
    }
    for (const d of dems) {
      const el = select([['', 'Not answered yet (no answer = resist)'], ['accept', 'Accept the demand'], ['resist', 'Resist']], keep.get(`demand:${d.id}`) ?? '', { dataset: { key: `demand-${d.id}` } });
      answerInputs.push({ kind: 'demand', id: d.id, el, who: model.actorName(d.actor) });
      const issue = v.issues.find((i) => i.id === d.issue)?.name ?? d.issue;
      rows.push(field(`${model.actorName(d.actor)} demands ${issue} at ${num(d.position)}`, el));
    }
    replace(
      answers,
      rows.length
        ? h(
            'div',
            { class: 'answers-due', role: 'group', 'aria-label': 'Calls for help and demands addressed to you' },
            h('p', { class: 'note small' }, 'Answer each before marking ready. When the phase ends, no answer counts as abandoning the ally (a call) or resisting (a demand).'),
            rows,
          )
        : null,
    );
    // Our submitted orders, once per turn: prefill the form with them.
    const key = `${v.game.turn}/${me.orders ? 'sent' : 'none'}`;
    const newTurn = shownFor !== null && shownFor.split('/')[0] !== String(v.game.turn);
    if ((me.orders && shownFor !== key) || newTurn) fill(me.orders);
    shownFor = key;
    // "Answer now" shows only with something to answer, and opens (once) for each new call or demand
    // not answered yet; otherwise a section stays as the student left it.
    sections.answer.el.hidden = answerInputs.length === 0;
    const fresh = answerInputs.filter((x) => !seenDue.has(`${x.kind}:${x.id}`));
    for (const x of fresh) seenDue.add(`${x.kind}:${x.id}`);
    if (fresh.some((x) => !x.el.value)) sections.answer.el.open = true;
    summarise();
    const phase = v.game.phase;
    replace(
      status,
      me.orders
        ? h(
            'div',
            { class: 'submitted' },
            h('p', {}, h('strong', {}, `Orders submitted for turn ${v.game.turn}.`), ' You can change and resubmit them until the phase ends.'),
            h('ul', {}, ordersSummary(model, me.orders).map((l) => h('li', {}, l))),
          )
        : h('p', {}, phase === 'orders' ? `No orders submitted yet for turn ${v.game.turn}.` : `Orders are submitted during the orders phase (now: ${words(phase)}). You can prepare them now.`),
    );
    submit.textContent = me.orders ? 'Resubmit sealed orders' : 'Submit sealed orders';
  };

  /** Open the section holding the control with this `data-key` (an answer due, from the Now panel) and focus it. */
  const reveal = (key) => {
    const control = form.querySelector(`[data-key="${CSS.escape(key)}"]`);
    const holder = control?.closest('details');
    if (holder) holder.open = true;
    control?.focus();
  };

  return { el: form, update, reveal };
}
