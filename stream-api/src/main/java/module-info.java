/**
 * The blockbuster stream hub: named data streams (polled, pushed, incremental sources) served to
 * browsers and Java clients over a small JSON protocol, with snapshots, conflation, bounded queues,
 * history and resume. {@code io.blockbuster.stream.binding} mounts a hub on the websocket-core server.
 *
 * <p>{@link io.blockbuster.stream.json.Json} writes records by reflection: a record in a named module
 * must be public in an exported package, or its package opened to this module.
 */
module io.blockbuster.stream {
    requires transitive io.blockbuster.websocket; // the binding's API names WebSocketServer and friends

    exports io.blockbuster.stream;
    exports io.blockbuster.stream.json;
    exports io.blockbuster.stream.binding;
}
