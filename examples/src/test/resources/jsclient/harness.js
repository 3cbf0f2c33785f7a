// The browser tests' harness: what the code under test does is recorded in harness.log, and the test
// awaits a condition that is checked again after every record (no polling), failing after a deadline
// with the last records.
const log = [];
const waiters = new Set();

function check() {
  for (const w of [...waiters]) {
    let value;
    try { value = w.predicate(); } catch (e) { value = undefined; }
    if (value) {
      waiters.delete(w);
      clearTimeout(w.timer);
      w.resolve(value);
    }
  }
}

window.harness = {
  log,
  /** Records one thing that happened and re-checks every awaited condition. */
  record(kind, value) {
    log.push({ kind, value });
    check();
  },
  /** The values recorded under kind, in order. */
  values(kind) {
    return log.filter((e) => e.kind === kind).map((e) => e.value);
  },
  /** Resolves with predicate()'s value once it is truthy. */
  until(predicate, what, timeoutMs = 60000) {
    return new Promise((resolve, reject) => {
      const w = { predicate, resolve };
      w.timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`timed out waiting for ${what}; last records: ${JSON.stringify(log.slice(-15))}`));
      }, timeoutMs);
      waiters.add(w);
      check();
    });
  },
  /** A WebSocket class that records each connection attempt under 'socket:' + name. */
  countingWebSocket(name) {
    return class extends WebSocket {
      constructor(url) {
        super(url);
        window.harness.record('socket:' + name, url);
      }
    };
  },
};
