package io.blockbuster.stream.json;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser over a {@code String}. One instance per document; not thread safe. Nesting
 * is tracked on an explicit stack bounded by {@link JsonLimits#maxDepth()} (no recursion, so no
 * thread's stack size matters), input size is checked by the caller before construction, and nothing
 * is allocated by a length the input claims.
 *
 * <p>Rejected beyond the grammar's own rules: duplicate object keys (RFC 8259 4 says they SHOULD be
 * unique; a peer sending two is ambiguous), lone surrogates whether escaped or raw, a byte order mark.
 */
final class JsonParser {
    /**
     * Longest number accepted. BigDecimal parsing is quadratic in the digits (a million digits take
     * seconds), so a peer must not choose the length; 1000 chars hold any double and any long many times.
     */
    static final int MAX_NUMBER_CHARS = 1000;

    private final String s;
    private final int maxDepth;
    private int pos;

    JsonParser(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    Object parseDocument() {
        skipWhitespace();
        if (pos >= s.length()) {
            throw fail(s.isEmpty() ? "empty document" : "no value");
        }
        Object value = parseValue();
        skipWhitespace();
        if (pos < s.length()) {
            throw fail("unexpected content after the value");
        }
        return value;
    }

    /**
     * An array or object still open: the container being filled and, for an object, the key whose
     * value is being read.
     */
    private static final class Open {
        final List<Object> list;
        final Map<String, Object> map;
        String key;
        int keyPos;

        Open(List<Object> list, Map<String, Object> map) {
            this.list = list;
            this.map = map;
        }

        Object container() {
            return map != null ? map : list;
        }
    }

    /**
     * Reads one value. Nesting is kept on an explicit stack rather than by recursion: a thread's stack
     * is not ours to size (at 256 KiB a recursive descent overflowed at 512 levels), so the depth
     * limit, not the thread, decides how deep a document may go.
     */
    private Object parseValue() {
        ArrayDeque<Open> open = new ArrayDeque<>();
        while (true) {
            if (pos >= s.length()) {
                throw fail("unexpected end of input");
            }
            char c = s.charAt(pos);
            Object value;
            if (c == '{' || c == '[') {
                checkDepth(open.size() + 1);
                pos++;
                skipWhitespace();
                if (c == '{') {
                    Map<String, Object> map = new LinkedHashMap<>();
                    if (peek() != '}') {
                        Open object = new Open(null, map);
                        open.addLast(object);
                        readKey(object);
                        continue;
                    }
                    pos++;
                    value = map;
                } else {
                    List<Object> list = new ArrayList<>();
                    if (peek() != ']') {
                        open.addLast(new Open(list, null));
                        continue;
                    }
                    pos++;
                    value = list;
                }
            } else {
                value = parseScalar(c);
            }
            // A value is complete: add it to its container, and close every container that ends here.
            while (true) {
                Open top = open.peekLast();
                if (top == null) {
                    return value;
                }
                if (top.map != null) {
                    if (top.map.containsKey(top.key)) {
                        throw new JsonException("duplicate key", top.keyPos);
                    }
                    top.map.put(top.key, value);
                } else {
                    top.list.add(value);
                }
                skipWhitespace();
                char next = peek();
                if (next == ',') {
                    pos++;
                    if (top.map != null) {
                        readKey(top);
                    } else {
                        skipWhitespace();
                        if (peek() == ']') {
                            throw fail("trailing comma");
                        }
                    }
                    break; // read the next element
                }
                if (next == (top.map != null ? '}' : ']')) {
                    pos++;
                    open.removeLast();
                    value = top.container();
                    continue;
                }
                throw fail(top.map != null ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
    }

    /** Reads {@code "key" :} into {@code object}, leaving {@code pos} at its value. */
    private void readKey(Open object) {
        skipWhitespace();
        if (peek() != '"') {
            throw fail(peek() == '}' ? "trailing comma" : "expected a string key");
        }
        object.keyPos = pos;
        object.key = parseString();
        skipWhitespace();
        if (peek() != ':') {
            throw fail("expected ':'");
        }
        pos++;
        skipWhitespace();
    }

    private Object parseScalar(char c) {
        switch (c) {
            case '"':
                return parseString();
            case 't':
                expectLiteral("true");
                return Boolean.TRUE;
            case 'f':
                expectLiteral("false");
                return Boolean.FALSE;
            case 'n':
                expectLiteral("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return parseNumber();
                }
                throw fail("unexpected character");
        }
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw fail("nesting deeper than " + maxDepth);
        }
    }

    private String parseString() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw fail("unterminated string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String result = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return result;
            }
            if (c < 0x20) {
                throw fail("control character in string");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw fail("lone surrogate");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, pos);
                pos++;
                parseEscape(sb);
                start = pos;
                continue;
            }
            pos++;
        }
    }

    /** Called with {@code pos} just after the backslash; leaves it after the escape. */
    private void parseEscape(StringBuilder sb) {
        if (pos >= s.length()) {
            throw fail("unterminated string");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                int escapeStart = pos - 1;
                char unit = (char) readHex4();
                if (Character.isHighSurrogate(unit)) {
                    // RFC 8259 7: a supplementary character is escaped as a surrogate pair.
                    if (pos + 1 < s.length() && s.charAt(pos + 1) == '\\' && pos + 2 < s.length() && s.charAt(pos + 2) == 'u') {
                        pos += 2;
                        char low = (char) readHex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonException("lone surrogate escape", escapeStart);
                        }
                        sb.append(unit).append(low);
                    } else {
                        throw new JsonException("lone surrogate escape", escapeStart);
                    }
                } else if (Character.isLowSurrogate(unit)) {
                    throw new JsonException("lone surrogate escape", escapeStart);
                } else {
                    sb.append(unit);
                }
            }
            default -> throw fail("invalid escape");
        }
        pos++;
    }

    /** Reads the 4 hex digits after {@code pos} (which is at the 'u'); leaves pos on the last digit. */
    private int readHex4() {
        if (pos + 4 >= s.length()) {
            throw fail("truncated \\u escape");
        }
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            int digit = hexValue(s.charAt(pos + i));
            if (digit < 0) {
                throw new JsonException("invalid \\u escape", pos + i);
            }
            value = (value << 4) | digit;
        }
        pos += 4;
        return value;
    }

    private Object parseNumber() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
        }
        char c = peek();
        if (c == '0') {
            pos++;
            if (isDigit(peek())) {
                throw fail("leading zero");
            }
        } else if (isDigit(c)) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw fail("expected a digit");
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw fail("expected a digit after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw fail("expected a digit in the exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            throw new JsonException("number longer than " + MAX_NUMBER_CHARS + " chars", start);
        }
        String text = s.substring(start, pos);
        if (integral && text.length() <= 20) { // 19 digits and a sign
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException overflow) {
                // falls through to BigDecimal
            }
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonException("number out of range", start); // exponent beyond int range
        }
        // Written back it reads d.dddE+n; n must fit an int too, or what we accept cannot be re-read
        if ((long) value.precision() - value.scale() - 1 > Integer.MAX_VALUE) {
            throw new JsonException("number out of range", start);
        }
        return value;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void expectLiteral(String literal) {
        if (!s.startsWith(literal, pos)) {
            throw fail("invalid literal");
        }
        pos += literal.length();
    }

    /** RFC 8259 2: only space, tab, line feed and carriage return are whitespace. */
    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current char, or U+FFFF at the end (which no rule accepts). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\uFFFF';
    }

    private JsonException fail(String problem) {
        if (pos >= s.length() && !problem.startsWith("unexpected end") && !problem.equals("empty document")) {
            return new JsonException(problem + " (end of input)", pos);
        }
        return new JsonException(problem, pos);
    }
}
