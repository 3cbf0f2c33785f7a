package io.blockbuster.examples.jsclient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * blockbuster-client.js, as a host serves it from the stream-api jar, in a real headless Chromium
 * against a real hub over real sockets: subscription and data, resume across a server restart with
 * nothing lost or repeated, and the close codes of docs/stream-hub.md (reconnect after 4000 and
 * 1001, not after 1000 from the server nor 4500, never with {@code reconnect: false}).
 *
 * <p>"Does not reconnect" is shown without waiting for time to pass: a witness client whose
 * reconnect delay is longer is closed after the client under test has closed; once the witness has
 * reconnected, a reconnect of the client under test would have happened first.
 */
class BrowserClientTest extends BrowserTest {

    /** start(name, url, options): a client recording its states, messages and event seqs, once subscribed. */
    private static final String START = """
            window.start = async (name, url, options = {}) => {
              const { BlockbusterClient } = await import('blockbuster-client');
              const client = new BlockbusterClient(url, { initialDelayMs: 100, maxDelayMs: 500, jitter: 0,
                  WebSocket: harness.countingWebSocket(name), ...options });
              window[name] = client;
              client.onState((s) => harness.record('state:' + name, s));
              client.onMessage((m) => harness.record('msg:' + name, m.type));
              client.subscribe('events', (m) => harness.record('events:' + name, m.seq));
              await harness.until(() => harness.values('msg:' + name).includes('subscribed'), name + ' subscribed');
              return true;
            };
            window.sockets = (name) => harness.values('socket:' + name).length;
            true""";

    @Override
    String setup() {
        return START;
    }

    @Test
    void subscribesAndDeliversEveryEventInOrderWithItsData() throws Exception {
        page.run("start('a', MAIN_URL)");
        for (int i = 1; i <= 3; i++) {
            hub.events.publish(Map.of("n", i));
        }
        assertThat(page.run("harness.until(() => harness.values('events:a').length >= 3, '3 events')"
                + ".then(() => harness.values('events:a'))")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(page.run("a.latest('events').data")).isEqualTo(Map.of("n", 3L));
        assertThat(page.run("a.state")).isEqualTo("connected");
        assertThat(hub.subscribers(BrowserHub.EVENTS)).isEqualTo(1);
    }

    @Test
    void resumesAfterAServerRestartWithNothingLostOrRepeated() throws Exception {
        page.run("start('a', MAIN_URL)");
        publishEvents(1, 5);
        page.run("harness.until(() => harness.values('events:a').length >= 5, '5 events')");

        hub.stop();
        page.run("harness.until(() => a.state === 'reconnecting', 'a reconnecting')");
        publishEvents(6, 10);       // while no client is connected
        hub.start();

        page.run("harness.until(() => a.state === 'connected' && harness.values('events:a').length >= 10, '10 events')");
        publishEvents(11, 12);
        assertThat(page.run("harness.until(() => harness.values('events:a').length >= 12, '12 events')"
                + ".then(() => harness.values('events:a'))")).isEqualTo(seqs(1, 12));
        assertThat(page.run("a.lastClose.code")).as("server shutdown").isEqualTo(1001L);
    }

    @Test
    void reconnectsAndResumesAfter4000SlowConsumer() throws Exception {
        page.run("start('a', MAIN_URL)");
        publishEvents(1, 3);
        page.run("harness.until(() => harness.values('events:a').length >= 3, '3 events')");

        hub.closeConnections(BrowserHub.MAIN, 4000);
        publishEvents(4, 6);
        assertThat(page.run("harness.until(() => sockets('a') === 2 && harness.values('events:a').length >= 6,"
                + " 'a back with 6 events').then(() => harness.values('events:a'))")).isEqualTo(seqs(1, 6));
        assertThat(page.run("a.lastClose.code")).isEqualTo(4000L);
        assertThat(page.run("a.state")).isEqualTo("connected");
    }

    @ParameterizedTest(name = "close {0}")
    @ValueSource(ints = {1000, 4500})
    void doesNotReconnectAfterACloseThatSaysSo(int code) throws Exception {
        page.run("start('a', MAIN_URL, { initialDelayMs: 50 })");
        assertNoReconnect(code);
    }

    @Test
    void reconnectFalseDoesNotReconnectEvenAfter4000() throws Exception {
        page.run("start('a', MAIN_URL, { reconnect: false, initialDelayMs: 50 })");
        assertNoReconnect(4000);
    }

    /** Closes a's connection with {@code code} and shows, with a slower witness, that a stays closed. */
    private void assertNoReconnect(int code) throws Exception {
        page.run("start('w', WITNESS_URL, { initialDelayMs: 200 })");
        hub.closeConnections(BrowserHub.MAIN, code);
        page.run("harness.until(() => a.state === 'closed', 'a closed')");
        hub.closeConnections(BrowserHub.WITNESS, 4000);
        page.run("harness.until(() => w.state === 'connected' && sockets('w') === 2, 'the witness back')");
        assertThat(page.run("sockets('a')")).as("connection attempts of a").isEqualTo(1L);
        assertThat(page.run("[a.state, a.lastClose.code]")).isEqualTo(List.of("closed", (long) code));
    }

    private void publishEvents(int from, int to) {
        for (int i = from; i <= to; i++) {
            hub.events.publish(Map.of("n", i));
        }
    }

    private static List<Long> seqs(int from, int to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
