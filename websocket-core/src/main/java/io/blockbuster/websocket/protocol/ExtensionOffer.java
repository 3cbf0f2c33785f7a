package io.blockbuster.websocket.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 section 9.1): a name and its
 * parameters, in order. A parameter value of null means the parameter had no value. Immutable.
 *
 * @param name the extension token
 * @param parameters parameter names to values (null for a bare parameter), in order
 */
public record ExtensionOffer(String name, Map<String, String> parameters) {
    /**
     * Copies the parameters into an unmodifiable, ordered map.
     *
     * @param name the extension token
     * @param parameters parameter names to values (null for a bare parameter), or null for none
     * @throws IllegalArgumentException if the name or a parameter name is not an HTTP token
     */
    public ExtensionOffer {
        if (name == null || !HttpHeadReader.isToken(name)) {
            throw new IllegalArgumentException("extension name is not a token: " + name);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (parameters != null) {
            for (Map.Entry<String, String> e : parameters.entrySet()) {
                if (!HttpHeadReader.isToken(e.getKey())) {
                    throw new IllegalArgumentException("parameter name is not a token: " + e.getKey());
                }
                copy.put(e.getKey(), e.getValue());
            }
        }
        parameters = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses every value of the {@code Sec-WebSocket-Extensions} headers, in order:
     * {@code name *(";" param ["=" (token / quoted-string)])}, elements separated by commas, empty
     * elements skipped (RFC 9110 5.6.1). Quoted values are unescaped.
     *
     * @param headerValues the header values (several headers allowed)
     * @return the offers in order; unmodifiable
     * @throws HandshakeException 400 on a syntax error, including a parameter given twice in one
     *     element (RFC 7692 5 would have the extension decline such an offer; refusing the
     *     handshake is the simpler safe answer)
     */
    public static List<ExtensionOffer> parse(List<String> headerValues) {
        List<ExtensionOffer> out = new ArrayList<>();
        for (String value : headerValues) {
            new Parser(value).parseInto(out);
        }
        return List.copyOf(out);
    }

    /** Renders this offer as a header element, e.g. {@code permessage-deflate; client_max_window_bits}. */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder(name);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            sb.append("; ").append(e.getKey());
            String v = e.getValue();
            if (v != null) {
                sb.append('=');
                if (HttpHeadReader.isToken(v)) {
                    sb.append(v);
                } else {
                    sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        }
        return sb.toString();
    }

    /** A one-shot recursive-descent parser over one header value. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void parseInto(List<ExtensionOffer> out) {
            while (true) {
                skipOws();
                if (i == s.length()) {
                    return;
                }
                if (s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                String name = token();
                Map<String, String> params = new LinkedHashMap<>();
                skipOws();
                while (i < s.length() && s.charAt(i) == ';') {
                    i++;
                    skipOws();
                    String key = token();
                    String value = null;
                    skipOws();
                    if (i < s.length() && s.charAt(i) == '=') {
                        i++;
                        skipOws();
                        value = i < s.length() && s.charAt(i) == '"' ? quoted() : token();
                        skipOws();
                    }
                    if (params.containsKey(key)) {
                        throw error("parameter " + key + " given twice");
                    }
                    params.put(key, value);
                }
                out.add(new ExtensionOffer(name, params));
                if (i < s.length()) {
                    if (s.charAt(i) != ',') {
                        throw error("unexpected character in extension list");
                    }
                    i++;
                }
            }
        }

        private String token() {
            int start = i;
            while (i < s.length() && HttpHeadReader.isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw error("expected a token");
            }
            return s.substring(start, i);
        }

        private String quoted() {
            StringBuilder sb = new StringBuilder();
            i++; // opening quote
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (i == s.length()) {
                        break;
                    }
                    c = s.charAt(i++);
                }
                sb.append(c);
            }
            throw error("unterminated quoted string");
        }

        private void skipOws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private HandshakeException error(String why) {
            return new HandshakeException(400, "malformed Sec-WebSocket-Extensions: " + why);
        }
    }
}
