package io.blockbuster.stream.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A small, strict JSON (RFC 8259) writer and parser. All methods are static, stateless and thread
 * safe.
 *
 * <h2>Writing</h2>
 * {@link #write(Object)} accepts, recursively:
 * <ul>
 *   <li>{@code null}, {@link Boolean}, {@link CharSequence}, {@link Character}, {@link Enum} (its name);</li>
 *   <li>{@link Number}s: integers as written, {@code double}/{@code float} via {@code toString}
 *       (NaN and infinities are rejected), {@link java.math.BigDecimal} exactly;</li>
 *   <li>{@link java.util.Map}s (keys: strings, enums, numbers, booleans), {@link Iterable}s and arrays
 *       (object and primitive), {@link java.util.Optional} (empty is {@code null});</li>
 *   <li>{@code java.time} values and {@link java.time.Duration} as their ISO-8601 {@code toString};</li>
 *   <li>records, as an object of their components in declaration order, read through their
 *       accessors by reflection. A record in a named module must be public in an exported package, or
 *       its package must be opened to {@code io.blockbuster.stream}
 *       ({@code opens com.example.model to io.blockbuster.stream;}); records on the class path
 *       always work;</li>
 *   <li>{@link RawJson}, copied verbatim.</li>
 * </ul>
 * Anything else, lone surrogates in strings, and nesting deeper than 512 (almost surely a cycle)
 * throw {@link IllegalArgumentException}: the writer never produces an invalid document.
 *
 * <h2>Parsing</h2>
 * {@link #parse(String)} returns: object as {@code Map<String,Object>} (a {@link java.util.LinkedHashMap}
 * in document order), array as {@code List<Object>}, string as {@link String}, {@code true}/{@code false}
 * as {@link Boolean}, {@code null} as {@code null}, and numbers as {@link Long} when they are written
 * without fraction or exponent and fit in a {@code long}, otherwise as an exact
 * {@link java.math.BigDecimal} (never a lossy {@code double}). Anything RFC 8259 forbids is rejected
 * with a {@link JsonException} carrying the position: trailing commas, leading zeros, control
 * characters in strings, invalid escapes, lone surrogates (escaped or raw), {@code NaN}, single
 * quotes, comments, trailing content; also duplicate keys, numbers longer than 1000 characters (parsing
 * them is quadratic), and input beyond the {@link JsonLimits}. Exponents are not bounded: a caller that
 * turns a parsed {@code BigDecimal} into a {@code BigInteger} should check its scale first.
 */
public final class Json {
    private Json() {
    }

    /** Serializes {@code value} to JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(64);
        new JsonWriter(out).write(value);
        return out.toString();
    }

    /** Serializes {@code value} to JSON as UTF-8 bytes; the caller owns the returned array. */
    public static byte[] writeUtf8(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code value} as a quoted, escaped JSON string to {@code out}. */
    public static void writeString(CharSequence value, StringBuilder out) {
        new JsonWriter(out).writeString(Objects.requireNonNull(value, "value"));
    }

    /** Parses one JSON document within {@link JsonLimits#DEFAULT}. */
    public static Object parse(String json) {
        return parse(json, JsonLimits.DEFAULT);
    }

    /**
     * Parses one JSON document.
     *
     * @throws JsonException if it is not valid JSON or breaks {@code limits}; the size limit is
     *     checked before anything is read
     */
    public static Object parse(String json, JsonLimits limits) {
        Objects.requireNonNull(json, "json");
        if (json.length() > limits.maxInputChars()) {
            throw new JsonException("document longer than " + limits.maxInputChars() + " chars", 0);
        }
        return new JsonParser(json, limits.maxDepth()).parseDocument();
    }

    /**
     * Parses one JSON document from UTF-8 bytes. Malformed UTF-8 (including encoded surrogates and
     * overlong forms) is rejected with the byte offset; a byte order mark is rejected as well.
     */
    public static Object parseUtf8(byte[] utf8, JsonLimits limits) {
        Objects.requireNonNull(utf8, "utf8");
        if (utf8.length > limits.maxInputChars()) {
            throw new JsonException("document longer than " + limits.maxInputChars() + " bytes", 0);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new JsonException("invalid UTF-8", in.position());
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new JsonException("byte order mark", 0);
        }
        return new JsonParser(text, limits.maxDepth()).parseDocument();
    }
}
