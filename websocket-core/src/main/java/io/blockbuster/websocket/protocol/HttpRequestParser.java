package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental parser for an HTTP/1.1 request head, fed buffers split anywhere. One instance parses
 * one request. Not thread safe.
 */
public final class HttpRequestParser {
    /** Default bound on the request line plus headers: 8 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

    /**
     * Creates a parser.
     *
     * @param maxHeaderBytes bound on the head's size; larger heads fail with 431
     */
    public HttpRequestParser(int maxHeaderBytes) {
    }

    /**
     * Feeds bytes. Consumes only the request head's bytes; anything after the blank line stays in
     * {@code in}.
     *
     * @param in received bytes
     * @return the request once the blank line arrived, else null
     * @throws HandshakeException 400 malformed, 431 too large
     */
    public HttpRequest parse(ByteBuffer in) {
        throw new UnsupportedOperationException();
    }
}
