package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.protocol.ExtensionFactory;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything a client was built with; immutable. */
public record ClientSettings(int eventLoops, WebSocketLimits limits, SSLContext tls, Duration connectTimeout,
                             Map<String, List<String>> headers, List<String> subprotocols,
                             List<ExtensionFactory> extensions) {
}
