package io.blockbuster.websocket.protocol;

/**
 * The opening handshake failed. On the server it carries the HTTP status to answer with
 * ({@link ServerHandshake#reject(int, String)} renders the response); on the client the status
 * is that of the server's response (0 when the failure was not about a status).
 */
public final class HandshakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status
     * @param message a short description, safe to send in a response body
     */
    public HandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** Returns the HTTP status (0 on the client when the response had no valid status line). */
    public int status() {
        return status;
    }

    /**
     * Server side: renders the rejection to send, {@link ServerHandshake#reject(int, String)} with
     * this status and message (a 426 carries {@code Sec-WebSocket-Version: 13}).
     *
     * @return new response bytes
     */
    public java.nio.ByteBuffer response() {
        return ServerHandshake.reject(status >= 100 && status <= 999 ? status : 400, getMessage());
    }
}
