package io.blockbuster.stream.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.OutboundMessage;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.WebSocket;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WebSocketStreamSessionTest {
    private static final String JSON = "{\"type\":\"data\",\"v\":\"h\u00e9llo \u20ac \uD834\uDD1E\"}";

    @Test
    void aMessageIsPreparedOnceFromItsUtf8BytesAndSharedByEverySession() {
        List<PreparedMessage> sentA = new ArrayList<>();
        List<PreparedMessage> sentB = new ArrayList<>();
        WebSocketStreamSession a = new WebSocketStreamSession(recording(sentA));
        WebSocketStreamSession b = new WebSocketStreamSession(recording(sentB));
        OutboundMessage message = OutboundMessage.ofText(JSON);

        a.send(message);
        b.send(message);
        a.send(message);

        assertThat(sentA).hasSize(2);
        assertThat(sentB).hasSize(1);
        PreparedMessage prepared = sentA.get(0);
        assertThat(sentA.get(1)).isSameAs(prepared);
        assertThat(sentB.get(0)).isSameAs(prepared);
        assertThat(prepared.isText()).isTrue();
        assertThat(prepared.payload()).isEqualTo(message.payload());
        assertThat(StandardCharsets.UTF_8.decode(prepared.payload()).toString()).isEqualTo(JSON);
    }

    /** A connection that records what is sent to it and completes every send at once. */
    private static WebSocket recording(List<PreparedMessage> sent) {
        ConcurrentHashMap<String, Object> attributes = new ConcurrentHashMap<>();
        return (WebSocket) Proxy.newProxyInstance(WebSocket.class.getClassLoader(), new Class<?>[] {WebSocket.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "send":
                            sent.add((PreparedMessage) args[0]);
                            return CompletableFuture.completedFuture(null);
                        case "remoteAddress":
                            return new InetSocketAddress("127.0.0.1", 40000);
                        case "isWritable":
                        case "isOpen":
                            return true;
                        case "attributes":
                            return attributes;
                        case "toString":
                            return "recording WebSocket";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return null;
                    }
                });
    }
}
