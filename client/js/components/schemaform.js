// A form for one definition of the protocol schema (e.g. an inject effect): every property
// becomes a labelled control: actor ids a select, lists of actor ids checkboxes, enums a
// select, numbers a number input with the schema's bounds.

import { h, field, checkboxes, select } from '../dom.js';
import { label } from '../format.js';

const ISSUE_FIELDS = new Set(['issue']);

function isIdList(p) {
  return p.type === 'array' && p.items && p.items.type === 'string';
}

export function schemaForm(def, { actors = [], issues = [], skip = ['kind'] } = {}) {
  const controls = [];
  const parts = [];
  for (const [name, raw] of Object.entries(def.properties || {})) {
    if (skip.includes(name)) continue;
    const p = raw.anyOf ? { ...(raw.anyOf.find((x) => x.type !== 'null') || {}), ...raw } : { ...raw };
    const title = label(name);
    if (p.description && p.description.startsWith('An identifier')) p.description = undefined;
    const required = (def.required || []).includes(name);
    if (isIdList(p)) {
      const cb = checkboxes(title, actors.map((a) => [a.id, a.name]), []);
      parts.push(cb.el);
      controls.push({ name, read: () => cb.values() });
    } else if (p.enum) {
      const sel = select(p.enum.map((v) => [v, label(v)]), p.default ?? p.enum[0]);
      parts.push(field(title, sel, p.description));
      controls.push({ name, read: () => sel.value });
    } else if (p.type === 'string' && ISSUE_FIELDS.has(name)) {
      const sel = select(issues.map((i) => [i.id, i.name]));
      parts.push(field(title, sel, p.description));
      controls.push({ name, read: () => sel.value });
    } else if (p.type === 'string' && p.pattern) {
      const sel = select([...(required ? [] : [['', 'None']]), ...actors.map((a) => [a.id, a.name])]);
      parts.push(field(title, sel, p.description));
      controls.push({ name, read: () => sel.value || null });
    } else if (p.type === 'number' || p.type === 'integer') {
      const input = h('input', {
        type: 'number',
        step: p.type === 'integer' ? '1' : '0.05',
        min: p.minimum !== undefined ? String(p.minimum) : null,
        max: p.maximum !== undefined ? String(p.maximum) : null,
        value: p.default ?? (p.minimum !== undefined && p.minimum > 0 ? p.minimum : 0),
      });
      const bounds = p.minimum !== undefined && p.maximum !== undefined ? `From ${p.minimum} to ${p.maximum}.` : null;
      parts.push(field(title, input, [p.description, bounds].filter(Boolean).join(' ') || null));
      controls.push({ name, read: () => (input.value === '' ? null : Number(input.value)) });
    } else if (p.type === 'boolean') {
      const input = h('input', { type: 'checkbox', checked: Boolean(p.default) });
      const f = field(title, input);
      f.classList.add('field-check');
      parts.push(f);
      controls.push({ name, read: () => input.checked });
    } else {
      const input = h('input', { type: 'text' });
      parts.push(field(title, input, p.description));
      controls.push({ name, read: () => input.value || null });
    }
  }
  return {
    el: h('div', { class: 'grid3 schema-form' }, parts),
    read: () => {
      const out = {};
      for (const c of controls) {
        const v = c.read();
        if (v !== null) out[c.name] = v;
      }
      return out;
    },
  };
}
