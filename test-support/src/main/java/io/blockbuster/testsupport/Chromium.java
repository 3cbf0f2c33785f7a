package io.blockbuster.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The project's one way to find and start a browser for tests: Debian's Chromium, headless, on a
 * page, with a fresh profile directory and the DevTools port open. It does not drive the page:
 * tests either let the page report back to their own server, or speak the DevTools protocol over
 * {@link #devToolsPort()} (the examples' {@code HeadlessChromium}).
 *
 * <p>The flags are those known to work on our build machines: as root ({@code --no-sandbox}),
 * without GPU, and without background networking (the machines' closed network refuses Chromium's
 * calls home, many at a time). A missing browser is a failure with a hint, never a skip.
 */
public final class Chromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    private final Process process;
    private final Path profile;

    private Chromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * The browser binary: {@code -Dchromium=PATH}, else {@code $CHROMIUM}, else the first of
     * {@code /usr/bin/chromium}, {@code chromium-browser}, {@code google-chrome} that is executable.
     *
     * @throws IllegalStateException when there is none, saying how to install one
     */
    public static Path binary() {
        List<String> tried = new ArrayList<>();
        String property = System.getProperty("chromium");
        String env = System.getenv("CHROMIUM");
        for (String candidate : property != null ? List.of(property) : env != null ? List.of(env) : CANDIDATES) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("Chromium is not installed (looked at " + tried + "): the browser tests"
                + " need Debian's chromium package. Run .ci/install-test-tools.sh (.ci/run does), or pass -Dchromium=PATH.");
    }

    /** Starts headless Chromium on {@code url} with an 800 x 600 window. */
    public static Chromium launch(String url) throws IOException {
        return launch(url, 800, 600);
    }

    /** Starts headless Chromium on {@code url} with a {@code width x height} window. */
    public static Chromium launch(String url, int width, int height) throws IOException {
        Path bin = binary();
        Path profile = Files.createTempDirectory("blockbuster-chromium-");
        List<String> command = List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, url);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        return new Chromium(process, profile);
    }

    /**
     * The DevTools port, once Chromium has written it into its profile's {@code DevToolsActivePort}
     * (it does so soon after start). Waits up to a minute.
     *
     * @throws IllegalStateException if Chromium exits or writes nothing in time, with its output
     */
    public int devToolsPort() {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
                if (lines.size() >= 2 && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            } catch (IOException | NumberFormatException partlyWritten) {
                // Chromium is still writing the file: look again
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Chromium wrote no DevToolsActivePort within " + START_TIMEOUT
                        + ":\n" + log());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a file appearing signals nothing to wait on
        }
    }

    /** Completes when the browser process ends. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Whether the browser process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last 30 lines Chromium printed, for failure messages. */
    public String log() {
        try {
            List<String> lines = Files.readAllLines(profile.resolve("chromium.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Ends the browser and its helper processes, and deletes the profile directory. */
    @Override
    public void close() {
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
}
