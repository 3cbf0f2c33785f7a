package io.blockbuster.stream.client;

import io.blockbuster.stream.Fanout;
import io.blockbuster.stream.HandshakeInfo;
import io.blockbuster.stream.HubConnection;
import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamSession;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Connects a StreamClient straight to a StreamHub in memory, on the caller's thread: no sockets, no threads. */
final class LoopbackConnector implements StreamClient.Connector {
    volatile StreamHub hub;
    volatile boolean refuse;
    /** The fanout of the connections opened from now on (null: the hub delivers on the publishing thread). */
    volatile Fanout fanout;
    final List<Loop> loops = new CopyOnWriteArrayList<>();
    final List<String> sentByClients = new CopyOnWriteArrayList<>();

    LoopbackConnector(StreamHub hub) {
        this.hub = hub;
    }

    /** One in-memory connection: a StreamSession on the hub side and a Link on the client side. */
    final class Loop implements StreamSession, StreamClient.Link {
        final StreamClient.LinkEvents events;
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        HubConnection connection;
        volatile boolean writable = true;
        volatile boolean closed;
        volatile Integer closeCode;

        Loop(StreamClient.LinkEvents events) {
            this.events = events;
        }

        @Override
        public HandshakeInfo handshake() {
            return HandshakeInfo.of("/ws", Map.of(), null);
        }

        @Override
        public void send(OutboundMessage message) {
            if (!closed) {
                events.onText(message.text());
            }
        }

        @Override
        public Fanout fanout() {
            return fanout;
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        /** Server or client closes (both roles share the signature; the close handshake is instant here). */
        @Override
        public void close(int code, String reason) {
            end(code, reason);
        }

        @Override
        public Map<String, Object> attributes() {
            return attributes;
        }

        @Override
        public void sendText(String text) {
            sentByClients.add(text);
            if (!closed) {
                connection.receiveText(text);
            }
        }

        /** The network drops the connection. */
        void drop() {
            end(1006, "");
        }

        void setWritable(boolean w) {
            writable = w;
            if (w) {
                connection.writable();
            }
        }

        private synchronized void end(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            closeCode = code;
            if (connection != null) {
                connection.closed();
            }
            events.onClosed(code, reason);
        }
    }

    @Override
    public CompletableFuture<StreamClient.Link> connect(URI uri, StreamClient.LinkEvents events) {
        if (refuse) {
            return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
        }
        Loop loop = new Loop(events);
        loops.add(loop);
        loop.connection = hub.open(loop);
        if (loop.closed) {
            return CompletableFuture.failedFuture(new java.io.IOException("closed during handshake"));
        }
        return CompletableFuture.completedFuture(loop);
    }

    Loop last() {
        return loops.get(loops.size() - 1);
    }
}
