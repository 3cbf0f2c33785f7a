package io.blockbuster.stream.json;

import java.lang.reflect.Array;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes Java values as JSON text into a {@link StringBuilder}. Stateless apart from the builder;
 * one instance per document. The accepted types are listed on {@link Json#write(Object)}.
 * Values that JSON cannot carry (NaN, infinities, lone surrogates, unknown types, cycles) are
 * rejected with {@link IllegalArgumentException}: the writer never emits an invalid document.
 */
final class JsonWriter {
    /** Deeper than this is almost certainly a cycle; fail instead of overflowing the stack. */
    static final int MAX_DEPTH = 512;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A record class's quoted component names and accessors, looked up once per class. */
    private record RecordShape(String[] quotedNames, Method[] accessors) {
    }

    private static final ClassValue<RecordShape> RECORD_SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            String[] names = new String[components.length];
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) {
                StringBuilder quoted = new StringBuilder();
                new JsonWriter(quoted).writeString(components[i].getName());
                names[i] = quoted.append(':').toString();
                accessors[i] = components[i].getAccessor();
            }
            return new RecordShape(names, accessors);
        }
    };

    private final StringBuilder out;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    void write(Object value) {
        write(value, 0);
    }

    private void write(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence s) {
            writeString(s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Number n) {
            writeNumber(n);
        } else if (value instanceof RawJson raw) {
            out.append(raw.json());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (value instanceof Iterable<?> iterable) {
            out.append('[');
            boolean first = true;
            for (Object element : iterable) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, depth + 1);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            out.append('[');
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(Array.get(value, i), depth + 1);
            }
            out.append(']');
        } else if (value instanceof Record record) {
            writeRecord(record, depth);
        } else if (value instanceof Enum<?> e) {
            writeString(e.name());
        } else if (value instanceof Character c) {
            writeString(String.valueOf(c.charValue()));
        } else if (value instanceof TemporalAccessor || value instanceof Duration) {
            writeString(value.toString()); // ISO-8601, e.g. 2026-11-25T21:05:00Z
        } else if (value instanceof Optional<?> optional) {
            write(optional.orElse(null), depth);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private void writeMap(Map<?, ?> map, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(keyOf(entry.getKey()));
            out.append(':');
            write(entry.getValue(), depth + 1);
        }
        out.append('}');
    }

    private static CharSequence keyOf(Object key) {
        if (key instanceof CharSequence s) {
            return s;
        }
        if (key instanceof Enum<?> e) {
            return e.name();
        }
        if (key instanceof Number || key instanceof Boolean || key instanceof Character) {
            return String.valueOf(key);
        }
        throw new IllegalArgumentException("map key " + (key == null ? "null" : key.getClass().getName())
                + " is not a string, enum, number or boolean");
    }

    private void writeRecord(Record record, int depth) {
        RecordShape shape = RECORD_SHAPES.get(record.getClass());
        Method[] accessors = shape.accessors();
        out.append('{');
        for (int i = 0; i < accessors.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(shape.quotedNames()[i]);
            write(invoke(accessors[i], record), depth + 1);
        }
        out.append('}');
    }

    private static Object invoke(Method accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (IllegalAccessException notPublic) {
            // A non-public record, or one in a package its module does not export: try once more
            // with deep reflection, which works when the package is opened to io.blockbuster.stream.
            try {
                accessor.setAccessible(true);
                return accessor.invoke(record);
            } catch (InaccessibleObjectException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("cannot read record " + record.getClass().getName()
                        + ": make it public in an exported package, or open its package to io.blockbuster.stream", e);
            }
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("record accessor " + accessor.getName() + " threw", e.getCause());
        }
    }

    private void writeNumber(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof AtomicInteger || n instanceof AtomicLong) {
            out.append(n.toString());
        } else if (n instanceof BigDecimal d) {
            out.append(d.toString()); // e.g. 1E+3: a valid JSON number
        } else if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(n.toString()); // Double.toString: 1.0E10 is a valid JSON number
        } else {
            // Unknown Number subclass: go through BigDecimal so the text is always valid JSON.
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(new BigDecimal(n.toString()).toString());
        }
    }

    /** Writes a quoted, escaped string. Rejects lone surrogates: they have no UTF-8 form. */
    void writeString(CharSequence s) {
        out.append('"');
        int length = s.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("lone surrogate at index " + i + " of a string");
            }
            out.append(s, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        out.append(s, start, length);
        out.append('"');
    }
}
