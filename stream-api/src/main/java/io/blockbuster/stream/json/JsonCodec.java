package io.blockbuster.stream.json;

import java.nio.charset.StandardCharsets;

/**
 * The seam through which a host can replace the built-in JSON support, e.g. with Jackson:
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();
 * JsonCodec jackson = new JsonCodec() {
 *     public byte[] writeUtf8(Object value) {
 *         try { return mapper.writeValueAsBytes(value); }
 *         catch (JsonProcessingException e) { throw new IllegalArgumentException(e); }
 *     }
 * };
 * }</pre>
 * The stream hub uses a codec only to serialize the {@code data} of published values; the
 * protocol envelope and client requests always go through the built-in strict writer and parser.
 *
 * <p>Implementations must be thread safe: the hub calls them from source and publisher threads.
 */
@FunctionalInterface
public interface JsonCodec {

    /**
     * Serializes {@code value} to one JSON value in UTF-8.
     *
     * @throws IllegalArgumentException if the value cannot be represented
     */
    byte[] writeUtf8(Object value);

    /** Serializes {@code value} to JSON text; by default decodes {@link #writeUtf8(Object)}. */
    default String write(Object value) {
        return new String(writeUtf8(value), StandardCharsets.UTF_8);
    }

    /** The built-in codec: {@link Json#writeUtf8(Object)}. */
    static JsonCodec builtIn() {
        return Json::writeUtf8;
    }
}
