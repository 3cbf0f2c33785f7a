package io.blockbuster.examples.jsclient;

import io.blockbuster.examples.support.HeadlessChromium;
import io.blockbuster.examples.support.Poll;

import java.time.Duration;
import java.util.Map;

/**
 * The test page of a {@link BrowserHub} in headless Chromium, loaded afresh for each test: scripts
 * run in it with {@code MAIN_URL} and {@code WITNESS_URL} bound to the hub's two endpoints, and the
 * harness ({@code harness.js}) in {@code window.harness}.
 */
final class BrowserPage {

    private static final Duration LOAD_WAIT = Duration.ofSeconds(60);

    private final HeadlessChromium chromium;

    BrowserPage(HeadlessChromium chromium) {
        this.chromium = chromium;
    }

    /** Navigates to {@code hub}'s page and waits until its harness has loaded. */
    void open(BrowserHub hub, String setupScript) throws Exception {
        chromium.send("Page.navigate", Map.of("url", hub.pageUrl()));
        String ready = "(() => window.harness !== undefined && location.href)()";
        Poll.until(LOAD_WAIT, () -> evaluateOrNull(ready), hub.pageUrl()::equals,
                Poll.Pause.briefly(Duration.ofMillis(50)),
                seen -> new AssertionError("the test page did not load (saw " + seen + "):\n" + chromium.log()));
        run("window.MAIN_URL = '" + hub.wsUrl(BrowserHub.MAIN) + "'; window.WITNESS_URL = '"
                + hub.wsUrl(BrowserHub.WITNESS) + "'; true");
        if (setupScript != null) {
            run(setupScript);
        }
    }

    /** Evaluates {@code script} (awaiting a promise) and returns its value as JSON-shaped Java objects. */
    Object run(String script) throws Exception {
        try {
            return chromium.evaluate(script);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nChromium log:\n" + chromium.log(), e);
        }
    }

    private Object evaluateOrNull(String script) throws Exception {
        try {
            return chromium.evaluate(script);
        } catch (IllegalStateException navigating) {
            return null; // the old document is gone and the new one has no context yet
        }
    }
}
