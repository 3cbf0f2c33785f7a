package io.blockbuster.websocket;

/**
 * Optional limits per remote IP address, checked when a connection is accepted, before anything is
 * read: past either one the connection is answered {@code 429 Too Many Requests} and closed. Off
 * by default ({@link #OFF}): behind a proxy or NAT many clients share one address, so only a server
 * that faces clients directly should set them. A zero turns that limit off.
 *
 * @param maxConnections open connections (handshaking or open) one address may hold; 0: no limit
 * @param maxHandshakesPerSecond new connections one address may open per second, in bursts up to
 *     the same number (a token bucket); 0: no limit
 */
public record AddressLimits(int maxConnections, int maxHandshakesPerSecond) {

    /** No per-address limits: the default. */
    public static final AddressLimits OFF = new AddressLimits(0, 0);

    /** Validates. */
    public AddressLimits {
        if (maxConnections < 0 || maxHandshakesPerSecond < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = off): " + maxConnections + ", "
                    + maxHandshakesPerSecond);
        }
    }

    /** True when neither limit is set. */
    public boolean isOff() {
        return maxConnections == 0 && maxHandshakesPerSecond == 0;
    }
}
