package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental parser for an HTTP/1.1 response head, fed buffers split anywhere. One instance parses
 * one response. Not thread safe.
 */
public final class HttpResponseParser {
    /**
     * Creates a parser.
     *
     * @param maxHeaderBytes bound on the head's size
     */
    public HttpResponseParser(int maxHeaderBytes) {
    }

    /**
     * Feeds bytes. Consumes only the response head's bytes; frames after it stay in {@code in}.
     *
     * @param in received bytes
     * @return the response once the blank line arrived, else null
     * @throws HandshakeException on a malformed or oversized head
     */
    public HttpResponse parse(ByteBuffer in) {
        throw new UnsupportedOperationException();
    }
}
