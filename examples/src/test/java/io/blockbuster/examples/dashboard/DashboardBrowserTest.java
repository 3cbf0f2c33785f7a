package io.blockbuster.examples.dashboard;

import io.blockbuster.examples.support.HeadlessChromium;
import io.blockbuster.examples.support.LoopbackPorts;
import io.blockbuster.examples.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real headless Chromium loads the dashboard from the running example: live values appear and
 * change, and after the server is stopped and started again on the same ports the page reconnects
 * and updates again by itself. The example runs ten times faster ({@code --speed 10}).
 *
 * <p>With {@code -Ddashboard.screenshot=docs/dashboard.png} it also saves a screenshot once data
 * has arrived.
 */
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    /** Reads what the page shows; one object so every wait sees a consistent view. */
    private static final String READ_PAGE = "(() => document.getElementById('update-count') === null"
            + " ? {conn: 'loading', node: 'loading', updates: 0, markets: 0, receipts: 0, peerRows: 0} : ({"
            + "conn: document.getElementById('conn-state').dataset.state,"
            + "node: document.getElementById('node-status').dataset.state,"
            + "height: document.getElementById('block-height').textContent,"
            + "strength: document.getElementById('strength-value').textContent,"
            + "tps: document.getElementById('tps-value').textContent,"
            + "peers: document.getElementById('peer-count').textContent,"
            + "updates: Number(document.getElementById('update-count').textContent.replace(/,/g, '')),"
            + "markets: document.querySelectorAll('#markets-body tr .badge').length,"
            + "receipts: document.querySelectorAll('#receipts-feed li[data-id]').length,"
            + "peerRows: document.querySelectorAll('#peers-body tr .latency').length"
            + "}))()";

    /** Resolves on the page's next DOM change, or after a second if nothing changes. */
    private static final String AWAIT_PAGE_CHANGE = "new Promise(resolve => {"
            + " const o = new MutationObserver(() => { o.disconnect(); resolve(true); });"
            + " o.observe(document, {subtree: true, childList: true, characterData: true, attributes: true});"
            + " setTimeout(() => { o.disconnect(); resolve(false); }, 1000); })";

    private DashboardServer server;
    private HeadlessChromium chromium;

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pageShowsLiveDataAndReconnectsAfterARestart() throws Exception {
        int httpPort = LoopbackPorts.free();
        int wsPort = LoopbackPorts.free();
        DashboardOptions options = DashboardOptions.parse("--http-port", String.valueOf(httpPort),
                "--ws-port", String.valueOf(wsPort), "--speed", "10");
        server = DashboardServer.start(options);
        chromium = new HeadlessChromium("http://127.0.0.1:" + httpPort + "/", 1400, 1000);

        Map<String, Object> first = waitForPage("live data on every panel", p ->
                "connected".equals(p.get("conn")) && "online".equals(p.get("node"))
                        && isNumber(p.get("height")) && isNumber(p.get("strength")) && isNumber(p.get("tps"))
                        && count(p, "markets") == 4 && count(p, "receipts") > 0 && count(p, "peerRows") > 0);
        waitForPage("the block height to advance", p -> isNumber(p.get("height"))
                && !Objects.equals(p.get("height"), first.get("height")));
        Map<String, Object> running = waitForPage("more updates", p -> count(p, "updates") >= count(first, "updates") + 5);

        String screenshot = System.getProperty("dashboard.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            waitForPage("a screenful of chart points", p -> count(p, "updates") >= count(running, "updates") + 150);
            // Freeze animations so no row is caught half faded in.
            chromium.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>*{animation:none!important;"
                    + "transition:none!important}</style>'); new Promise(r => setTimeout(r, 300))");
            Path png = Path.of(screenshot);
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, chromium.screenshotFullPage());
        }

        server.close();
        waitForPage("the page to notice the server is gone", p -> !"connected".equals(p.get("conn")));

        server = DashboardServer.start(options);      // same ports
        Map<String, Object> beforeReconnect = readPage();
        Map<String, Object> back = waitForPage("the page to reconnect by itself", p -> "connected".equals(p.get("conn")));
        waitForPage("updates after the restart", p -> count(p, "updates") >= count(beforeReconnect, "updates") + 5
                && isNumber(p.get("height")) && !Objects.equals(p.get("height"), back.get("height")));
    }

    /**
     * The original guide's "Browser Console Testing" snippet, word for word but for the port (its
     * server listened on 8080, this one on a free port) and console.log, which records into a list:
     * it connects at the root, subscribes and receives network_metrics.
     */
    @Test
    void theOriginalGuidesBrowserConsoleSnippetReceivesData() throws Exception {
        server = DashboardServer.start(DashboardOptions.parse("--http-port", "0", "--ws-port", "0", "--speed", "10"));
        chromium = new HeadlessChromium("about:blank", 800, 600);      // a console with no page script in it
        String snippet = """
                const ws = new WebSocket('ws://localhost:8080');

                ws.onopen = () => {
                  console.log('Connected');
                  ws.send(JSON.stringify({
                    type: 'subscribe',
                    stream: 'network_metrics'
                  }));
                };

                ws.onmessage = (event) => {
                  const data = JSON.parse(event.data);
                  console.log('Received:', data);
                };
                """.replace("localhost:8080", "localhost:" + server.wsPort());
        String read = "(() => window.logged ? window.logged.map(args => args[0] === 'Received:' ? args[1].type : args[0]) : null)()";
        evaluateOnceLoaded("(window.logged = [], console.log = (...args) => window.logged.push(args), true)");
        chromium.evaluate("(() => {" + snippet + "; return true; })()");
        Poll.until(WAIT, () -> chromium.evaluate(read), seen -> seen instanceof List<?> l
                        && l.containsAll(List.of("Connected", "welcome", "subscribed", "network_metrics")),
                Poll.Pause.briefly(Duration.ofMillis(100)),
                seen -> new AssertionError("the snippet logged " + seen + "\n" + chromium.log()));
    }

    /** Evaluates {@code script}, which must answer true, as soon as the page has a script context. */
    private void evaluateOnceLoaded(String script) throws Exception {
        Poll.until(WAIT, () -> {
            try {
                return chromium.evaluate(script);
            } catch (IllegalStateException loading) {
                return null;
            }
        }, Boolean.TRUE::equals, Poll.Pause.briefly(Duration.ofMillis(100)),
                seen -> new AssertionError("the page did not load:\n" + chromium.log()));
    }

    /**
     * The React example at /react/: the original front end's NetworkStrength idea, written with
     * blockbuster-client/react's hooks, shows live values from the same hub.
     */
    @Test
    void reactExamplePageShowsLiveValuesThroughTheHooks() throws Exception {
        server = DashboardServer.start(DashboardOptions.parse("--http-port", "0", "--ws-port", "0", "--speed", "10"));
        chromium = new HeadlessChromium("http://127.0.0.1:" + server.httpPort() + "/react/", 1000, 800);
        String read = "(() => ({conn: document.getElementById('conn-state')?.dataset.state ?? 'loading',"
                + " strength: document.getElementById('strength-value')?.textContent ?? '',"
                + " height: document.getElementById('block-height')?.textContent ?? '',"
                + " overall: document.getElementById('markets-overall')?.textContent ?? '',"
                + " markets: document.querySelectorAll('#markets tbody tr').length}))()";
        Map<String, Object> first = waitForPage(read, "the hooks' first values", p -> "connected".equals(p.get("conn"))
                && String.valueOf(p.get("strength")).matches("\\d+%") && isNumber(p.get("height"))
                && String.valueOf(p.get("overall")).matches("healthy|degraded|critical") && count(p, "markets") == 4);
        waitForPage(read, "the block height to advance", p -> isNumber(p.get("height"))
                && !Objects.equals(p.get("height"), first.get("height")));
    }

    private Map<String, Object> readPage() throws Exception {
        return HeadlessChromium.asMap(chromium.evaluate(READ_PAGE));
    }

    /** The page's view, or null while it is still loading (its script context not there yet). */
    private Map<String, Object> readPageOrNull(String read) throws Exception {
        try {
            return HeadlessChromium.asMap(chromium.evaluate(read));
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /**
     * Re-reads the page until {@code condition} holds, each time after the page changed (or a second
     * passed); fails after {@link #WAIT} with the last view.
     */
    private Map<String, Object> waitForPage(String what, Predicate<Map<String, Object>> condition) throws Exception {
        return waitForPage(READ_PAGE, what, condition);
    }

    private Map<String, Object> waitForPage(String read, String what, Predicate<Map<String, Object>> condition)
            throws Exception {
        Map<String, Object> page = Poll.until(WAIT, () -> readPageOrNull(read), p -> p != null && condition.test(p),
                this::awaitPageChange,
                last -> new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; the page shows "
                        + last + "\nChromium log:\n" + chromium.log()));
        assertThat(condition).accepts(page);
        return page;
    }

    /** Blocks until the page's DOM changes, at most a second (also while it is still loading). */
    private void awaitPageChange() throws Exception {
        try {
            chromium.evaluate(AWAIT_PAGE_CHANGE);
        } catch (IllegalStateException loading) {
            Poll.Pause.briefly(Duration.ofMillis(100)).await(); // no document to observe yet
        }
    }

    private static boolean isNumber(Object text) {
        return text instanceof String s && s.replace(",", "").matches("\\d+(\\.\\d+)?");
    }

    private static long count(Map<String, Object> page, String key) {
        return ((Number) page.get(key)).longValue();
    }

}
