// The original front end's NetworkStrength component, written with blockbuster-client/react's hooks.
// Plain createElement instead of JSX so that it runs without a build step; with a bundler it is the
// same component in JSX:
//
//   function NetworkStrength({ url }) {
//     const { data, connected, error } = useDataStream('network_metrics', url);
//     if (!connected) return <div>Connecting...</div>;
//     if (error) return <div>Error: {error}</div>;
//     return <h1>Network Strength: {data?.network_strength}%</h1>;
//   }
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { webSocketUrl } from 'blockbuster-client';
import { useDataStream, useWebSocket } from 'blockbuster-client/react';

const fmt = new Intl.NumberFormat('en-US');

/** Seconds since a message's timestamp, re-rendered every second: silence shows as a stale feed. */
function Age({ timestamp }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (timestamp === undefined) return h('span', { className: 'muted' }, 'no update yet');
  return h('span', { className: 'muted', 'data-testid': 'age' }, `updated ${Math.max(0, Math.round(now / 1000 - timestamp))}s ago`);
}

/** The original's headline card: one stream with useDataStream. */
function NetworkStrength({ url }) {
  const { data, connected, error, seq, timestamp } = useDataStream('network_metrics', url);
  if (!connected) return h('section', { className: 'card', id: 'strength' }, h('p', null, 'Connecting...'));
  if (error) return h('section', { className: 'card', id: 'strength' }, h('p', null, `Error: ${error}`));
  return h('section', { className: 'card', id: 'strength' },
    h('h2', null, 'Network strength'),
    h('div', { className: 'big-number', id: 'strength-value' }, data ? `${data.network_strength}%` : '–'),
    h('div', { className: 'kv-row' },
      h('div', null, h('span', { className: 'k' }, 'Block height'),
        h('span', { className: 'v', id: 'block-height' }, data ? fmt.format(data.block_height) : '–')),
      h('div', null, h('span', { className: 'k' }, 'Finality'),
        h('span', { className: 'v' }, data ? `${data.finality_time}s` : '–')),
      h('div', null, h('span', { className: 'k' }, 'Peers'),
        h('span', { className: 'v' }, data ? data.peer_count : '–')),
      h('div', null, h('span', { className: 'k' }, 'TPS'),
        h('span', { className: 'v' }, data ? data.tps : '–'))),
    h('p', { className: 'small' }, h(Age, { timestamp }), ` · message #${seq ?? '–'}`));
}

/** Several streams on one connection, with useWebSocket as the original's guide shows it. */
function Markets({ url }) {
  const { state, subscribe, data } = useWebSocket({ url, reconnect: true, reconnectInterval: 3000 });
  useEffect(() => {
    if (state === 'connected') {
      subscribe('markets_health');
      subscribe('peers');
    }
  }, [state, subscribe]);
  const markets = data['markets_health'];
  const peers = data['peers'];
  return h('section', { className: 'card', id: 'markets' },
    h('div', { className: 'card-head' },
      h('h2', null, 'Markets health'),
      h('span', { className: 'badge', 'data-status': markets?.overall_status ?? 'unknown', id: 'markets-overall' },
        markets?.overall_status ?? '–')),
    h('table', { className: 'table' },
      h('tbody', null, Object.entries(markets?.markets ?? {}).map(([name, m]) =>
        h('tr', { key: name },
          h('td', null, name),
          h('td', null, h('span', { className: 'badge', 'data-status': m.status }, m.status)),
          h('td', { className: 'num' }, m.active_jobs))))),
    h('p', { className: 'muted small' },
      markets ? `${markets.healthy_markets} of ${markets.total_markets} markets healthy · ` : '',
      peers ? `${peers.total} peers` : ''));
}

function App({ url }) {
  const { state } = useWebSocket({ url });
  return h('div', null,
    h('header', { className: 'topbar' },
      h('div', { className: 'brand' }, h('span', { className: 'logo' }),
        h('div', null, h('h1', null, 'The Block'), h('p', { className: 'subtitle' }, 'React hooks example · ',
          h('a', { href: '/' }, 'full dashboard')))),
      h('span', { className: 'pill', id: 'conn-state', 'data-state': state },
        h('span', { className: 'dot' }), h('span', { className: 'label' }, state))),
    h('main', { className: 'grid' }, h(NetworkStrength, { url }), h(Markets, { url })));
}

// The hub's address: ?ws=URL, else the dashboard's /api/config (same host, its WebSocket port).
async function hubUrl() {
  const given = new URLSearchParams(location.search).get('ws');
  if (given) return given;
  const config = await (await fetch('/api/config', { cache: 'no-store' })).json();
  return webSocketUrl(config.ws_port, config.ws_path);
}

createRoot(document.getElementById('root')).render(h(App, { url: await hubUrl() }));
