package io.blockbuster.websocket.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the lines of an HTTP/1.1 message head (start line and header fields, up to the blank
 * line) from buffers split anywhere, within a byte bound, and parses the header fields. Shared by
 * the request and response parsers; knows nothing of WebSocket. Lines end with CRLF or a bare LF
 * (RFC 9112 2.2 allows recipients to accept it); a bare CR, obsolete line folding, control
 * characters and malformed field names are syntax errors. Not thread safe.
 */
final class HttpHeadReader {
    private final int maxBytes;
    private final int tooLargeStatus;
    private final int malformedStatus;
    private byte[] line = new byte[128];
    private int lineLength;
    private int consumed;
    private final List<String> lines = new ArrayList<>();
    private boolean complete;

    HttpHeadReader(int maxBytes, int tooLargeStatus, int malformedStatus) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxHeaderBytes must be > 0");
        }
        this.maxBytes = maxBytes;
        this.tooLargeStatus = tooLargeStatus;
        this.malformedStatus = malformedStatus;
    }

    /**
     * Consumes head bytes from {@code in}, stopping right after the blank line.
     *
     * @return true once the head is complete
     */
    boolean feed(ByteBuffer in) {
        while (!complete && in.hasRemaining()) {
            if (consumed == maxBytes) {
                throw new HandshakeException(tooLargeStatus, "header block over " + maxBytes + " bytes");
            }
            byte b = in.get();
            consumed++;
            if (b != '\n') {
                if (lineLength == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(maxBytes, 2 * line.length));
                }
                line[lineLength++] = b;
                continue;
            }
            int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            if (end == 0) {
                // RFC 9112 2.2: ignore at least one empty line before the start line
                complete = !lines.isEmpty();
                continue;
            }
            for (int i = 0; i < end; i++) {
                if (line[i] == '\r') {
                    throw malformed("bare CR in header block");
                }
            }
            lines.add(new String(line, 0, end, StandardCharsets.ISO_8859_1));
        }
        return complete;
    }

    /** The start line; only after {@link #feed} returned true. */
    String startLine() {
        return lines.get(0);
    }

    /** Parses the header field lines. */
    HttpHeaders headers() {
        HttpHeaders.Builder builder = HttpHeaders.builder();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            char first = l.charAt(0);
            if (first == ' ' || first == '\t') {
                throw malformed("obsolete line folding");
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw malformed("header line without a name");
            }
            String name = l.substring(0, colon);
            if (!isToken(name)) {
                throw malformed("invalid header name");
            }
            // Trim optional whitespace by index: one substring per value, not two.
            int from = colon + 1;
            int to = l.length();
            while (from < to && isOws(l.charAt(from))) {
                from++;
            }
            while (to > from && isOws(l.charAt(to - 1))) {
                to--;
            }
            for (int j = from; j < to; j++) {
                char c = l.charAt(j);
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    throw malformed("control character in header value");
                }
            }
            builder.add(name, l.substring(from, to));
        }
        return builder.build();
    }

    HandshakeException malformed(String why) {
        return new HandshakeException(malformedStatus, why);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Matches HTTP/d.d and returns major * 10 + minor, or -1. */
    static int version(String s) {
        if (s.length() != 8 || !s.startsWith("HTTP/") || s.charAt(6) != '.'
                || !Character.isDigit(s.charAt(5)) || !Character.isDigit(s.charAt(7))) {
            return -1;
        }
        return (s.charAt(5) - '0') * 10 + (s.charAt(7) - '0');
    }
}
