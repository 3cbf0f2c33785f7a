// Types of blockbuster-client.js (checked by tsc --noEmit against a usage file in the examples' tests).

/** The client's connection state. */
export type ConnectionStateName = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export declare const ConnectionState: Readonly<{
  CONNECTING: 'connecting';
  CONNECTED: 'connected';
  RECONNECTING: 'reconnecting';
  CLOSED: 'closed';
}>;

/** A data message of a stream: the payload in data, numbered by seq within the server run's epoch. */
export interface StreamMessage<T = unknown> {
  type: string;
  data: T;
  /** Unix seconds with a millisecond fraction. */
  timestamp: number;
  seq?: number;
  epoch?: string;
}

/** Any message from the hub: a data message, or welcome, subscribed, unsubscribed, pong, error, resync. */
export interface ServerMessage {
  type: string;
  [field: string]: unknown;
}

export interface ClientOptions {
  /** Reconnect after a lost connection (default true); never after a close that says not to. */
  reconnect?: boolean;
  /** A fixed reconnect delay in ms instead of the exponential backoff. */
  reconnectIntervalMs?: number;
  /** First backoff delay in ms (default 500). */
  initialDelayMs?: number;
  /** Longest backoff delay in ms (default 10000). */
  maxDelayMs?: number;
  /** Backoff growth per attempt (default 2). */
  backoffFactor?: number;
  /** Random spread of each delay, 0..1 (default 0.25). */
  jitter?: number;
  /** Ping interval in ms; a connection silent for 3 intervals is dropped (default 15000). */
  pingIntervalMs?: number;
  /** How long a connection must stay up before the backoff starts again from the first delay (default 5000). */
  stableAfterMs?: number;
  /** Connect in the constructor (default true). */
  autoConnect?: boolean;
  /** The WebSocket class to use (default globalThis.WebSocket). */
  WebSocket?: { new (url: string): WebSocket };
}

export declare class BlockbusterClient {
  constructor(url: string, options?: ClientOptions);
  readonly url: string;
  readonly state: ConnectionStateName;
  /** The streams the server's welcome offered. */
  readonly availableStreams: string[];
  /** The last error: a hub error message or why the connection ended; null if none. */
  readonly lastError: string | null;
  /** Code and reason of the last connection's end, or null. */
  readonly lastClose: { code: number | undefined; reason: string } | null;
  /** The server run's epoch, from welcome and subscribed. */
  readonly epoch: string | undefined;
  /** When the next reconnect attempt is due (ms since the Unix epoch) while reconnecting. */
  readonly reconnectAt: number;
  /** Opens the connection (the constructor does, unless autoConnect is false). */
  connect(): void;
  /** Closes for good: no reconnect until connect() is called again. */
  close(code?: number, reason?: string): void;
  /**
   * Subscribes to a stream (once on the wire, however many listeners). Returns a remover that
   * unsubscribes when the last listener is gone.
   */
  subscribe<T = unknown>(stream: string, listener?: (message: StreamMessage<T>) => void,
                         options?: { resume?: boolean }): () => void;
  /** Unsubscribes from a stream and drops its listeners and resume position. */
  unsubscribe(stream: string): void;
  /** The last data message of a stream, or undefined. */
  latest<T = unknown>(stream: string): StreamMessage<T> | undefined;
  /** Calls the listener on every state change. Returns a remover. */
  onState(listener: (state: ConnectionStateName, client: BlockbusterClient) => void): () => void;
  /** Calls the listener for every message from the server, data or control. Returns a remover. */
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

/** Whether to reconnect after a close with this code, as the Java StreamClient decides. */
export declare function shouldReconnect(code: number | undefined): boolean;

/** ws:// or wss:// URL on the page's host (matching its scheme), the given port and path. */
export declare function webSocketUrl(port: number | string, path?: string,
                                     location?: { protocol: string; hostname: string }): string;
