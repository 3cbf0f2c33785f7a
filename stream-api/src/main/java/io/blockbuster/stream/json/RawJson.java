package io.blockbuster.stream.json;

import java.util.Objects;

/**
 * An already serialized JSON value that the writer copies verbatim, e.g. a document produced by
 * another library or cached by the host. Immutable and thread safe.
 *
 * <p>{@link #of(String)} checks the text is one strict JSON value, so a raw value can never break
 * the document it is embedded in. {@link #trusted(String)} skips the check for text this process
 * produced itself (for example with {@link Json#write(Object)}).
 */
public final class RawJson {
    private final String json;

    private RawJson(String json) {
        this.json = json;
    }

    /**
     * Wraps {@code json} after checking it is exactly one valid JSON value.
     *
     * @throws JsonException if it is not
     */
    public static RawJson of(String json) {
        Objects.requireNonNull(json, "json");
        Json.parse(json);
        return new RawJson(json);
    }

    /** Wraps {@code json} without checking it; the caller vouches it is one valid JSON value. */
    public static RawJson trusted(String json) {
        return new RawJson(Objects.requireNonNull(json, "json"));
    }

    /** The JSON text. */
    public String json() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson r && r.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
