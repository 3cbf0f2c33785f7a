package io.blockbuster.stream;

/**
 * The hub's side of one connection, returned by {@link StreamHub#open(StreamSession)}: the transport
 * feeds it what happens on the connection. Calls for one connection must not overlap (a transport
 * delivers one connection's events one at a time), except {@link #writable()}, which may come from any
 * thread at any time.
 */
public interface HubConnection {

    /** A text message from the client: one protocol request. Every bad request gets an {@code error} reply. */
    void receiveText(CharSequence text);

    /** A binary message from the client: answered with {@code error} code {@code unsupported_message}. */
    void receiveBinary();

    /** The transport drained below its low-water mark; the hub resumes sending. */
    void writable();

    /** The connection is gone (closed by either side or broken); releases its subscriptions. Idempotent. */
    void closed();
}
