package io.blockbuster.websocket;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The head of an HTTP request as a host reads it: method, target, headers. A server hands one to
 * its {@link WebSocketHandler} (an upgrade request) and its {@link HttpHandler} (a plain request);
 * {@link Handshake#request()} is the opening request of a connection. Read-only.
 *
 * <p>Header names compare case-insensitively. The path and query are as sent (still
 * percent-encoded); {@link #queryParameters()} decodes them. An interface, so a host can test its
 * handlers with a request of its own making.
 */
public interface RequestHead {

    /** The method, e.g. {@code GET}. */
    String method();

    /** The request target as sent, e.g. {@code /chat?room=1}. */
    String target();

    /** The target's path without the query, still percent-encoded; {@code "/"} if empty. */
    String path();

    /** The raw query (after the first {@code '?'}), or null if there is none. */
    String query();

    /**
     * The query parameters in order, names and values percent-decoded as UTF-8 with {@code '+'} as
     * a space; a parameter without {@code '='} has the value {@code ""}.
     *
     * @return unmodifiable map of name to values; empty if there is no query
     */
    Map<String, List<String>> queryParameters();

    /**
     * The first value of a header.
     *
     * @param name the field name, any case
     * @return the first value, or null if absent
     */
    String header(String name);

    /**
     * Every value of a header, in order of arrival.
     *
     * @param name the field name, any case
     * @return the values, empty if absent; unmodifiable
     */
    List<String> headers(String name);

    /** The header names as first sent (first spelling of each), in order; unmodifiable. */
    Set<String> headerNames();

    /**
     * The subprotocols offered in {@code Sec-WebSocket-Protocol}, in the client's preference order;
     * empty when none were offered (and for a plain HTTP request).
     */
    List<String> subprotocols();
}
