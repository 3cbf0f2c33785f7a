package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientHandshakeTest {
    @Test
    void requestCarriesKeyHostSubprotocolsExtensionsAndExtraHeaders() {
        ClientHandshake c = new ClientHandshake(URI.create("ws://example.com:8080/chat?room=1"),
                Map.of("Origin", List.of("http://example.com")), List.of("chat", "superchat"),
                List.of(new ServerHandshakeTest.IdentityFactory()), new Random(1));
        assertThat(Base64.getDecoder().decode(c.key())).hasSize(16);
        String request = ServerHandshakeTest.text(c.request());
        assertThat(request).isEqualTo("GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: example.com:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + c.key() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: x-identity\r\n"
                + "Origin: http://example.com\r\n"
                + "\r\n");
        // The server side accepts what the client produced.
        UpgradeRequest u = ServerHandshake.validate(new HttpRequestParser(8192).parse(c.request()));
        assertThat(u.subprotocols()).containsExactly("chat", "superchat");
    }

    @ParameterizedTest
    @CsvSource({"ws://h/, h, /", "ws://h:80, h, /", "wss://h:443/x, h, /x", "wss://h:80/x, h:80, /x",
        "ws://[::1]:9000/p?q, '[::1]:9000', /p?q", "http://h:8080, h:8080, /"})
    void hostCarriesThePortOnlyWhenNotTheDefault(String uri, String host, String target) {
        String request = ServerHandshakeTest.text(new ClientHandshake(URI.create(uri), null, null, null, new Random(2)).request());
        assertThat(request).startsWith("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
    }

    @Test
    void nonAsciiPathIsPercentEncodedAndParsesOnTheServer() {
        ClientHandshake c = new ClientHandshake(URI.create("ws://h/caf\u00e9?q=\u20ac"), null, null, null, new Random(6));
        HttpRequest r = new HttpRequestParser(8192).parse(c.request());
        assertThat(r.target()).isEqualTo("/caf%C3%A9?q=%E2%82%AC");
        assertThat(r.queryParameters()).containsEntry("q", List.of("\u20ac"));
    }

    @Test
    void keysAreFreshPerHandshake() {
        Random random = new Random(3);
        URI uri = URI.create("ws://h/");
        assertThat(new ClientHandshake(uri, null, null, null, random).key())
                .isNotEqualTo(new ClientHandshake(uri, null, null, null, random).key());
    }

    @Test
    void callerMistakesAreIllegalArguments() {
        assertThatThrownBy(() -> new ClientHandshake(URI.create("ftp://h/"), null, null, null, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHandshake(URI.create("ws://h/"), Map.of("Host", List.of("x")), null, null,
                new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHandshake(URI.create("ws://h/"), Map.of("X", List.of("a\r\nB: c")), null,
                null, new Random())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHandshake(URI.create("ws://h/"), null, List.of("a b"), null, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validResponseYieldsSubprotocolAndExtensions() {
        ClientHandshake c = handshake();
        ClientHandshake.Result result = c.validate(response(c, "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: x-identity; a=1\r\n"));
        assertThat(result.subprotocol()).isEqualTo("chat");
        assertThat(result.extensions()).hasSize(1);
        assertThat(result.extensions().get(0).response().parameters()).containsEntry("a", "1");
        assertThat(c.validate(response(c, "")).subprotocol()).isNull();
    }

    @Test
    void serverResponseFromServerHandshakeValidates() {
        ClientHandshake c = handshake();
        UpgradeRequest u = ServerHandshake.validate(new HttpRequestParser(8192).parse(c.request()));
        ByteBuffer bytes = ServerHandshake.accept(u, "superchat", List.of());
        assertThat(c.validate(new HttpResponseParser(8192).parse(bytes)).subprotocol()).isEqualTo("superchat");
    }

    @Test
    void non101StatusFailsWithThatStatus() {
        ClientHandshake c = handshake();
        HttpResponse r = new HttpResponseParser(8192).parse(ServerHandshake.reject(403, "no"));
        assertThatThrownBy(() -> c.validate(r)).isInstanceOfSatisfying(HandshakeException.class,
                e -> assertThat(e.status()).isEqualTo(403));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Upgrade: websocket\\r\\nConnection: close\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\n",
        "Upgrade: h2c\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\n",
        "Connection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Protocol: other\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Protocol: chat\\r\\nSec-WebSocket-Protocol: superchat\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Extensions: x-unknown\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Extensions: x-identity, x-identity\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Extensions: x-identity; bad\\r\\n",
        "Upgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ACCEPT\\r\\nSec-WebSocket-Extensions: x-identity; =\\r\\n"})
    void responseMismatchIsAHandshakeException(String headers) {
        ClientHandshake c = handshake();
        String h = headers.replace("\\r\\n", "\r\n").replace("ACCEPT", ServerHandshake.acceptKey(c.key()));
        HttpResponse r = new HttpResponseParser(8192).parse(ByteBuffer.wrap(
                ("HTTP/1.1 101 Switching Protocols\r\n" + h + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertThatThrownBy(() -> c.validate(r)).isInstanceOfSatisfying(HandshakeException.class,
                e -> assertThat(e.status()).isEqualTo(101));
    }

    @Test
    void extensionsCreatedBeforeAFailureAreClosed() {
        ServerHandshakeTest.IdentityFactory factory = new ServerHandshakeTest.IdentityFactory();
        ClientHandshake c = new ClientHandshake(URI.create("ws://h/"), null, null, List.of(factory), new Random(5));
        HttpResponse r = response(c, "Sec-WebSocket-Extensions: x-identity, x-identity\r\n");
        assertThatThrownBy(() -> c.validate(r)).isInstanceOf(HandshakeException.class);
        assertThat(factory.closed).isEqualTo(1);
    }

    static ClientHandshake handshake() {
        return new ClientHandshake(URI.create("ws://server.example.com/chat"), null, List.of("chat", "superchat"),
                List.of(new ServerHandshakeTest.IdentityFactory()), new Random(4));
    }

    static HttpResponse response(ClientHandshake c, String extra) {
        String s = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(c.key()) + "\r\n" + extra + "\r\n";
        return new HttpResponseParser(8192).parse(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
