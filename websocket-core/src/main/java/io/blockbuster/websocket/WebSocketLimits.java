package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of a server or client. Immutable; build one with {@link #builder()} (starting
 * from the defaults) or change a copy with {@link #toBuilder()}. A {@link Duration#ZERO} timer is switched off.
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
            Duration.ofSeconds(5), 32 * 1024, 64 * 1024, 16L << 20, CloseCodes.POLICY_VIOLATION);

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
        require(slowPeerCloseCode == CloseCodes.POLICY_VIOLATION || slowPeerCloseCode == CloseCodes.TRY_AGAIN_LATER,
                "slowPeerCloseCode must be 1008 or 1013");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets limits one at a time; {@link #build()} validates them together. Not thread safe. */
    public static final class Builder {
        private int maxConnections;
        private int maxHandshakeHeaderBytes;
        private Duration handshakeTimeout;
        private long maxFramePayloadBytes;
        private long maxMessageBytes;
        private Duration idleTimeout;
        private Duration pingInterval;
        private Duration pongTimeout;
        private Duration closeTimeout;
        private int writeLowWatermark;
        private int writeHighWatermark;
        private long maxBufferedBytes;
        private int slowPeerCloseCode;

        private Builder(WebSocketLimits from) {
            maxConnections = from.maxConnections;
            maxHandshakeHeaderBytes = from.maxHandshakeHeaderBytes;
            handshakeTimeout = from.handshakeTimeout;
            maxFramePayloadBytes = from.maxFramePayloadBytes;
            maxMessageBytes = from.maxMessageBytes;
            idleTimeout = from.idleTimeout;
            pingInterval = from.pingInterval;
            pongTimeout = from.pongTimeout;
            closeTimeout = from.closeTimeout;
            writeLowWatermark = from.writeLowWatermark;
            writeHighWatermark = from.writeHighWatermark;
            maxBufferedBytes = from.maxBufferedBytes;
            slowPeerCloseCode = from.slowPeerCloseCode;
        }

        /** See {@link WebSocketLimits#maxConnections()}. */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        /** See {@link WebSocketLimits#maxHandshakeHeaderBytes()}. */
        public Builder maxHandshakeHeaderBytes(int value) {
            maxHandshakeHeaderBytes = value;
            return this;
        }

        /** See {@link WebSocketLimits#handshakeTimeout()}. */
        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = value;
            return this;
        }

        /** See {@link WebSocketLimits#maxFramePayloadBytes()} and {@link WebSocketLimits#maxMessageBytes()}. */
        public Builder maxSizes(long framePayloadBytes, long messageBytes) {
            maxFramePayloadBytes = framePayloadBytes;
            maxMessageBytes = messageBytes;
            return this;
        }

        /** See {@link WebSocketLimits#idleTimeout()}. */
        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        /** See {@link WebSocketLimits#pingInterval()} and {@link WebSocketLimits#pongTimeout()}. */
        public Builder ping(Duration interval, Duration pongTimeout) {
            this.pingInterval = interval;
            this.pongTimeout = pongTimeout;
            return this;
        }

        /** See {@link WebSocketLimits#closeTimeout()}. */
        public Builder closeTimeout(Duration value) {
            closeTimeout = value;
            return this;
        }

        /** The outbound watermarks and hard limit; see the {@link WebSocketLimits} class comment. */
        public Builder writeBuffer(int lowWatermark, int highWatermark, long maxBufferedBytes) {
            this.writeLowWatermark = lowWatermark;
            this.writeHighWatermark = highWatermark;
            this.maxBufferedBytes = maxBufferedBytes;
            return this;
        }

        /** {@code 1008} or {@code 1013}. */
        public Builder slowPeerCloseCode(int value) {
            slowPeerCloseCode = value;
            return this;
        }

        /** The limits; throws {@link IllegalArgumentException} on nonsense. */
        public WebSocketLimits build() {
            return new WebSocketLimits(maxConnections, maxHandshakeHeaderBytes, handshakeTimeout, maxFramePayloadBytes,
                    maxMessageBytes, idleTimeout, pingInterval, pongTimeout, closeTimeout, writeLowWatermark,
                    writeHighWatermark, maxBufferedBytes, slowPeerCloseCode);
        }
    }
}
