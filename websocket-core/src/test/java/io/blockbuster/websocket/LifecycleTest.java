package io.blockbuster.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What keeps the JVM alive and what ends it: loop threads are non-daemon unless asked, a server can
 * be waited for, and its shutdown hook closes every connection with 1001 when the JVM is stopped.
 */
class LifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }

    @Test
    void serverLoopsKeepTheJvmAliveUnlessDaemonThreadsAreAskedFor() throws Exception {
        for (boolean daemon : new boolean[] {false, true}) {
            WebSocketServer server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress())
                    .eventLoops(2).daemonThreads(daemon).build();
            server.start();
            try {
                List<Thread> loops = threadsNamed("blockbuster-server-" + server.port() + "-");
                assertThat(loops).hasSize(2).allSatisfy(t -> assertThat(t.isDaemon()).isEqualTo(daemon));
            } finally {
                server.shutdown(Duration.ZERO);
            }
        }
    }

    @Test
    void clientLoopsAreNonDaemonUntilClosedUnlessDaemonThreadsAreAskedFor() throws Exception {
        WebSocketServer server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress())
                .handler("/ws", new WebSocketListener() {
                }).build();
        server.start();
        try {
            for (boolean daemon : new boolean[] {false, true}) {
                WebSocketClient client = WebSocketClient.builder().daemonThreads(daemon).build();
                client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocketListener() {
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(threadsNamed("blockbuster-client-")).isNotEmpty()
                        .allSatisfy(t -> assertThat(t.isDaemon()).isEqualTo(daemon));
                client.close();
                Await.until(() -> threadsNamed("blockbuster-client-").isEmpty(), "client loops ended");
            }
        } finally {
            server.shutdown(Duration.ZERO);
        }
    }

    @Test
    void awaitTerminationReturnsOnceAnotherThreadHasShutTheServerDown() throws Exception {
        WebSocketServer server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
        server.start();
        assertThat(server.awaitTermination(Duration.ofMillis(50))).as("still running").isFalse();
        Thread stopper = new Thread(() -> server.shutdown(Duration.ofSeconds(5)), "test-stopper");
        stopper.start();
        server.awaitTermination();
        assertThat(server.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(threadsNamed("blockbuster-server-" + server.port() + "-")).isEmpty();
        stopper.join(WAIT.toMillis());
    }

    @Test
    void shutdownBeforeStartTerminatesAndForbidsStarting() throws Exception {
        WebSocketServer server = WebSocketServer.builder().build();
        server.shutdown(Duration.ZERO);
        assertThat(server.awaitTermination(Duration.ZERO)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    /** A JVM whose main returns after starting a server keeps serving; SIGTERM closes with 1001. */
    @Test
    void stopAtShutdownClosesWith1001WhenTheJvmIsTerminated() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                StopAtShutdownMain.class.getName()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("main returned, port ")) {
                            port.complete(Integer.parseInt(line.substring("main returned, port ".length())));
                        }
                    }
                    port.completeExceptionally(new IllegalStateException("child ended before it served"));
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
            int p = port.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + p + "/ws"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket w, int statusCode, String reason) {
                            closeCode.complete(statusCode);
                            return null;
                        }
                    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(process.isAlive()).as("alive after main returned").isTrue();
            process.destroy(); // SIGTERM runs the shutdown hooks
            assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("child ended").isTrue();
            ws.abort();
        } finally {
            process.destroyForcibly();
        }
    }

    /** The child of {@link #stopAtShutdownClosesWith1001WhenTheJvmIsTerminated}. */
    public static final class StopAtShutdownMain {
        public static void main(String[] args) throws IOException {
            WebSocketServer server = WebSocketServer.builder()
                    .bindAddress(InetAddress.getLoopbackAddress())
                    .handler("/ws", new WebSocketListener() {
                    })
                    .stopAtShutdown(true)
                    .build();
            server.start();
            System.out.println("main returned, port " + server.port());
        }
    }
}
