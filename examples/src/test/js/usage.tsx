// Uses every export of blockbuster-client and blockbuster-client/react as a TypeScript front end
// would; `tsc --noEmit -p .` (BrowserClientPackageTest) checks it against the package's .d.ts files.
import { useEffect } from 'react';
import {
  BlockbusterClient, ConnectionState, shouldReconnect, webSocketUrl,
  type ConnectionStateName, type ServerMessage, type StreamMessage,
} from 'blockbuster-client';
import { useDataStream, useWebSocket } from 'blockbuster-client/react';

interface NetworkMetrics {
  network_strength: number;
  block_height: number;
}

const client = new BlockbusterClient(webSocketUrl(8080, '/ws'), { reconnect: true, initialDelayMs: 250, jitter: 0.1 });
const fixed = new BlockbusterClient('ws://localhost:8080', { reconnectIntervalMs: 3000, autoConnect: false });
fixed.connect();
const off: () => void = client.subscribe<NetworkMetrics>('network_metrics', (m: StreamMessage<NetworkMetrics>) => {
  const strength: number = m.data.network_strength;
  const seq: number | undefined = m.seq;
  console.log(strength, seq, m.epoch, m.timestamp);
}, { resume: false });
const latest: StreamMessage<NetworkMetrics> | undefined = client.latest<NetworkMetrics>('network_metrics');
const state: ConnectionStateName = client.state;
const removeState = client.onState((s: ConnectionStateName, c: BlockbusterClient) => console.log(s, c.url));
const removeMessages = client.onMessage((m: ServerMessage) => console.log(m.type));
const again: boolean = shouldReconnect(4000) && !shouldReconnect(4500);
console.log(latest, state === ConnectionState.CONNECTED, again, client.availableStreams, client.lastError,
  client.lastClose?.code, client.epoch, client.reconnectAt);
off();
removeState();
removeMessages();
client.unsubscribe('peers');
client.close(1000, 'bye');

// The original front end's components, unchanged but for the import.
export function MyComponent() {
  const { data, connected, error } = useDataStream('network_metrics', 'ws://localhost:8080');
  if (!connected) return <div>Connecting...</div>;
  if (error) return <div>Error: {error}</div>;
  return (
    <div>
      <h1>Network Strength: {data?.network_strength}%</h1>
      <p>Block Height: {data?.block_height}</p>
    </div>
  );
}

export function Streams() {
  const { state, subscribe, data } = useWebSocket({
    url: 'ws://localhost:8080',
    reconnect: true,
    reconnectInterval: 3000,
  });
  useEffect(() => {
    if (state === 'connected') {
      subscribe('network_metrics');
      subscribe('markets_health');
      subscribe('peers');
    }
  }, [state, subscribe]);
  const networkData = data['network_metrics'];
  const marketsData = data['markets_health'];
  const peersData = data['peers'];
  return <pre>{JSON.stringify([networkData, marketsData, peersData])}</pre>;
}

// The hub's extras, typed.
export function Typed() {
  const metrics = useDataStream<NetworkMetrics>('network_metrics', 'ws://localhost:8080/ws', { reconnect: false });
  const hub = useWebSocket<NetworkMetrics>({ url: 'ws://localhost:8080/ws', maxDelayMs: 5000 });
  const height: number | undefined = metrics.data?.block_height;
  const seq: number | undefined = metrics.seq;
  const fromMessage: number | undefined = hub.messages['network_metrics']?.data.network_strength;
  hub.unsubscribe('peers');
  return <p>{height} {seq} {metrics.epoch} {metrics.timestamp} {metrics.state} {fromMessage} {hub.error} {hub.client.url}</p>;
}
