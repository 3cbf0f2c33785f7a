package io.blockbuster.stream;

/**
 * Where a stream's values come from: the extension point hosts implement. Three kinds:
 * <ul>
 *   <li>{@link PolledSource}: the hub asks for the current value every interval, once however many
 *       subscribers there are; a value equal to the last one (by its JSON form) is not sent again.</li>
 *   <li>{@link IncrementalSource}: the hub asks every interval for what is new; items are deduplicated
 *       by a key the source names ("new receipts only").</li>
 *   <li>{@link PushedSource}: the host publishes values or events from any thread.</li>
 * </ul>
 * Polls run on the hub's source executor, never on transport threads; a source that throws or hangs
 * affects no other source (time-out, retry with backoff, {@link SourceStatus}). Sources start with
 * {@link StreamHub#start()} and stop with {@link StreamHub#close()}.
 */
public sealed interface StreamSource permits PolledSource, IncrementalSource, PushedSource {

    /** The options a stream with this source gets when registered without explicit ones. */
    StreamOptions defaultOptions();
}
