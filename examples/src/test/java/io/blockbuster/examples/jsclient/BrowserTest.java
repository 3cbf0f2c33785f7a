package io.blockbuster.examples.jsclient;

import io.blockbuster.examples.support.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle of the JS client's browser tests: one headless Chromium for the test class, and for
 * each test a fresh {@link BrowserHub} and a page on it that has run {@link #setup()}.
 */
abstract class BrowserTest {
    private static HeadlessChromium chromium;
    /** This test's hub, started before it and closed after it. */
    BrowserHub hub;
    /** This test's page on {@link #hub}, with {@link #setup()} run. */
    BrowserPage page;

    /** The script a test class's page runs once loaded: the functions its tests call. */
    abstract String setup();

    @BeforeAll
    static void startBrowser() throws Exception {
        chromium = new HeadlessChromium("about:blank", 800, 600);
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    @BeforeEach
    void openPage() throws Exception {
        hub = new BrowserHub();
        page = new BrowserPage(chromium);
        page.open(hub, setup());
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }
}
