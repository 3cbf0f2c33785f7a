package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Server side: reads the opening request's head from the socket's bytes and keeps those bytes, so
 * the open connection can hold the head raw (a few hundred bytes) and parse it only on demand, where
 * a parsed head costs a couple of KiB per idle connection. Loop thread only; dropped once the head
 * is complete.
 */
final class RequestHeadReader {
    private final HttpRequestParser parser;
    /** The bytes the parser consumed so far; bounded by the parser's header limit. */
    private byte[] head = new byte[256];
    private int length;

    RequestHeadReader(int maxHeaderBytes) {
        parser = new HttpRequestParser(maxHeaderBytes);
    }

    /**
     * Consumes the head's bytes from {@code buf} (bytes after the head stay there).
     *
     * @return the request once its head is complete, else null
     * @throws HandshakeException when the head is malformed or too large (its HTTP status)
     */
    HttpRequest read(ByteBuffer buf) {
        int start = buf.position();
        HttpRequest request = parser.parse(buf);
        int n = buf.position() - start;
        if (length + n > head.length) {
            head = Arrays.copyOf(head, Math.max(head.length * 2, length + n));
        }
        buf.duplicate().position(start).limit(start + n).get(head, length, n);
        length += n;
        return request;
    }

    /** The complete head as it went over the wire. */
    byte[] head() {
        return Arrays.copyOf(head, length);
    }
}
