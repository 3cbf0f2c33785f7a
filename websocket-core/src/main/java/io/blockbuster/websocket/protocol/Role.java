package io.blockbuster.websocket.protocol;

/** Which end of a WebSocket connection this endpoint is; it decides masking (RFC 6455 section 5.3). */
public enum Role {
    /** The endpoint that opened the connection; it masks every frame it sends. */
    CLIENT,
    /** The endpoint that accepted the connection; it never masks and requires masked input. */
    SERVER
}
