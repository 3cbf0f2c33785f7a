package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockbuster.stream.DeliveryPolicy;
import io.blockbuster.stream.HubStats;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.SourceStatus;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamStats;
import io.blockbuster.websocket.ServerStats;
import io.blockbuster.websocket.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus rendering of a live hub and server, read back line by line as a scraper would. */
class PrometheusTextTest {
    /** One sample line: name, optional labels, an integer value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*\\})? (-?[0-9]+)");

    @Test
    void liveHubAndServerCountersAreRenderedInTheTextFormat() throws Exception {
        StreamHub hub = StreamHub.builder().build();
        PushedSource ticks = new PushedSource();
        hub.register("ticks", ticks);
        hub.start();
        WebSocketServer server = StreamBinding.serve(hub, 0, "/ws");
        try {
            // Two real upgrades refused: no endpoint at that path.
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/nowhere"), new WebSocket.Listener() { })
                        .get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(WebSocketHandshakeException.class);
            }
            BlockingQueue<String> texts = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            texts.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            assertThat(texts.poll(30, TimeUnit.SECONDS)).contains("\"welcome\"");
            ws.sendText("{\"type\":\"subscribe\",\"stream\":\"ticks\"}", true);
            assertThat(texts.poll(30, TimeUnit.SECONDS)).contains("\"subscribed\"");
            ticks.publish(Map.of("n", 1));
            ticks.publish(Map.of("n", 2));
            assertThat(texts.poll(30, TimeUnit.SECONDS)).startsWith("{\"type\":\"ticks\"");
            assertThat(texts.poll(30, TimeUnit.SECONDS)).startsWith("{\"type\":\"ticks\"");

            Map<String, Long> m = parse(PrometheusText.render(hub.stats(), server.stats()));
            assertThat(m).containsEntry("blockbuster_server_connections", 1L)
                    .containsEntry("blockbuster_server_connections_opened_total", 1L)
                    .containsEntry("blockbuster_server_slow_peers_closed_total", 0L)
                    .containsEntry("blockbuster_server_handshakes_rejected_total{status=\"404\"}", 2L)
                    .containsEntry("blockbuster_hub_connections", 1L)
                    .containsEntry("blockbuster_hub_connections_opened_total", 1L)
                    .containsEntry("blockbuster_hub_slow_consumers_disconnected_total", 0L)
                    .containsEntry("blockbuster_stream_subscribers{stream=\"ticks\"}", 1L)
                    .containsEntry("blockbuster_stream_published_total{stream=\"ticks\"}", 2L)
                    .containsEntry("blockbuster_stream_delivered_total{stream=\"ticks\"}", 2L)
                    .containsEntry("blockbuster_stream_last_seq{stream=\"ticks\"}", 2L)
                    .containsEntry("blockbuster_stream_source_health{stream=\"ticks\",health=\"HEALTHY\"}", 1L)
                    .containsEntry("blockbuster_stream_source_health{stream=\"ticks\",health=\"FAILING\"}", 0L);
            ws.abort();
        } finally {
            server.shutdown(Duration.ofSeconds(5));
            hub.close();
        }
    }

    @Test
    void labelValuesAreEscapedAndEitherSnapshotMayBeLeftOut() {
        Map<String, StreamStats> streams = new LinkedHashMap<>();
        String odd = "a\"b\\c\nd";
        streams.put(odd, new StreamStats(odd, DeliveryPolicy.QUEUE, 0, 0, 0, 0, 0, 0, 0,
                new SourceStatus(SourceStatus.Health.FAILING, 3, "IOException: down", null, null)));
        Map<String, Long> m = parse(PrometheusText.render(new HubStats(0, 0, 0, 0, streams), null));
        assertThat(m).containsEntry("blockbuster_stream_source_consecutive_failures{stream=\"a\\\"b\\\\c\\nd\"}", 3L)
                .doesNotContainKey("blockbuster_server_connections");
        assertThat(parse(PrometheusText.render(null, new ServerStats(2, 5, 1, Map.of()))))
                .containsOnlyKeys("blockbuster_server_connections", "blockbuster_server_connections_opened_total",
                        "blockbuster_server_slow_peers_closed_total")
                .containsEntry("blockbuster_server_slow_peers_closed_total", 1L);
        assertThat(parse(PrometheusText.render(null, new ServerStats(0, 0, 0, Map.of(429, 7L, 400, 1L)))))
                .containsEntry("blockbuster_server_handshakes_rejected_total{status=\"400\"}", 1L)
                .containsEntry("blockbuster_server_handshakes_rejected_total{status=\"429\"}", 7L);
    }

    /**
     * Parses the exposition text strictly: every metric has one HELP and one TYPE line before its
     * samples, every other line is a sample, no series appears twice.
     */
    private static Map<String, Long> parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, Long> samples = new HashMap<>();
        List<String> typed = new ArrayList<>();
        String help = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                help = line.split(" ")[2];
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertThat(parts[2]).as("TYPE after its HELP").isEqualTo(help);
                assertThat(parts[3]).isIn("counter", "gauge");
                assertThat(typed).as("one TYPE per metric").doesNotContain(parts[2]);
                typed.add(parts[2]);
                if (parts[2].endsWith("_total")) {
                    assertThat(parts[3]).isEqualTo("counter");
                }
            } else {
                Matcher s = SAMPLE.matcher(line);
                assertThat(s.matches()).as("sample line: " + line).isTrue();
                assertThat(typed).as("sample of a declared metric").isNotEmpty();
                assertThat(s.group(1)).isEqualTo(typed.get(typed.size() - 1));
                String series = s.group(1) + (s.group(2) == null ? "" : s.group(2));
                assertThat(samples.put(series, Long.parseLong(s.group(3)))).as("duplicate " + series).isNull();
            }
        }
        return samples;
    }
}
