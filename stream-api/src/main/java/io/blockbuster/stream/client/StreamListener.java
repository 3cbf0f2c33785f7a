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
     * The server could not replay everything since the last {@code seq} (its history no longer reaches
     * back, or it restarted with a new epoch); {@code notice} is the server's {@code resync} message.
     * Messages that follow are what the server still has.
     */
    default void onResync(ServerMessage.Resync notice) {
    }

    /** The server answered this stream's subscribe with an {@code error} (e.g. {@code not_authorized}). */
    default void onError(String code, String message) {
    }
}
