package io.blockbuster.stream.protocol;

import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.JsonException;
import io.blockbuster.stream.json.JsonLimits;
import java.util.Map;

/**
 * Reads one client request, as the hub does: text in, a {@link ClientRequest} out, never an exception.
 * Whatever it cannot accept becomes a {@link ClientRequest.Invalid} naming the {@code error} code:
 * longer than the limit ({@code request_too_large}, checked before parsing), not JSON
 * ({@code invalid_json}), not an object or a field of the wrong type ({@code invalid_request}), no
 * string {@code type} ({@code missing_type}), any other type ({@code unknown_type}). Whether the named
 * stream exists is the hub's question, not the decoder's. Immutable, thread safe.
 */
public final class RequestDecoder {
    /** Requests are flat objects; nesting deeper than this is refused while parsing. */
    private static final int MAX_DEPTH = 4;
    /** Longest stream name echoed back in an error (a stream name is at most 64 chars). */
    private static final int MAX_ECHOED_NAME = 64;

    private final JsonLimits limits;

    /** A decoder refusing requests longer than {@code maxChars} chars. */
    public RequestDecoder(int maxChars) {
        this.limits = new JsonLimits(MAX_DEPTH, maxChars);
    }

    /** The request in {@code text}, or an {@link ClientRequest.Invalid} saying why not. */
    public ClientRequest decode(CharSequence text) {
        if (text.length() > limits.maxInputChars()) {
            return invalid(ErrorCode.REQUEST_TOO_LARGE, "request longer than " + limits.maxInputChars() + " chars", null);
        }
        Object parsed;
        try {
            parsed = Json.parse(text.toString(), limits);
        } catch (JsonException e) {
            return invalid(ErrorCode.INVALID_JSON, "invalid JSON: " + e.getMessage(), null);
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            return invalid(ErrorCode.INVALID_REQUEST, "request must be a JSON object", null);
        }
        if (!(request.get("type") instanceof String type)) {
            return invalid(ErrorCode.MISSING_TYPE, "request needs a string \"type\"", null);
        }
        return switch (type) {
            case "ping" -> new ClientRequest.Ping();
            case "subscribe" -> subscribe(request);
            case "unsubscribe" -> request.get("stream") instanceof String stream
                    ? new ClientRequest.Unsubscribe(stream) : missingStream();
            default -> invalid(ErrorCode.UNKNOWN_TYPE, "unknown request type", null);
        };
    }

    private static ClientRequest subscribe(Map<?, ?> request) {
        if (!(request.get("stream") instanceof String stream)) {
            return missingStream();
        }
        String echoed = stream.length() <= MAX_ECHOED_NAME ? stream : null;
        Object since = request.get("since");
        Object epoch = request.get("epoch");
        if (since != null && !(since instanceof Long l && l >= 0)) {
            return invalid(ErrorCode.INVALID_REQUEST, "\"since\" must be a non-negative integer", echoed);
        }
        if (epoch != null && !(epoch instanceof String)) {
            return invalid(ErrorCode.INVALID_REQUEST, "\"epoch\" must be a string", echoed);
        }
        return new ClientRequest.Subscribe(stream, (Long) since, (String) epoch);
    }

    private static ClientRequest missingStream() {
        return invalid(ErrorCode.INVALID_REQUEST, "request needs a string \"stream\"", null);
    }

    private static ClientRequest.Invalid invalid(ErrorCode code, String message, String stream) {
        return new ClientRequest.Invalid(code, message, stream);
    }
}
