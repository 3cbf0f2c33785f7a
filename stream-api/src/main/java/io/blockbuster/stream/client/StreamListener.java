package io.blockbuster.stream.client;

import io.blockbuster.stream.protocol.ServerMessage;

/**
 * Receives one stream's messages in a {@link StreamClient}. Callbacks run on the client's transport
 * thread, one at a time per client, in arrival order; they must not block.
 */
@FunctionalInterface
public interface StreamListener {

    /** A data message. After a reconnect, messages resume after the last {@code seq} seen, without duplicates. */
    void onMessage(StreamMessage message);

    /**
     * A gap in the stream; {@code notice} is the server's {@code resync} message. On a resume, the
     * server could not replay everything since the last {@code seq} (its history no longer reaches
     * back, or it restarted with a new epoch): messages that follow are what it still has. On a live
     * subscription ({@link ServerMessage.Resync#DELIVERY_LATE}), the server skipped messages it reached
     * later than its bound: seqs {@code since + 1 .. firstSeq - 1} were not sent, the next message is
     * {@code firstSeq}, and the subscription goes on (a client that needs them can fetch what history
     * still holds with a second client resuming from {@code since}). The client does not fetch them.
     */
    default void onResync(ServerMessage.Resync notice) {
    }

    /** The server answered this stream's subscribe with an {@code error} (e.g. {@code not_authorized}). */
    default void onError(String code, String message) {
    }
}
