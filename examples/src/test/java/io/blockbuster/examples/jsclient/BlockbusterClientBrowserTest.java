package io.blockbuster.examples.jsclient;

import io.blockbuster.examples.support.HeadlessChromium;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * blockbuster-client.js in a real headless Chromium, against a scripted fake WebSocket the test
 * passes in through the client's {@code WebSocket} option, for the resume cases a real hub does not
 * produce on demand: the resume point is the pair (epoch, seq) of what was delivered.
 * {@link BrowserClientTest} runs the client against a real hub.
 */
class BlockbusterClientBrowserTest {

    /**
     * Defines {@code run(script)} in the page: builds a client over a fake socket class, lets
     * {@code script(server, client, got)} drive it ({@code server.open()}, {@code server.say(msg)},
     * {@code server.drop()}, {@code await server.reconnected()}), and returns what the listener got
     * and every request the client sent.
     */
    private static final String HARNESS = """
            (async () => {
              const { BlockbusterClient } = await import('blockbuster-client');
              window.run = async (script) => {
                const sockets = [];
                class FakeSocket {
                  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; sockets.push(this); }
                  send(text) { this.sent.push(JSON.parse(text)); }
                  close() { }
                }
                const client = new BlockbusterClient('ws://fake/ws',
                    { WebSocket: FakeSocket, initialDelayMs: 0, jitter: 0, pingIntervalMs: 1e9 });
                const got = [];
                const socket = () => sockets[sockets.length - 1];
                const server = {
                  open() { socket().readyState = 1; socket().onopen(); },
                  say(m) { socket().onmessage({ data: JSON.stringify(m) }); },
                  drop() { socket().onclose({ code: 1006 }); },
                  async reconnected() {
                    const before = sockets.length;
                    while (sockets.length === before) await new Promise(r => setTimeout(r, 0));
                    this.open();
                  },
                };
                await script(server, client, got);
                client.close();
                return { got, sent: sockets.flatMap(s => s.sent) };
              };
              return true;
            })()""";

    private static BrowserHub hub;
    private static HeadlessChromium chromium;
    private static BrowserPage page;

    @BeforeAll
    static void start() throws Exception {
        hub = new BrowserHub();
        chromium = new HeadlessChromium("about:blank", 800, 600);
        page = new BrowserPage(chromium);
        page.open(hub, HARNESS);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private static Map<String, Object> run(String script) throws Exception {
        return HeadlessChromium.asMap(page.run("run(" + script + ")"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastSubscribe(Map<String, Object> result) {
        List<Object> sent = (List<Object>) result.get("sent");
        Map<String, Object> last = null;
        for (Object o : sent) {
            if ("subscribe".equals(((Map<String, Object>) o).get("type"))) {
                last = (Map<String, Object>) o;
            }
        }
        return last;
    }

    @Test
    void dataOfAnotherEpochMovesTheResumePointAndSameEpochDuplicatesAreDropped() throws Exception {
        Map<String, Object> result = run("""
                async (server, client, got) => {
                  client.subscribe('receipts', m => got.push(m.data));
                  server.open();
                  server.say({ type: 'welcome', available_streams: ['receipts'], epoch: 'e1' });
                  server.say({ type: 'subscribed', stream: 'receipts', epoch: 'e1', policy: 'queue', seq: 4 });
                  server.say({ type: 'receipts', data: 'a', seq: 5, epoch: 'e1' });
                  server.say({ type: 'receipts', data: 'a', seq: 5, epoch: 'e1' });
                  server.say({ type: 'receipts', data: 'b', seq: 2, epoch: 'e2' });
                  server.drop();
                  await server.reconnected();
                }""");
        assertThat(result.get("got")).isEqualTo(List.of("a", "b"));
        assertThat(lastSubscribe(result)).containsEntry("since", 2L).containsEntry("epoch", "e2");
    }

    @Test
    void resumeIntoANewServerRunStartsFromZeroUntilTheReplayArrives() throws Exception {
        Map<String, Object> result = run("""
                async (server, client, got) => {
                  client.subscribe('receipts', m => got.push(m.data));
                  server.open();
                  server.say({ type: 'subscribed', stream: 'receipts', epoch: 'e1', policy: 'queue', seq: 0 });
                  server.say({ type: 'receipts', data: 'old', seq: 1, epoch: 'e1' });
                  server.drop();
                  await server.reconnected();
                  // The server restarted: it confirms in its own epoch and will replay from its first seq,
                  // but the connection drops before the replay arrives.
                  server.say({ type: 'subscribed', stream: 'receipts', epoch: 'e2', policy: 'queue', seq: 9 });
                  server.drop();
                  await server.reconnected();
                }""");
        assertThat(result.get("got")).isEqualTo(List.of("old"));
        assertThat(lastSubscribe(result)).as("nothing of e2 was seen: ask for all of it")
                .containsEntry("since", 0L).containsEntry("epoch", "e2");
    }

    @Test
    void freshEventSubscriptionResumesFromTheSubscribedSeqAndStateStreamsFromTheirSnapshot() throws Exception {
        Map<String, Object> result = run("""
                async (server, client, got) => {
                  client.subscribe('receipts', m => got.push(m.type + m.seq));
                  client.subscribe('network_metrics', m => got.push(m.type + m.seq));
                  server.open();
                  server.say({ type: 'subscribed', stream: 'receipts', epoch: 'e1', policy: 'queue', seq: 7 });
                  server.say({ type: 'subscribed', stream: 'network_metrics', epoch: 'e1', policy: 'latest', seq: 3 });
                  server.say({ type: 'network_metrics', data: {}, seq: 3, epoch: 'e1' });
                  server.drop();
                  await server.reconnected();
                }""");
        assertThat(result.get("got")).as("the snapshot is delivered although its seq equals subscribed.seq")
                .isEqualTo(List.of("network_metrics3"));
        assertThat(lastSubscribe(result)).containsEntry("stream", "network_metrics").containsEntry("since", 3L);
        @SuppressWarnings("unchecked")
        List<Object> sent = (List<Object>) result.get("sent");
        assertThat(sent).contains(Map.of("type", "subscribe", "stream", "receipts", "since", 7L, "epoch", "e1"));
    }
}
