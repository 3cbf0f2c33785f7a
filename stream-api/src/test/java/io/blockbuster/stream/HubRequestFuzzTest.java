package io.blockbuster.stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.protocol.ErrorCode;
import io.blockbuster.stream.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fuzzes the hub's request handling through its public seam (a {@link StreamSession} and the
 * {@link HubConnection} the hub returns), as a transport would drive it: any text, binary messages,
 * publishes, writability flips, the clock, the connection going away, in any order.
 *
 * <p>Input: a sequence of operations, each one byte (see {@link #run}), text operations followed by
 * a two-byte length and that many bytes (decoded as UTF-8, as the transport validates it).
 *
 * <p>Invariants: the first message is the {@code welcome}; every message is a JSON object whose
 * {@code type} is a reply, a notice or a stream's data; an {@code error} carries a known code; every
 * request gets exactly one reply ({@code pong}, {@code subscribed}, {@code unsubscribed} or
 * {@code error}), at once while the session is writable; nothing is sent while not writable or after
 * a close; the only close is {@code 4000} (slow consumer); data comes only for subscribed streams,
 * with rising {@code seq} within one subscription; the hub's subscriber counts agree with the
 * replies, and drop to zero when the connection goes. Seeds: {@code HubRequestFuzzTestInputs/}.
 */
class HubRequestFuzzTest {
    private static final List<String> STREAMS = List.of("events", "state", "small");
    private static final Set<String> REPLIES = Set.of("pong", "subscribed", "unsubscribed", "error");
    private static final Set<String> ERROR_CODES = new HashSet<>();
    private static final HubLimits LIMITS = new HubLimits(256, 2, 5, 8);

    static {
        for (ErrorCode c : ErrorCode.values()) {
            ERROR_CODES.add(c.wire());
        }
    }

    @FuzzTest(maxDuration = "15s") // as websocket-core's FuzzBudget.PER_TARGET
    void anyRequestsGetProtocolRepliesAndKeepTheStateConsistent(byte[] input) {
        FrozenScheduler time = new FrozenScheduler();
        StreamHub hub = StreamHub.builder().scheduler(time).sourceExecutor(Runnable::run)
                .epoch("e1").limits(LIMITS).build();
        PushedSource events = new PushedSource();
        PushedSource state = new PushedSource();
        PushedSource small = new PushedSource();
        hub.register("events", events, StreamOptions.events().withHistoryCapacity(4));
        hub.register("state", state, StreamOptions.state());
        hub.register("small", small, StreamOptions.events().withQueueCapacity(2).withHistoryCapacity(2));
        hub.start();
        try {
            run(hub, time, new PushedSource[] {events, state, small}, input);
        } finally {
            hub.close();
        }
    }

    /**
     * Operations by the low nibble of each byte: 0-5 a text request, 6 a binary message, 7 a publish
     * (stream by the high nibble), 8 not writable, 9 writable again, 10 the clock moves by the high
     * nibble times 100 ms, 11 the transport reports the connection gone; the rest are skipped.
     */
    private static void run(StreamHub hub, FrozenScheduler time, PushedSource[] sources, byte[] input) {
        Session session = new Session();
        session.connection = hub.open(session);
        Map<String, Object> welcome = session.take();
        check(welcome != null && "welcome".equals(welcome.get("type")), "the welcome comes first");
        check(welcome.get("available_streams").equals(STREAMS), "the welcome lists the streams");
        Set<String> subscribed = new HashSet<>();
        Map<String, Long> lastSeq = new HashMap<>();
        int requests = 0;
        int replies = 0;
        boolean gone = false;
        int value = 0;
        for (int i = 0; i < input.length; ) {
            int op = input[i] & 0x0F;
            int arg = (input[i] & 0xFF) >>> 4;
            i++;
            if (op <= 5) {
                int length = i + 1 < input.length ? ((input[i] & 0x03) << 8 | (input[i + 1] & 0xFF)) : 0;
                i = Math.min(input.length, i + 2);
                int end = Math.min(input.length, i + length);
                String text = new String(input, i, end - i, StandardCharsets.UTF_8);
                i = end;
                session.connection.receiveText(text);
                requests++;
            } else if (op == 6) {
                session.connection.receiveBinary();
                requests++;
            } else if (op == 7) {
                sources[arg % sources.length].publish(Map.of("n", value++));
            } else if (op == 8) {
                session.writable = false;
            } else if (op == 9) {
                session.writable = true;
                session.connection.writable();
            } else if (op == 10) {
                time.advance(arg * 100L);
            } else if (op == 11) {
                session.connection.closed();
                gone = true;
            }
            for (Map<String, Object> m; (m = session.take()) != null; ) {
                String type = (String) m.get("type");
                String stream = (String) m.get("stream");
                if (REPLIES.contains(type)) {
                    replies++;
                    check(replies <= requests, "a reply per request, no more: " + m);
                }
                switch (type) {
                    case "pong" -> { }
                    case "welcome" -> check(false, "one welcome");
                    case "subscribed" -> {
                        check(STREAMS.contains(stream) && subscribed.add(stream), "subscribed to a new, known stream: " + m);
                        check(subscribed.size() <= LIMITS.maxSubscriptions(), "at most maxSubscriptions");
                        check("e1".equals(m.get("epoch")), "subscribed carries the epoch");
                        lastSeq.put(stream, -1L);
                    }
                    case "unsubscribed" -> check(subscribed.remove(stream), "unsubscribed from a subscribed stream: " + m);
                    case "error" -> {
                        check(ERROR_CODES.contains(m.get("code")), "a known error code: " + m);
                        check(m.get("message") instanceof String, "an error explains itself");
                        check(stream == null || stream.length() <= 64, "an error names no long stream");
                    }
                    case "resync" -> check(subscribed.contains(stream), "resync only for a subscription: " + m);
                    default -> {
                        check(STREAMS.contains(type) && subscribed.contains(type), "data only for a subscription: " + m);
                        check(m.get("seq") instanceof Long seq && seq > lastSeq.get(type), "seq rises: " + m);
                        check("e1".equals(m.get("epoch")), "data carries the epoch");
                        lastSeq.put(type, (Long) m.get("seq"));
                    }
                }
            }
            if (session.closeCode != null) {
                check(session.closeCode == StreamCloseCodes.SLOW_CONSUMER, "the only close is slow consumer, got " + session.closeCode);
                if (!gone) {
                    session.connection.closed(); // as the transport reports once the close is done
                    gone = true;
                }
            }
            if (!gone && session.writable) {
                check(replies == requests, "every request answered at once while writable: " + replies + " of " + requests);
            }
            HubStats stats = hub.stats();
            for (String name : STREAMS) {
                if (!gone && replies < requests) {
                    break; // a subscribe's reply still waits: the hub counts what the client cannot know yet
                }
                int expected = !gone && subscribed.contains(name) ? 1 : 0;
                check(stats.streams().get(name).subscribers() == expected,
                        name + " has " + expected + " subscribers in the hub's count, not " + stats.streams().get(name).subscribers());
            }
            check(stats.connections() == (gone ? 0 : 1), "the hub counts the connection while it is open");
        }
        session.connection.closed();
        check(hub.stats().connections() == 0, "a closed connection is released");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The session a transport would implement, recording what the hub sends. */
    private static final class Session implements StreamSession {
        final List<String> sent = new ArrayList<>();
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        HubConnection connection;
        boolean writable = true;
        Integer closeCode;

        @Override
        public HandshakeInfo handshake() {
            return HandshakeInfo.of("/ws", Map.of(), null);
        }

        @Override
        public void send(OutboundMessage message) {
            check(writable, "nothing is sent while not writable");
            check(closeCode == null, "nothing is sent after a close");
            sent.add(message.text());
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void close(int code, String reason) {
            check(reason.length() <= 123, "a close reason fits a close frame");
            if (closeCode == null) {
                closeCode = code;
            }
        }

        @Override
        public Map<String, Object> attributes() {
            return attributes;
        }

        /** The oldest message sent and not yet taken, parsed; null if none. */
        @SuppressWarnings("unchecked")
        Map<String, Object> take() {
            if (sent.isEmpty()) {
                return null;
            }
            String text = sent.remove(0);
            Object parsed;
            try {
                parsed = Json.parse(text);
            } catch (JsonException e) {
                throw new AssertionError("the hub sent invalid JSON: " + text, e);
            }
            check(parsed instanceof Map<?, ?> m && m.get("type") instanceof String, "a JSON object with a type: " + text);
            return (Map<String, Object>) parsed;
        }
    }

    /** Time that moves only when the input says so; nothing scheduled ever runs (sources are pushed). */
    private static final class FrozenScheduler implements HubScheduler {
        private long nanos;

        void advance(long millis) {
            nanos += millis * 1_000_000L;
        }

        @Override
        public long currentTimeMillis() {
            return 1_764_000_000_000L + nanos / 1_000_000L;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            return () -> { };
        }
    }
}
