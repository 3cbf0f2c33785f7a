package io.blockbuster.benchmarks.fanout;

import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamEngine;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.stream.json.RawJson;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Fan-out through StreamHub: a {@link PushedSource} registered as {@code bench}, served over our
 * WebSocket server. Each published value is serialized once by the hub and framed once.
 * The server is configured here (loopback, event loops, connection limit) and mounts the hub with
 * {@link StreamBinding#listener}, as an application with its own server settings would.
 */
final class HubFanout implements FanoutServer.ServerUnderTest {

    private final StreamHub hub;
    private final PushedSource source = new PushedSource();
    private final WebSocketServer server;

    private HubFanout(int port, int loops, int maxConnections, StreamEngine engine) {
        // No activity log: 10,000 connect and disconnect lines at INFO would be the benchmark's own cost.
        StreamHub.Builder builder = StreamHub.builder().activityLog(false);
        hub = (engine == null ? builder : builder.engine(engine)).build();
        // QUEUE delivery (events): every message reaches every subscriber unless it falls behind.
        // -Dblockbuster.bench.latest=true on the server JVM: a LATEST stream (state) instead, where a
        // subscriber that falls behind gets the newest value and the rest are conflated.
        // -Dblockbuster.bench.maxDeliveryLagMillis=N: another StreamOptions.maxDeliveryLag for the QUEUE stream.
        StreamOptions options = Boolean.getBoolean("blockbuster.bench.latest") ? StreamOptions.state() : StreamOptions.events();
        long lagMillis = Long.getLong("blockbuster.bench.maxDeliveryLagMillis", 0);
        hub.register("bench", source, lagMillis > 0 ? options.withMaxDeliveryLag(Duration.ofMillis(lagMillis)) : options);
        hub.start();
        server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(port)
                .eventLoops(loops)
                .limits(WebSocketLimits.builder().maxConnections(maxConnections).build())
                .handler("/ws", StreamBinding.listener(hub))
                .build();
    }

    static HubFanout start(int port, int loops, int maxConnections) {
        return start(port, loops, maxConnections, null);
    }

    /** A hub on {@code engine} (null: the default in-memory engine). */
    static HubFanout start(int port, int loops, int maxConnections, StreamEngine engine) {
        HubFanout fanout = new HubFanout(port, loops, maxConnections, engine);
        try {
            fanout.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fanout;
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int subscribers() {
        StreamStats stats = hub.stats().streams().get("bench");
        return stats == null ? 0 : stats.subscribers();
    }

    @Override
    public long shed() {
        StreamStats stats = hub.stats().streams().get("bench");
        return stats == null ? 0 : stats.shed();
    }

    @Override
    public void publish(String json) {
        source.publish(RawJson.trusted(json));
    }

    boolean engineHealthy() {
        return hub.stats().engine().healthy();
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }

}
