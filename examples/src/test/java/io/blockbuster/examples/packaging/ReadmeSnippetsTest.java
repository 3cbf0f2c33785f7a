package io.blockbuster.examples.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.StreamHub;
import io.blockbuster.websocket.WebSocketServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java snippets, exactly as README.md has them (read from it, not copied), pasted into
 * a {@code main} and run in a child JVM against the library jars: the echo server keeps serving
 * after {@code main} returns and closes with 1001 on SIGTERM, the ten-line client gets its echo and
 * its JVM ends by itself, and the hub program serves its streams.
 *
 * <p>The snippets name fixed ports (9001, 8080) as a reader expects; when another process holds
 * one, the child fails to bind and is started again once the port is free.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("../README.md");

    @TempDir
    static Path scratch;
    private static String libraries;
    private static String imports;

    @BeforeAll
    static void findJars() throws IOException {
        Path core = ChildJvm.jarOf(WebSocketServer.class, scratch);
        Path stream = ChildJvm.jarOf(StreamHub.class, scratch);
        libraries = core + File.pathSeparator + stream;
        imports = ChildJvm.exportedPackages(core, stream).stream().map(p -> "import " + p + ".*;\n")
                .collect(Collectors.joining())
                + "import java.net.*;\nimport java.nio.*;\nimport java.time.*;\nimport java.util.*;\nimport java.util.concurrent.*;\n";
    }

    /** The body of the first java block after the heading {@code title}. */
    static String snippet(String title) throws IOException {
        String readme = Files.readString(README);
        int heading = readme.indexOf("\n## " + title + "\n");
        assertThat(heading).as("README heading '" + title + "'").isNotNegative();
        int start = readme.indexOf("```java\n", heading) + "```java\n".length();
        int end = readme.indexOf("```\n", start);
        return readme.substring(start, end);
    }

    /** A class {@code name} whose main runs {@code body}, then says so. */
    private static Path program(String name, String members, String body) throws IOException {
        String source = imports + "public class " + name + " {\n" + members
                + "public static void main(String[] args) throws Exception {\n" + body
                + "System.out.println(\"main returned\");\n}\n}\n";
        return ChildJvm.compile(scratch.resolve(name), Map.of(name + ".java", source), List.of("--release", "17", "-cp", libraries));
    }

    /** Starts {@code mainClass}, again while {@code port} is taken by someone else, until its main returns. */
    private static ChildJvm startServing(Path classes, String mainClass, int port) throws Exception {
        long deadline = System.nanoTime() + ChildJvm.WAIT.toNanos();
        while (true) {
            ChildJvm child = ChildJvm.start(List.of("-cp", classes + File.pathSeparator + libraries, mainClass));
            if (child.awaitLine("main returned"::equals) != null) {
                return child;
            }
            child.close();
            boolean busy = child.output().contains("Address already in use");
            assertThat(busy && System.nanoTime() < deadline).as(mainClass + " did not start:\n" + child.output()).isTrue();
            awaitFree(port, deadline);
        }
    }

    private static void awaitFree(int port, long deadline) {
        while (System.nanoTime() < deadline) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(port));
                return;
            } catch (IOException taken) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // nothing to wait on but the port
            }
        }
    }

    @Test
    void echoServerKeepsServingAfterMainReturnsAndTheClientSnippetGetsItsEcho() throws Exception {
        Path server = program("ReadmeEchoServer", "", snippet("An echo server in ten lines"));
        Path client = program("ReadmeClient", "", snippet("A client in ten lines"));
        try (ChildJvm echo = startServing(server, "ReadmeEchoServer", 9001)) {
            // main has returned; the loops keep the JVM, and the port, alive
            Peer peer = Peer.connect("ws://127.0.0.1:9001/echo");
            peer.ws.sendText("over the JDK client", true).get(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(peer.texts.poll(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("over the JDK client");

            try (ChildJvm ten = ChildJvm.start(List.of("-cp", client + File.pathSeparator + libraries, "ReadmeClient"))) {
                assertThat(ten.awaitExit()).as("the client's JVM ends by itself once it is closed:\n" + ten.output()).isZero();
                assertThat(ten.output()).contains("hello\nmain returned\n");
            }
            assertThat(echo.isAlive()).isTrue();
            echo.terminate(); // SIGTERM: the server's shutdown hook says goodbye
            assertThat(peer.closeCode.get(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
        }
    }

    @Test
    void hubSnippetServesItsStreams() throws Exception {
        String members = "static Runtime rt = Runtime.getRuntime();\n"
                + "public record Memory(long usedBytes, long maxBytes) {}\n";
        Path hub = program("ReadmeHub", members, snippet("Serve your own data stream in under 30 lines"));
        try (ChildJvm child = startServing(hub, "ReadmeHub", 8080)) {
            Peer peer = Peer.connect("ws://127.0.0.1:8080/ws");
            assertThat(peer.texts.poll(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS)).contains("\"welcome\"")
                    .contains("jvm_memory", "heartbeats");
            peer.ws.sendText("{\"type\":\"subscribe\",\"stream\":\"jvm_memory\"}", true);
            String data;
            do {
                data = peer.texts.poll(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(data).as("a jvm_memory message").isNotNull();
            } while (!data.startsWith("{\"type\":\"jvm_memory\""));
            assertThat(data).contains("\"usedBytes\":", "\"maxBytes\":");
            assertThat(child.isAlive()).isTrue();
            peer.ws.abort();
        }
    }

    /** The JDK's WebSocket client, queueing every text message. */
    private static final class Peer implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Peer connect(String uri) throws Exception {
            Peer peer = new Peer();
            peer.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), peer)
                    .get(ChildJvm.WAIT.toSeconds(), TimeUnit.SECONDS);
            return peer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }
    }
}
