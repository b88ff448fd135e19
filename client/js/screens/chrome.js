// Pieces every screen shares: the connection badge.

import { h } from '../dom.js';

const TEXT = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
  failed: 'Cannot connect',
};

/** A small status indicator: online, or reconnecting (with a button to retry now). */
export function statusBadge(link) {
  const text = h('span', { class: 'status-text' }, TEXT[link.status] ?? link.status);
  const retry = h('button', { type: 'button', class: 'link-button', hidden: true }, 'Retry now');
  retry.addEventListener('click', () => link.reconnect());
  const el = h('div', { class: 'conn', role: 'status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), text, ' ', retry);
  const update = ({ status }) => {
    el.dataset.status = status;
    text.textContent = TEXT[status] ?? status;
    retry.hidden = status !== 'reconnecting';
    document.body.classList.toggle('offline', status !== 'online');
  };
  link.addEventListener('status', (ev) => update(ev.detail));
  update({ status: link.status });
  return { el };
}
