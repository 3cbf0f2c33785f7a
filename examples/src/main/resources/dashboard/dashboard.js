// The Block dashboard page: connects with blockbuster-client (stream-api's browser client, mapped
// in index.html's import map) and renders the four streams.
import { BlockbusterClient, ConnectionState, webSocketUrl } from 'blockbuster-client';

const $ = (id) => document.getElementById(id);
const WINDOW_POINTS = 90;                 // rolling window of the charts (3 min at 2 s)
const MAX_FEED = 40;

// ---------- formatting ----------
const intFmt = new Intl.NumberFormat('en-US');
const fmtInt = (n) => (typeof n === 'number' ? intFmt.format(Math.round(n)) : '–');
const fmtNum = (n, d = 1) => (typeof n === 'number' ? n.toFixed(d) : '–');
function fmtBytes(perSecond) {
  if (typeof perSecond !== 'number') return '–';
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let v = perSecond, i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(v < 10 && i > 0 ? 2 : 0)} ${units[i]}`;
}
function ago(unixSeconds) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - unixSeconds));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}
const short = (id) => (id && id.length > 16 ? `${id.slice(0, 10)}…${id.slice(-4)}` : id);
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'style') e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// ---------- a hand-written canvas line chart with a rolling window ----------
class LineChart {
  constructor(canvas, { color, fill, decimals = 0 }) {
    this.canvas = canvas;
    this.color = color;
    this.fill = fill;
    this.decimals = decimals;
    this.points = [];
    new ResizeObserver(() => this.draw()).observe(canvas);
  }
  push(value) {
    this.points.push({ t: Date.now(), v: value });
    if (this.points.length > WINDOW_POINTS) this.points.shift();
    this.draw();
  }
  range() {
    if (!this.points.length) return null;
    const vs = this.points.map((p) => p.v);
    return [Math.min(...vs), Math.max(...vs)];
  }
  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const pad = { l: 44, r: 12, t: 10, b: 18 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    let [lo, hi] = this.range() || [0, 1];
    const span = Math.max(hi - lo, Math.abs(hi) * 0.1, 1);
    lo = Math.max(0, lo - span * 0.15);
    hi = hi + span * 0.15;
    if (this.decimals === 0) {
      // Whole-number axis: integer bounds four whole steps apart, so no two labels read the same.
      lo = Math.floor(lo);
      const step = Math.max(1, Math.ceil((Math.ceil(hi) - lo) / 4));
      hi = lo + 4 * step;
    }
    // Newest point at the right edge; older ones step left, so the line scrolls as data arrives.
    const step = pw / (WINDOW_POINTS - 1);
    const x = (i) => pad.l + pw - (this.points.length - 1 - i) * step;
    const y = (v) => pad.t + ph - ((v - lo) / (hi - lo)) * ph;

    g.font = '11px system-ui, "DejaVu Sans", sans-serif';
    g.fillStyle = '#8391a7';
    g.strokeStyle = 'rgba(148,163,184,0.12)';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4, yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
      if (this.points.length) g.fillText(v.toFixed(this.decimals), 4, yy + 4);
    }
    if (this.points.length === 0) {
      g.fillText('waiting for data', pad.l + pw / 2 - 40, pad.t + ph / 2);
      return;
    }
    const pts = this.points.map((p, i) => [x(i), y(p.v)]);
    const grad = g.createLinearGradient(0, pad.t, 0, pad.t + ph);
    grad.addColorStop(0, this.fill);
    grad.addColorStop(1, 'rgba(0,0,0,0)');
    g.beginPath();
    g.moveTo(pts[0][0], pad.t + ph);
    for (const [px, py] of pts) g.lineTo(px, py);
    g.lineTo(pts[pts.length - 1][0], pad.t + ph);
    g.closePath();
    g.fillStyle = grad;
    g.fill();
    g.beginPath();
    pts.forEach(([px, py], i) => (i ? g.lineTo(px, py) : g.moveTo(px, py)));
    g.strokeStyle = this.color;
    g.lineWidth = 2;
    g.lineJoin = 'round';
    g.stroke();
    const [lx, ly] = pts[pts.length - 1];
    g.beginPath(); g.arc(lx, ly, 3.5, 0, Math.PI * 2); g.fillStyle = this.color; g.fill();
    g.fillStyle = '#8391a7';
    g.fillText(`${Math.round((this.points[this.points.length - 1].t - this.points[0].t) / 1000)}s window`, w - pad.r - 70, h - 4);
  }
}

// ---------- renderers ----------
const tpsChart = new LineChart($('tps-chart'), { color: '#38bdf8', fill: 'rgba(56,189,248,0.28)', decimals: 0 });
const peersChart = new LineChart($('peers-chart'), { color: '#a78bfa', fill: 'rgba(167,139,250,0.28)', decimals: 0 });
let updates = 0;
let lastHeight = null;
let lastBlockSeenAt = null;
let receiptsSeen = 0;
const seenReceiptIds = new Set();

function countUpdate() {
  updates++;
  $('update-count').textContent = fmtInt(updates);
}

function renderMetrics(d) {
  const strength = Math.max(0, Math.min(100, d.network_strength ?? 0));
  $('strength-value').textContent = fmtInt(strength);
  const arc = $('gauge-arc');
  arc.setAttribute('stroke-dasharray', `${strength} 100`);
  arc.style.opacity = strength > 0 ? '1' : '0';     // a zero-length dash would still draw round caps
  $('strength-label').textContent = d.node_status === 'unreachable' ? 'node unreachable'
    : strength >= 80 ? 'strong' : strength >= 50 ? 'fair' : 'weak';
  if (d.block_height !== lastHeight) {
    const big = $('block-height');
    big.textContent = fmtInt(d.block_height);
    big.classList.remove('bump'); void big.offsetWidth; big.classList.add('bump');
    lastHeight = d.block_height;
    lastBlockSeenAt = Date.now();
  }
  $('finality-time').textContent = `${fmtNum(d.finality_time, 2)} s`;
  $('tps-value').textContent = fmtNum(d.tps, 1);
  $('peer-count').textContent = fmtInt(d.peer_count);
  $('bandwidth-in').textContent = fmtBytes(d.bandwidth_in);
  $('bandwidth-out').textContent = fmtBytes(d.bandwidth_out);
  $('active-connections').textContent = fmtInt(d.active_connections);
  if (d.node_status !== 'unreachable') {
    tpsChart.push(d.tps);
    peersChart.push(d.peer_count);
    const [tl, th] = tpsChart.range(), [pl, ph] = peersChart.range();
    $('tps-range').textContent = `min ${fmtNum(tl, 1)} · max ${fmtNum(th, 1)}`;
    $('peers-range').textContent = `min ${pl} · max ${ph}`;
  }
  renderNodeStatus(d);
}

function renderMarkets(d) {
  const overall = $('markets-overall');
  overall.textContent = d.overall_status;
  overall.dataset.status = d.overall_status;
  const body = $('markets-body');
  body.replaceChildren(...Object.entries(d.markets || {}).map(([name, m]) =>
    el('tr', {},
      el('td', { class: 'cap' }, el('span', { class: `market-tag market-${name}` }, name)),
      el('td', {}, el('span', { class: 'badge', 'data-status': m.status }, m.status)),
      el('td', { class: 'num' }, fmtInt(m.active_jobs)),
      el('td', { class: 'num' }, fmtInt(m.total_providers)))));
  $('markets-summary').textContent = `${d.healthy_markets} of ${d.total_markets} markets healthy`;
  renderNodeStatus(d);
}

function renderReceipts(d) {
  const feed = $('receipts-feed');
  const fresh = (d.receipts || []).filter((r) => !seenReceiptIds.has(r.id));
  if (fresh.length) feed.querySelector('.empty')?.remove();
  for (const r of fresh) {
    seenReceiptIds.add(r.id);
    receiptsSeen++;
    feed.prepend(el('li', { class: 'new', 'data-id': r.id },
      el('span', { class: `market-tag market-${r.market}` }, r.market),
      el('span', { class: 'mono' }, r.id),
      el('span', { class: 'amount' }, `${fmtNum(r.amount, 2)} BLK`),
      el('span', { class: 'meta' }, `#${fmtInt(r.block_height)} · ${short(r.provider)} → ${short(r.consumer)} · `,
        el('time', { 'data-ts': r.timestamp }, ago(r.timestamp)))));
  }
  while (feed.children.length > MAX_FEED) {
    const last = feed.lastElementChild;
    seenReceiptIds.delete(last.dataset.id);
    last.remove();
  }
  $('receipts-total').textContent = `${fmtInt(receiptsSeen)} received`;
  renderNodeStatus(d);
}

function renderPeers(d) {
  const peers = [...(d.peers || [])].sort((a, b) => (b.is_validator - a.is_validator) || (a.latency_ms - b.latency_ms));
  $('peers-body').replaceChildren(...peers.map((p) => {
    const pct = Math.min(100, (p.latency_ms / 300) * 100);
    const color = p.latency_ms < 80 ? 'var(--ok)' : p.latency_ms < 200 ? 'var(--warn)' : 'var(--bad)';
    return el('tr', {},
      el('td', { class: 'mono', title: p.id }, short(p.id)),
      el('td', { class: 'mono' }, p.address),
      el('td', {}, el('div', { class: 'latency' },
        el('div', { class: 'bar' }, el('span', { style: `width:${pct}%;background:${color}` })),
        `${p.latency_ms} ms`)),
      el('td', {}, p.is_validator ? el('span', { class: 'badge validator' }, 'validator') : el('span', { class: 'muted' }, 'full node')));
  }));
  const validators = peers.filter((p) => p.is_validator).length;
  $('peers-total').textContent = `${d.total} connected · ${validators} validators`;
  renderNodeStatus(d);
}

function renderNodeStatus(d) {
  const pill = $('node-status');
  const status = d.node_status || 'online';
  pill.dataset.state = status;
  pill.querySelector('.label').textContent = status === 'online' ? 'Node online' : 'Node unreachable';
  const banner = $('banner');
  if (status === 'unreachable') {
    banner.hidden = false;
    banner.textContent = `The node is not answering (${d.node_error || 'no answer'}); showing the last known values.`;
  } else if (!banner.dataset.conn) {
    banner.hidden = true;
  }
}

function renderConnection(client) {
  const pill = $('conn-state');
  pill.dataset.state = client.state;
  const label = pill.querySelector('.label');
  const banner = $('banner');
  if (client.state === ConnectionState.CONNECTED) {
    label.textContent = 'Live';
    delete banner.dataset.conn;
    if ($('node-status').dataset.state !== 'unreachable') banner.hidden = true;
  } else if (client.state === ConnectionState.RECONNECTING) {
    const s = Math.max(0, Math.ceil((client.reconnectAt - Date.now()) / 1000));
    label.textContent = s > 0 ? `Reconnecting in ${s}s` : 'Reconnecting…';
    banner.dataset.conn = '1';
    banner.hidden = false;
    banner.textContent = `Lost the connection to the stream server${client.lastError ? ` (${client.lastError})` : ''}; retrying automatically.`;
  } else {
    label.textContent = client.state === ConnectionState.CONNECTING ? 'Connecting…' : 'Disconnected';
  }
}

// ---------- wiring ----------
async function resolveUrl() {
  const params = new URLSearchParams(location.search);
  if (params.get('ws')) return { url: params.get('ws'), node: params.get('node') || 'node' };
  let port = params.get('wsPort');
  let path = params.get('wsPath') || '/ws';
  let node = 'node';
  if (!port) {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch('/api/config', { cache: 'no-store' });
        const config = await res.json();
        port = config.ws_port;
        path = config.ws_path || path;
        node = config.node || node;
        break;
      } catch (e) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
      }
    }
  }
  return { url: webSocketUrl(port, path), node };
}

const { url, node } = await resolveUrl();
$('node-name').textContent = node;
// The receipts stream carries new receipts only: fill the feed with the latest ones first.
try {
  const res = await fetch('/api/receipts?limit=20', { cache: 'no-store' });
  const recent = res.ok ? await res.json() : null;
  if (recent && Array.isArray(recent.receipts)) renderReceipts({ ...recent, receipts: [...recent.receipts].reverse() });
} catch (e) { /* no REST API next to the page: the stream fills the feed */ }

const client = new BlockbusterClient(url);
client.onState(() => renderConnection(client));
renderConnection(client);
client.subscribe('network_metrics', (m) => { countUpdate(); renderMetrics(m.data); });
client.subscribe('markets_health', (m) => { countUpdate(); renderMarkets(m.data); });
client.subscribe('receipts', (m) => { countUpdate(); renderReceipts(m.data); });
client.subscribe('peers', (m) => { countUpdate(); renderPeers(m.data); });

setInterval(() => {
  if (client.state === ConnectionState.RECONNECTING) renderConnection(client);
  if (lastBlockSeenAt) $('block-age').textContent = `${Math.round((Date.now() - lastBlockSeenAt) / 1000)}s ago`;
  for (const t of document.querySelectorAll('#receipts-feed time')) t.textContent = ago(Number(t.dataset.ts));
}, 1000);

window.dashboard = { client };   // for the console and the browser test
