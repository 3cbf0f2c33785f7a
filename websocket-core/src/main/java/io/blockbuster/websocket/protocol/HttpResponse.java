package io.blockbuster.websocket.protocol;

/**
 * A parsed HTTP/1.1 response head.
 *
 * @param status the status code
 * @param reason the reason phrase, possibly empty
 * @param headers the header fields
 */
public record HttpResponse(int status, String reason, HttpHeaders headers) {
}
