// Channels: the public channel, a private channel with each other actor, and group channels,
// with unread counts; a composer that sends `send_message` commands. A view holds only the newest
// messages of each channel (`older_messages` counts the rest): "Show older messages" pages back
// through them with `history`.

import { h, replace, field, checkboxes, announce, uid } from '../dom.js';
import { time } from '../format.js';

export function channelsPanel(model, link, protocol, { isVisible = () => true, onUnread = () => {} } = {}) {
  const seat = model.seat;
  // What was read, per channel: the time (`at`) of the newest message read, so the count of unread
  // messages stays right when a view holds only the newest messages of a channel.
  const storageKey = `crisisgame.readAt.${model.game}.${seat}`;
  let read = {};
  try {
    read = JSON.parse(localStorage.getItem(storageKey) || '{}');
  } catch {
    read = {};
  }
  let current = 'public';
  let renderedIds = [];

  const list = h('ul', { class: 'channel-list' });
  // On a phone the list folds away under a one-line summary, so the conversation is on the first screen.
  const summary = h('summary', { class: 'channel-summary' }, 'Channels');
  const picker = h('details', { class: 'channel-picker', open: window.matchMedia('(min-width: 700px)').matches }, summary, list);
  const nav = h('nav', { class: 'channels', 'aria-label': 'Channels' }, h('h2', { class: 'sr-only' }, 'Channels'), picker);
  const heading = h('h2', { class: 'conversation-title', id: uid('conv') });
  const feed = h('ol', { class: 'messages', 'aria-labelledby': heading.id });
  const olderButton = h('button', { type: 'button', class: 'older', hidden: true }, 'Show older messages');
  const olderError = h('p', { class: 'form-error', role: 'alert' });
  const feedBox = h(
    'div',
    { class: 'messages-box', tabindex: '0', role: 'region', 'aria-labelledby': heading.id },
    olderButton,
    olderError,
    feed,
  );

  // -- composer
  const limits = protocol.limits('SendMessage', 'text');
  const toSelect = h('select', { name: 'to' });
  const others = () => model.view.actors.filter((a) => a.id !== seat);
  const group = checkboxes('Group recipients', [], [], { hidden: true });
  const groupSlot = h('div', {}, group.el);
  const text = h('textarea', { name: 'text', rows: '3', maxlength: String(limits.maxLength ?? 4000), required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const form = h(
    'form',
    { class: 'composer', 'aria-label': 'Write a message' },
    field('To', toSelect),
    groupSlot,
    field('Message', text, `Up to ${limits.maxLength ?? 4000} characters.`),
    error,
    h('div', { class: 'actions' }, send),
  );
  // The length so far, as you type: the server refuses a longer message, so say so before it does.
  const counter = form.querySelector(`#${text.id}-hint`);
  const countChars = () => {
    const max = limits.maxLength ?? 4000;
    counter.textContent = `${text.value.length} of ${max} characters`;
    counter.classList.toggle('near-limit', text.value.length > max * 0.9);
  };
  text.addEventListener('input', countChars);

  const fillTo = () => {
    const opts = [['public', 'Everyone (public)']];
    for (const a of others()) opts.push([`private:${a.id}`, `${a.name} (private)`]);
    opts.push(['group', 'A group (choose below)…']);
    const cur = toSelect.value;
    replace(toSelect, opts.map(([v, l]) => h('option', { value: v }, l)));
    if (opts.some((o) => o[0] === cur)) toSelect.value = cur;
    const g = checkboxes('Group recipients (two or more)', others().map((a) => [a.id, a.name]), group.values(), {});
    group.el.replaceWith(g.el);
    group.el = g.el;
    group.values = g.values;
    group.set = g.set;
    group.el.hidden = toSelect.value !== 'group';
  };
  toSelect.addEventListener('change', () => {
    group.el.hidden = toSelect.value !== 'group';
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    const to = toSelect.value;
    const command = { type: 'send_message', channel: 'public', to: [], text: text.value.trim() };
    if (to.startsWith('private:')) Object.assign(command, { channel: 'private', to: [to.slice(8)] });
    if (to === 'group') Object.assign(command, { channel: 'group', to: group.values() });
    if (!command.text) {
      error.textContent = 'Write a message first.';
      text.focus();
      return;
    }
    send.disabled = true;
    try {
      await link.command(command);
      text.value = '';
      countChars();
      const key = model.channelOf({ channel: command.channel, sender: seat, to: command.to });
      select(key);
      text.focus();
    } catch (err) {
      error.textContent = err.message;
    } finally {
      send.disabled = false;
    }
  });

  // -- channels
  const serverKeyOf = (key) => {
    if (key === 'public') return 'public';
    const [kind, people] = key.split(':');
    const members = [...new Set([...people.split(',').filter(Boolean), seat])];
    return model.serverChannelOf({ channel: kind, sender: members[0], to: members.slice(1) });
  };

  const channels = () => {
    const msgs = model.myMessages();
    const map = new Map();
    const entry = (key, kind) => {
      if (!map.has(key)) {
        const people = key.split(':')[1]?.split(',').filter(Boolean) ?? [];
        const title = key === 'public' ? 'Public' : (kind === 'group' ? 'Group: ' : '') + people.map((p) => model.actorName(p)).join(', ');
        map.set(key, { key, title, messages: [], server: serverKeyOf(key) });
      }
      return map.get(key);
    };
    entry('public', 'public');
    if (seat !== 'facilitator' && seat !== 'observer') {
      for (const a of others()) entry(`private:${a.id}`, 'private');
    }
    for (const m of msgs) entry(model.channelOf(m), m.channel).messages.push(m);
    for (const serverKey of Object.keys(model.view.older_messages || {})) {
      if (serverKey === 'public') continue;
      const [kind, people] = serverKey.split(':');
      const members = people.split(',');
      entry(model.channelOf({ channel: kind, sender: members[0], to: members.slice(1) }), kind);
    }
    return [...map.values()];
  };

  const unreadOf = (ch) => ch.messages.filter((m) => m.sender !== seat && m.at > (read[ch.key] || 0)).length;

  const markRead = (ch) => {
    const n = Math.max(0, ...ch.messages.filter((m) => m.sender !== seat).map((m) => m.at));
    if ((read[ch.key] || 0) < n) {
      read[ch.key] = n;
      try {
        localStorage.setItem(storageKey, JSON.stringify(read));
      } catch {
        /* storage full or disabled: unread counts reset on reload */
      }
    }
  };

  const select = (key) => {
    current = key;
    renderedIds = [];
    if (key.startsWith('private:') && !key.includes(',')) toSelect.value = key;
    else if (key === 'public') toSelect.value = 'public';
    else if (key.startsWith('group:') && seat !== 'facilitator') {
      toSelect.value = 'group';
      group.el.hidden = false;
      group.set(key.slice(6).split(','));
    }
    update();
  };

  const messageItem = (m) => {
    const mine = m.sender === seat;
    const to = m.channel === 'public' ? 'everyone' : m.to.map((t) => model.actorName(t)).join(', ');
    return h(
      'li',
      { class: `message${mine ? ' mine' : ''}${m.sender === 'facilitator' ? ' control' : ''}`, dataset: { id: m.id } },
      h(
        'p',
        { class: 'meta' },
        h('strong', {}, mine && !m.author ? 'You' : model.actorName(m.sender)),
        m.author ? h('span', { class: 'author' }, ` · ${m.author}${mine && m.author === model.name ? ' (you)' : ''}`) : '',
        seat === 'facilitator' || m.channel !== 'public' ? ` to ${to}` : '',
        h('span', { class: 'when' }, ` · turn ${m.turn}${m.at ? ` · ${time(m.at)}` : ''}`),
      ),
      h('p', { class: 'text' }, m.text),
    );
  };

  const update = () => {
    if (!model.view) return;
    if (!toSelect.options.length) fillTo();
    const all = channels();
    if (!all.some((c) => c.key === current)) current = 'public';
    const ch = all.find((c) => c.key === current);
    if (isVisible()) markRead(ch);
    let total = 0;
    replace(
      list,
      all.map((c) => {
        const n = c.key === current && isVisible() ? 0 : unreadOf(c);
        total += n;
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'channel',
              'aria-current': c.key === current ? 'true' : 'false',
              dataset: { key: `ch-${c.key}` },
              onclick: () => {
                select(c.key);
                if (!window.matchMedia('(min-width: 700px)').matches) picker.open = false;
              },
            },
            h('span', {}, c.title),
            n ? h('span', { class: 'badge' }, h('span', { 'aria-hidden': 'true' }, n > 9 ? '9+' : String(n)), h('span', { class: 'sr-only' }, `${n} unread`)) : null,
          ),
        );
      }),
    );
    heading.textContent = ch.key === 'public' ? 'Public channel' : ch.title;
    const older = model.olderCount(ch.server);
    olderButton.hidden = older === 0;
    olderButton.textContent = `Show older messages (${older})`;
    summary.textContent = `Channels: ${ch.key === 'public' ? 'Public' : ch.title}${total ? ` (${total} unread elsewhere)` : ''}`;
    const ids = ch.messages.map((m) => m.id);
    const fresh = ids.length >= renderedIds.length && renderedIds.every((id, i) => ids[i] === id);
    if (fresh && renderedIds.length) {
      for (const m of ch.messages.slice(renderedIds.length)) {
        feed.appendChild(messageItem(m));
        if (m.sender !== seat) announce(`New message from ${model.actorName(m.sender)}`);
      }
    } else {
      replace(feed, ch.messages.length ? ch.messages.map(messageItem) : h('li', { class: 'empty' }, 'No messages yet.'));
    }
    const prepended = renderedIds.length > 0 && ids.length > renderedIds.length && ids[ids.length - 1] === renderedIds[renderedIds.length - 1] && !fresh;
    renderedIds = ids;
    if (!prepended) feedBox.scrollTop = feedBox.scrollHeight;
    onUnread(total);
  };

  olderButton.addEventListener('click', async () => {
    const ch = channels().find((c) => c.key === current);
    if (!ch) return;
    olderError.textContent = '';
    olderButton.disabled = true;
    const request = { type: 'history', channel: ch.server, limit: 100 };
    if (ch.messages.length) request.before = ch.messages[0].id;
    try {
      model.prependMessages(ch.server, await link.request(request));
    } catch (err) {
      olderError.textContent = err.message;
    } finally {
      olderButton.disabled = false;
    }
  });

  const canSend = seat !== 'observer';
  const el = h(
    'div',
    { class: 'channels-panel' },
    nav,
    h('div', { class: 'conversation' }, heading, feedBox, canSend ? form : null),
  );
  return { el, update, refreshRecipients: fillTo };
}
