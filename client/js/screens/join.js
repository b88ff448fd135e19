// The door for students and the projector: a join code and a display name.

import { h, replace, field } from '../dom.js';

export function joinScreen(root, protocol, { code = '', message = '', onJoin }) {
  const codeLimits = protocol.clientDefs.Join.properties.code;
  const nameLimits = protocol.clientDefs.Join.properties.name;
  const codeInput = h('input', {
    type: 'text',
    name: 'code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    required: true,
    minlength: String(codeLimits.minLength ?? 4),
    maxlength: String(codeLimits.maxLength ?? 32),
    value: code,
    class: 'code-input',
  });
  const nameInput = h('input', {
    type: 'text',
    name: 'name',
    autocomplete: 'nickname',
    required: true,
    maxlength: String(nameLimits.maxLength ?? 40),
  });
  try {
    nameInput.value = localStorage.getItem('crisisgame.name') || '';
  } catch {
    /* private mode */
  }
  const error = h('p', { class: 'form-error', role: 'alert' }, message);
  const button = h('button', { type: 'submit', class: 'primary big' }, 'Join the game');
  const form = h(
    'form',
    { class: 'join-form card', 'aria-labelledby': 'join-title' },
    h('h1', { id: 'join-title' }, 'Join a crisis game'),
    h('p', {}, 'Type the join code your facilitator gave you (or scan its QR code), and the name your team will see.'),
    field('Join code', codeInput, 'Eight letters and digits, like 7K2M-Q9XD. Case and dashes do not matter.'),
    field('Your name', nameInput),
    error,
    h('div', { class: 'actions' }, button),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const msg = { type: 'join', code: codeInput.value.trim(), name: nameInput.value.trim() };
    try {
      protocol.checkMessage(msg);
    } catch {
      error.textContent = !msg.name ? 'Type your name.' : 'A join code has at least four characters.';
      (msg.name ? codeInput : nameInput).focus();
      return;
    }
    try {
      localStorage.setItem('crisisgame.name', msg.name);
    } catch {
      /* private mode */
    }
    button.disabled = true;
    error.textContent = 'Joining…';
    onJoin(msg, (failure) => {
      button.disabled = false;
      error.textContent = failure;
      codeInput.focus();
    });
  });
  replace(
    root,
    h('header', { class: 'topbar' }, h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'crisisgame'))),
    h(
      'main',
      { id: 'main', class: 'center', tabindex: '-1' },
      form,
      h('p', { class: 'small muted' }, 'Facilitators open the console with the link the server printed at start-up.'),
    ),
  );
  (code ? nameInput : codeInput).focus();
}
