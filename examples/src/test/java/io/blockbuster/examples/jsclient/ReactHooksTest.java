package io.blockbuster.examples.jsclient;

import io.blockbuster.examples.support.HeadlessChromium;
import io.blockbuster.examples.support.Poll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * blockbuster-client/react's hooks in real React (the npm packages, bundled for the example page)
 * in headless Chromium against a real hub: the original front end's shapes ({@code useDataStream}
 * -> {data, connected, error}; {@code useWebSocket} -> {state, subscribe, data}), one shared
 * connection per URL, unsubscribe on unmount, resume across a server restart, and
 * {@code reconnect: false}.
 */
class ReactHooksTest extends BrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * mount(id, element) renders into a root of its own; unmount(id) removes it. A Probe records
     * every render of useDataStream under its name, and the seq of each new message it renders under
     * name:message; Original is the guide's useWebSocket snippet.
     */
    private static final String SETUP = """
            (async () => {
              const React = await import('react');
              const { createRoot } = await import('react-dom/client');
              const { useDataStream, useWebSocket } = await import('blockbuster-client/react');
              const h = React.createElement;
              const fast = { initialDelayMs: 100, maxDelayMs: 500, jitter: 0 };
              window.Probe = ({ name, stream, url = MAIN_URL, options = {} }) => {
                const r = useDataStream(stream, url, { ...fast, ...options });
                React.useEffect(() => harness.record(name, { data: r.data ?? null, connected: r.connected,
                    error: r.error, seq: r.seq ?? null, state: r.state }));
                React.useEffect(() => { if (r.message) harness.record(name + ':message', r.message.seq); }, [r.message]);
                return null;
              };
              window.Original = () => {
                const { state, subscribe, data } = useWebSocket({ url: MAIN_URL, reconnect: true, reconnectInterval: 3000 });
                React.useEffect(() => {
                  if (state === 'connected') {
                    subscribe('state');
                    subscribe('events');
                  }
                }, [state, subscribe]);
                React.useEffect(() => harness.record('original', { state, state_data: data['state'] ?? null,
                    events_data: data['events'] ?? null }));
                return null;
              };
              const roots = new Map();
              window.mount = (id, element) => { const root = createRoot(document.createElement('div'));
                                                roots.set(id, root); root.render(element); return true; };
              window.unmount = (id) => { roots.get(id).unmount(); roots.delete(id); return true; };
              window.h = h;
              window.last = (name) => harness.values(name).at(-1);
              return true;
            })()""";

    @Override
    String setup() {
        return SETUP;
    }

    @Test
    void useDataStreamGivesDataConnectedAndSharesOneConnectionPerUrl() throws Exception {
        page.run("mount('a', h(Probe, { name: 'a', stream: 'events' }))");
        page.run("mount('b', h(Probe, { name: 'b', stream: 'events' }))");
        page.run("mount('s', h(Probe, { name: 's', stream: 'state' }))");
        awaitHub("both streams subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1
                && hub.subscribers(BrowserHub.STATE) == 1);
        hub.events.publish(Map.of("n", 1));
        hub.state.publish(Map.of("network_strength", 87));

        Object a = page.run("harness.until(() => last('a')?.seq === 1 && last('b')?.seq === 1, 'a and b')"
                + ".then(() => last('a'))");
        assertThat(HeadlessChromium.asMap(a)).containsEntry("data", Map.of("n", 1L)).containsEntry("connected", true)
                .containsEntry("error", null).containsEntry("seq", 1L).containsEntry("state", "connected");
        assertThat(page.run("harness.until(() => last('s')?.data?.network_strength === 87, 's').then(() => true)"))
                .isEqualTo(true);
        assertThat(hub.connections()).as("one connection for three components").isEqualTo(1);
        assertThat(hub.subscribers(BrowserHub.EVENTS)).as("one subscription on the wire for two components")
                .isEqualTo(1);
    }

    @Test
    void unmountingTheLastUserUnsubscribesAndClosesTheConnection() throws Exception {
        page.run("mount('a', h(Probe, { name: 'a', stream: 'events' }))");
        page.run("mount('b', h(Probe, { name: 'b', stream: 'events' }))");
        awaitHub("subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1);

        page.run("unmount('a')");
        hub.events.publish(Map.of("n", 1));
        page.run("harness.until(() => last('b')?.seq === 1, 'b still gets events')");
        assertThat(hub.subscribers(BrowserHub.EVENTS)).isEqualTo(1);

        page.run("unmount('b')");
        awaitHub("unsubscribed and disconnected", () -> hub.subscribers(BrowserHub.EVENTS) == 0
                && hub.connections() == 0);
    }

    @Test
    void theOriginalFrontEndsUseWebSocketSnippetWorksUnchanged() throws Exception {
        hub.state.publish(Map.of("network_strength", 90));
        page.run("mount('o', h(Original))");
        awaitHub("subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1);
        hub.events.publish(Map.of("n", 1));
        assertThat(page.run("harness.until(() => last('original')?.events_data?.n === 1"
                + " && last('original')?.state_data?.network_strength === 90, 'data').then(() => last('original'))"))
                .isEqualTo(Map.of("state", "connected", "state_data", Map.of("network_strength", 90L),
                        "events_data", Map.of("n", 1L)));
    }

    @Test
    void anUnknownStreamIsAnErrorOfThatComponentOnly() throws Exception {
        page.run("mount('x', h(Probe, { name: 'x', stream: 'no_such_stream' }))");
        page.run("mount('a', h(Probe, { name: 'a', stream: 'events' }))");
        Object x = page.run("harness.until(() => last('x')?.error, 'an error').then(() => last('x'))");
        assertThat(HeadlessChromium.asMap(x)).containsEntry("connected", true).containsEntry("data", null);
        assertThat((String) HeadlessChromium.asMap(x).get("error")).isNotBlank();
        awaitHub("subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1);
        assertThat(page.run("last('a').error")).isNull();
    }

    @Test
    void resumesAfterAServerRestartWithoutGoingBackOrRepeating() throws Exception {
        page.run("mount('a', h(Probe, { name: 'a', stream: 'events' }))");
        awaitHub("subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1);
        for (int i = 1; i <= 3; i++) {
            hub.events.publish(Map.of("n", i));
        }
        page.run("harness.until(() => last('a')?.seq === 3, 'seq 3')");
        hub.stop();
        page.run("harness.until(() => last('a')?.connected === false, 'disconnected')");
        for (int i = 4; i <= 6; i++) {
            hub.events.publish(Map.of("n", i));
        }
        hub.start();
        assertThat(page.run("harness.until(() => last('a')?.seq === 6 && last('a').connected, 'seq 6').then(() =>"
                + " last('a').data)")).isEqualTo(Map.of("n", 6L));
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) page.run("harness.values('a:message')");
        assertThat(seen).as("seqs of the messages rendered (React may skip some of a burst, never repeat one)").isSortedAccordingTo((p, q) -> Long.compare((Long) p, (Long) q))
                .doesNotHaveDuplicates().endsWith(6L);
    }

    @Test
    void reconnectFalseLeavesTheComponentDisconnectedWithTheReason() throws Exception {
        page.run("mount('a', h(Probe, { name: 'a', stream: 'events', options: { reconnect: false } }))");
        awaitHub("subscribed", () -> hub.subscribers(BrowserHub.EVENTS) == 1);
        hub.closeConnections(BrowserHub.MAIN, 4000);
        Object a = page.run("harness.until(() => last('a')?.state === 'closed', 'closed').then(() => last('a'))");
        assertThat(HeadlessChromium.asMap(a)).containsEntry("connected", false);
        assertThat((String) HeadlessChromium.asMap(a).get("error")).contains("4000");
        awaitHub("the connection gone", () -> hub.connections() == 0);
    }

    private void awaitHub(String what, java.util.function.BooleanSupplier condition) throws Exception {
        Poll.until(WAIT, condition::getAsBoolean, Boolean::booleanValue, Poll.Pause.briefly(Duration.ofMillis(20)),
                seen -> new AssertionError("waited " + WAIT.toSeconds() + " s for the hub: " + what
                        + "; stats " + hub.hub.stats().toJson()));
    }
}
