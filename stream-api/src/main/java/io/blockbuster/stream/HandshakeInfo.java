package io.blockbuster.stream;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the hub knows of a connection's opening handshake, for authorization: request path, query
 * parameters, headers and the peer's address. Immutable.
 *
 * @param path the request path without query, e.g. {@code /ws}
 * @param query decoded query parameters in order, each name to all its values
 * @param headers request headers, names case-insensitive, each to all its values
 * @param remoteAddress the peer's address, or {@code null} if the transport does not know it
 */
public record HandshakeInfo(String path, Map<String, List<String>> query, Map<String, List<String>> headers,
                            InetSocketAddress remoteAddress) {

    /** Copies the maps; header lookups become case-insensitive. */
    public HandshakeInfo {
        Objects.requireNonNull(path, "path");
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        headers = Collections.unmodifiableMap(h);
    }

    /**
     * Builds the record from a request target such as {@code /ws?token=abc}; the query is split on
     * {@code &} and {@code =} and percent-decoded as UTF-8.
     */
    public static HandshakeInfo of(String requestTarget, Map<String, List<String>> headers, InetSocketAddress remoteAddress) {
        URI uri = URI.create(requestTarget);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Map<String, List<String>> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new HandshakeInfo(path, query, headers, remoteAddress);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
