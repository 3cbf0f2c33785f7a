// Types of blockbuster-client/react (react.js).
import type { BlockbusterClient, ClientOptions, ConnectionStateName, StreamMessage } from './blockbuster-client.js';

export interface ReconnectOptions extends Omit<ClientOptions, 'reconnect' | 'reconnectIntervalMs' | 'autoConnect'> {
  /** Reconnect after a lost connection (default true). */
  reconnect?: boolean;
  /** A fixed reconnect delay in ms instead of the exponential backoff. */
  reconnectInterval?: number;
}

export interface UseWebSocketOptions extends ReconnectOptions {
  url: string;
}

export interface UseWebSocketResult<T = any> {
  state: ConnectionStateName;
  /** Subscribes this component to a stream; stable across renders, idempotent. */
  subscribe(stream: string): void;
  unsubscribe(stream: string): void;
  /** stream -> latest payload. */
  data: Record<string, T>;
  /** stream -> latest whole message (seq, epoch, timestamp). */
  messages: Record<string, StreamMessage<T>>;
  error: string | null;
  /** The shared client of this URL. */
  client: BlockbusterClient;
}

export declare function useWebSocket<T = any>(options: UseWebSocketOptions): UseWebSocketResult<T>;

export interface UseDataStreamResult<T = any> {
  /** The latest payload, undefined until the first message. */
  data: T | undefined;
  connected: boolean;
  /** The hub's error for this stream, or the connection's; null if none. */
  error: string | null;
  seq: number | undefined;
  epoch: string | undefined;
  timestamp: number | undefined;
  message: StreamMessage<T> | undefined;
  state: ConnectionStateName;
}

export declare function useDataStream<T = any>(stream: string, url: string,
                                               options?: ReconnectOptions): UseDataStreamResult<T>;
