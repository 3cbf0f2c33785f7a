package io.blockbuster.examples.support;

import io.blockbuster.stream.json.Json;
import io.blockbuster.testsupport.Chromium;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page in headless Chromium ({@link Chromium}, the project's one launcher), driven over the Chrome
 * DevTools Protocol with nothing but the JDK: the page's target comes from {@code /json/list}, and
 * commands go over {@link java.net.http.WebSocket}. Enough for tests: evaluate JavaScript, take a
 * screenshot.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Chromium browser;
    private final WebSocket devtools;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    /** Starts Chromium on {@code url} with a {@code width x height} window. */
    public HeadlessChromium(String url, int width, int height) throws Exception {
        browser = Chromium.launch(url, width, height);
        try {
            String pageSocket = pageWebSocketUrl(browser.devToolsPort());
            devtools = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(pageSocket), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            browser.close();
            throw e;
        }
    }

    /**
     * Evaluates {@code expression} in the page (awaiting a promise) and returns its value as
     * {@link Json#parse} would: Map, List, String, Long/BigDecimal, Boolean or null.
     */
    public Object evaluate(String expression) throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("expression", expression);
        params.put("returnByValue", true);
        params.put("awaitPromise", true);
        Map<String, Object> result = send("Runtime.evaluate", params);
        if (result.get("exceptionDetails") != null) {
            throw new IllegalStateException("page threw: " + Json.write(result.get("exceptionDetails")));
        }
        return asMap(result.get("result")).get("value");
    }

    /** A PNG of the viewport. */
    public byte[] screenshot() throws Exception {
        Map<String, Object> result = send("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    /** A PNG of the whole page, beyond the viewport if it is taller. */
    public byte[] screenshotFullPage() throws Exception {
        Map<String, Object> size = asMap(send("Page.getLayoutMetrics", Map.of()).get("cssContentSize"));
        Map<String, Object> clip = new LinkedHashMap<>();
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", ((Number) size.get("width")).doubleValue());
        clip.put("height", ((Number) size.get("height")).doubleValue());
        clip.put("scale", 1);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        params.put("clip", clip);
        return Base64.getDecoder().decode((String) send("Page.captureScreenshot", params).get("data"));
    }

    /** Sends one CDP command and waits (at most 30 s) for its result. */
    public Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("id", id);
        command.put("method", method);
        command.put("params", params);
        synchronized (devtools) {
            devtools.sendText(Json.write(command), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        Map<String, Object> response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + Json.write(response.get("error")));
        }
        return asMap(response.get("result"));
    }

    /** The last lines Chromium printed, for failure messages. */
    public String log() {
        return browser.log();
    }

    @Override
    public void close() {
        if (devtools != null) {
            devtools.abort();
        }
        browser.close();
    }

    private String pageWebSocketUrl(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build();
        return Poll.until(TIMEOUT, () -> {
            for (Object o : (List<?>) Json.parse(http.send(list, HttpResponse.BodyHandlers.ofString()).body())) {
                Map<String, Object> target = asMap(o);
                if ("page".equals(target.get("type")) && target.get("webSocketDebuggerUrl") != null) {
                    return (String) target.get("webSocketDebuggerUrl");
                }
            }
            return null; // the page target appears shortly after start
        }, url -> url != null, Poll.Pause.briefly(Duration.ofMillis(100)),
                none -> new IllegalStateException("Chromium showed no page target:\n" + log()));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> message = asMap(Json.parse(text.toString()));
                text.setLength(0);
                if (message.get("id") instanceof Number id) {
                    CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
