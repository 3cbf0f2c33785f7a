package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.protocol.CloseCodes;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.protocol.CloseState;

/**
 * A connection's side of the close handshake: the {@link CloseState}, whether our close frame is
 * queued and written, and the status the listener will be told at the end (first close wins,
 * unless a failure forces its own code). Decides only; the {@link Outbox} queues the frames.
 *
 * <p>Threading: guarded by the connection's send lock (callers hold it), except {@link #isClosing()}
 * (volatile, any thread) and the written flag (loop thread only).
 */
final class CloseHandshake {
    /** What the listener's {@code onClose} reports. */
    record Report(CloseStatus status, boolean byPeer) {
    }

    private final CloseState state = new CloseState();
    private CloseStatus report;
    private boolean reportByPeer;
    private boolean reportForced;
    private boolean queued;
    private volatile boolean closing;
    /** Loop thread: our close frame (first or echo) is on the wire. */
    private boolean written;

    /** True once either side started closing. Any thread. */
    boolean isClosing() {
        return closing;
    }

    /** True once our close frame is queued: nothing but it may follow. */
    boolean isQueued() {
        return queued;
    }

    boolean canSendData() {
        return !queued && state.canSendData();
    }

    /** A failure chose the reported code (slow peer, protocol error, listener error). */
    boolean isForced() {
        return reportForced;
    }

    /** Close frames went both ways. */
    boolean isComplete() {
        return state.phase() == CloseState.Phase.CLOSED;
    }

    void markWritten() {
        written = true;
    }

    boolean isWritten() {
        return written;
    }

    /**
     * The host closes. Returns false when a close was already queued or sent (nothing to do),
     * true when the caller must queue our close frame.
     */
    boolean start(int code, String reason) {
        if (queued || !state.closeSent()) {
            return false;
        }
        closing = true;
        queued = true;
        if (report == null) {
            report = new CloseStatus(code, reason);
            reportByPeer = false;
        }
        return true;
    }

    /** The peer's close arrived. Returns true when the caller must queue the echo. */
    boolean received(int code, String reason) {
        boolean echo = state.closeReceived();
        closing = true;
        if (echo) {
            if (report == null) {
                report = new CloseStatus(code, reason);
                reportByPeer = true;
            }
            queued = true;
            state.closeSent();
        }
        return echo;
    }

    /**
     * A failure closes with {@code code}, which is what gets reported even if a close was under
     * way. Returns true when the caller must queue our close frame (none was sent yet).
     */
    boolean fail(int code, String reason) {
        if (!reportForced) {
            report = new CloseStatus(code, reason);
            reportByPeer = false;
            reportForced = true;
        }
        closing = true;
        if (!queued && state.closeSent()) {
            queued = true;
            return true;
        }
        return false;
    }

    /**
     * The socket is closing. The status reported is the handshake's when it finished or a
     * failure forced one (or no {@code fallback} is given), else {@code fallback}.
     */
    Report end(CloseStatus fallback, boolean fallbackByPeer) {
        closing = true;
        if (report != null && (reportForced || isComplete() || fallback == null)) {
            return new Report(report, reportByPeer);
        }
        if (fallback != null) {
            return new Report(fallback, fallbackByPeer);
        }
        return new Report(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, ""), false);
    }
}
