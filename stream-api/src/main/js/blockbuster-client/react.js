// blockbuster-client/react: React hooks on blockbuster-client.js, with the shapes of the original
// system's front end, so its components work by changing one import:
//
//   import { useDataStream, useWebSocket } from 'blockbuster-client/react';
//   const { data, connected, error } = useDataStream('network_metrics', 'ws://localhost:8080');
//   const { state, subscribe, data } = useWebSocket({ url, reconnect: true, reconnectInterval: 3000 });
//
// Every component that names the same URL shares one connection (one BlockbusterClient), opened when
// the first of them mounts and closed shortly after the last one unmounts; a stream is subscribed
// once on the wire however many components use it, and unsubscribed when the last one unmounts.
// The first component to open a URL's connection decides its options. React >= 18 (peer dependency).

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { BlockbusterClient, ConnectionState } from './blockbuster-client.js';

const shared = new Map();   // url -> { client, users }

/**
 * The shared client of a URL. It is made unconnected during render (so a render React throws away
 * opens nothing) and connected by the first mounted user.
 */
function sharedClient(url, options) {
  let entry = shared.get(url);
  if (!entry) {
    entry = { client: new BlockbusterClient(url, { ...options, autoConnect: false }), users: 0 };
    shared.set(url, entry);
  }
  return entry;
}

/** Connects the URL's client while at least one mounted component uses it. */
function useSharedClient(url, options) {
  const entry = sharedClient(url, options);
  useEffect(() => {
    entry.users++;
    if (entry.users === 1) entry.client.connect();
    return () => {
      entry.users--;
      // Close after the current commit, so a remount (StrictMode, a moved component) keeps the socket.
      setTimeout(() => { if (entry.users === 0) entry.client.close(); }, 0);
    };
  }, [entry]);
  return entry.client;
}

function useClientState(client) {
  const subscribe = useCallback((onChange) => client.onState(onChange), [client]);
  const state = useSyncExternalStore(subscribe, () => client.state);
  const lastError = useSyncExternalStore(subscribe, () => client.lastError);
  return { state, lastError };
}

function reconnectOptions(reconnect, reconnectInterval) {
  const options = { reconnect: reconnect !== false };
  if (reconnectInterval !== undefined) options.reconnectIntervalMs = reconnectInterval;
  return options;
}

/**
 * A connection to a stream hub and the streams a component subscribes to on it.
 *
 * @param {{url: string, reconnect?: boolean, reconnectInterval?: number}} options reconnect: false
 *   never reconnects; reconnectInterval: a fixed delay in ms instead of the exponential backoff.
 *   Further BlockbusterClient options (initialDelayMs, pingIntervalMs, ...) are passed on.
 * @returns {{state, subscribe, unsubscribe, data, messages, error, client}} state: 'connecting',
 *   'connected', 'reconnecting' or 'closed'; subscribe(stream)/unsubscribe(stream), stable across
 *   renders and idempotent; data: stream -> latest payload; messages: stream -> latest whole message
 *   ({type, data, timestamp, seq, epoch}); error: the last error, or null.
 */
export function useWebSocket({ url, reconnect = true, reconnectInterval, ...clientOptions }) {
  const client = useSharedClient(url, { ...clientOptions, ...reconnectOptions(reconnect, reconnectInterval) });
  const { state, lastError } = useClientState(client);
  const [messages, setMessages] = useState({});
  const subscriptions = useRef(new Map());  // stream -> remover

  const subscribe = useCallback((stream) => {
    if (subscriptions.current.has(stream)) return;
    const put = (message) => setMessages((m) => ({ ...m, [stream]: message }));
    subscriptions.current.set(stream, client.subscribe(stream, put));
    const latest = client.latest(stream);   // another component's subscription already has a snapshot
    if (latest) put(latest);
  }, [client]);

  const unsubscribe = useCallback((stream) => {
    const remove = subscriptions.current.get(stream);
    if (!remove) return;
    subscriptions.current.delete(stream);
    remove();
    setMessages(({ [stream]: _, ...rest }) => rest);
  }, [client]);

  useEffect(() => () => {
    for (const remove of subscriptions.current.values()) remove();
    subscriptions.current.clear();
  }, [client]);

  const data = useMemo(() => Object.fromEntries(
    Object.entries(messages).map(([stream, message]) => [stream, message.data])), [messages]);
  return { state, subscribe, unsubscribe, data, messages, error: lastError, client };
}

/**
 * One stream of a hub: subscribed while the component is mounted (and to the new stream when
 * {@code stream} changes).
 *
 * @param {string} stream the stream's name
 * @param {string} url ws:// or wss:// URL of the hub
 * @param {{reconnect?: boolean, reconnectInterval?: number}} [options] as for useWebSocket
 * @returns {{data, connected, error, seq, epoch, timestamp, message, state}} data: the latest
 *   payload (undefined until the first message); connected: whether the connection is up; error:
 *   the hub's error for this stream (e.g. an unknown stream) or the connection's, else null.
 */
export function useDataStream(stream, url, { reconnect = true, reconnectInterval, ...clientOptions } = {}) {
  const client = useSharedClient(url, { ...clientOptions, ...reconnectOptions(reconnect, reconnectInterval) });
  const { state, lastError } = useClientState(client);
  const [message, setMessage] = useState(() => client.latest(stream));
  const [streamError, setStreamError] = useState(null);

  useEffect(() => {
    setMessage(client.latest(stream));
    setStreamError(null);
    const stopErrors = client.onMessage((m) => {
      if (m.type === 'error' && m.stream === stream) setStreamError(m.message || m.code || 'error');
    });
    const unsubscribe = client.subscribe(stream, (m) => { setMessage(m); setStreamError(null); });
    return () => { unsubscribe(); stopErrors(); };
  }, [client, stream]);

  const connected = state === ConnectionState.CONNECTED;
  return {
    data: message?.data,
    connected,
    error: streamError ?? (connected ? null : lastError),
    seq: message?.seq,
    epoch: message?.epoch,
    timestamp: message?.timestamp,
    message,
    state,
  };
}
