package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;

import java.util.Objects;

/**
 * The code and reason of a closed or closing connection, as reported to
 * {@link WebSocketListener#onClose(WebSocket, CloseStatus, boolean)}.
 *
 * <p>Codes follow the IANA registry (RFC 6455 section 7.4); the constants here are the ones a host
 * meets, with their values from {@link CloseCodes}. Two codes never travel on the wire and
 * are only reported locally: {@code 1005} (the peer's close frame had no status) and {@code 1006}
 * (the connection ended without a close handshake: TCP reset or end of stream, a dead peer that
 * stopped answering pings, an I/O error, or {@link WebSocket#abort()}).
 *
 * @param code   the close code
 * @param reason the reason, never null (empty when there is none)
 */
public record CloseStatus(int code, String reason) {

    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL_CLOSURE = CloseCodes.NORMAL_CLOSURE;
    /** 1001: the endpoint is going away (server shutdown, idle timeout). */
    public static final int GOING_AWAY = CloseCodes.GOING_AWAY;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = CloseCodes.PROTOCOL_ERROR;
    /** 1005: reported when a close frame carried no status; never sent. */
    public static final int NO_STATUS_RECEIVED = CloseCodes.NO_STATUS_RECEIVED;
    /** 1006: reported when the connection ended without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = CloseCodes.ABNORMAL_CLOSURE;
    /** 1007: a text message or close reason was not valid UTF-8. */
    public static final int INVALID_PAYLOAD_DATA = CloseCodes.INVALID_PAYLOAD_DATA;
    /** 1008: a policy was violated (for example a peer too slow to read what it is sent). */
    public static final int POLICY_VIOLATION = CloseCodes.POLICY_VIOLATION;
    /** 1009: a frame or message was larger than the configured limit. */
    public static final int MESSAGE_TOO_BIG = CloseCodes.MESSAGE_TOO_BIG;
    /** 1011: the endpoint failed (for example a listener threw). */
    public static final int INTERNAL_ERROR = CloseCodes.INTERNAL_ERROR;
    /** 1013: try again later (overload). */
    public static final int TRY_AGAIN_LATER = CloseCodes.TRY_AGAIN_LATER;

    /** Rejects a null reason. */
    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /** True when this status did not come from a close handshake ({@code 1006}). */
    public boolean isAbnormal() {
        return code == ABNORMAL_CLOSURE;
    }
}
