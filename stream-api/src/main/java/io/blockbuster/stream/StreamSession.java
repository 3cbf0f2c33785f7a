package io.blockbuster.stream;

import java.util.Map;

/**
 * One client connection as the hub sees it: the small interface any transport implements. The hub
 * never blocks on it and knows nothing of sockets.
 *
 * <p>Contract for the transport:
 * <ul>
 *   <li>{@link #send} queues the message and returns at once; the hub never calls it concurrently for
 *       one session (it may call it from different threads, one at a time).</li>
 *   <li>{@link #isWritable()} is the backpressure query: false while the transport's outbound buffer is
 *       above its high-water mark. The hub stops sending then, keeps what is pending under the stream's
 *       {@link DeliveryPolicy}, and resumes when the transport calls {@link HubConnection#writable()},
 *       which it must do after every change from not writable to writable.</li>
 *   <li>{@link #close} starts a close handshake; the transport then calls {@link HubConnection#closed()}
 *       exactly once, also when the peer closes or the connection breaks.</li>
 * </ul>
 */
public interface StreamSession {

    /** The opening handshake, for authorization. */
    HandshakeInfo handshake();

    /** Queues {@code message} as one text message; must not block. The message's bytes are shared: do not modify. */
    void send(OutboundMessage message);

    /** Whether the transport can take more without passing its high-water mark. */
    boolean isWritable();

    /** Closes the connection with a WebSocket close code and a short reason; idempotent. */
    void close(int code, String reason);

    /**
     * How the hub should deliver published messages to this session: through the transport's
     * {@link Fanout}, on the session's own thread, gathering what is published while that thread is
     * busy; or null (the default) to deliver on the publishing thread. Sessions that return the same
     * fanout share its groups, so a publish to many sessions costs the publisher one hand-off per
     * group. Must return the same fanout every time.
     */
    default Fanout fanout() {
        return null;
    }

    /** Per-connection attributes for the host (e.g. an authenticated user); a thread-safe mutable map. */
    Map<String, Object> attributes();
}
