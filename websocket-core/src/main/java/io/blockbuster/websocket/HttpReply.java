package io.blockbuster.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A plain HTTP response that an {@link HttpHandler} returns for a request that is not a WebSocket
 * upgrade (a health check, a status page). The server sends it with {@code Content-Length} and
 * {@code Connection: close}, then closes the connection.
 *
 * @param status      the status code, 200-599
 * @param contentType the Content-Type header value
 * @param body        the body bytes (not copied; do not modify them afterwards)
 */
public record HttpReply(int status, String contentType, byte[] body) {

    /** Validates the status and rejects nulls. */
    public HttpReply {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599: " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A {@code text/plain; charset=utf-8} reply. */
    public static HttpReply text(int status, String body) {
        return new HttpReply(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
}
