package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.Handshake;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.protocol.Extension;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.ProtocolSession;
import io.blockbuster.websocket.protocol.Role;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link WebSocket} a host holds for one {@link LoopConnection} (the same object in every callback
 * and in the client's future): the sends, which go to the {@link Outbox}, and what the connection
 * learned at its opening (addresses, subprotocol, extensions, the request head).
 *
 * <p>Threading: any thread. Sends encode on the caller's thread under the send lock; what the
 * connection learned is written once on the loop thread before the host can see this object.
 */
final class ConnectionHandle implements WebSocket {
    private final LoopConnection connection;
    private final Outbox outbox;
    private final ProtocolSession session;
    private final ConnectionIo io;
    private final Role role;
    private final InetSocketAddress remote;
    private volatile InetSocketAddress local;
    /**
     * The opening request's head as it went over the wire; {@link #request()} parses it on demand.
     * Raw bytes cost a few hundred bytes where a parsed head costs a couple of KiB per idle connection.
     */
    private volatile byte[] requestHead;
    private volatile String subprotocol;
    private volatile List<String> extensionNames = List.of();
    private volatile ConcurrentMap<String, Object> attributes;

    ConnectionHandle(LoopConnection connection, Outbox outbox, ProtocolSession session, ConnectionIo io, Role role, InetSocketAddress remote) {
        this.connection = connection;
        this.outbox = outbox;
        this.session = session;
        this.io = io;
        this.role = role;
        this.remote = remote;
    }

    // ---- set by the connection (loop thread) ----

    void local(InetSocketAddress address) {
        local = address;
    }

    void requestHead(byte[] head) {
        requestHead = head;
    }

    void negotiated(String subprotocol, List<Extension> extensions) {
        List<String> names = new ArrayList<>(extensions.size());
        for (Extension e : extensions) {
            names.add(e.response().toHeaderValue());
        }
        this.subprotocol = subprotocol;
        this.extensionNames = List.copyOf(names);
    }

    EventLoop loop() {
        return connection.loopOf();
    }

    /** The socket side, for a group's {@link ConnectionIo#hold() hold} and {@link ConnectionIo#release() release}. */
    ConnectionIo io() {
        return io;
    }

    /** See {@link Outbox#sendUnwatched}. */
    boolean sendUnwatched(PreparedMessage message) {
        return outbox.sendUnwatched(message);
    }

    /** See {@link Outbox#whenWritable}. Loop thread. */
    void whenWritable(Runnable task) {
        outbox.whenWritable(task);
    }

    /** True while a flush task for this connection is queued on its loop (for tests). */
    boolean isFlushScheduled() {
        return io.isFlushScheduled();
    }

    // ---- WebSocket ----

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        return outbox.sendData(Opcode.TEXT, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), null);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return outbox.sendData(Opcode.BINARY, data.duplicate(), null);
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        return outbox.sendData(PreparedAccess.get().opcode(message), null, message);
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuffer payload) {
        return outbox.sendControl(Opcode.PING, payload);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuffer payload) {
        return outbox.sendControl(Opcode.PONG, payload);
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        if (!CloseCodes.isValidToSend(code)) {
            throw new IllegalArgumentException("close code not valid to send: " + code);
        }
        String r = reason == null ? "" : reason;
        CompletableFuture<Void> f = outbox.sendClose(code, r);
        if (f == null) {
            return CompletableFuture.completedFuture(null);
        }
        connection.closeSent();
        io.scheduleFlush();
        return f;
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpenState() && !session.isClosing();
    }

    @Override
    public long bufferedBytes() {
        return outbox.bytes();
    }

    @Override
    public boolean isWritable() {
        return outbox.isWritable();
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
        ConcurrentMap<String, Object> a = attributes;
        if (a == null) {
            synchronized (this) { // once per connection, never on the send path
                a = attributes;
                if (a == null) {
                    a = new ConcurrentHashMap<>(4);
                    attributes = a;
                }
            }
        }
        return a;
    }

    @Override
    public Handshake handshake() {
        return new Handshake(RequestView.of(request()), subprotocol, extensionNames, remote, local);
    }

    /** The opening request, parsed from its retained bytes on each call; null before it is known. */
    HttpRequest request() {
        byte[] head = requestHead;
        return head == null ? null : new HttpRequestParser(head.length + 64).parse(ByteBuffer.wrap(head));
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
