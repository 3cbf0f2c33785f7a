package io.blockbuster.stream.redis;

import io.blockbuster.testsupport.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process for one test, on a free loopback port, with persistence
 * off ({@code --save '' --appendonly no}): a kill and a restart lose everything, as a Redis without
 * persistence does. {@code .ci/install-test-tools.sh} installs the server.
 */
public final class RedisServer implements AutoCloseable {
    private static final long READY_SECONDS = 60;

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(port, Files.createTempDirectory("redis-test"));
        server.launch();
        return server;
    }

    /** A port nothing listens on (for "Redis unreachable"): the same port while the server is down. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port/0}. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Kills the server at once (SIGKILL): connections drop, and all data is gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(READY_SECONDS, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Process started = process;
        Await.until(() -> !started.isAlive() || answersPing(), () -> "redis-server answers PING: " + log());
        if (!started.isAlive()) {
            throw new IllegalStateException("redis-server did not start: " + log());
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
