// The websocket link to the server: sign-in, requests and their answers, reconnection.
//
// A Link signs in with the message `signIn()` returns (join, resume or facilitate) each time it
// connects, so after a dropped connection it resumes by itself with the last seq it saw and the
// server replays what was missed. Every outgoing message is checked against the protocol schema.

const BACKOFF = [500, 1000, 2000, 4000, 8000, 10000];
const REQUEST_TIMEOUT = 15000;

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
    if (msg.type === 'welcome') {
      this.attempt = 0;
      this.setStatus('online');
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

  closed(ws, ev) {
    if (ws !== this.ws) return;
    for (const p of this.pending.values()) {
      window.clearTimeout(p.timer);
      p.reject(
        this.stopped
          ? new LinkError({ code: 'stopped', message: 'the page moved on' })
          : new LinkError({ code: 'disconnected', message: 'the connection dropped; try again once reconnected' }),
      );
    }
    this.pending.clear();
    if (this.stopped) {
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
    if (this.ws) this.ws.close(1000, 'bye');
  }

  /** Drop the connection and sign in again at once (a resync). */
  reconnect() {
    if (this.ws && this.ws.readyState <= 1) {
      this.attempt = 0;
      const old = this.ws;
      this.ws = null;
      old.close(1000, 'resync');
    }
    this.connect();
  }

  get online() {
    return this.status === 'online' && this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /** Send a message that is answered by ack/reply or error (it gets an `id`); resolves with the answer. */
  request(message) {
    this.counter += 1;
    const id = `${message.type === 'command' ? 'c' : 'r'}${Date.now().toString(36)}${this.counter}`;
    const full = { ...message, id };
    try {
      this.protocol.checkMessage(full);
    } catch (err) {
      return Promise.reject(new LinkError({ code: 'invalid_message', message: err.message }));
    }
    if (!this.online) {
      return Promise.reject(new LinkError({ code: 'disconnected', message: 'not connected: reconnecting…' }));
    }
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new LinkError({ code: 'timeout', message: 'the server did not answer in time' }));
      }, REQUEST_TIMEOUT);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify(full));
    });
  }

  /** Send a game command (validated against the command schema); resolves with the ack. */
  command(command) {
    return this.request({ type: 'command', command });
  }
}
