// Proposals: a composer for every agreement type (types, mandates and limits from the protocol
// schema) and an inbox to accept, reject, counter or withdraw.

import { h, replace, field, checkboxes, select, setOptions, toast, toastError, uid } from '../dom.js';
import { label, num, words } from '../format.js';

/** Which terms each agreement type needs (the engine rejects a basing deal without host and troops). */
const TYPE_HINTS = {
  defence_pact: 'Each party must help the others if attacked. Strength, ambiguity and conditionality shape credibility.',
  offence_pact: 'The parties commit to act together against a third party.',
  neutrality: 'The parties stay out of each other’s wars.',
  non_aggression: 'The parties promise not to attack each other.',
  consultation: 'The parties consult in a crisis; no promise of help.',
  security_guarantee: 'Name the guarantor(s): the parties who promise help.',
  basing_rights: 'Needs a host and a number of troops.',
  arms_deal: 'Needs a value (US$ million); name the item.',
  joint_exercise: 'Name the host of the exercise.',
  strategic_partnership: 'A broad, loosely binding alignment.',
};

function numberInput(protocol, def, name, attrs = {}) {
  const l = protocol.limits(def, name);
  const step = l.integer ? '1' : attrs.step || '0.05';
  return h('input', {
    type: 'number',
    name,
    inputmode: l.integer ? 'numeric' : 'decimal',
    min: l.min !== undefined ? String(l.min) : null,
    max: l.max !== undefined ? String(l.max) : null,
    step,
    ...attrs,
  });
}

export function proposalTerms(model, p) {
  const n = (id) => model.actorName(id);
  const parts = [
    `strength ${num(p.strength)}`,
    `ambiguity ${num(p.ambiguity)}`,
    p.conditionality ? `conditionality ${num(p.conditionality)}` : null,
    p.duration ? `${p.duration} turns` : 'indefinite',
    p.mandate && p.mandate !== 'none' ? `mandate: ${p.mandate === 'unsc' ? 'UN Security Council' : 'regional body'}` : null,
    p.public ? 'public' : 'secret',
    p.guarantors?.length ? `guarantors: ${p.guarantors.map(n).join(', ')}` : null,
    p.issue ? `settles ${p.issue} at ${num(p.position)}` : null,
    p.side_payments ? `${p.side_payments} side-payments` : null,
    p.troops ? `${p.troops.toLocaleString()} troops` : null,
    p.host ? `host: ${n(p.host)}` : null,
    p.item ? `item: ${p.item}` : null,
    p.value_usd_m ? `value $${p.value_usd_m}m` : null,
    ...(p.sanctions || []).map((t) => `${t.kind || 'sanctions'} on ${n(t.target)} by ${(t.by?.length ? t.by : p.parties.filter((x) => x !== t.target)).map(n).join(', ')}`),
    ...(p.aid || []).map((a) => `aid $${a.value_usd_m}m a turn from ${n(a.donor)} to ${n(a.to)}`),
  ];
  return parts.filter(Boolean).join(' · ');
}

export function proposalsPanel(model, link, protocol, { onBadge = () => {} } = {}) {
  const seat = model.seat;
  const P = 'Proposal';
  const types = protocol.enumOf(P, 'type');
  const mandates = protocol.enumOf(P, 'mandate');

  // -- composer
  const heading = h('h2', { id: uid('compose') }, 'Propose an agreement');
  const counterNote = h('p', { class: 'counter-note', hidden: true });
  const typeSel = select(types.map((t) => [t, label(t)]), types[0], { name: 'type' });
  const typeHint = h('p', { class: 'hint', id: uid('th') });
  typeSel.setAttribute('aria-describedby', typeHint.id);
  let parties = checkboxes('Parties', [], []);
  let guarantors = checkboxes('Guarantors (who promise help; optional)', [], []);
  const partiesSlot = h('div', {}, parties.el);
  const guarantorsSlot = h('div', {}, guarantors.el);
  const strength = numberInput(protocol, P, 'strength', { value: protocol.limits(P, 'strength').default ?? 0.5 });
  const ambiguity = numberInput(protocol, P, 'ambiguity', { value: protocol.limits(P, 'ambiguity').default ?? 0.2 });
  const conditionality = numberInput(protocol, P, 'conditionality', { value: protocol.limits(P, 'conditionality').default ?? 0 });
  const duration = numberInput(protocol, P, 'duration', { placeholder: 'indefinite' });
  const mandate = select(mandates.map((m) => [m, m === 'unsc' ? 'UN Security Council' : m === 'regional' ? 'Regional body' : 'None']), 'none', { name: 'mandate' });
  const isPublic = h('input', { type: 'checkbox', name: 'public', checked: true, id: uid('pub') });
  const issue = h('select', { name: 'issue' });
  const position = numberInput(protocol, P, 'position', { placeholder: 'e.g. 0.5' });
  const sidePayments = numberInput(protocol, P, 'side_payments', { value: '0' });
  const troops = numberInput(protocol, P, 'troops', { step: '100' });
  const host = h('select', { name: 'host' });
  const item = h('input', { type: 'text', name: 'item', maxlength: String(protocol.limits(P, 'item').maxLength ?? 200) });
  const value = numberInput(protocol, P, 'value_usd_m', { step: '1' });
  const error = h('div', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send proposal');
  const cancelCounter = h('button', { type: 'button', hidden: true }, 'Cancel counter-proposal');
  let counterOf = null;

  const form = h(
    'form',
    { class: 'proposal-form', 'aria-labelledby': heading.id, novalidate: true },
    heading,
    counterNote,
    field('Agreement type', typeSel),
    typeHint,
    partiesSlot,
    guarantorsSlot,
    h(
      'fieldset',
      { class: 'grid3' },
      h('legend', {}, 'Commitment'),
      field('Strength (0–1)', strength, protocol.limits(P, 'strength').description || 'How binding and substantial.'),
      field('Ambiguity (0–1)', ambiguity, 'How unclear the casus foederis is.'),
      field('Conditionality (0–1)', conditionality, 'Help only if the partner did not provoke.'),
      field('Duration (turns)', duration, 'Leave empty for an indefinite agreement.'),
      field('Mandate', mandate, 'A mandate widens win-sets and softens audience costs.'),
      h('div', { class: 'field field-check' }, isPublic, h('label', { for: isPublic.id }, 'Public (uncheck for a secret agreement)')),
    ),
    h(
      'fieldset',
      { class: 'grid3' },
      h('legend', {}, 'Ratification'),
      field('Issue', issue, protocol.limits(P, 'issue').description),
      field('Position on the issue (0–1)', position, protocol.limits(P, 'position').description),
      field('Side-payments and linked issues', sidePayments, protocol.limits(P, 'side_payments').description),
    ),
    h(
      'fieldset',
      { class: 'grid3' },
      h('legend', {}, 'Terms'),
      field('Troops', troops),
      field('Host', host),
      field('Item delivered', item),
      field('Value (US$ million)', value),
    ),
    error,
    h('div', { class: 'actions' }, submit, cancelCounter),
  );

  const showTypeHint = () => {
    typeHint.textContent = TYPE_HINTS[typeSel.value] || '';
  };
  typeSel.addEventListener('change', showTypeHint);
  showTypeHint();

  let built = false;
  const build = () => {
    const actors = model.view.actors;
    const np = checkboxes(
      'Parties (you are always one)',
      actors.map((a) => [a.id, a.name, a.id === seat ? { disabled: true, checked: true } : {}]),
      [seat],
    );
    parties.el.replaceWith(np.el);
    parties = np;
    const ng = checkboxes('Guarantors (who promise help; optional)', actors.map((a) => [a.id, a.name]), []);
    guarantors.el.replaceWith(ng.el);
    guarantors = ng;
    setOptions(issue, [['', 'No issue'], ...model.view.issues.map((i) => [i.id, i.name])]);
    setOptions(host, [['', 'None'], ...actors.map((a) => [a.id, a.name])]);
    built = true;
  };

  const read = () => {
    const numOr = (el) => (el.value.trim() === '' ? null : Number(el.value));
    const chosen = new Set([seat, ...parties.values()]);
    const p = {
      type: typeSel.value,
      parties: model.view.actors.map((a) => a.id).filter((id) => chosen.has(id)),
      guarantors: guarantors.values(),
      strength: numOr(strength) ?? 0.5,
      ambiguity: numOr(ambiguity) ?? 0.2,
      conditionality: numOr(conditionality) ?? 0,
      mandate: mandate.value,
      public: isPublic.checked,
      side_payments: numOr(sidePayments) ?? 0,
    };
    const optional = { duration: numOr(duration), issue: issue.value || null, position: numOr(position), troops: numOr(troops), host: host.value || null, item: item.value.trim() || null, value_usd_m: numOr(value) };
    for (const [k, v] of Object.entries(optional)) if (v !== null) p[k] = v;
    return p;
  };

  const fill = (p) => {
    typeSel.value = p.type;
    showTypeHint();
    parties.set([seat, ...p.parties]);
    guarantors.set(p.guarantors || []);
    strength.value = p.strength ?? 0.5;
    ambiguity.value = p.ambiguity ?? 0.2;
    conditionality.value = p.conditionality ?? 0;
    duration.value = p.duration ?? '';
    mandate.value = p.mandate ?? 'none';
    isPublic.checked = p.public !== false;
    issue.value = p.issue ?? '';
    position.value = p.position ?? '';
    sidePayments.value = p.side_payments ?? 0;
    troops.value = p.troops ?? '';
    host.value = p.host ?? '';
    item.value = p.item ?? '';
    value.value = p.value_usd_m ?? '';
  };

  const endCounter = () => {
    counterOf = null;
    counterNote.hidden = true;
    cancelCounter.hidden = true;
    heading.textContent = 'Propose an agreement';
    submit.textContent = 'Send proposal';
  };
  cancelCounter.addEventListener('click', endCounter);

  const startCounter = (prop) => {
    counterOf = prop.id;
    fill(prop.proposal);
    heading.textContent = 'Counter-proposal';
    counterNote.hidden = false;
    counterNote.textContent = `Countering ${prop.id} from ${model.actorName(prop.sender)}: change the terms and send.`;
    cancelCounter.hidden = false;
    submit.textContent = 'Send counter-proposal';
    typeSel.focus();
    form.scrollIntoView({ block: 'start' });
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.replaceChildren();
    const proposal = read();
    const command = counterOf ? { type: 'counter', proposal_id: counterOf, proposal } : { type: 'propose', proposal };
    try {
      protocol.checkCommand(command);
    } catch (err) {
      error.replaceChildren(h('p', {}, 'Check these fields:'), h('ul', {}, err.messages.map((m) => h('li', {}, m.replace(/^proposal\//, '')))));
      return;
    }
    submit.disabled = true;
    try {
      await link.command(command);
      toast(counterOf ? 'Counter-proposal sent' : 'Proposal sent');
      endCounter();
    } catch (err) {
      error.replaceChildren(h('p', {}, err.message));
    } finally {
      submit.disabled = false;
    }
  });

  // -- inbox
  const inboxHeading = h('h2', { id: uid('inbox') }, 'Proposals');
  const inbox = h('div', { class: 'inbox' });

  const act = async (button, command, done) => {
    button.disabled = true;
    try {
      await link.command(command);
      toast(done);
    } catch (err) {
      toastError(err);
      const card = button.closest('.proposal');
      const slot = card?.querySelector('.form-error');
      if (slot) slot.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  };

  const card = (prop) => {
    const p = prop.proposal;
    const mine = prop.sender === seat;
    const waiting = prop.status === 'open' && !prop.accepted.includes(seat);
    const cardId = uid('prop');
    return h(
      'li',
      { class: `proposal card status-${prop.status}${waiting ? ' waiting' : ''}`, 'aria-labelledby': cardId },
      h('h3', { id: cardId }, `${label(p.type)} `, h('small', {}, `${prop.id} · from ${mine ? 'you' : model.actorName(prop.sender)} · turn ${prop.turn}`)),
      prop.counter_of ? h('p', { class: 'small' }, `Counter to ${prop.counter_of}`) : null,
      h(
        'p',
        { class: 'parties' },
        'Parties: ',
        p.parties.map((a, i) => [i ? ', ' : '', model.actorName(a), prop.accepted.includes(a) ? h('span', { class: 'ok' }, h('span', { 'aria-hidden': 'true' }, ' ✓'), h('span', { class: 'sr-only' }, ' (accepted)')) : h('span', { class: 'muted' }, ' (not yet)')]),
      ),
      h('p', { class: 'terms' }, proposalTerms(model, p)),
      h('p', { class: `status status-${prop.status}` }, `Status: ${words(prop.status)}`, model.closedReasons.has(prop.id) ? ` (${model.closedReasons.get(prop.id)})` : ''),
      h('p', { class: 'form-error', role: 'alert' }),
      h(
        'div',
        { class: 'actions' },
        waiting
          ? [
              h('button', { type: 'button', class: 'primary', dataset: { key: `accept-${prop.id}` }, onclick: (ev) => act(ev.currentTarget, { type: 'accept', proposal_id: prop.id }, `Accepted ${prop.id}`) }, 'Accept', h('span', { class: 'sr-only' }, ` ${prop.id}`)),
              h('button', { type: 'button', dataset: { key: `reject-${prop.id}` }, onclick: (ev) => act(ev.currentTarget, { type: 'reject', proposal_id: prop.id }, `Rejected ${prop.id}`) }, 'Reject', h('span', { class: 'sr-only' }, ` ${prop.id}`)),
              h('button', { type: 'button', dataset: { key: `counter-${prop.id}` }, onclick: () => startCounter(prop) }, 'Counter', h('span', { class: 'sr-only' }, ` ${prop.id}`)),
            ]
          : null,
        mine && (prop.status === 'open' || prop.status === 'accepted')
          ? h('button', { type: 'button', dataset: { key: `withdraw-${prop.id}` }, onclick: (ev) => act(ev.currentTarget, { type: 'withdraw', proposal_id: prop.id }, `Withdrew ${prop.id}`) }, 'Withdraw', h('span', { class: 'sr-only' }, ` ${prop.id}`))
          : null,
      ),
    );
  };

  const update = () => {
    if (!model.view) return;
    if (!built) build();
    const props = model.view.proposals.filter((p) => p.proposal.parties.includes(seat));
    const rank = (p) => (p.status === 'open' && !p.accepted.includes(seat) ? 0 : p.status === 'open' || p.status === 'accepted' ? 1 : 2);
    props.sort((a, b) => rank(a) - rank(b) || b.turn - a.turn || b.id.localeCompare(a.id, undefined, { numeric: true }));
    const waiting = props.filter((p) => rank(p) === 0).length;
    onBadge(waiting);
    // A view carries open proposals and the last turns' only: say how many earlier ones the replay shows.
    const earlier = Object.values(model.view.older_proposals || {}).reduce((a, b) => a + b, 0);
    replace(
      inbox,
      props.length ? h('ul', { class: 'proposal-list' }, props.map(card)) : h('p', { class: 'empty' }, earlier ? 'No proposals this turn or the last two.' : 'No proposals yet.'),
      earlier
        ? h('p', { class: 'note older-proposals' }, `${earlier} closed proposal${earlier === 1 ? '' : 's'} of earlier turns ${earlier === 1 ? 'is' : 'are'} not listed here: `, h('a', { href: '#replay' }, 'the replay'), ' shows each turn’s.')
        : null,
    );
    if (model.view.game.phase !== 'diplomacy') {
      inbox.prepend(h('p', { class: 'note' }, 'Proposals are made and answered during diplomacy; the ones all parties accepted go to ratification at the end of the turn.'));
    }
  };

  const el = h(
    'div',
    { class: 'proposals-panel' },
    h('section', { class: 'inbox-section', 'aria-labelledby': inboxHeading.id }, inboxHeading, inbox),
    h('section', { class: 'compose-section' }, form),
  );
  return { el, update };
}
