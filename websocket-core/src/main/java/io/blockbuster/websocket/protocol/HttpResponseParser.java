package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental parser for an HTTP/1.1 response head, fed buffers split anywhere. One instance
 * parses one response. Not thread safe. A malformed or oversized head throws a
 * {@link HandshakeException} with status 0 (there is no valid status to report).
 */
public final class HttpResponseParser {
    private final HttpHeadReader reader;
    private HttpResponse response;

    /**
     * Creates a parser.
     *
     * @param maxHeaderBytes bound on the head's size in bytes, {@code > 0}
     */
    public HttpResponseParser(int maxHeaderBytes) {
        this.reader = new HttpHeadReader(maxHeaderBytes, 0, 0);
    }

    /**
     * Feeds bytes. Consumes only the response head's bytes: frames the server sent right after
     * the 101 stay in {@code in}. Once complete, further calls return the same response.
     *
     * @param in received bytes between position and limit
     * @return the response once the blank line arrived, else null
     * @throws HandshakeException (status 0) on a malformed or oversized head
     */
    public HttpResponse parse(ByteBuffer in) {
        if (response != null) {
            return response;
        }
        if (!reader.feed(in)) {
            return null;
        }
        String line = reader.startLine();
        // HTTP-version SP 3DIGIT SP [reason]; a missing SP before an empty reason is tolerated.
        if (line.length() < 12 || HttpHeadReader.version(line.substring(0, 8)) < 0 || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw reader.malformed("malformed status line");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw reader.malformed("malformed status code");
            }
            status = status * 10 + (c - '0');
        }
        // RFC 9110 15: the first digit is the class, 1 to 5; "000" would also pass for status 0,
        // which HandshakeException uses for "no valid status".
        if (status < 100) {
            throw reader.malformed("malformed status code");
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        response = new HttpResponse(status, reason, reader.headers());
        return response;
    }
}
