package io.blockbuster.stream.protocol;

import io.blockbuster.stream.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client sends a hub: {@link Subscribe}, {@link Unsubscribe} or {@link Ping}, each written by
 * its {@code toJson()} (the Java client) and read by {@link RequestDecoder} (the hub). A request the
 * decoder cannot accept is an {@link Invalid}, which the hub answers with an {@code error} reply.
 */
public sealed interface ClientRequest {

    /**
     * {@code {"type":"subscribe","stream":s}}, or resuming after {@code since} of run {@code epoch}:
     * {@code {"type":"subscribe","stream":s,"since":n,"epoch":e}}.
     *
     * @param stream the stream name
     * @param since resume after this seq, or null for a live start
     * @param epoch the run {@code since} belongs to, or null
     */
    record Subscribe(String stream, Long since, String epoch) implements ClientRequest {
        /** The request as JSON text. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "subscribe");
            m.put("stream", stream);
            if (since != null) {
                m.put("since", since);
            }
            if (epoch != null) {
                m.put("epoch", epoch);
            }
            return Json.write(m);
        }
    }

    /** {@code {"type":"unsubscribe","stream":s}}. @param stream the stream name */
    record Unsubscribe(String stream) implements ClientRequest {
        /** The request as JSON text. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "unsubscribe");
            m.put("stream", stream);
            return Json.write(m);
        }
    }

    /** {@code {"type":"ping"}}, answered with a {@link ServerMessage.Pong}. */
    record Ping() implements ClientRequest {
        /** The request as JSON text. */
        public String toJson() {
            return "{\"type\":\"ping\"}";
        }
    }

    /**
     * Not a request: what the decoder answers for text it cannot accept.
     *
     * @param code the {@code code} of the {@code error} reply
     * @param message a human-readable reason
     * @param stream the stream the request named (at most 64 chars), or null
     */
    record Invalid(ErrorCode code, String message, String stream) implements ClientRequest {
    }
}
