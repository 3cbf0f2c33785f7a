package io.blockbuster.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory session: records what the hub sends, and lets a test switch writability. */
final class FakeSession implements StreamSession {
    private final HandshakeInfo handshake;
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
        this.handshake = handshake;
    }

    static FakeSession open(StreamHub hub) {
        FakeSession s = new FakeSession();
        s.connection = hub.open(s);
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

    synchronized void assertNothingSent() {
        assertThat(sent).extracting(OutboundMessage::text).isEmpty();
    }
}
