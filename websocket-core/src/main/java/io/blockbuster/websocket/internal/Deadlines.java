package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.WebSocketLimits;

/**
 * The deadlines of one connection behind its single {@link TimerHeap} entry: connect or opening
 * handshake, idle, keep-alive ping and its pong, and the close handshake. Knows the times and the
 * limits and says what is due; the connection acts on it. A read only updates a timestamp.
 *
 * <p>Threading: loop thread only. Times are {@link System#nanoTime()}; 0 means unset.
 */
final class Deadlines {
    /** What {@link #due} found, in the order it checks; a reason means the connection is dropped. */
    enum Due {
        NOTHING(null),
        CONNECT_TIMEOUT("connect timed out"),
        HANDSHAKE_TIMEOUT("opening handshake timed out"),
        CLOSE_TIMEOUT("close handshake timed out"),
        IDLE(null),
        NO_PONG("no pong within the pong timeout"),
        PING(null);

        /** Why the connection is dropped (reported with 1006), or null when it is not. */
        final String dropReason;

        Due(String dropReason) {
            this.dropReason = dropReason;
        }
    }

    private final WebSocketLimits limits;
    private long handshake;
    private long close;
    private long lastRead;
    private long pingSent;

    Deadlines(WebSocketLimits limits) {
        this.limits = limits;
    }

    /** The connect or opening handshake must be over {@code timeoutNanos} from now. */
    void handshakeWithin(long timeoutNanos) {
        handshake = System.nanoTime() + timeoutNanos;
    }

    void opened(long now) {
        handshake = 0;
        lastRead = now;
    }

    void read(long now) {
        lastRead = now;
    }

    /** Starts the close-handshake timeout unless it runs already; returns whether it started. */
    boolean armClose() {
        if (close != 0) {
            return false;
        }
        close = System.nanoTime() + limits.closeTimeout().toNanos();
        return true;
    }

    /** The next deadline in {@code state}, {@link Long#MAX_VALUE} for none. */
    long next(LoopConnection.State state, boolean closing) {
        switch (state) {
            case CONNECTING:
            case HANDSHAKE:
                return limits.handshakeTimeout().isZero() && state == LoopConnection.State.HANDSHAKE ? Long.MAX_VALUE : handshake;
            case OPEN: {
                long d = Long.MAX_VALUE;
                if (close != 0) {
                    d = close;
                }
                if (!closing) {
                    long idle = limits.idleTimeout().toNanos();
                    if (idle > 0) {
                        d = earlier(d, lastRead + idle);
                    }
                    long ping = limits.pingInterval().toNanos();
                    if (ping > 0) {
                        d = earlier(d, pingOutstanding() ? pingSent + limits.pongTimeout().toNanos() : lastRead + ping);
                    }
                }
                return d;
            }
            default:
                return Long.MAX_VALUE;
        }
    }

    /** What is due at {@code now}; a {@link Due#PING} counts as sent. */
    Due due(long now, LoopConnection.State state, boolean closing) {
        switch (state) {
            case CONNECTING:
            case HANDSHAKE:
                if (now - handshake >= 0) {
                    return state == LoopConnection.State.CONNECTING ? Due.CONNECT_TIMEOUT : Due.HANDSHAKE_TIMEOUT;
                }
                return Due.NOTHING;
            case OPEN:
                if (close != 0 && now - close >= 0) {
                    return Due.CLOSE_TIMEOUT;
                }
                if (closing) {
                    return Due.NOTHING;
                }
                long idle = limits.idleTimeout().toNanos();
                long ping = limits.pingInterval().toNanos();
                if (idle > 0 && now - lastRead >= idle) {
                    return Due.IDLE;
                }
                if (ping > 0) {
                    if (pingOutstanding()) {
                        if (now - pingSent >= limits.pongTimeout().toNanos()) {
                            return Due.NO_PONG;
                        }
                    } else if (now - lastRead >= ping) {
                        pingSent = now;
                        return Due.PING;
                    }
                }
                return Due.NOTHING;
            default:
                return Due.NOTHING;
        }
    }

    private static long earlier(long a, long b) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        return a - b <= 0 ? a : b;
    }

    /** A ping went out after the last read, so its pong is awaited. */
    private boolean pingOutstanding() {
        return pingSent != 0 && pingSent - lastRead > 0;
    }
}
