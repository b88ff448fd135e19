// The client's data model: the seat's `view` (engine/view.py) kept current by folding the
// `event` messages that arrive between views. A fresh view replaces it at every phase change.

export class GameModel extends EventTarget {
  constructor() {
    super();
    this.view = null;
    this.game = null;
    this.seat = null;
    this.name = null;
    this.seq = 0;
    this.viewSeq = 0;
    this.skew = null; // server clock minus ours, seconds (measured by the link: welcome and pongs)
    // Why each proposal closed, from the `proposal_closed` events seen live (a view does not carry it;
    // the model keeps it beside the view rather than add a field the protocol schema lacks).
    this.closedReasons = new Map();
    this.phaseChanges = []; // phase lengths set while this page was open (phases_set events)
    // Past turns' results fetched with `outcome_history` (a view carries the newest results only): kept
    // across views, which are replaced at every phase change, so a turn is fetched once.
    this.pagedTurns = new Map();
    this.loadingTurns = new Set();
    this.turnErrors = new Map();
    this.waitingFor = null; // the link whose return `whenOnline` awaits
  }

  changed(kind) {
    this.dispatchEvent(new CustomEvent('change', { detail: kind }));
  }

  welcome(msg) {
    this.game = msg.game;
    this.seat = msg.seat;
    this.name = msg.name;
    this.changed('welcome');
  }

  setView(msg) {
    if (msg.game !== this.game) this.pagedTurns.clear();
    this.view = msg.view;
    for (const page of this.pagedTurns.values()) if (page.turn < msg.view.game.turn) this.mergeOutcomePage(page);
    this.game = msg.game;
    this.seq = Math.max(msg.seq, 0);
    this.viewSeq = msg.seq;
    this.changed('view');
  }

  /** Fold one event into the view; returns false if it cannot be applied (the caller resyncs). */
  applyEvent(msg) {
    const e = msg.event;
    if (msg.seq <= this.seq && this.view) return true; // already seen (replayed after a resume)
    this.seq = msg.seq;
    const v = this.view;
    if (!v) return false;
    const g = v.game;
    switch (e.type) {
      case 'phase_started':
        Object.assign(g, { turn: e.turn, phase: e.phase, deadline: e.deadline, paused: false, remaining: null, ready: [] });
        break;
      case 'clock_paused':
        Object.assign(g, { paused: true, remaining: e.remaining, deadline: null });
        break;
      case 'clock_resumed':
        Object.assign(g, { paused: false, remaining: null, deadline: e.deadline });
        break;
      case 'clock_extended':
        if (g.paused) g.remaining = (g.remaining || 0) + e.seconds;
        else g.deadline = e.deadline;
        break;
      case 'phases_set':
        this.phaseChanges.push(e.phases);
        break;
      case 'server_downtime':
        if (!g.paused) g.deadline = e.deadline;
        break;
      case 'ready_changed':
        g.ready = e.ready ? [...new Set([...g.ready, e.actor])].sort() : g.ready.filter((a) => a !== e.actor);
        break;
      case 'message_sent':
        if (!v.messages.some((m) => m.id === e.id)) v.messages.push(e);
        break;
      case 'proposal_made': {
        if (e.counter_of) {
          const old = v.proposals.find((p) => p.id === e.counter_of);
          if (old) old.status = 'countered';
        }
        v.proposals = v.proposals.filter((p) => p.id !== e.id);
        v.proposals.push({
          id: e.id,
          sender: e.sender,
          turn: e.turn,
          status: 'open',
          accepted: [e.sender],
          counter_of: e.counter_of ?? null,
          proposal: e.proposal,
        });
        break;
      }
      case 'proposal_answered': {
        const p = v.proposals.find((x) => x.id === e.id);
        if (!p) return false;
        if (e.accept) {
          p.accepted = [...new Set([...p.accepted, e.actor])].sort();
          if (p.proposal.parties.every((a) => p.accepted.includes(a))) p.status = 'accepted';
        }
        break;
      }
      case 'proposal_closed': {
        const p = v.proposals.find((x) => x.id === e.id);
        if (!p) return false;
        p.status = e.status;
        this.closedReasons.set(e.id, e.reason);
        break;
      }
      case 'orders_submitted':
        if (v.me && v.me.id === e.actor) v.me.orders = e.orders;
        if (v.submitted) {
          v.submitted = [...new Set([...v.submitted, e.actor])].sort();
          v.orders[e.actor] = e.orders;
        }
        break;
      case 'inject_released':
        v.injects.push(e);
        for (const i of v.script || []) if (i.id === e.inject_id) i.released = true; // (the facilitator's script)
        break;
      case 'outcome':
        v.outcomes.push(e);
        for (const ch of e.changes) this.applyChange(ch);
        break;
      case 'agreement_concluded':
      case 'call_opened':
        v.outcomes.push(e);
        break;
      case 'demand_opened':
        v.demands.push({ ...e, status: 'open' });
        break;
      case 'amended':
        if (v.amendments) v.amendments.push(e);
        this.applyChange(e.change);
        break;
      case 'results_released':
        g.released = true;
        break;
      case 'game_ended':
        g.phase = 'ended';
        g.deadline = null;
        break;
      case 'freeform_proposed':
        v.freeform = (v.freeform || []).filter((a) => a.id !== e.id);
        v.freeform.push({ id: e.id, actor: e.actor, turn: e.turn, what: e.what, intended_effect: e.intended_effect, arguments: e.arguments, public: e.public, counters: [], suggested: null, rating: null, applied: null });
        break;
      case 'freeform_countered':
      case 'freeform_rated':
      case 'freeform_applied': {
        const a = (v.freeform || []).find((x) => x.id === e.id);
        if (!a) return false;
        if (e.type === 'freeform_countered') a.counters = [...a.counters, { actor: e.actor, text: e.text }];
        else if (e.type === 'freeform_rated') a.rating = e;
        else a.applied = e;
        break;
      }
      case 'freeform_settings':
        v.counter_arguments = e.counter_arguments;
        break;
      case 'rolled_back':
        break; // a fresh view follows, its announcements telling the rollback with its reason
      default:
        break; // game_created: a fresh view follows
    }
    g.seq = msg.seq;
    this.changed(e.type);
    return true;
  }

  /** Apply one `Change` of an outcome to the parts of the view the screens show live. */
  applyChange(ch) {
    const v = this.view;
    if (ch.target === 'actor') {
      const a = v.actors.find((x) => x.id === ch.key);
      if (!a) return;
      if (ch.field in a) a[ch.field] = ch.value;
      else if (a.capabilities && ch.field in a.capabilities) a.capabilities[ch.field] = ch.value;
      if (ch.field === 'score' && v.me && v.me.id === ch.key) v.me.score = ch.value;
      if (ch.field === 'score' && v.scores) v.scores[ch.key] = ch.value;
    } else if (ch.target === 'pair') {
      const [a, b] = ch.key.split('>');
      if ((ch.field === 'threat' || ch.field === 'intent') && v.me && a === v.me.id) v.me[ch.field][b] = ch.value;
      if ((ch.field === 'threat' || ch.field === 'intent') && v[ch.field] && !v.me) v[ch.field][ch.key] = ch.value;
      if (ch.field === 'credibility') v.credibility[ch.key] = ch.value;
    } else if (ch.target === 'agreement') {
      const ag = v.agreements.find((x) => x.id === ch.key);
      // (a renunciation's notice_by and notice_reason are left out of a view until set: they are set here)
      if (ag && (ch.field in ag || ch.field === 'notice_by' || ch.field === 'notice_reason')) ag[ch.field] = ch.value;
    } else if (ch.target === 'system') {
      v.system[ch.key] = ch.value;
    }
  }

  // ------------------------------------------------------------------ helpers for the screens

  /** Seconds left in the phase (server clock), or null; `paused` views use `remaining`. */
  secondsLeft() {
    const g = this.view?.game;
    if (!g) return null;
    if (g.paused) return g.remaining;
    if (g.deadline === null || g.deadline === undefined) return null;
    const now = Date.now() / 1000 + (this.skew ?? 0);
    return Math.max(0, g.deadline - now);
  }

  actor(id) {
    return this.view?.actors.find((a) => a.id === id) ?? null;
  }

  actorName(id) {
    if (id === 'facilitator') return 'Control';
    if (id === 'observer') return 'Observers';
    return this.actor(id)?.name ?? id;
  }

  get me() {
    return this.view?.me ?? null;
  }

  /** Messages this seat is part of (public, or sent by or to it; everything for Control). */
  myMessages() {
    const v = this.view;
    if (!v) return [];
    if (this.seat === 'facilitator') return v.messages;
    if (this.seat === 'observer') return v.messages.filter((m) => m.channel === 'public');
    return v.messages.filter((m) => m.channel === 'public' || m.sender === this.seat || m.to.includes(this.seat));
  }

  /** The channel of a message as the server names it (`history`, `older_messages`): 'public', or
   * 'private:A,B' / 'group:A,B,C' with its members sorted, the sender included. */
  serverChannelOf(m) {
    if (m.channel === 'public') return 'public';
    return `${m.channel}:${[...new Set([m.sender, ...m.to])].sort().join(',')}`;
  }

  /** How many older messages than those held the server has for a channel (by its server name). */
  olderCount(serverKey) {
    return this.view?.older_messages?.[serverKey] ?? 0;
  }

  /** Older messages of a channel, fetched with `history`, put before those held (oldest first). */
  prependMessages(serverKey, page) {
    const v = this.view;
    if (!v) return;
    const held = new Set(v.messages.map((m) => m.id));
    const fresh = page.messages.filter((m) => !held.has(m.id));
    v.messages = [...fresh, ...v.messages];
    v.older_messages = { ...v.older_messages, [serverKey]: page.more ? Math.max(1, this.olderCount(serverKey) - fresh.length) : 0 };
    this.changed('history');
  }

  /** Every turn with released results this seat may see: those in the view, and the older ones
   * (`older_outcomes`) that `outcome_history` fetches. Ascending. */
  resultTurns() {
    const v = this.view;
    if (!v) return [];
    const turns = new Set(v.outcomes.map((e) => e.turn ?? 0));
    for (const [turn, n] of Object.entries(v.older_outcomes || {})) if (n > 0) turns.add(Number(turn));
    return [...turns].sort((a, b) => a - b);
  }

  /** Whether the view lacks some of a turn's results, its revealed orders or its proposals (the view holds
   * the newest results, the newest turns' orders, and the open and the last turns' proposals only). */
  turnIncomplete(turn) {
    const v = this.view;
    if (!v || turn <= 0) return false;
    if ((v.older_outcomes?.[String(turn)] ?? 0) > 0) return true;
    if ((v.older_proposals?.[String(turn)] ?? 0) > 0) return true;
    const held = Object.keys(v.revealed_orders || {}).map(Number);
    return held.length > 0 && turn < Math.min(...held) && !(String(turn) in v.revealed_orders);
  }

  /** Fetch a turn's results with `outcome_history` if the view lacks some (once at a time; a failed
   * turn is not asked again on its own: `retryTurn` does; a link not yet or no longer online is waited for). */
  ensureTurn(link, turn) {
    if (!this.turnIncomplete(turn) || this.loadingTurns.has(turn) || this.turnErrors.has(turn)) return;
    // Not signed in yet (a page opened from its cached view renders before its link is up) or dropped:
    // not a failure of this turn, so it is asked again once the link is back rather than given up on.
    if (!link.online) {
      this.whenOnline(link);
      return;
    }
    this.loadingTurns.add(turn);
    link
      .request({ type: 'outcome_history', turn })
      .then((page) => this.addOutcomePage(page))
      .catch((err) => {
        if (err.code === 'disconnected') {
          this.whenOnline(link);
          return;
        }
        this.turnErrors.set(turn, err.message);
        this.changed('history');
      })
      .finally(() => this.loadingTurns.delete(turn));
  }

  /** Once `link` is online again, say so (the screens re-render and ask for the turns they still lack). */
  whenOnline(link) {
    if (link.online) {
      window.setTimeout(() => this.changed('history'), 0);
      return;
    }
    if (this.waitingFor === link) return;
    this.waitingFor = link;
    const onStatus = () => {
      if (!link.online) return;
      link.removeEventListener('status', onStatus);
      this.waitingFor = null;
      // After the welcome is handled: the request then goes out on a signed-in connection.
      window.setTimeout(() => this.changed('history'), 0);
    };
    link.addEventListener('status', onStatus);
  }

  retryTurn(link, turn) {
    this.turnErrors.delete(turn);
    this.ensureTurn(link, turn);
  }

  /** A turn's results, orders and proposals from `outcome_history`, in place of what the view held of that turn. */
  addOutcomePage(page) {
    if (!this.view) return;
    this.mergeOutcomePage(page);
    if (page.turn < this.view.game.turn) this.pagedTurns.set(page.turn, page);
    this.changed('history');
  }

  mergeOutcomePage(page) {
    const v = this.view;
    const key = String(page.turn);
    const rest = v.outcomes.filter((e) => (e.turn ?? 0) !== page.turn);
    v.outcomes = [...rest, ...page.outcomes].sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0)); // (stable: log order kept)
    v.revealed_orders = { ...v.revealed_orders, [key]: page.orders };
    const older = { ...v.older_outcomes };
    delete older[key];
    v.older_outcomes = older;
    // The turn's proposals the view left out; one it holds (open, or of the last turns) is as fresh or fresher.
    const held = new Set(v.proposals.map((p) => p.id));
    const fresh = (page.proposals || []).filter((p) => !held.has(p.id));
    if (fresh.length) v.proposals = [...v.proposals, ...fresh].sort((a, b) => a.turn - b.turn); // (stable)
    const olderProposals = { ...v.older_proposals };
    delete olderProposals[key];
    v.older_proposals = olderProposals;
  }

  /** The channel key of a message from this seat's point of view. */
  channelOf(m) {
    if (m.channel === 'public') return 'public';
    const people = [...new Set([m.sender, ...m.to])].filter((x) => x !== this.seat).sort();
    if (m.channel === 'private') return `private:${people.join(',')}`;
    return `group:${people.join(',')}`;
  }
}
