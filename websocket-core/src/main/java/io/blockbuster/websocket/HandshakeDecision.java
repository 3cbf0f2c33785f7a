package io.blockbuster.websocket;

import java.util.Objects;

/**
 * What a {@link WebSocketHandler} decided about an upgrade request: accept it with a listener, or
 * reject it with an HTTP status. Immutable.
 */
public final class HandshakeDecision {
    private final WebSocketListener listener;
    private final String subprotocol;
    private final int status;
    private final String body;

    private HandshakeDecision(WebSocketListener listener, String subprotocol, int status, String body) {
        this.listener = listener;
        this.subprotocol = subprotocol;
        this.status = status;
        this.body = body;
    }

    /**
     * Accepts the upgrade; the server picks the subprotocol (the first one the client offered that
     * the server supports).
     */
    public static HandshakeDecision accept(WebSocketListener listener) {
        return new HandshakeDecision(Objects.requireNonNull(listener, "listener"), null, 101, null);
    }

    /**
     * Accepts the upgrade with the given subprotocol, which must be one the client offered (or null
     * for none).
     */
    public static HandshakeDecision accept(WebSocketListener listener, String subprotocol) {
        return new HandshakeDecision(Objects.requireNonNull(listener, "listener"), subprotocol, 101, null);
    }

    /**
     * Rejects the upgrade with an HTTP status (400-599) and a short text body; the connection is
     * closed after the response.
     */
    public static HandshakeDecision reject(int status, String body) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400-599: " + status);
        }
        return new HandshakeDecision(null, null, status, body == null ? "" : body);
    }

    /** True for an acceptance. */
    public boolean isAccepted() {
        return listener != null;
    }

    /** The listener of an accepted connection; null for a rejection. */
    public WebSocketListener listener() {
        return listener;
    }

    /** The subprotocol chosen by the handler, or null to let the server choose. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The HTTP status: 101 for an acceptance. */
    public int status() {
        return status;
    }

    /** The rejection body; null for an acceptance. */
    public String body() {
        return body;
    }
}
