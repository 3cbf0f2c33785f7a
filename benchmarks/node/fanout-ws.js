#!/usr/bin/env node
// Node ws yardstick for the fan-out benchmark, same contract as FanoutServer:
//   node fanout-ws.js --port P --rate R --size S [--paused] [--stamp actual|scheduled] [--clock-check]
// Prints "READY <port>". Every connection on /ws that sends {"type":"subscribe",...} gets each
// published message {"type":"data","stream":"bench","data":{"seq":N,"t":T,"pad":"x..."}}, with T
// from process.hrtime.bigint() (CLOCK_MONOTONIC on Linux, the clock of Java's System.nanoTime()).
// With --stamp scheduled, T is the time the publish was due rather than the time it ran: a single
// event loop busy writing may run the timer late, and that delay then counts as latency too.
// Broadcast as the ws README shows: the same string, built once per publish, sent to each client.
// Commands on stdin (one line each): "start", "pause", "subscribers", "quit"; with --paused it
// publishes only after "start" (so that connecting is not slowed down by the broadcast).
'use strict';
const { WebSocketServer } = require('ws');
const readline = require('readline');

const opts = { port: 8080, rate: 10, size: 256, stamp: 'actual' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i];
  if (key === '--port' || key === '--rate' || key === '--size') {
    opts[key.slice(2)] = Number(argv[++i]);
  } else if (key === '--stamp') {
    opts.stamp = argv[++i];
    if (opts.stamp !== 'actual' && opts.stamp !== 'scheduled') {
      console.error('--stamp: actual or scheduled');
      process.exit(2);
    }
  } else if (key === '--paused') {
    opts.paused = true;
  } else if (key === '--clock-check') {
    opts.clockCheck = true;
  } else {
    console.error(`unknown option ${key}; usage: --port P --rate R --size S`);
    process.exit(2);
  }
}

if (opts.clockCheck) {
  console.log(`HRTIME ${process.hrtime.bigint()}`);
  process.exit(0);
}

// Same shape and length as FanoutServer.message: exactly `size` chars of data when size allows.
function message(seq, t, size) {
  const head = `{"seq":${seq},"t":${t},"pad":"`;
  const padding = Math.max(0, size - head.length - 2);
  return `{"type":"data","stream":"bench","data":${head}${'x'.repeat(padding)}"}}`;
}

const subscribers = new Set();
// perMessageDeflate is off by default in ws 8; said explicitly so the comparison stays fair.
const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port, path: '/ws', perMessageDeflate: false });

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString().includes('"subscribe"')) {
      subscribers.add(ws);
      ws.send('{"type":"subscribed","stream":"bench"}');
    }
  });
  ws.on('close', () => subscribers.delete(ws));
  ws.on('error', () => subscribers.delete(ws));
});

let seq = 0;
let publishing = !opts.paused;
function publish(due) {
  const t = opts.stamp === 'scheduled' ? BigInt(Math.round(due)) : process.hrtime.bigint();
  const text = message(seq++, t, opts.size);
  for (const client of subscribers) {
    if (client.readyState === 1) {
      client.send(text);
    }
  }
}

wss.on('listening', () => {
  // Fixed rate without bursts: the next tick is scheduled from the intended time; a late tick
  // publishes at once and a tick more than a second late resets the schedule (as FanoutServer does).
  const period = 1e9 / Math.max(1, opts.rate);
  let next = Number(process.hrtime.bigint());
  const tick = () => {
    const now = Number(process.hrtime.bigint());
    if (!publishing) {
      next = now;
      setTimeout(tick, 5);
      return;
    }
    if (now >= next) {
      publish(next);
      next += period;
      if (Number(process.hrtime.bigint()) - next > 1e9) {
        next = Number(process.hrtime.bigint());
      }
    }
    setTimeout(tick, Math.max(0, (next - Number(process.hrtime.bigint())) / 1e6));
  };
  tick();
  console.log(`READY ${wss.address().port}`);
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  switch (line.trim()) {
    case 'start': publishing = true; console.log('STARTED'); break;
    case 'pause': publishing = false; console.log(`PAUSED published=${seq}`); break;
    case 'subscribers': console.log(`SUBSCRIBERS ${subscribers.size}`); break;
    case 'quit': process.exit(0); break;
    default: console.log(`ERROR unknown command ${line}`);
  }
});
