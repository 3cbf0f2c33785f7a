package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.AddressLimits;
import io.blockbuster.websocket.HttpHandler;
import io.blockbuster.websocket.WebSocketHandler;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.ExtensionFactory;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything a server was built with; immutable. Origins are lower-cased. */
public record ServerSettings(InetAddress bindAddress, int port, Map<String, WebSocketHandler> handlers,
                             int eventLoops, WebSocketLimits limits, SSLContext tls, Set<String> origins,
                             List<String> subprotocols, List<ExtensionFactory> extensions,
                             HttpHandler httpHandler, AddressLimits addressLimits) {
}
