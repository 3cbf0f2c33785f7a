package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental parser for an HTTP/1.1 request head, fed buffers split anywhere; no WebSocket rules
 * (see {@link ServerHandshake#validate}). One instance parses one request. Not thread safe.
 *
 * <p>Syntax errors are {@link HandshakeException}s with status 400: a request line that is not
 * {@code method SP target SP HTTP/d.d}, a bare CR, obsolete line folding, a malformed field name,
 * control characters in a value. A head (request line, fields and the blank line) over the bound
 * is 431, raised as soon as the bound is passed, without buffering further.
 */
public final class HttpRequestParser {
    /** Default bound on the request line plus headers: 8 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

    private final HttpHeadReader reader;
    private HttpRequest request;

    /**
     * Creates a parser.
     *
     * @param maxHeaderBytes bound on the head's size in bytes, {@code > 0}; larger heads fail with 431
     */
    public HttpRequestParser(int maxHeaderBytes) {
        this.reader = new HttpHeadReader(maxHeaderBytes, 431, 400);
    }

    /**
     * Feeds bytes. Consumes only the request head's bytes: anything after the blank line (a
     * pipelined frame, say) stays in {@code in}. Once complete, further calls return the same
     * request and consume nothing.
     *
     * @param in received bytes between position and limit
     * @return the request once the blank line arrived, else null
     * @throws HandshakeException 400 malformed, 431 too large
     */
    public HttpRequest parse(ByteBuffer in) {
        if (request != null) {
            return request;
        }
        if (!reader.feed(in)) {
            return null;
        }
        String line = reader.startLine();
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw reader.malformed("malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!HttpHeadReader.isToken(method)) {
            throw reader.malformed("malformed method");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw reader.malformed("malformed request target");
            }
        }
        if (HttpHeadReader.version(version) < 0) {
            throw reader.malformed("malformed HTTP version");
        }
        request = new HttpRequest(method, target, version, reader.headers());
        return request;
    }
}
