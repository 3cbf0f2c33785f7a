package io.blockbuster.stream;

/**
 * The host's authorization hook, asked with the connection's handshake: once when a connection opens,
 * and once per subscribe request. Must be thread safe and quick; it runs on transport threads.
 * A refused connection is closed with {@link StreamCloseCodes#NOT_AUTHORIZED}; a refused
 * subscription gets an {@code error} reply with code {@code not_authorized} and the connection stays.
 * Streams a connection may not subscribe to are also left out of its welcome's
 * {@code available_streams}. An authorizer that throws refuses (the exception is logged).
 */
@FunctionalInterface
public interface StreamAuthorizer {

    /** Whether the connection may subscribe to {@code stream}. */
    boolean maySubscribe(HandshakeInfo handshake, String stream);

    /** Whether the connection may stay open at all; by default yes. */
    default boolean mayConnect(HandshakeInfo handshake) {
        return true;
    }

    /** Allows everything. */
    static StreamAuthorizer allowAll() {
        return (handshake, stream) -> true;
    }
}
