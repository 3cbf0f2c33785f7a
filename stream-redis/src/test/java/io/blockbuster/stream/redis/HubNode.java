package io.blockbuster.stream.redis;

import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/** One hub node of a test cluster: a StreamHub on a RedisEngine, served on its own loopback port. */
final class HubNode implements AutoCloseable {
    final String name;
    final StreamHub hub;
    final WebSocketServer server;

    HubNode(String name, String redisUri, String prefix, Consumer<StreamHub> streams) throws IOException {
        this.name = name;
        this.hub = StreamHub.builder()
                .engine(RedisEngine.builder(redisUri).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(10)).build())
                .build();
        streams.accept(hub);
        hub.start();
        this.server = StreamBinding.serve(hub, 0, "/ws");
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    boolean engineHealthy() {
        return hub.stats().engine().healthy();
    }

    /** A node dying: its server stops and its hub (engine, leases, reader) with it. */
    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1));
        hub.close();
    }
}
