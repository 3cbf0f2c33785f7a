package io.blockbuster.websocket.deflate;

/**
 * The four permessage-deflate parameters as agreed for one connection (RFC 7692 section 7.1).
 * Window sizes are base-2 logarithms, 8 to 15; 15 (32 KiB) is what an absent parameter means.
 *
 * @param serverNoContextTakeover the server compresses every message with an empty window
 * @param clientNoContextTakeover the client compresses every message with an empty window
 * @param serverMaxWindowBits the largest LZ77 window the server may use, 8 to 15
 * @param clientMaxWindowBits the largest LZ77 window the client may use, 8 to 15
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {
    /** Smallest window RFC 7692 allows: 2^8 = 256 bytes. */
    public static final int MIN_WINDOW_BITS = 8;
    /** Largest window RFC 7692 allows, and the only one java.util.zip compresses with: 32 KiB. */
    public static final int MAX_WINDOW_BITS = 15;

    /** Both directions with context takeover and 32 KiB windows: what a bare offer agrees to. */
    public static final DeflateParameters DEFAULT = new DeflateParameters(false, false, 15, 15);

    /**
     * Validates the window sizes.
     *
     * @throws IllegalArgumentException if a window size is outside 8 to 15
     */
    public DeflateParameters {
        checkWindowBits(serverMaxWindowBits);
        checkWindowBits(clientMaxWindowBits);
    }

    static int checkWindowBits(int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("window bits must be 8 to 15: " + bits);
        }
        return bits;
    }
}
