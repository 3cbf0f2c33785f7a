package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.HandshakeDecision;
import io.blockbuster.websocket.HttpReply;
import io.blockbuster.websocket.WebSocketHandler;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.protocol.HttpRequest;
import io.blockbuster.websocket.protocol.HttpRequestParser;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ServerUpgradeTest {
    private static final WebSocketListener LISTENER = new WebSocketListener() {
    };

    private static ServerSettings settings(Map<String, WebSocketHandler> handlers, Set<String> origins) {
        return new ServerSettings(null, 0, handlers, 1, WebSocketLimits.DEFAULTS, null, origins,
                List.of("b", "a"), List.of(), req -> req.path().equals("/health") ? HttpReply.text(200, "ok") : null,
                io.blockbuster.websocket.AddressLimits.OFF);
    }

    private static HttpRequest request(String path, String extraHeaders, boolean upgrade) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                + (upgrade ? "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" : "") + extraHeaders + "\r\n";
        return new HttpRequestParser(8192).parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String status(ServerUpgrade.Outcome o) {
        String text = StandardCharsets.ISO_8859_1.decode(o.response().duplicate()).toString();
        return text.substring(0, text.indexOf("\r\n"));
    }

    @Test
    void answersEachRefusalWithItsStatus() {
        ServerSettings s = settings(Map.of("/ws", r -> HandshakeDecision.accept(LISTENER),
                "/boom", r -> {
                    throw new IllegalStateException("host bug");
                },
                "/bad-choice", r -> HandshakeDecision.accept(LISTENER, "never-offered"),
                "/deny", r -> HandshakeDecision.reject(401, "who are you")), Set.of());
        assertThat(status(ServerUpgrade.decide(s, request("/ws", "", false)))).startsWith("HTTP/1.1 426");
        assertThat(status(ServerUpgrade.decide(s, request("/health", "", false)))).isEqualTo("HTTP/1.1 200 OK");
        assertThat(status(ServerUpgrade.decide(s, request("/nowhere", "", true)))).startsWith("HTTP/1.1 404");
        assertThat(status(ServerUpgrade.decide(s, request("/boom", "", true)))).startsWith("HTTP/1.1 500");
        assertThat(status(ServerUpgrade.decide(s, request("/bad-choice", "Sec-WebSocket-Protocol: a\r\n", true))))
                .startsWith("HTTP/1.1 500");
        assertThat(status(ServerUpgrade.decide(s, request("/deny", "", true)))).startsWith("HTTP/1.1 401");
        assertThat(status(ServerUpgrade.decide(s, request("/ws", "Sec-WebSocket-Version: 8\r\n", true))))
                .startsWith("HTTP/1.1 4");
    }

    @Test
    void acceptsWithTheServersPreferredSubprotocolAmongThoseOffered() {
        ServerSettings s = settings(Map.of("/ws", r -> HandshakeDecision.accept(LISTENER)), Set.of("https://ok.example"));
        ServerUpgrade.Outcome o = ServerUpgrade.decide(s, request("/ws",
                "Origin: https://ok.example\r\nSec-WebSocket-Protocol: a, b\r\n", true));
        assertThat(o.isAccepted()).isTrue();
        assertThat(o.subprotocol()).isEqualTo("b");
        assertThat(status(o)).startsWith("HTTP/1.1 101");
        assertThat(status(ServerUpgrade.decide(s, request("/ws", "Origin: https://evil.example\r\n", true))))
                .startsWith("HTTP/1.1 403");
        assertThat(status(ServerUpgrade.decide(s, request("/ws", "", true)))).startsWith("HTTP/1.1 403");
    }
}
