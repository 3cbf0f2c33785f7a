package io.blockbuster.websocket.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed HTTP/1.1 request head. Immutable.
 *
 * @param method the method, e.g. GET
 * @param target the request target as sent, e.g. {@code /chat?room=1} (origin form) or
 *     {@code http://host/chat} (absolute form)
 * @param version the version, e.g. HTTP/1.1
 * @param headers the header fields
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers) {
    /** Returns the target's path without the query, still percent-encoded; "/" if empty. */
    public String path() {
        String t = originForm();
        int q = t.indexOf('?');
        String path = q < 0 ? t : t.substring(0, q);
        return path.isEmpty() ? "/" : path;
    }

    /** Returns the raw query (after the first '?'), or null if there is none. */
    public String query() {
        String t = originForm();
        int q = t.indexOf('?');
        return q < 0 ? null : t.substring(q + 1);
    }

    /**
     * Returns the query parameters in order, names and values percent-decoded as UTF-8 with '+'
     * as a space; a parameter without '=' has the value "". Malformed escapes are kept literally.
     *
     * @return unmodifiable map of name to values; empty if there is no query
     */
    public Map<String, List<String>> queryParameters() {
        String query = query();
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    private String originForm() {
        String t = target;
        int fragment = t.indexOf('#');
        if (fragment >= 0) {
            t = t.substring(0, fragment);
        }
        if (!t.startsWith("/")) {
            // Absolute form (RFC 9112 3.2.2): drop scheme and authority.
            int scheme = t.indexOf("://");
            if (scheme > 0) {
                int slash = t.indexOf('/', scheme + 3);
                int question = t.indexOf('?', scheme + 3);
                int start = slash < 0 ? question : question < 0 ? slash : Math.min(slash, question);
                t = start < 0 ? "/" : t.substring(start);
            }
        }
        return t;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                out.write(c); // the parser admits only ASCII in the target
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
