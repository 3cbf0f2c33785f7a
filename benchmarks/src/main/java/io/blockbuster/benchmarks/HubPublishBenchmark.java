package io.blockbuster.benchmarks;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.StreamSession;
import io.blockbuster.stream.json.RawJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hub's share of a fan-out, without sockets: one publish of a 256-byte value to N subscribers
 * whose sessions only count what they are given. Score / N is the hub's cost per delivery (the
 * transport's share is on top: see the fan-out benchmark's raw mode).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HubPublishBenchmark {

    @Param({"1000", "10000"})
    public int subscribers;

    private StreamHub hub;
    private PushedSource source;
    private final List<CountingSession> sessions = new ArrayList<>();
    private RawJson value;

    /** A session that is always writable and drops what it is sent. */
    static final class CountingSession implements StreamSession {
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        long sent;

        @Override
        public HandshakeInfo handshake() {
            return new HandshakeInfo("/ws", Map.of(), Map.of(), null);
        }

        @Override
        public void send(OutboundMessage message) {
            sent++;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public Map<String, Object> attributes() {
            return attributes;
        }
    }

    @Setup
    public void setUp() {
        hub = StreamHub.builder().build();
        source = new PushedSource();
        hub.register("bench", source, StreamOptions.events());
        hub.start();
        for (int i = 0; i < subscribers; i++) {
            CountingSession session = new CountingSession();
            HubConnection connection = hub.open(session);
            connection.receiveText("{\"type\":\"subscribe\",\"stream\":\"bench\"}");
            sessions.add(session);
        }
        StringBuilder json = new StringBuilder("{\"seq\":1,\"t\":123456789,\"pad\":\"");
        while (json.length() < 254) {
            json.append('x');
        }
        value = RawJson.trusted(json.append("\"}").toString());
        source.publish(value);
        long delivered = sessions.stream().mapToLong(s -> s.sent).min().orElse(0);
        if (delivered < 2) { // welcome + subscribed + the first message
            throw new IllegalStateException("subscribers did not receive the first message: " + delivered);
        }
    }

    @TearDown
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    public void publish() {
        source.publish(value);
    }
}
