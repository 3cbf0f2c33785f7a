package io.blockbuster.websocket.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Immutable HTTP header fields: names compare case-insensitively, insertion order is kept and a
 * name may carry several values. Thread safe.
 */
public final class HttpHeaders {
    /** Names as first seen, in order of first appearance. */
    private final Set<String> names;
    /** Lower-cased name to its values, in order. */
    private final Map<String, List<String>> values;

    private HttpHeaders(Set<String> names, Map<String, List<String>> values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Returns the first value of {@code name}.
     *
     * @param name the field name, any case
     * @return the first value, or null if absent
     */
    public String first(String name) {
        List<String> list = values.get(key(name));
        return list == null ? null : list.get(0);
    }

    /**
     * Returns every value of {@code name}, in order.
     *
     * @param name the field name, any case
     * @return the values, empty if absent; unmodifiable
     */
    public List<String> all(String name) {
        List<String> list = values.get(key(name));
        return list == null ? List.of() : list;
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
        for (String value : all(name)) {
            for (String part : value.split(",", -1)) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the field names as first added, in order; unmodifiable. */
    public Set<String> names() {
        return names;
    }

    /** Returns a new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            for (String value : all(name)) {
                sb.append(name).append(": ").append(value).append('\n');
            }
        }
        return sb.toString();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects header fields for an {@link HttpHeaders}. Not thread safe. */
    public static final class Builder {
        private final Set<String> names = new LinkedHashSet<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private final Map<String, String> firstSpelling = new LinkedHashMap<>();

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
            String k = key(name);
            if (firstSpelling.putIfAbsent(k, name) == null) {
                names.add(name);
            }
            values.computeIfAbsent(k, x -> new ArrayList<>()).add(value);
            return this;
        }

        /** Returns the immutable headers collected so far. */
        public HttpHeaders build() {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new HttpHeaders(Collections.unmodifiableSet(new LinkedHashSet<>(names)),
                    Collections.unmodifiableMap(copy));
        }
    }
}
