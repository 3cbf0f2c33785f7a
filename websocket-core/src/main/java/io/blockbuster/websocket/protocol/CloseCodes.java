package io.blockbuster.websocket.protocol;

/**
 * Close status codes by their IANA registry names (RFC 6455 section 7.4) and the rules for which of
 * them may appear in a Close frame.
 */
public final class CloseCodes {
    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigation). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this type of data. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported locally when a Close frame carried no code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reported locally when the connection ended without a Close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's data was inconsistent with its type (invalid UTF-8 in text). */
    public static final int INVALID_PAYLOAD_DATA = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server hit an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (overload). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway received an invalid response. */
    public static final int BAD_GATEWAY = 1014;

    private CloseCodes() {
    }

    /**
     * Returns whether {@code code} may appear in a received Close frame: 1000-1003, 1007-1014 and
     * the application/library range 3000-4999. Everything else (below 1000, 1004-1006, 1015, the
     * unassigned 1016-2999, 5000 and above) is a protocol error.
     *
     * @param code the close code
     * @return true if the code is valid on the wire
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * Returns whether a caller may send {@code code}; the same set as {@link #isValidOnWire(int)}.
     *
     * @param code the close code
     * @return true if the code may be sent
     */
    public static boolean isValidToSend(int code) {
        return isValidOnWire(code);
    }
}
