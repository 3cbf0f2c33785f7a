package io.blockbuster.examples.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.StreamHub;
import io.blockbuster.websocket.WebSocketServer;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library jars work on the class path and on the module path alike: one small program, an echo
 * round trip over loopback recorded by Flight Recorder, plus a hub that serialises a record,
 * compiled and run against the jars both ways in a child JVM.
 */
class JarPathsTest {
    private static final String PROGRAM = """
            package demo;

            import io.blockbuster.stream.PushedSource;
            import io.blockbuster.stream.StreamHub;
            import io.blockbuster.stream.json.Json;
            import io.blockbuster.websocket.WebSocket;
            import io.blockbuster.websocket.WebSocketClient;
            import io.blockbuster.websocket.WebSocketListener;
            import io.blockbuster.websocket.WebSocketServer;
            import java.net.InetAddress;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import jdk.jfr.Recording;
            import jdk.jfr.consumer.RecordingFile;
            import java.net.URI;
            import java.time.Duration;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;

            public class Main {
                public record Point(int x, int y) {
                }

                public static void main(String[] args) throws Exception {
                    Recording recording = new Recording();
                    recording.enable("io.blockbuster.websocket.ConnectionClosed");
                    recording.start();
                    WebSocketServer server = WebSocketServer.builder()
                            .bindAddress(InetAddress.getLoopbackAddress())
                            .handler("/echo", new WebSocketListener() {
                                @Override public void onText(WebSocket ws, String text) { ws.sendText(text); }
                            })
                            .build();
                    server.start();
                    try (WebSocketClient client = WebSocketClient.builder().build()) {
                        CompletableFuture<String> reply = new CompletableFuture<>();
                        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                                new WebSocketListener() {
                                    @Override public void onText(WebSocket ws, String text) { reply.complete(text); }
                                }).get(60, TimeUnit.SECONDS);
                        ws.sendText("ping");
                        System.out.println("echo: " + reply.get(60, TimeUnit.SECONDS));
                    }
                    StreamHub hub = StreamHub.builder().build();
                    hub.register("points", new PushedSource());
                    hub.start();
                    System.out.println("json: " + Json.write(new Point(1, 2)));
                    hub.close();
                    server.shutdown(Duration.ofSeconds(5));
                    recording.stop();
                    Path jfr = Files.createTempFile("demo", ".jfr");
                    recording.dump(jfr);
                    long closed = RecordingFile.readAllEvents(jfr).stream()
                            .filter(e -> e.getEventType().getName().equals("io.blockbuster.websocket.ConnectionClosed")).count();
                    Files.delete(jfr);
                    System.out.println("jfr: " + closed + " closed connections");   // the server's and the client's
                    System.out.println("module: " + WebSocketServer.class.getModule().getName());
                }
            }
            """;

    @TempDir
    static Path scratch;
    private static Path core;
    private static Path stream;

    @BeforeAll
    static void findJars() throws Exception {
        core = ChildJvm.jarOf(WebSocketServer.class, scratch);
        stream = ChildJvm.jarOf(StreamHub.class, scratch);
    }

    @Test
    void jarsWorkOnTheClassPath(@TempDir Path out) throws Exception {
        String cp = core + File.pathSeparator + stream;
        Path classes = ChildJvm.compile(out, Map.of("demo/Main.java", PROGRAM), List.of("--release", "17", "-cp", cp));
        try (ChildJvm child = ChildJvm.start(List.of("-cp", classes + File.pathSeparator + cp, "demo.Main"))) {
            assertThat(child.awaitExit()).as(child.output()).isZero();
            assertThat(child.output()).contains("echo: ping", "json: {\"x\":1,\"y\":2}", "jfr: 2 closed", "module: null");
        }
    }

    @Test
    void jarsWorkOnTheModulePath(@TempDir Path out) throws Exception {
        String mp = core + File.pathSeparator + stream;
        // Json writes records by reflection: the program's package is exported to the hub's module.
        String moduleInfo = "module demo { requires io.blockbuster.stream; requires io.blockbuster.websocket; requires jdk.jfr; exports demo; }";
        Path classes = ChildJvm.compile(out, Map.of("module-info.java", moduleInfo, "demo/Main.java", PROGRAM),
                List.of("--release", "17", "--module-path", mp));
        try (ChildJvm child = ChildJvm.start(List.of("--module-path", classes + File.pathSeparator + mp,
                "--module", "demo/demo.Main"))) {
            assertThat(child.awaitExit()).as(child.output()).isZero();
            assertThat(child.output()).contains("echo: ping", "json: {\"x\":1,\"y\":2}", "jfr: 2 closed",
                    "module: io.blockbuster.websocket");
        }
    }
}
