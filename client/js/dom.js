// Small DOM helpers: build elements, keep focus across re-renders, announce to screen readers.

/**
 * h('button', {class: 'x', onclick: fn, 'aria-label': 'Close'}, 'text', child, [more])
 * Attributes: `class`, `style` (string), `on<event>` (function), `dataset` (object), boolean
 * attributes as true/false, everything else set with setAttribute. `null`/`false` children skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.includes(':')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' && 'value' in el && !(el instanceof SVGElement)) {
      el.value = value;
    } else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden') {
      el[key] = Boolean(value);
      if (key !== 'checked' && key !== 'selected') el.toggleAttribute(key, Boolean(value));
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** An SVG element (h with the svg namespace). */
export function s(tag, attrs = {}, ...children) {
  return h(`svg:${tag}`, attrs, ...children);
}

/**
 * Replace a container's children, keeping keyboard focus on the element with the same
 * `data-key` (buttons in re-rendered lists keep focus when the list is rebuilt).
 */
export function replace(container, ...children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : null;
  const open = new Set([...container.querySelectorAll('details[data-key][open]')].map((d) => d.dataset.key));
  container.replaceChildren();
  append(container, children);
  for (const d of container.querySelectorAll('details[data-key]')) if (open.has(d.dataset.key)) d.open = true;
  if (key) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus({ preventScroll: true });
  }
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Say something through the page's polite live region. */
export function announce(text, assertive = false) {
  const region = document.getElementById(assertive ? 'alerts' : 'announcer');
  if (!region) return;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 30);
}

/** A brief notice at the foot of the screen (also announced). */
export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: `toast toast-${kind}` }, text);
  box.appendChild(item);
  while (box.children.length > 3) box.firstChild.remove();
  announce(text, kind === 'error');
  window.setTimeout(() => item.remove(), kind === 'error' ? 8000 : 3000);
}

/** Report a failed request, unless it failed because this screen was closed (its link stopped). */
export function toastError(err) {
  if (err && err.code === 'stopped') return;
  toast(err?.message ?? String(err), 'error');
}

/** A labelled form field: <div class=field><label for>Label</label><control><small hint></div>. */
export function field(label, control, hint = null) {
  const id = control.id || uid('f');
  control.id = id;
  const children = [h('label', { for: id }, label), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    children.push(h('small', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, children);
}

/** A <select> from [value, label] pairs (or plain values). */
export function select(options, value = null, attrs = {}) {
  const el = h('select', attrs);
  for (const opt of options) {
    const [v, label] = Array.isArray(opt) ? opt : [opt, opt];
    el.appendChild(h('option', { value: v, selected: v === value }, label));
  }
  if (value !== null && value !== undefined) el.value = value;
  return el;
}

/** Keep a list of <option>s in sync without losing the current choice when it is still offered. */
export function setOptions(selectEl, options) {
  const current = selectEl.value;
  selectEl.replaceChildren(
    ...options.map((opt) => {
      const [v, label] = Array.isArray(opt) ? opt : [opt, opt];
      return h('option', { value: v }, label);
    }),
  );
  if (options.some((opt) => (Array.isArray(opt) ? opt[0] : opt) === current)) selectEl.value = current;
}

/** A fieldset of checkboxes; returns {el, values()}. */
export function checkboxes(legend, options, checked = [], attrs = {}) {
  const set = new Set(checked);
  const boxes = options.map(([value, label, extra = {}]) => {
    const id = uid('cb');
    const input = h('input', { type: 'checkbox', id, value, checked: set.has(value), ...extra });
    return h('label', { class: 'check', for: id }, input, ' ', label);
  });
  const el = h('fieldset', { class: 'checks', ...attrs }, h('legend', {}, legend), boxes);
  return {
    el,
    values: () => [...el.querySelectorAll('input:checked')].map((i) => i.value),
    set: (values) => {
      const want = new Set(values);
      for (const i of el.querySelectorAll('input')) i.checked = want.has(i.value);
    },
  };
}

/**
 * Accessible tabs (WAI-ARIA tabs pattern: arrow keys, Home/End). `tabs` is a list of
 * {id, label, panel (element)}; returns {el, select(id), setBadge(id, text, srText)}.
 */
export function tabs(name, list, onSelect = () => {}) {
  const bar = h('div', { role: 'tablist', 'aria-label': name, class: 'tablist' });
  const panels = h('div', { class: 'tabpanels' });
  const buttons = new Map();
  let current = null;
  const choose = (id, focus = false) => {
    current = id;
    for (const t of list) {
      const on = t.id === id;
      const b = buttons.get(t.id);
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
      if (on && focus) b.focus();
    }
    onSelect(id);
  };
  for (const t of list) {
    const tabId = `tab-${t.id}`;
    const panelId = `panel-${t.id}`;
    const badge = h('span', { class: 'badge', hidden: true });
    const b = h(
      'button',
      { role: 'tab', id: tabId, type: 'button', 'aria-controls': panelId, class: 'tab' },
      h('span', { class: 'tab-label' }, t.label),
      badge,
    );
    b.badge = badge;
    b.addEventListener('click', () => choose(t.id));
    b.addEventListener('keydown', (ev) => {
      const ids = list.map((x) => x.id);
      const i = ids.indexOf(t.id);
      let next = null;
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = ids[(i + 1) % ids.length];
      if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = ids[(i - 1 + ids.length) % ids.length];
      if (ev.key === 'Home') next = ids[0];
      if (ev.key === 'End') next = ids[ids.length - 1];
      if (next) {
        ev.preventDefault();
        choose(next, true);
      }
    });
    buttons.set(t.id, b);
    bar.appendChild(b);
    t.panel.id = panelId;
    t.panel.setAttribute('role', 'tabpanel');
    t.panel.setAttribute('aria-labelledby', tabId);
    t.panel.tabIndex = 0;
    t.panel.classList.add('tabpanel');
    panels.appendChild(t.panel);
  }
  choose(list[0].id);
  return {
    el: h('div', { class: 'tabs' }, bar, panels),
    bar,
    panels,
    select: (id) => choose(id),
    current: () => current,
    setBadge: (id, text, srText) => {
      const b = buttons.get(id);
      if (!b) return;
      b.badge.hidden = !text;
      const words = srText && srText.startsWith(text) ? srText.slice(text.length) : srText ? ` (${srText})` : '';
      b.badge.replaceChildren(text || '', h('span', { class: 'sr-only' }, text ? words : ''));
    },
  };
}

/** Run `fn` at most once per 40 ms burst (a batch of events renders once; works in background tabs). */
export function throttled(fn, ms = 40) {
  let queued = false;
  return (...args) => {
    if (queued) return;
    queued = true;
    window.setTimeout(() => {
      queued = false;
      fn(...args);
    }, ms);
  };
}
