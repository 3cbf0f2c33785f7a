package io.blockbuster.stream.json;

/**
 * A JSON document was rejected: it is not RFC 8259 JSON, or it breaks a configured limit (depth,
 * size). The message is short, names the problem and ends with the character offset where it was
 * found; it never quotes the input, so it is safe to send back to the peer that sent the document.
 */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * @param problem what is wrong, e.g. {@code "leading zero"}
     * @param position zero-based offset in the input (chars for text, bytes for UTF-8 input)
     */
    public JsonException(String problem, int position) {
        super(problem + " at position " + position);
        this.position = position;
    }

    /** Zero-based offset in the input where the problem was found. */
    public int position() {
        return position;
    }
}
