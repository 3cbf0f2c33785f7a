package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerHandshakeTest {
    @Test
    void rfc6455AcceptKeyExample() {
        assertThat(ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void validRequestExposesKeyOriginPathAndSubprotocols() {
        UpgradeRequest u = ServerHandshake.validate(HttpRequestParserTest.parse(HttpRequestParserTest.RFC_REQUEST));
        assertThat(u.key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(u.origin()).isEqualTo("http://example.com");
        assertThat(u.path()).isEqualTo("/chat");
        assertThat(u.request().queryParameters()).containsKey("room");
        assertThat(u.subprotocols()).containsExactly("chat", "superchat");
        assertThat(u.extensionOffers()).isEmpty();
    }

    @Test
    void acceptRendersThe101WithSubprotocolAndExtensions() {
        UpgradeRequest u = ServerHandshake.validate(HttpRequestParserTest.parse(request(
                "Sec-WebSocket-Extensions: x-identity; a=1\r\n")));
        List<Extension> extensions = ServerHandshake.negotiate(u.extensionOffers(), List.of(new IdentityFactory()));
        assertThat(extensions).hasSize(1);
        String response = text(ServerHandshake.accept(u, "chat", extensions,
                HttpHeaders.builder().add("Set-Cookie", "a=b").build()));
        assertThat(response).isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: x-identity; a=1\r\n"
                + "Set-Cookie: a=b\r\n"
                + "\r\n");
        assertThat(text(ServerHandshake.accept(u, null, null))).doesNotContain("Sec-WebSocket-Protocol")
                .doesNotContain("Sec-WebSocket-Extensions");
    }

    @Test
    void acceptRefusesASubprotocolThatWasNotOffered() {
        UpgradeRequest u = ServerHandshake.validate(HttpRequestParserTest.parse(request("")));
        assertThatThrownBy(() -> ServerHandshake.accept(u, "other", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "POST / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.0\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n|426",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: h2c\\r\\nConnection: Upgrade\\r\\n\\r\\n|426",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: keep-alive\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 8\\r\\n\\r\\n|426",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\n\\r\\n|426",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\nSec-WebSocket-Extensions: x; =\\r\\n\\r\\n|400",
        "GET / HTTP/1.1\\r\\nHost: h\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\nSec-WebSocket-Protocol: a b\\r\\n\\r\\n|400"})
    void invalidUpgradeIsRejectedWithStatus(String rawRequest, int status) {
        String request = rawRequest.replace("\\r\\n", "\r\n");
        assertThatThrownBy(() -> ServerHandshake.validate(HttpRequestParserTest.parse(request)))
                .isInstanceOfSatisfying(HandshakeException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    String response = text(e.response());
                    assertThat(response).startsWith("HTTP/1.1 " + status + " ");
                    if (status == 426) {
                        assertThat(response).contains("\r\nSec-WebSocket-Version: 13\r\n");
                    }
                });
    }

    @Test
    void subprotocolsAndExtensionsFromSeveralHeadersAreCollectedInOrder() {
        UpgradeRequest u = ServerHandshake.validate(HttpRequestParserTest.parse(request(
                "Sec-WebSocket-Protocol: v3,, v4\r\nSec-WebSocket-Extensions: a; x=\"1\"\r\nSec-WebSocket-Extensions: b\r\n")));
        assertThat(u.subprotocols()).containsExactly("chat", "superchat", "v3", "v4");
        assertThat(u.extensionOffers()).extracting(ExtensionOffer::name).containsExactly("a", "b");
        assertThat(u.extensionOffers().get(0).parameters()).containsEntry("x", "1");
    }

    @Test
    void upgradeAndConnectionTokensAreCaseInsensitive() {
        String r = "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        assertThat(ServerHandshake.validate(HttpRequestParserTest.parse(r)).key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
    }

    @ParameterizedTest
    @CsvSource({"400, Bad Request", "403, Forbidden", "404, Not Found", "426, Upgrade Required",
        "431, Request Header Fields Too Large"})
    void rejectionsAreCompleteResponses(int status, String reason) {
        String response = text(ServerHandshake.reject(status, "nope ✗"));
        byte[] body = "nope ✗".getBytes(StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 " + status + " " + reason + "\r\n")
                .contains("\r\nConnection: close\r\n")
                .contains("\r\nContent-Length: " + body.length + "\r\n")
                .endsWith("\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1));
        // A client parser reads it back.
        HttpResponse parsed = new HttpResponseParser(8192).parse(ServerHandshake.reject(status, "x"));
        assertThat(parsed.status()).isEqualTo(status);
    }

    @Test
    void closingResponseCarriesTheHostsTypeAndBodyAsGiven() {
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        String response = text(ServerHandshake.closingResponse(200, "application/json", body));
        assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n{\"ok\":true}");
        assertThat(text(ServerHandshake.closingResponse(426, "text/plain", new byte[0])))
                .doesNotContain("Upgrade:"); // only a refused upgrade names the WebSocket version
        assertThatThrownBy(() -> ServerHandshake.closingResponse(200, "text/plain\r\nX-Injected: 1", body))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negotiationFollowsServerPreferenceAndFirstAcceptableOffer() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of("x-identity; bad, x-identity; a=2, x-other"));
        IdentityFactory identity = new IdentityFactory();
        List<Extension> chosen = ServerHandshake.negotiate(offers, List.of(identity));
        assertThat(chosen).hasSize(1);
        assertThat(chosen.get(0).response().parameters()).containsEntry("a", "2");
        assertThat(ServerHandshake.negotiate(offers, List.of())).isEmpty();
    }

    @Test
    void extensionsClaimingTheSameRsvBitIsSkippedAndClosed() {
        IdentityFactory first = new IdentityFactory();
        IdentityFactory second = new IdentityFactory() {
            @Override
            public String name() {
                return "x-other";
            }
        };
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of("x-identity, x-other"));
        List<Extension> chosen = ServerHandshake.negotiate(offers, List.of(first, second));
        assertThat(chosen).hasSize(1);
        assertThat(second.closed).isEqualTo(1);
    }

    static String request(String extraHeaderLines) {
        return "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaderLines + "\r\n";
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    /** Accepts offers of its name unless they carry a parameter named "bad"; echoes the parameters. */
    static class IdentityFactory implements ExtensionFactory {
        final List<ExtensionOffer> created = new ArrayList<>();
        int closed;

        @Override
        public String name() {
            return "x-identity";
        }

        @Override
        public Extension acceptOffer(ExtensionOffer offer) {
            if (offer.parameters().containsKey("bad")) {
                return null;
            }
            created.add(offer);
            return new MessageAssemblerTest.IdentityExtension() {
                @Override
                public String name() {
                    return IdentityFactory.this.name();
                }

                @Override
                public ExtensionOffer response() {
                    return new ExtensionOffer(IdentityFactory.this.name(), offer.parameters());
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of(new ExtensionOffer(name(), Map.of()));
        }

        @Override
        public Extension acceptResponse(ExtensionOffer response) {
            if (response.parameters().containsKey("bad")) {
                throw new HandshakeException(0, "bad parameter");
            }
            return acceptOffer(response);
        }
    }
}
