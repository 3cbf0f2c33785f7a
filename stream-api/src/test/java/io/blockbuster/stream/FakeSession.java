package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** An in-memory session: records what the hub sends, and lets a test switch writability. */
final class FakeSession implements StreamSession {
    private final HandshakeInfo handshake;
    private final Fanout fanout;
    private final ArrayDeque<OutboundMessage> sent = new ArrayDeque<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile boolean writable = true;
    volatile Integer closeCode;

    volatile String closeReason;
    HubConnection connection;

    FakeSession() {
        this(HandshakeInfo.of("/ws", Map.of(), null));
    }

    FakeSession(HandshakeInfo handshake) {
        this(handshake, null);
    }

    /** A session the hub delivers to through {@code fanout} (null: on the publishing thread). */
    FakeSession(HandshakeInfo handshake, Fanout fanout) {
        this.handshake = handshake;
        this.fanout = fanout;
    }

    static FakeSession open(StreamHub hub) {
        return open(hub, null);
    }

    static FakeSession open(StreamHub hub, Fanout fanout) {
        FakeSession s = new FakeSession(HandshakeInfo.of("/ws", Map.of(), null), fanout);
        s.connection = hub.open(s);
        return s;
    }

    /** A session opened on {@code hub} whose welcome has been read (and checked to be one). */
    static FakeSession welcomed(StreamHub hub) {
        FakeSession s = open(hub);
        assertThat(s.next()).containsEntry("type", "welcome");
        return s;
    }

    @Override
    public HandshakeInfo handshake() {
        return handshake;
    }

    @Override
    public synchronized void send(OutboundMessage message) {
        assertThat(writable).as("send while not writable").isTrue();
        sent.add(message);
        notifyAll();
    }

    @Override
    public Fanout fanout() {
        return fanout;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeCode = code;
            closeReason = reason;
        }
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    void setWritable(boolean w) {
        writable = w;
        if (w && connection != null) {
            connection.writable();
        }
    }

    void request(String json) {
        connection.receiveText(json);
    }

    /** Sends a subscribe request resuming {@code stream} after {@code since}, with {@code epoch} unless null. */
    void resume(String stream, long since, String epoch) {
        request("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\",\"since\":" + since
                + (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + "}");
    }

    /** Removes and returns the oldest sent message, parsed. */
    @SuppressWarnings("unchecked")
    synchronized Map<String, Object> next() {
        OutboundMessage m = sent.poll();
        assertThat(m).as("a message was sent").isNotNull();
        return (Map<String, Object>) Json.parse(m.text());
    }

    synchronized OutboundMessage nextRaw() {
        return sent.poll();
    }

    /** Removes and returns all sent messages, parsed. */
    synchronized List<Map<String, Object>> drain() {
        List<Map<String, Object>> all = new ArrayList<>();
        while (!sent.isEmpty()) {
            all.add(next());
        }
        return all;
    }

    /**
     * Removes and returns the sent messages up to and including the first of {@code type}, waiting
     * for it while other threads may still be sending (fails after 30 s).
     */
    List<Map<String, Object>> nextUntil(String type) {
        List<Map<String, Object>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            synchronized (this) {
                while (!sent.isEmpty()) {
                    Map<String, Object> m = next();
                    got.add(m);
                    if (type.equals(m.get("type"))) {
                        return got;
                    }
                }
                assertThat(System.nanoTime()).as("waiting for a \"" + type + "\" message").isLessThan(deadline);
                try {
                    wait(100); // send() notifies
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    synchronized void assertNothingSent() {
        assertThat(sent).extracting(OutboundMessage::text).isEmpty();
    }
}
