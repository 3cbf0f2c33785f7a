package io.blockbuster.stream.json;

/**
 * Bounds the parser enforces before and while reading a document.
 *
 * @param maxDepth deepest nesting of arrays and objects accepted (1 allows {@code []} but not
 *     {@code [[]]}); the parser recurses at most this deep, so the stack is bounded
 * @param maxInputChars longest input accepted, checked before any parsing (bytes for UTF-8 input)
 */
public record JsonLimits(int maxDepth, int maxInputChars) {

    /** 64 levels, 4 MiB: generous for documents, small enough for a server to accept from peers. */
    public static final JsonLimits DEFAULT = new JsonLimits(64, 4 * 1024 * 1024);

    /** Validates the bounds. */
    public JsonLimits {
        if (maxDepth < 1 || maxDepth > 4096) {
            throw new IllegalArgumentException("maxDepth " + maxDepth + " not in 1..4096");
        }
        if (maxInputChars < 1) {
            throw new IllegalArgumentException("maxInputChars " + maxInputChars + " < 1");
        }
    }
}
