package io.blockbuster.websocket.protocol;

/**
 * The closing handshake (RFC 6455 section 7): {@code OPEN -> CLOSE_SENT | CLOSE_RECEIVED -> CLOSED},
 * remembering which side started it. The state machine only answers questions and records events;
 * the host does the sending. Not thread safe.
 */
public final class CloseState {
    /** Where the closing handshake stands. */
    public enum Phase {
        /** No Close frame sent or received. */
        OPEN,
        /** We sent a Close frame and wait for the peer's. */
        CLOSE_SENT,
        /** The peer sent a Close frame; we have not answered yet. */
        CLOSE_RECEIVED,
        /** Close frames went both ways. */
        CLOSED
    }

    private Phase phase = Phase.OPEN;
    private boolean startedByPeer;

    /** Creates the state, {@link Phase#OPEN}. */
    public CloseState() {
    }

    /** Returns the current phase. */
    public Phase phase() {
        return phase;
    }

    /** Returns whether data frames may be sent: only while {@link Phase#OPEN}. */
    public boolean canSendData() {
        return phase == Phase.OPEN;
    }

    /**
     * Returns whether received data frames should be delivered: while {@link Phase#OPEN} or
     * {@link Phase#CLOSE_SENT}. Data arriving after the peer's Close is ignored.
     */
    public boolean canReceiveData() {
        return phase == Phase.OPEN || phase == Phase.CLOSE_SENT;
    }

    /**
     * Records that we are sending a Close frame.
     *
     * @return true if the caller should send it; false if one was already sent
     */
    public boolean closeSent() {
        switch (phase) {
            case OPEN:
                phase = Phase.CLOSE_SENT;
                return true;
            case CLOSE_RECEIVED:
                phase = Phase.CLOSED;
                return true;
            default:
                return false;
        }
    }

    /**
     * Records that the peer's Close frame arrived.
     *
     * @return true if we must answer with a Close frame (echoing the code), that is when we had
     *     not sent one; false when this completes a handshake we started, or repeats one
     */
    public boolean closeReceived() {
        switch (phase) {
            case OPEN:
                phase = Phase.CLOSE_RECEIVED;
                startedByPeer = true;
                return true;
            case CLOSE_SENT:
                phase = Phase.CLOSED;
                return false;
            default:
                return false;
        }
    }

    /** Returns whether the peer's Close frame came before ours. */
    public boolean isStartedByPeer() {
        return startedByPeer;
    }

    @Override
    public String toString() {
        return "CloseState[" + phase + (startedByPeer ? ", by peer]" : "]");
    }
}
