package io.blockbuster.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;

/**
 * One WebSocket connection, server or client side.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. Sends never block: each one
 * queues a whole message and returns a future that completes when the last byte of its frame has
 * been written to the socket, or fails (with {@link java.io.IOException} or
 * {@link IllegalStateException}) when the connection closes first. Messages queued by one thread
 * go out in the order they were queued and are never interleaved with other messages.
 *
 * <p><b>Buffers.</b> The bytes of a {@link ByteBuffer} handed to a send are read when the frame is
 * written, not when the method is called: do not modify them until the returned future completes.
 * Their position is not changed.
 *
 * <p><b>Backpressure.</b> {@link #bufferedBytes()} tells how much is queued. When it rises above the
 * configured high watermark the connection becomes not writable and the listener hears
 * {@link WebSocketListener#onWritabilityChanged onWritabilityChanged(false)}; below the low
 * watermark it becomes writable again. Past the hard limit ({@link WebSocketLimits#maxBufferedBytes()})
 * the peer is deemed too slow: queued messages that have not started are failed and the
 * connection is closed with the configured code ({@code 1008} by default).
 *
 * <p><b>Caller misuse</b> (an invalid close code, a control payload over 125 bytes) throws
 * {@link IllegalArgumentException} at once; a send after the close was started returns a failed
 * future.
 */
public interface WebSocket {

    /** Sends a text message as one frame. */
    CompletableFuture<Void> sendText(CharSequence text);

    /** Sends a binary message as one frame; {@code data} from its position to its limit. */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /**
     * Sends a message framed once for many connections (a broadcast). On a server connection the
     * shared frame bytes are written as they are, without encoding or copying per connection. Sent
     * from a {@link WebSocketGroup}'s delivery, on the connection's event loop, when nothing is
     * queued, it is written at once, and the future returned is an already completed one shared by
     * such sends: it cannot be obtruded.
     */
    CompletableFuture<Void> send(PreparedMessage message);

    /** Sends a ping; the payload must be at most 125 bytes. */
    CompletableFuture<Void> sendPing(ByteBuffer payload);

    /** Sends an unsolicited pong; the payload must be at most 125 bytes. */
    CompletableFuture<Void> sendPong(ByteBuffer payload);

    /**
     * Starts the close handshake: queues a close frame after the messages already queued. The
     * returned future completes when the close frame is written. The connection is closed when the
     * peer answers, or after the close timeout. Calling it again, or after the peer started the
     * close, returns a completed future and sends nothing more.
     *
     * @param code   a code valid to send: 1000-1003, 1007-1014 or 3000-4999
     * @param reason at most 123 UTF-8 bytes (longer reasons are truncated on a character boundary)
     */
    CompletableFuture<Void> close(int code, String reason);

    /** Drops the connection at once, without a close handshake; the listener hears {@code 1006}. */
    void abort();

    /** True from open until a close frame was sent or received or the connection dropped. */
    boolean isOpen();

    /** Bytes queued for this connection and not yet written to the socket. */
    long bufferedBytes();

    /** False while the outbound buffer is above the high watermark (see the class comment). */
    boolean isWritable();

    /**
     * Attributes a host keeps with this connection (a user id, a session). Thread safe. Created on
     * first use, so connections that never use it hold none.
     */
    ConcurrentMap<String, Object> attributes();

    /**
     * What the opening handshake settled: the request, subprotocol, extensions and addresses. The
     * connection keeps only the request's bytes (so an idle connection stays small) and parses
     * them on each call: keep what you need rather than calling this per message.
     */
    Handshake handshake();
}
