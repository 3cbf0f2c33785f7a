package io.blockbuster.benchmarks;

import io.blockbuster.stream.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Serialization of the envelope of a typical network_metrics message to UTF-8 bytes, e.g.
 * {@code {"type":"network_metrics","data":{"network_strength":98.7,...},"timestamp":1732567890123}}
 * (about 230 bytes), through our JSON writer, with the data as a record (read by reflection, cached
 * per class) and as a map. {@link #handWritten} is a StringBuilder with the same output: the floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonEnvelopeBenchmark {

    /** The data of one network_metrics message. Public: the writer reads records by reflection. */
    public record NetworkMetrics(double network_strength, long block_height, double finality_time, int peer_count,
                                 double tps, long bandwidth_in, long bandwidth_out, int active_connections) {
    }

    /** The envelope every stream message travels in. */
    public record Envelope(String type, Object data, long timestamp) {
    }

    private NetworkMetrics metrics;
    private Map<String, Object> metricsMap;
    private long timestamp;

    @Setup
    public void setUp() {
        metrics = new NetworkMetrics(98.7, 18_734_512L, 2.35, 142, 1834.5, 52_428_800L, 31_457_280L, 9_876);
        metricsMap = new LinkedHashMap<>();
        metricsMap.put("network_strength", metrics.network_strength());
        metricsMap.put("block_height", metrics.block_height());
        metricsMap.put("finality_time", metrics.finality_time());
        metricsMap.put("peer_count", metrics.peer_count());
        metricsMap.put("tps", metrics.tps());
        metricsMap.put("bandwidth_in", metrics.bandwidth_in());
        metricsMap.put("bandwidth_out", metrics.bandwidth_out());
        metricsMap.put("active_connections", metrics.active_connections());
        timestamp = 1_732_567_890_123L;
    }

    @Benchmark
    public byte[] recordEnvelope() {
        return Json.writeUtf8(new Envelope("network_metrics", metrics, timestamp));
    }

    @Benchmark
    public byte[] mapEnvelope() {
        Map<String, Object> envelope = new LinkedHashMap<>(4);
        envelope.put("type", "network_metrics");
        envelope.put("data", metricsMap);
        envelope.put("timestamp", timestamp);
        return Json.writeUtf8(envelope);
    }

    @Benchmark
    public byte[] handWritten() {
        NetworkMetrics m = metrics;
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"network_metrics\",\"data\":{\"network_strength\":").append(m.network_strength())
                .append(",\"block_height\":").append(m.block_height())
                .append(",\"finality_time\":").append(m.finality_time())
                .append(",\"peer_count\":").append(m.peer_count())
                .append(",\"tps\":").append(m.tps())
                .append(",\"bandwidth_in\":").append(m.bandwidth_in())
                .append(",\"bandwidth_out\":").append(m.bandwidth_out())
                .append(",\"active_connections\":").append(m.active_connections())
                .append("},\"timestamp\":").append(timestamp).append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
