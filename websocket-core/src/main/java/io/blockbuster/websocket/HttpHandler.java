package io.blockbuster.websocket;

/**
 * Answers plain HTTP requests (not WebSocket upgrades) that arrive on the server's port, for
 * example a health check. Only the request head is read; a request body is not supported.
 *
 * <p>Runs on an event-loop thread; it must not block. Returning null gives the default answer,
 * {@code 426 Upgrade Required}. A handler that throws answers {@code 500}.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Answers one request.
     *
     * @param request the request head
     * @return the reply, or null for {@code 426 Upgrade Required}
     */
    HttpReply handle(RequestHead request);
}
