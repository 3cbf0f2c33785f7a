package io.blockbuster.stream.protocol;

/**
 * The stable, machine-readable {@code code} of an {@code error} reply. The connection stays open
 * after every one of them. {@link #wire()} is what goes on the wire; it never changes.
 */
public enum ErrorCode {
    /** The request is not valid JSON; the message carries the position. */
    INVALID_JSON("invalid_json"),
    /** The request is JSON but not an object, or a field has the wrong type. */
    INVALID_REQUEST("invalid_request"),
    /** The request has no string {@code type}. */
    MISSING_TYPE("missing_type"),
    /** The request's {@code type} is not subscribe, unsubscribe or ping. */
    UNKNOWN_TYPE("unknown_type"),
    /** No stream of that name. */
    UNKNOWN_STREAM("unknown_stream"),
    /** Subscribe to a stream this connection already subscribes to. */
    ALREADY_SUBSCRIBED("already_subscribed"),
    /** Unsubscribe from a stream this connection does not subscribe to. */
    NOT_SUBSCRIBED("not_subscribed"),
    /** The request is longer than the hub accepts. */
    REQUEST_TOO_LARGE("request_too_large"),
    /** The connection holds the maximum number of subscriptions. */
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
    /** The connection sent more requests per second than allowed; this one was ignored. */
    RATE_LIMITED("rate_limited"),
    /** The host's authorizer refused this connection access to the stream. */
    NOT_AUTHORIZED("not_authorized"),
    /** A binary message; the protocol is JSON text. */
    UNSUPPORTED_MESSAGE("unsupported_message");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as sent in {@code "code"}. */
    public String wire() {
        return wire;
    }
}
