package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestParserTest {
    static final String RFC_REQUEST = "GET /chat?room=a%20b&x=1&x=2&flag HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    @Test
    void requestSplitAtEveryBoundaryParsesTheSameAndLeavesTrailingBytes() {
        byte[] bytes = (RFC_REQUEST + "\u0081\u0080").getBytes(StandardCharsets.ISO_8859_1);
        Partitions.forEach(bytes, (how, pieces) -> {
            HttpRequestParser parser = new HttpRequestParser(HttpRequestParser.DEFAULT_MAX_HEADER_BYTES);
            HttpRequest request = null;
            ByteBuffer last = null;
            for (ByteBuffer piece : pieces) {
                if (request == null) {
                    request = parser.parse(piece);
                }
                last = piece;
            }
            assertThat(request).as(how).isNotNull();
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.target()).isEqualTo("/chat?room=a%20b&x=1&x=2&flag");
            assertThat(request.version()).isEqualTo("HTTP/1.1");
            assertThat(request.headers().first("host")).isEqualTo("server.example.com");
            assertThat(request.headers().first("SEC-WEBSOCKET-KEY")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
            // The two frame bytes after the head were not consumed.
            int left = 0;
            for (ByteBuffer piece : pieces) {
                left += piece.remaining();
            }
            assertThat(left).as(how).isEqualTo(2);
            assertThat(last.get(last.limit() - 1)).isEqualTo((byte) 0x80);
        });
    }

    @Test
    void pathQueryAndParametersAreExposed() {
        HttpRequest r = parse(RFC_REQUEST);
        assertThat(r.path()).isEqualTo("/chat");
        assertThat(r.query()).isEqualTo("room=a%20b&x=1&x=2&flag");
        assertThat(r.queryParameters()).containsExactly(
                Map.entry("room", List.of("a b")), Map.entry("x", List.of("1", "2")), Map.entry("flag", List.of("")));
    }

    @Test
    void absoluteFormTargetYieldsPathAndQuery() {
        HttpRequest r = parse("GET http://h.example:8080/a/b?c=%E2%82%AC+d HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(r.path()).isEqualTo("/a/b");
        assertThat(r.queryParameters()).containsExactly(Map.entry("c", List.of("€ d")));
        assertThat(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n").query()).isNull();
    }

    @Test
    void headersAreMultiValuedCaseInsensitiveAndTrimmed() {
        HttpRequest r = parse("GET / HTTP/1.1\r\nHost: h\r\nX-A:  one \t\r\nx-a: two\r\nConnection: keep-alive, Upgrade\r\n\r\n");
        assertThat(r.headers().all("X-A")).containsExactly("one", "two");
        assertThat(r.headers().names()).containsExactly("Host", "X-A", "Connection");
        assertThat(r.headers().hasToken("connection", "upgrade")).isTrue();
        assertThat(r.headers().hasToken("connection", "close")).isFalse();
        assertThat(r.headers().first("missing")).isNull();
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreTolerated() {
        HttpRequest r = parse("\r\nGET /x HTTP/1.1\nHost: h\n\n");
        assertThat(r.path()).isEqualTo("/x");
        assertThat(r.headers().first("Host")).isEqualTo("h");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET / HTTX/1.1\r\n\r\n",
        "GET / HTTP/11\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost h\r\n\r\n",
        "GET / HTTP/1.1\r\n: empty\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n",
        "GET /\u00e9 HTTP/1.1\r\n\r\n"})
    void malformedRequestIs400(String request) {
        assertThatThrownBy(() -> parse(request)).isInstanceOfSatisfying(HandshakeException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void headOverTheBoundIs431WithoutReadingFurther() {
        String big = "GET / HTTP/1.1\r\nX: " + "a".repeat(200) + "\r\n\r\n";
        byte[] bytes = big.getBytes(StandardCharsets.ISO_8859_1);
        HttpRequestParser parser = new HttpRequestParser(100);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertThatThrownBy(() -> parser.parse(in)).isInstanceOfSatisfying(HandshakeException.class,
                e -> assertThat(e.status()).isEqualTo(431));
        assertThat(in.position()).isEqualTo(100);
        // Exactly at the bound is fine.
        assertThat(new HttpRequestParser(bytes.length).parse(ByteBuffer.wrap(bytes))).isNotNull();
    }

    @Test
    void endlessEmptyLinesHitTheBound() {
        ByteBuffer in = ByteBuffer.wrap("\r\n".repeat(5000).getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new HttpRequestParser(8192).parse(in))
                .isInstanceOfSatisfying(HandshakeException.class, e -> assertThat(e.status()).isEqualTo(431));
    }

    @Test
    void incompleteHeadReturnsNull() {
        HttpRequestParser parser = new HttpRequestParser(8192);
        assertThat(parser.parse(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.ISO_8859_1))))
                .isNull();
        assertThat(parser.parse(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.ISO_8859_1)))).isNotNull();
    }

    @Test
    void responseParserReadsStatusHeadersAndLeavesFrames() {
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
        byte[] bytes = Hex.concat(head.getBytes(StandardCharsets.ISO_8859_1), Hex.bytes("810141"));
        Partitions.forEach(bytes, (how, pieces) -> {
            HttpResponseParser parser = new HttpResponseParser(8192);
            HttpResponse response = null;
            int left = 0;
            for (ByteBuffer piece : pieces) {
                if (response == null) {
                    response = parser.parse(piece);
                }
                left += piece.remaining();
            }
            assertThat(response).as(how).isNotNull();
            assertThat(response.status()).isEqualTo(101);
            assertThat(response.reason()).isEqualTo("Switching Protocols");
            assertThat(response.headers().first("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(left).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 10x OK\r\n\r\n", "HTTP/1.1101 OK\r\n\r\n", "HTTZ/1.1 101 OK\r\n\r\n", "junk\r\n\r\n"})
    void malformedResponseFails(String response) {
        assertThatThrownBy(() -> new HttpResponseParser(8192).parse(
                ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)))).isInstanceOf(HandshakeException.class);
    }

    @Test
    void responseWithoutReasonPhraseIsAccepted() {
        HttpResponse r = new HttpResponseParser(8192).parse(
                ByteBuffer.wrap("HTTP/1.1 404\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.reason()).isEmpty();
    }

    static HttpRequest parse(String request) {
        HttpRequest r = new HttpRequestParser(8192).parse(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(r).isNotNull();
        return r;
    }
}
