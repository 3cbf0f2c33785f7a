package io.blockbuster.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a server or client. Immutable; start from {@link #DEFAULTS} and change what
 * you need with the {@code with...} methods. A {@link Duration#ZERO} timer is switched off.
 *
 * @param maxConnections          server: connections beyond this are refused (the socket is closed at
 *                                once); default 10,000
 * @param maxHandshakeHeaderBytes largest request (server) or response (client) head; bigger heads get
 *                                {@code 431}; default 8 KiB
 * @param handshakeTimeout        time allowed from accept (or connect) to a finished handshake; a
 *                                trickled handshake is dropped when it runs out; default 10 s
 * @param maxFramePayloadBytes    largest inbound frame payload, else close {@code 1009}; default 1 MiB
 * @param maxMessageBytes         largest inbound message, fragments together, else close {@code 1009};
 *                                default 1 MiB
 * @param idleTimeout             a connection that receives nothing for this long is closed with
 *                                {@code 1001}; default off
 * @param pingInterval            a ping is sent after this long without receiving anything; default 30 s
 * @param pongTimeout             a peer that sends nothing (no pong) this long after our ping is dead:
 *                                the connection is dropped and reported as {@code 1006}; default 10 s
 * @param closeTimeout            time to wait for the peer's close frame after sending ours; default 5 s
 * @param writeLowWatermark       outbound bytes below which a not-writable connection is writable
 *                                again; default 32 KiB
 * @param writeHighWatermark      outbound bytes above which a connection is not writable; default 64 KiB
 * @param maxBufferedBytes        hard limit on outbound bytes: a send that would take the queue
 *                                past it fails, and the peer, too slow, is closed with
 *                                {@code slowPeerCloseCode}; while the queue is below the low
 *                                watermark any one message goes (even one larger than the limit);
 *                                default 16 MiB
 * @param slowPeerCloseCode       {@code 1008} (default) or {@code 1013}
 */
public record WebSocketLimits(
        int maxConnections,
        int maxHandshakeHeaderBytes,
        Duration handshakeTimeout,
        long maxFramePayloadBytes,
        long maxMessageBytes,
        Duration idleTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Duration closeTimeout,
        int writeLowWatermark,
        int writeHighWatermark,
        long maxBufferedBytes,
        int slowPeerCloseCode) {

    /** The defaults listed in the class comment; safe for the open internet. */
    public static final WebSocketLimits DEFAULTS = new WebSocketLimits(10_000, 8192, Duration.ofSeconds(10),
            1 << 20, 1 << 20, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(5), 32 * 1024, 64 * 1024, 16L << 20, CloseStatus.POLICY_VIOLATION);

    /** Validates every limit; throws {@link IllegalArgumentException} on nonsense. */
    public WebSocketLimits {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pongTimeout, "pongTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        require(maxConnections > 0, "maxConnections must be positive");
        require(maxHandshakeHeaderBytes >= 256, "maxHandshakeHeaderBytes must be at least 256");
        require(maxFramePayloadBytes > 0 && maxMessageBytes > 0, "frame and message limits must be positive");
        require(maxMessageBytes <= Integer.MAX_VALUE - 64, "maxMessageBytes must fit in an array");
        require(!handshakeTimeout.isNegative() && !idleTimeout.isNegative() && !pingInterval.isNegative()
                && !pongTimeout.isNegative() && !closeTimeout.isNegative(), "durations must not be negative");
        require(pingInterval.isZero() || !pongTimeout.isZero(), "pongTimeout must be positive when pings are on");
        require(writeLowWatermark >= 0 && writeLowWatermark <= writeHighWatermark,
                "need 0 <= writeLowWatermark <= writeHighWatermark");
        require(maxBufferedBytes >= writeHighWatermark, "maxBufferedBytes must be >= writeHighWatermark");
        require(slowPeerCloseCode == CloseStatus.POLICY_VIOLATION || slowPeerCloseCode == CloseStatus.TRY_AGAIN_LATER,
                "slowPeerCloseCode must be 1008 or 1013");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Returns a copy with {@code maxConnections} changed. */
    public WebSocketLimits withMaxConnections(int value) {
        return new WebSocketLimits(value, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code maxHandshakeHeaderBytes} changed. */
    public WebSocketLimits withMaxHandshakeHeaderBytes(int value) {
        return new WebSocketLimits(maxConnections, value, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code handshakeTimeout} changed. */
    public WebSocketLimits withHandshakeTimeout(Duration value) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, value, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code maxFramePayloadBytes} and {@code maxMessageBytes} changed. */
    public WebSocketLimits withMaxSizes(long framePayloadBytes, long messageBytes) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, framePayloadBytes,
                messageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code idleTimeout} changed. */
    public WebSocketLimits withIdleTimeout(Duration value) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, value, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code pingInterval} and {@code pongTimeout} changed. */
    public WebSocketLimits withPing(Duration interval, Duration pongTimeout) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, interval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code closeTimeout} changed. */
    public WebSocketLimits withCloseTimeout(Duration value) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, value, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with the outbound watermarks and hard limit changed. */
    public WebSocketLimits withWriteBuffer(int lowWatermark, int highWatermark, long maxBufferedBytes) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, lowWatermark,
                highWatermark, maxBufferedBytes, slowPeerCloseCode);
    }

    /** Returns a copy with {@code slowPeerCloseCode} changed (1008 or 1013). */
    public WebSocketLimits withSlowPeerCloseCode(int value) {
        return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                writeHighWatermark, maxBufferedBytes, value);
    }
}
