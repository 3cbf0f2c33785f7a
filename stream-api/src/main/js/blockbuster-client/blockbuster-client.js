// blockbuster-client.js: a small browser client for a blockbuster StreamHub. No dependencies, no
// build step: an ES module, served from the stream-api jar (META-INF/resources/webjars/...) or
// installed with npm. Types: blockbuster-client.d.ts. React hooks on it: react.js.
//
//   import { BlockbusterClient } from 'blockbuster-client';
//   const client = new BlockbusterClient('ws://127.0.0.1:8080/ws');
//   client.onState(s => console.log('connection', s));            // connecting | connected | reconnecting | closed
//   const off = client.subscribe('network_metrics', msg => console.log(msg.data, msg.seq));
//   client.latest('network_metrics');                               // last message of a stream, or undefined
//   off();                                                          // unsubscribe
//   client.close();                                                 // for good: no more reconnects
//
// What it does for you:
// - connects, and reconnects after a loss with exponential backoff plus jitter (0.5 s doubling to
//   10 s by default; reconnectIntervalMs for a fixed delay), resetting the backoff once a connection
//   has stayed up. Like the Java StreamClient it does not reconnect after a close that says not to
//   (shouldReconnect below, the table in docs/stream-hub.md): 1000 from the server, 1002, 1003,
//   1007, 1008, 1010 and 4500-4999 end in state 'closed'; reconnect: false never reconnects;
// - re-sends every subscription after a reconnect; for a stream it has seen messages on, it asks to
//   resume after the last seq ("since") together with that message's epoch, so event streams such as
//   receipts lose nothing across a short outage (a server with a new epoch replays what it kept, and
//   seqs start afresh); within one epoch it never delivers a seq twice;
// - pings every pingIntervalMs and drops a connection that stays silent for 3 intervals, so a
//   half-open socket does not look alive forever;
// - keeps the latest message per stream, the server's welcome (available streams) and errors.
//
// Listeners are called synchronously from the socket's event handlers; exceptions they throw are
// reported with console.error and do not disturb the client.

const DEFAULTS = Object.freeze({
  reconnect: true,
  reconnectIntervalMs: undefined,     // a fixed reconnect delay instead of the backoff below
  initialDelayMs: 500,
  maxDelayMs: 10000,
  backoffFactor: 2,
  jitter: 0.25,
  pingIntervalMs: 15000,
  stableAfterMs: 5000,
  WebSocket: globalThis.WebSocket,
});

export const ConnectionState = Object.freeze({
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

export class BlockbusterClient {
  /**
   * @param {string} url ws:// or wss:// URL of the stream endpoint
   * @param {object} [options] overrides of DEFAULTS above
   */
  constructor(url, options = {}) {
    this.url = url;
    this.options = { ...DEFAULTS, ...options };
    this.state = ConnectionState.CLOSED;
    this.availableStreams = [];
    this.lastError = null;
    this.lastClose = null;              // { code, reason } of the last connection's end
    this.epoch = undefined;             // the server run's epoch, from welcome / subscribed
    this.reconnectAt = 0;               // ms timestamp of the next attempt while reconnecting
    this.attempts = 0;
    this._socket = null;
    this._subs = new Map();             // stream -> { listeners: Set, resume: boolean, resuming: boolean }
    this._latest = new Map();           // stream -> last data message
    this._cursor = new Map();           // stream -> { seq, epoch }
    this._stateListeners = new Set();
    this._messageListeners = new Set();
    this._timers = { reconnect: 0, ping: 0, stable: 0 };
    this._lastHeard = 0;
    this._closedByUser = false;
    if (options.autoConnect !== false) this.connect();
  }

  /** Opens the connection (done by the constructor unless autoConnect is false). */
  connect() {
    this._closedByUser = false;
    if (this._socket) return;
    this._open(this.attempts === 0 ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING);
  }

  /** Closes for good: no reconnect until connect() is called again. */
  close(code = 1000, reason = 'client closed') {
    this._closedByUser = true;
    this._clearTimers();
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      try { socket.close(code, reason); } catch (e) { /* already closing */ }
    }
    this._setState(ConnectionState.CLOSED);
  }

  /**
   * Subscribes to a stream (once per stream on the wire, however many listeners).
   * @param {string} stream
   * @param {(message: {type, data, timestamp, seq, epoch}) => void} [listener]
   * @param {{resume?: boolean}} [opts] resume: ask for missed messages after a reconnect (default true)
   * @returns {() => void} removes this listener, and unsubscribes when it was the last one
   */
  subscribe(stream, listener, opts = {}) {
    let sub = this._subs.get(stream);
    if (!sub) {
      sub = { listeners: new Set(), resume: opts.resume !== false, resuming: false };
      this._subs.set(stream, sub);
      this._sendSubscribe(stream);
    }
    if (listener) sub.listeners.add(listener);
    return () => {
      if (!listener) { this.unsubscribe(stream); return; }
      sub.listeners.delete(listener);
      if (sub.listeners.size === 0 && this._subs.get(stream) === sub) this.unsubscribe(stream);
    };
  }

  /** Unsubscribes from a stream and drops its listeners and resume position. */
  unsubscribe(stream) {
    if (!this._subs.delete(stream)) return;
    this._cursor.delete(stream);
    this._send({ type: 'unsubscribe', stream });
  }

  /** The last data message received on a stream, or undefined. */
  latest(stream) {
    return this._latest.get(stream);
  }

  /** Calls listener(state, client) on every connection state change. Returns a remover. */
  onState(listener) {
    this._stateListeners.add(listener);
    return () => this._stateListeners.delete(listener);
  }

  /** Calls listener(message) for every message from the server, data or control. Returns a remover. */
  onMessage(listener) {
    this._messageListeners.add(listener);
    return () => this._messageListeners.delete(listener);
  }

  // ---- internals ----

  _open(state) {
    this._setState(state);
    let socket;
    try {
      socket = new this.options.WebSocket(this.url);
    } catch (e) {
      this.lastError = String(e);
      if (this.options.reconnect) this._scheduleReconnect(); else this._setState(ConnectionState.CLOSED);
      return;
    }
    this._socket = socket;
    socket.onopen = () => {
      if (this._socket !== socket) return;
      this._lastHeard = Date.now();
      this._setState(ConnectionState.CONNECTED);
      for (const stream of this._subs.keys()) this._sendSubscribe(stream);
      this._timers.ping = setInterval(() => this._heartbeat(), this.options.pingIntervalMs);
      // Reset the backoff only once the connection has proved itself.
      this._timers.stable = setTimeout(() => { this.attempts = 0; }, this.options.stableAfterMs);
    };
    socket.onmessage = (event) => {
      if (this._socket !== socket) return;
      this._lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        this.lastError = 'unreadable message from server';
        return;
      }
      this._dispatch(message);
    };
    socket.onerror = () => { /* onclose follows and decides */ };
    socket.onclose = (event) => {
      if (this._socket !== socket) return;
      this._socket = null;
      this._clearTimers();
      if (event && event.code && event.code !== 1000 && event.code !== 1005) {
        this.lastError = `connection closed (${event.code}${event.reason ? ': ' + event.reason : ''})`;
      }
      const code = event && event.code;
      this.lastClose = { code, reason: (event && event.reason) || '' };
      if (this._closedByUser || !this.options.reconnect || !shouldReconnect(code)) {
        this._setState(ConnectionState.CLOSED);
      } else {
        this._scheduleReconnect();
      }
    };
  }

  _dispatch(message) {
    for (const l of this._messageListeners) safeCall(l, message);
    switch (message.type) {
      case 'welcome':
        this.availableStreams = Array.isArray(message.available_streams) ? message.available_streams : [];
        if (message.epoch) this.epoch = message.epoch;
        return;
      case 'subscribed': {
        if (message.epoch) this.epoch = message.epoch;
        const sub = this._subs.get(message.stream);
        const cursor = this._cursor.get(message.stream);
        if (!sub || !message.epoch || (cursor && cursor.epoch === message.epoch)) return;
        // First subscription, or another server run: seqs start afresh in this epoch. A fresh event
        // stream starts live after the seq it was subscribed at (resuming from there loses nothing if
        // the connection drops before the first message); a resume into another run is being replayed
        // from the start, so nothing of it has been seen yet. State streams resume from their snapshot.
        const live = !sub.resuming && message.policy === 'queue' && typeof message.seq === 'number';
        this._cursor.set(message.stream, { seq: live ? message.seq : 0, epoch: message.epoch });
        return;
      }
      case 'pong': case 'unsubscribed': case 'resync':
        return;             // a resync notice precedes a replay (or says what was lost); nothing to do
      case 'error':
        this.lastError = message.message || 'error';
        return;
      default: {
        const sub = this._subs.get(message.type);
        if (!sub || !('data' in message)) return;
        if (typeof message.seq === 'number') {
          // A seq means something only with its epoch (one per server run), which every data message
          // carries (older hubs sent it only in welcome/subscribed). Within one epoch a seq at or below
          // the cursor is a replay overlapping what was seen; a message of another epoch is not
          // compared with this one's seqs but moves the cursor to its own run, as a pair.
          const epoch = message.epoch ?? this.epoch;
          const cursor = this._cursor.get(message.type);
          if (cursor && cursor.epoch === epoch && message.seq <= cursor.seq) return;
          this._cursor.set(message.type, { seq: message.seq, epoch });
        }
        this._latest.set(message.type, message);
        for (const l of sub.listeners) safeCall(l, message);
      }
    }
  }

  _sendSubscribe(stream) {
    const request = { type: 'subscribe', stream };
    const sub = this._subs.get(stream);
    const cursor = this._cursor.get(stream);
    if (sub) sub.resuming = Boolean(sub.resume && cursor);
    if (sub && sub.resuming) {
      request.since = cursor.seq;
      if (cursor.epoch !== undefined) request.epoch = cursor.epoch;
    }
    this._send(request);
  }

  _send(message) {
    const socket = this._socket;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
    // Otherwise it goes out with the resubscription when the connection opens.
  }

  _heartbeat() {
    const socket = this._socket;
    if (!socket) return;
    if (Date.now() - this._lastHeard > 3 * this.options.pingIntervalMs) {
      this.lastError = 'server stopped answering';
      try { socket.close(4000, 'heartbeat timeout'); } catch (e) { /* ignore */ }
      socket.onclose({ code: 1006 });
      return;
    }
    this._send({ type: 'ping' });
  }

  _scheduleReconnect() {
    const o = this.options;
    const base = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(o.backoffFactor, this.attempts));
    const delay = o.reconnectIntervalMs !== undefined ? o.reconnectIntervalMs
      : Math.round(base * (1 - o.jitter + Math.random() * 2 * o.jitter));
    this.attempts++;
    this.reconnectAt = Date.now() + delay;
    this._setState(ConnectionState.RECONNECTING);
    this._timers.reconnect = setTimeout(() => {
      this._timers.reconnect = 0;
      if (!this._closedByUser && !this._socket) this._open(ConnectionState.RECONNECTING);
    }, delay);
  }

  _clearTimers() {
    clearTimeout(this._timers.reconnect);
    clearInterval(this._timers.ping);
    clearTimeout(this._timers.stable);
    this._timers = { reconnect: 0, ping: 0, stable: 0 };
  }

  _setState(state) {
    if (this.state === state && state !== ConnectionState.RECONNECTING) return;
    this.state = state;
    for (const l of this._stateListeners) safeCall(l, state, this);
  }
}

/**
 * Whether to reconnect after a close with this code, as the Java StreamClient decides
 * (StreamCloseCodes.shouldReconnect): no for 4500-4999 (e.g. 4500 not authorized), for a normal
 * closure (1000) and for the codes that say the client itself is broken (1002, 1003, 1007, 1008,
 * 1010); yes for everything else, an abnormal end (1006) and 4000-4499 included.
 */
export function shouldReconnect(code) {
  if (code >= 4500 && code <= 4999) return false;
  return ![1000, 1002, 1003, 1007, 1008, 1010].includes(code);
}

/**
 * The stream endpoint's URL for a page served over HTTP: same host as the page, the given port,
 * ws:// or wss:// to match the page's scheme.
 */
export function webSocketUrl(port, path = '/', location = globalThis.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `${scheme}//${host}:${port}${path.startsWith('/') ? path : '/' + path}`;
}

function safeCall(fn, ...args) {
  try {
    fn(...args);
  } catch (e) {
    console.error('blockbuster-client listener failed', e);
  }
}
