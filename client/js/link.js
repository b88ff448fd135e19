// The websocket link to the server: sign-in, requests and their answers, reconnection.
//
// A Link signs in with the message `signIn()` returns (join, resume or facilitate) each time it
// connects, so after a dropped connection it resumes by itself with the last seq it saw and the
// server replays what was missed. Every outgoing message is checked against the protocol schema.
//
// A heartbeat (`ping` every few seconds) notices a link that died silently (a laptop's Wi-Fi gone,
// a phone between cells) within 10 s, and each `pong` carries the server's clock: the link keeps
// the server-minus-local clock offset from the sample with the shortest round trip (the welcome
// is one sample too), so every timer shows the room's time whatever the device's clock says.
// A command keeps its `id` until it is answered: after a drop it is sent again with the same id,
// and the server (for which the id is an idempotency key) applies it once.
// A request made before the link is signed in (a page opened from its cached view renders before its
// welcome; a reconnection is under way) waits for the welcome and goes out then, within its timeout:
// it never reaches the server ahead of the sign-in, where it could only be refused (`not_signed_in`).
// A read (`READS`) cut off by a drop is sent again after the next welcome too; any other request is
// refused then (`disconnected`), since it may have been carried out.

const BACKOFF = [500, 1000, 2000, 4000, 8000, 10000];
const REQUEST_TIMEOUT = 15000;
const COMMAND_TIMEOUT = 30000; // a command outlives a reconnection or two before the page gives up
const PING_EVERY = 3000;
const DEAD_AFTER = 7000; // silence (no pong, no anything) after which the link counts as dead
const CLOCK_SAMPLES = 8;
/** Requests that only read (answered the same however often they are sent): sent again after a drop. */
const READS = new Set(['history', 'outcome_history', 'teammates', 'list_games', 'list_scenarios', 'members']);

function nowSeconds() {
  return Date.now() / 1000;
}

export class LinkError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.field = error.field ?? null;
    this.error = error;
  }
}

export class Link extends EventTarget {
  /**
   * @param protocol  a Protocol (validators from the exported schema)
   * @param signIn    () => the sign-in message to send on every (re)connection
   * @param onMessage (msg) => void, for welcome/view/event and unsolicited errors
   */
  constructor(protocol, signIn, onMessage) {
    super();
    this.protocol = protocol;
    this.signIn = signIn;
    this.onMessage = onMessage;
    this.ws = null;
    this.pending = new Map();
    this.counter = 0;
    this.attempt = 0;
    this.stopped = false;
    this.status = 'connecting';
    this.timer = null;
    this.skew = null; // server clock minus ours, seconds
    this.samples = [];
    this.helloAt = 0;
    this.heardAt = 0;
    this.pingedAt = 0;
    this.beat = window.setInterval(() => this.heartbeat(), 1000);
  }

  get url() {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${window.location.host}/ws`;
  }

  setStatus(status, detail = '') {
    this.status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: { status, detail } }));
  }

  connect() {
    if (this.stopped) this.beat = window.setInterval(() => this.heartbeat(), 1000);
    this.stopped = false;
    window.clearTimeout(this.timer);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.setStatus(this.attempt ? 'reconnecting' : 'connecting');
    ws.addEventListener('open', () => {
      const hello = this.signIn();
      try {
        this.protocol.checkMessage(hello);
      } catch (err) {
        this.setStatus('failed', err.message);
        return;
      }
      this.helloAt = nowSeconds();
      this.heardAt = Date.now();
      this.samples = [];
      ws.send(JSON.stringify(hello));
    });
    ws.addEventListener('message', (ev) => this.receive(ev.data));
    ws.addEventListener('close', (ev) => this.closed(ws, ev));
  }

  receive(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    this.heardAt = Date.now();
    if (msg.type === 'pong') {
      if (typeof msg.now === 'number' && typeof msg.t === 'number') this.clockSample(msg.now, msg.t);
      return;
    }
    if (msg.type === 'welcome') {
      if (typeof msg.now === 'number') this.clockSample(msg.now, this.helloAt);
      this.attempt = 0;
      this.setStatus('online');
      this.resend();
    }
    if (msg.type === 'progress' && msg.id && this.pending.has(msg.id)) {
      // A long request (a summary with bot runs) is alive: its timeout starts again, and the caller hears how far it got.
      const p = this.pending.get(msg.id);
      window.clearTimeout(p.timer);
      p.timer = window.setTimeout(() => p.expire(), REQUEST_TIMEOUT);
      if (p.onProgress) p.onProgress(msg.done, msg.total);
      return;
    }
    if ((msg.type === 'ack' || msg.type === 'reply' || msg.type === 'error') && msg.id && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      window.clearTimeout(p.timer);
      if (msg.type === 'error') p.reject(new LinkError(msg));
      else p.resolve(msg.type === 'ack' ? msg : msg.data);
      return;
    }
    this.onMessage(msg);
  }

  /** One reading of the server's clock, sent at `server` (its seconds) for a message we sent at `sentAt`. */
  clockSample(server, sentAt) {
    const received = nowSeconds();
    const rtt = Math.max(0, received - sentAt);
    this.samples.push({ rtt, skew: server - (sentAt + received) / 2 });
    if (this.samples.length > CLOCK_SAMPLES) this.samples.shift();
    const best = this.samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    this.skew = best.skew;
    this.dispatchEvent(new CustomEvent('clock', { detail: this.skew }));
  }

  /** Every second: ping when due, and give up on a link that has been silent too long. */
  heartbeat() {
    const ws = this.ws;
    if (this.stopped || !ws || ws.readyState !== WebSocket.OPEN || this.status !== 'online') return;
    const now = Date.now();
    if (now - this.heardAt > DEAD_AFTER) {
      // No pong, no anything: the link is dead though the socket does not know yet. Reconnect now.
      this.closed(ws, { code: 4000, reason: 'no answer from the server' });
      ws.close(4000, 'no answer');
      return;
    }
    if (now - this.pingedAt >= PING_EVERY) {
      this.pingedAt = now;
      ws.send(JSON.stringify({ type: 'ping', t: nowSeconds() }));
    }
  }

  /** Once signed in: send the requests made meanwhile, and again (same ids) the commands and reads a
   * dropped connection left unanswered. */
  resend() {
    for (const p of this.pending.values()) {
      if (!p.sent) {
        p.sent = true;
        this.ws.send(JSON.stringify(p.message));
      }
    }
  }

  /** The connection is gone: commands and reads wait to be sent again (same id), and so do requests
   * not sent yet; other requests fail. */
  unanswered() {
    for (const [id, p] of this.pending) {
      if ((p.again || !p.sent) && !this.stopped) {
        p.sent = false;
        continue;
      }
      window.clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(
        this.stopped
          ? new LinkError({ code: 'stopped', message: 'the page moved on' })
          : new LinkError({ code: 'disconnected', message: 'the connection dropped; try again once reconnected' }),
      );
    }
  }

  closed(ws, ev) {
    if (ws !== this.ws || ws.gone) return;
    ws.gone = true;
    this.unanswered();
    if (this.stopped) {
      window.clearInterval(this.beat);
      this.setStatus('closed');
      return;
    }
    const reason = ev.reason || '';
    if (ev.code === 4001) this.dispatchEvent(new CustomEvent('moved', { detail: reason }));
    const delay = BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
    this.attempt += 1;
    this.setStatus('reconnecting', reason);
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  /** Close for good (no reconnection). */
  stop() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    window.clearInterval(this.beat);
    if (this.ws) this.ws.close(1000, 'bye');
  }

  /** Drop the connection and sign in again at once (a resync). */
  reconnect() {
    if (this.ws && this.ws.readyState <= 1) {
      this.attempt = 0;
      const old = this.ws;
      old.gone = true;
      this.ws = null;
      this.unanswered();
      old.close(1000, 'resync');
    }
    this.connect();
  }

  get online() {
    return this.status === 'online' && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Send a message that is answered by ack/reply or error (it gets an `id`); resolves with the answer.
   * A command (`retry`) waits through a dropped connection and is sent again with the same id.
   */
  request(message, { onProgress = null } = {}) {
    this.counter += 1;
    const retry = message.type === 'command';
    const id = `${retry ? 'c' : 'r'}${Date.now().toString(36)}${this.counter}${Math.random().toString(36).slice(2, 6)}`;
    const full = { ...message, id };
    try {
      this.protocol.checkMessage(full);
    } catch (err) {
      return Promise.reject(new LinkError({ code: 'invalid_message', message: err.message }));
    }
    if (this.stopped) {
      return Promise.reject(new LinkError({ code: 'disconnected', message: 'not connected' }));
    }
    return new Promise((resolve, reject) => {
      const expire = () => {
        this.pending.delete(id);
        reject(new LinkError({ code: 'timeout', message: 'the server did not answer in time' }));
      };
      const timer = window.setTimeout(expire, retry ? COMMAND_TIMEOUT : REQUEST_TIMEOUT);
      const sent = this.online; // (not yet signed in: sent by `resend` once the welcome is in)
      const again = retry || READS.has(message.type);
      this.pending.set(id, { resolve, reject, timer, again, message: full, sent, expire, onProgress });
      if (sent) this.ws.send(JSON.stringify(full));
    });
  }

  /** Send a game command (validated against the command schema); resolves with the ack. */
  command(command) {
    return this.request({ type: 'command', command });
  }
}
