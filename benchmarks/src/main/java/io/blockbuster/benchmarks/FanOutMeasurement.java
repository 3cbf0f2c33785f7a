package io.blockbuster.benchmarks;

import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.StreamSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough measurement of the hub core's fan-out (encode once, offer, drain) with in-memory sessions
 * that accept everything; {@code fanout.sh} measures over sockets.
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.blockbuster.benchmarks.FanOutMeasurement 1000 20000
 * </pre>
 */
public final class FanOutMeasurement {
    /** The published value. */
    public record Receipt(String txHash, long block, long gasUsed, boolean success) {
    }

    private FanOutMeasurement() {
    }

    public static void main(String[] args) {
        int subscribers = Integer.parseInt(args[0]);
        int messages = Integer.parseInt(args[1]);
        try (StreamHub hub = StreamHub.builder().build()) {
            PushedSource source = new PushedSource();
            hub.register("receipts", source, StreamOptions.events().withQueueCapacity(1 << 20));
            hub.start();
            AtomicLong bytes = new AtomicLong();
            for (int i = 0; i < subscribers; i++) {
                Map<String, Object> attributes = new ConcurrentHashMap<>();
                StreamSession session = new StreamSession() {
                    @Override
                    public HandshakeInfo handshake() {
                        return HandshakeInfo.of("/ws", Map.of(), null);
                    }

                    @Override
                    public void send(OutboundMessage message) {
                        bytes.addAndGet(message.length());
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
                };
                hub.open(session).receiveText("{\"type\":\"subscribe\",\"stream\":\"receipts\"}");
            }
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                long before = bytes.get();
                for (int i = 0; i < messages; i++) {
                    source.publish(new Receipt("0x" + Long.toHexString(i * 7919L), 1000 + i, 21000 + i, true));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %d messages x %d subscribers in %.2f s: %.0f published/s, %.1f M deliveries/s, %.0f MB/s%n",
                        round, messages, subscribers, seconds, messages / seconds,
                        messages * (double) subscribers / seconds / 1e6, (bytes.get() - before) / seconds / 1e6);
            }
        }
    }
}
