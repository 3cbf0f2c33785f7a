package io.blockbuster.websocket.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Immutable HTTP header fields: names compare case-insensitively, insertion order is kept and a
 * name may carry several values. Thread safe.
 *
 * <p>Stored as the fields themselves, name and value in one flat array in order of arrival; lookups
 * scan it. A request head has a dozen or two fields, read a few times once, so a scan costs less
 * than building a map of lists (which was a third of a server handshake's allocation).
 */
public final class HttpHeaders {
    private static final String[] NONE = new String[0];

    /** name0, value0, name1, value1, ... as added. */
    private final String[] fields;

    private HttpHeaders(String[] fields) {
        this.fields = fields;
    }

    /**
     * Returns the first value of {@code name}.
     *
     * @param name the field name, any case
     * @return the first value, or null if absent
     */
    public String first(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /**
     * Returns every value of {@code name}, in order.
     *
     * @param name the field name, any case
     * @return the values, empty if absent; unmodifiable
     */
    public List<String> all(String name) {
        String one = null;
        List<String> more = null;
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                if (one == null) {
                    one = fields[i + 1];
                } else {
                    if (more == null) {
                        more = new ArrayList<>(4);
                        more.add(one);
                    }
                    more.add(fields[i + 1]);
                }
            }
        }
        return more != null ? Collections.unmodifiableList(more) : one != null ? List.of(one) : List.of();
    }

    /**
     * Returns whether the comma-separated token lists in all values of {@code name} contain
     * {@code token}, compared case-insensitively (as for {@code Connection: keep-alive, Upgrade}).
     *
     * @param name the field name, any case
     * @param token the token to look for
     * @return true if present
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name) && containsToken(fields[i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsToken(String value, String token) {
        int from = 0;
        int n = value.length();
        while (from <= n) {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? n : comma;
            // Trim the part as String.trim() would: anything up to and including U+0020.
            int a = from;
            int b = to;
            while (a < b && value.charAt(a) <= ' ') {
                a++;
            }
            while (b > a && value.charAt(b - 1) <= ' ') {
                b--;
            }
            if (b - a == token.length() && value.regionMatches(true, a, token, 0, b - a)) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
        return false;
    }

    /** Returns the field names as first added (first spelling of each), in order; unmodifiable. */
    public Set<String> names() {
        Map<String, String> firstSpelling = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            firstSpelling.putIfAbsent(fields[i].toLowerCase(Locale.ROOT), fields[i]);
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(firstSpelling.values()));
    }

    /**
     * Calls {@code action} with each field's name (as received) and value, in order of arrival;
     * a name that occurs several times is passed once per occurrence.
     *
     * @param action receives name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < fields.length; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    /** Returns a new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String name : names()) {
            for (String value : all(name)) {
                sb.append(name).append(": ").append(value).append('\n');
            }
        }
        return sb.toString();
    }

    /** Collects header fields for an {@link HttpHeaders}. Not thread safe. */
    public static final class Builder {
        private String[] fields = NONE;
        private int size;

        private Builder() {
        }

        /**
         * Adds one field value.
         *
         * @param name the field name
         * @param value the value
         * @return this builder
         */
        public Builder add(String name, String value) {
            if (name == null || value == null) {
                throw new NullPointerException("name and value are required");
            }
            if (size == fields.length) {
                fields = Arrays.copyOf(fields, Math.max(32, 2 * fields.length));
            }
            fields[size++] = name;
            fields[size++] = value;
            return this;
        }

        /** Returns the immutable headers collected so far. */
        public HttpHeaders build() {
            return new HttpHeaders(size == 0 ? NONE : Arrays.copyOf(fields, size));
        }
    }
}
