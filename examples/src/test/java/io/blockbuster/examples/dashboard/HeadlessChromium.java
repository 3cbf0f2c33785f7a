package io.blockbuster.examples.dashboard;

import io.blockbuster.stream.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with nothing but the JDK:
 * the DevTools port comes from the {@code DevToolsActivePort} file Chromium writes into its fresh
 * profile directory, the page's target from {@code /json/list}, and commands go over
 * {@link java.net.http.WebSocket}. Enough for tests: evaluate JavaScript, take a screenshot.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket devtools;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    /** The Chromium binary: {@code -Dchromium=PATH}, else {@code /usr/bin/chromium}. */
    static Path binary() {
        return Path.of(System.getProperty("chromium", DEFAULT_BINARY.toString()));
    }

    /** Starts Chromium on {@code url} with a {@code width x height} window. */
    HeadlessChromium(String url, int width, int height) throws Exception {
        Path bin = binary();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Chromium is not installed at " + bin + ": the browser test needs"
                    + " Debian's chromium package. Run .ci/install-chromium.sh (CI does), or pass -Dchromium=PATH.");
        }
        profile = Files.createTempDirectory("dashboard-chromium-");
        List<String> command = List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, url);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            int port = devToolsPort();
            String pageSocket = pageWebSocketUrl(port);
            devtools = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(pageSocket), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Evaluates {@code expression} in the page (awaiting a promise) and returns its value as
     * {@link Json#parse} would: Map, List, String, Long/BigDecimal, Boolean or null.
     */
    Object evaluate(String expression) throws Exception {
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
    byte[] screenshot() throws Exception {
        Map<String, Object> result = send("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    /** A PNG of the whole page, beyond the viewport if it is taller. */
    byte[] screenshotFullPage() throws Exception {
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
    Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
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
    String log() {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("chromium.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (devtools != null) {
            devtools.abort();
        }
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    private int devToolsPort() throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        return Poll.until(TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + ":\n" + log());
            }
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return lines.size() >= 2 && !lines.get(0).isBlank() ? Integer.parseInt(lines.get(0).trim()) : null;
        }, port -> port != null, Poll.Pause.briefly(Duration.ofMillis(50)),
                none -> new IllegalStateException("Chromium wrote no DevToolsActivePort within " + TIMEOUT + ":\n" + log()));
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
    static Map<String, Object> asMap(Object o) {
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
