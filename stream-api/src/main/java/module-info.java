/**
 * The blockbuster stream hub: named data streams (polled, pushed, incremental sources) served to
 * browsers and Java clients over a small JSON protocol, with snapshots, conflation, bounded queues,
 * history and resume.
 *
 * <ul>
 *   <li>{@code io.blockbuster.stream}: what a host uses, the hub and its transport seam.</li>
 *   <li>{@code io.blockbuster.stream.protocol}: the JSON wire protocol, sans I/O.</li>
 *   <li>{@code io.blockbuster.stream.client}: the Java client.</li>
 *   <li>{@code io.blockbuster.stream.json}: the JSON reader/writer and the codec seam.</li>
 *   <li>{@code io.blockbuster.stream.binding}: the hub and the client on websocket-core.</li>
 * </ul>
 *
 * <p>websocket-core is optional ({@code requires static}): only the binding names its types. The hub
 * core runs on any transport that implements {@link io.blockbuster.stream.StreamSession}; a host that
 * uses the binding requires {@code io.blockbuster.websocket} itself.
 *
 * <p>{@link io.blockbuster.stream.json.Json} writes records by reflection: a record in a named module
 * must be public in an exported package, or its package opened to this module.
 */
module io.blockbuster.stream {
    requires static io.blockbuster.websocket;
    requires jdk.jfr; // Flight Recorder events (docs/operations.md); a JDK module, not a dependency

    exports io.blockbuster.stream;
    exports io.blockbuster.stream.protocol;
    exports io.blockbuster.stream.client;
    exports io.blockbuster.stream.json;
    exports io.blockbuster.stream.binding;
}
