package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.CloseCodes;

import java.util.Objects;

/**
 * The code and reason of a closed or closing connection, as reported to
 * {@link WebSocketListener#onClose(WebSocket, CloseStatus, boolean)}.
 *
 * <p>Codes follow the IANA registry (RFC 6455 section 7.4); the one list of codes is
 * {@link CloseCodes}. Two codes never travel on the wire and
 * are only reported locally: {@code 1005} (the peer's close frame had no status) and {@code 1006}
 * (the connection ended without a close handshake: TCP reset or end of stream, a dead peer that
 * stopped answering pings, an I/O error, or {@link WebSocket#abort()}).
 *
 * @param code   the close code
 * @param reason the reason, never null (empty when there is none)
 */
public record CloseStatus(int code, String reason) {

    /** Rejects a null reason. */
    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /** True when this status did not come from a close handshake ({@code 1006}). */
    public boolean isAbnormal() {
        return code == CloseCodes.ABNORMAL_CLOSURE;
    }
}
