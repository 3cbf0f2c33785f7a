package io.blockbuster.websocket.protocol;

/**
 * The peer broke the protocol. Carries the close code to send back (1002 protocol error, 1007
 * invalid UTF-8, 1009 too big, ...) and a short reason that is safe to put on the wire.
 * Never used for caller mistakes, which get {@link IllegalArgumentException} or
 * {@link IllegalStateException}.
 */
public final class WebSocketProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * Creates the exception.
     *
     * @param closeCode the close code to send to the peer
     * @param reason a short reason, safe to send
     */
    public WebSocketProtocolException(int closeCode, String reason) {
        super(reason);
        this.closeCode = closeCode;
    }

    /** Returns the close code to send to the peer. */
    public int closeCode() {
        return closeCode;
    }
}
