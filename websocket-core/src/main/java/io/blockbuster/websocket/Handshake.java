package io.blockbuster.websocket;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a connection's opening handshake settled, from {@link WebSocket#handshake()}.
 *
 * @param request       the opening request (path, query, headers): on a server connection the one
 *                      the client sent, on a client connection the one we sent
 * @param subprotocol   the negotiated subprotocol, or null when none was agreed
 * @param extensions    the negotiated extensions as they appear in the Sec-WebSocket-Extensions
 *                      response, in order
 * @param remoteAddress the peer's address
 * @param localAddress  our own address on this connection
 */
public record Handshake(RequestHead request, String subprotocol, List<String> extensions,
                        InetSocketAddress remoteAddress, InetSocketAddress localAddress) {

    /** Copies {@code extensions}. */
    public Handshake {
        extensions = List.copyOf(extensions);
    }
}
