package io.blockbuster.websocket.fuzz;

import io.blockbuster.websocket.protocol.HandshakeException;
import io.blockbuster.websocket.protocol.HttpHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Feeds an HTTP head parser in a chunk plan and records the result, the status or the bytes left. */
final class HeadFeeder {
    /** A parse: the head described (or null), the failure status (or -1) and the bytes not consumed. */
    record Result(String head, int status, int leftOver) {
    }

    private HeadFeeder() {
    }

    static <T> Result feed(Function<ByteBuffer, T> parser, Function<T, String> describe, byte[] bytes, int[] plan) {
        int offset = 0;
        for (int i = 0; i < plan.length && offset <= bytes.length; i++) {
            int n = Math.min(plan[i], bytes.length - offset);
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, n);
            T parsed;
            try {
                parsed = parser.apply(in);
            } catch (HandshakeException e) {
                return new Result(null, e.status(), -1);
            }
            if (parsed != null) {
                return new Result(describe.apply(parsed), -1, bytes.length - in.position());
            }
            FramePipeline.check(!in.hasRemaining(), "an unfinished head consumes all input");
            offset += n;
            if (n == 0) {
                break;
            }
        }
        return new Result(null, -1, 0);
    }

    /** Renders header fields canonically: {@code name: value CRLF} each, in order. */
    static String fields(HttpHeaders headers) {
        StringBuilder sb = new StringBuilder();
        for (String name : headers.names()) {
            for (String value : headers.all(name)) {
                sb.append(name).append(": ").append(value).append("\r\n");
            }
        }
        return sb.toString();
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
