package io.blockbuster.examples.custom;

import io.blockbuster.stream.PolledSource;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.stream.client.StreamClient;
import io.blockbuster.websocket.WebSocketServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Serves two custom streams to browsers and Java clients: {@code jvm_memory} (polled state) and
 * {@code heartbeats} (pushed events). Browsers: {@code new WebSocket("ws://localhost:8080/ws")}, then
 * send {@code {"type":"subscribe","stream":"jvm_memory"}}. Run with an optional port argument.
 */
public final class CustomSourceExample {
    /** A record is written as a JSON object by its component names. */
    public record Memory(long usedBytes, long maxBytes) {
    }

    /**
     * Starts the hub and server on {@code args[0]} (default 8080), connects a client that prints both
     * streams, and publishes a heartbeat every two seconds until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        Runtime rt = Runtime.getRuntime();
        StreamHub hub = StreamHub.builder().build();
        hub.register("jvm_memory", PolledSource.every(Duration.ofSeconds(1),
                () -> new Memory(rt.totalMemory() - rt.freeMemory(), rt.maxMemory())));
        PushedSource heartbeats = new PushedSource();
        hub.register("heartbeats", heartbeats);
        hub.start();
        WebSocketServer server = StreamBinding.serve(hub, args.length > 0 ? Integer.parseInt(args[0]) : 8080, "/ws");

        StreamClient client = StreamBinding.client(URI.create("ws://localhost:" + server.port() + "/ws"))
                .subscribe("jvm_memory", m -> System.out.println("memory " + m.data()))
                .subscribe("heartbeats", m -> System.out.println("heartbeat #" + m.seq() + " " + m.data()))
                .build();
        client.start();
        for (int i = 0; ; i++) {
            heartbeats.publish(Map.of("n", i, "at", Instant.now()));
            Thread.sleep(2000); // the example's own pacing, not a wait for something
        }
    }
}
