package io.blockbuster.stream;

/**
 * WebSocket close codes the hub uses (private-use range 4000-4999). The range tells a client what to
 * do: {@code 4000-4499} means reconnect (and resume), {@code 4500-4999} means stop, reconnecting will
 * not help. {@link #shouldReconnect(int)} encodes that rule together with the RFC 6455 codes.
 */
public final class StreamCloseCodes {
    /** The subscriber fell too far behind on a {@link DeliveryPolicy#QUEUE} stream. Reconnect and resume. */
    public static final int SLOW_CONSUMER = 4000;
    /** The hub is shutting down. Reconnect with backoff. */
    public static final int SHUTTING_DOWN = 4001;
    /** The hub failed internally (e.g. the transport refused a send). Reconnect with backoff. */
    public static final int HUB_ERROR = 4002;
    /** The server has too many connections. Reconnect with backoff. */
    public static final int TOO_MANY_CONNECTIONS = 4003;
    /** The connection's handshake was refused by the host's authorizer. Do not reconnect. */
    public static final int NOT_AUTHORIZED = 4500;

    private StreamCloseCodes() {
    }

    /**
     * Whether a client should reconnect after a close with {@code code}: false for 4500-4999, normal
     * closure (1000) and the codes that mean the client itself is broken (1002, 1003, 1007, 1008, 1010);
     * true for everything else, including an abnormal end (1006) and 4000-4499.
     */
    public static boolean shouldReconnect(int code) {
        if (code >= 4500 && code <= 4999) {
            return false;
        }
        return switch (code) {
            case 1000, 1002, 1003, 1007, 1008, 1010 -> false;
            default -> true;
        };
    }
}
