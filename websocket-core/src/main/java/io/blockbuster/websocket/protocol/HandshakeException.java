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

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }
}
