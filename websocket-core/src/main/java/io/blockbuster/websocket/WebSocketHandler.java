package io.blockbuster.websocket;

/**
 * Decides about an upgrade request on one path: accept with a listener, or reject with an HTTP
 * status (for example {@code 401} when a token in the query is missing).
 *
 * <p>Runs on an event-loop thread after the server's own checks (RFC 6455 validation, Origin
 * allow-list, connection limit) passed; it must not block. A handler that throws rejects the
 * request with {@code 500}.
 */
@FunctionalInterface
public interface WebSocketHandler {

    /**
     * Decides about one request.
     *
     * @param request the validated upgrade request: path, query, headers, offered subprotocols
     * @return the decision, never null
     */
    HandshakeDecision handshake(RequestHead request);
}
