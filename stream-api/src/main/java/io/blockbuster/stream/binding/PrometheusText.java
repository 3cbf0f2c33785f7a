package io.blockbuster.stream.binding;

import io.blockbuster.stream.HubStats;
import io.blockbuster.stream.SourceStatus;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.websocket.ServerStats;
import java.util.function.ToLongFunction;

/**
 * Renders a hub's and a server's counters in the Prometheus text exposition format (version
 * 0.0.4), for a {@code /metrics} endpoint: no client library, just the snapshot objects as lines.
 * Every metric is prefixed {@code blockbuster_}; per-stream metrics carry a {@code stream} label.
 * Serve the result with {@link #CONTENT_TYPE}. Stateless and thread safe.
 *
 * <pre>{@code
 * String body = PrometheusText.render(hub.stats(), server.stats());
 * }</pre>
 */
public final class PrometheusText {
    /** The Content-Type for the rendered text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /**
     * The metrics of {@code hub} and {@code server}, either of which may be null (left out).
     *
     * @return the exposition text, one sample per line, ending with a newline
     */
    public static String render(HubStats hub, ServerStats server) {
        StringBuilder out = new StringBuilder(1024);
        if (server != null) {
            gauge(out, "blockbuster_server_connections", "WebSocket connections open or handshaking.", server.connections());
            counter(out, "blockbuster_server_connections_opened_total", "WebSocket connections that finished the opening handshake.",
                    server.connectionsOpened());
            counter(out, "blockbuster_server_slow_peers_closed_total", "Connections closed because the peer read too slowly.",
                    server.slowPeersClosed());
            header(out, "blockbuster_server_handshakes_rejected_total", "counter",
                    "Requests answered with an HTTP error instead of 101 Switching Protocols, by status.");
            server.handshakesRejected().forEach((status, n) -> out.append("blockbuster_server_handshakes_rejected_total{status=\"")
                    .append(status).append("\"} ").append(n).append('\n'));
        }
        if (hub != null) {
            gauge(out, "blockbuster_hub_connections", "Open hub connections.", hub.connections());
            counter(out, "blockbuster_hub_connections_opened_total", "Hub connections opened.", hub.connectionsOpened());
            counter(out, "blockbuster_hub_slow_consumers_disconnected_total",
                    "Hub connections closed with 4000 (slow consumer).", hub.slowConsumersDisconnected());
            counter(out, "blockbuster_hub_error_replies_total", "Error replies sent for bad requests.", hub.errorReplies());
            if (hub.engine() != null) {
                gauge(out, "blockbuster_hub_engine_healthy",
                        "1 while the hub's stream engine can publish and deliver (a cluster engine reaches its store), else 0.",
                        hub.engine().healthy() ? 1 : 0);
            }
            perStream(out, hub, "blockbuster_stream_subscribers", "gauge", "Current subscribers of the stream.", StreamStats::subscribers);
            perStream(out, hub, "blockbuster_stream_last_seq", "gauge", "Seq of the stream's newest message.", StreamStats::lastSeq);
            perStream(out, hub, "blockbuster_stream_published_total", "counter", "Messages published on the stream.", StreamStats::published);
            perStream(out, hub, "blockbuster_stream_delivered_total", "counter",
                    "Messages handed to subscribers (one per subscriber per message).", StreamStats::delivered);
            perStream(out, hub, "blockbuster_stream_dropped_total", "counter",
                    "QUEUE messages discarded with a subscriber's overflowing queue.", StreamStats::dropped);
            perStream(out, hub, "blockbuster_stream_conflated_total", "counter",
                    "LATEST values a subscriber never got because a newer one replaced it.", StreamStats::conflated);
            perStream(out, hub, "blockbuster_stream_shed_total", "counter",
                    "QUEUE messages shed from a transport thread's backlog (one per subscriber).", StreamStats::shed);
            perStream(out, hub, "blockbuster_stream_source_consecutive_failures", "gauge",
                    "Failed or timed-out polls since the source's last success.",
                    st -> st.source() == null ? 0 : st.source().consecutiveFailures());
            header(out, "blockbuster_stream_source_health", "gauge", "1 for the source's current health, 0 for the others.");
            for (StreamStats s : hub.streams().values()) {
                for (SourceStatus.Health h : SourceStatus.Health.values()) {
                    out.append("blockbuster_stream_source_health{stream=\"");
                    escape(out, s.stream());
                    out.append("\",health=\"").append(h.name()).append("\"} ")
                            .append(s.source() != null && s.source().health() == h ? 1 : 0).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static void perStream(StringBuilder out, HubStats hub, String name, String type, String help,
                                  ToLongFunction<StreamStats> value) {
        header(out, name, type, help);
        for (StreamStats s : hub.streams().values()) {
            out.append(name).append("{stream=\"");
            escape(out, s.stream());
            out.append("\"} ").append(value.applyAsLong(s)).append('\n');
        }
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and line feed (the format's only escapes). */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
