/**
 * The blockbuster WebSocket library: an RFC 6455 protocol layer that does no I/O
 * ({@code io.blockbuster.websocket.protocol}) and a non-blocking server and client on top of it
 * ({@code io.blockbuster.websocket}).
 */
module io.blockbuster.websocket {
    requires jdk.jfr; // Flight Recorder events (docs/operations.md); a JDK module, not a dependency

    exports io.blockbuster.websocket.protocol;
    exports io.blockbuster.websocket;
    exports io.blockbuster.websocket.deflate;
}
