package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.Opcode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreparedMessageTest {
    private static final String TEXT = "{\"v\":\"h\u00e9llo \u20ac \uD834\uDD1E\"}"; // 1-, 2-, 3- and 4-byte forms

    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdown(java.time.Duration.ofSeconds(5));
        }
    }

    @Test
    void textUtf8CarriesTheEncodedBytesAsTheyAre() {
        byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);
        PreparedMessage m = PreparedMessage.textUtf8(ByteBuffer.wrap(utf8));
        assertThat(m.isText()).isTrue();
        assertThat(m.opcode()).isEqualTo(Opcode.TEXT);
        assertThat(m.payloadLength()).isEqualTo(utf8.length);
        assertThat(m.payload()).isEqualTo(ByteBuffer.wrap(utf8));
        assertThat(m.payload()).isEqualTo(PreparedMessage.text(TEXT).payload());
    }

    @Test
    void textUtf8CopiesTheRemainingBytesAndLeavesTheSourceAlone() {
        byte[] backing = ("xx" + "abc" + "yy").getBytes(StandardCharsets.UTF_8);
        ByteBuffer src = ByteBuffer.wrap(backing, 2, 3);
        PreparedMessage m = PreparedMessage.textUtf8(src);
        backing[2] = 'Z';
        assertThat(src.position()).isEqualTo(2);
        assertThat(src.limit()).isEqualTo(5);
        assertThat(StandardCharsets.UTF_8.decode(m.payload()).toString()).isEqualTo("abc");
    }

    @Test
    void textUtf8AcceptsAnEmptyMessage() {
        assertThat(PreparedMessage.textUtf8(ByteBuffer.allocate(0)).payloadLength()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "c328",     // 2-byte lead followed by ASCII
        "c0af",     // overlong '/'
        "eda080",   // UTF-16 surrogate D800
        "f4908080", // above U+10FFFF
        "e282",     // truncated 3-byte form
        "ff"        // never valid
    })
    void textUtf8RejectsBytesThatAreNotUtf8(String hex) {
        ByteBuffer bad = ByteBuffer.wrap(java.util.HexFormat.of().parseHex(hex));
        assertThatThrownBy(() -> PreparedMessage.textUtf8(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTextUtf8BroadcastArrivesAsTheTextItEncodes() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        WebSocket[] peer = new WebSocket[1];
        server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress())
                .handler("/feed", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws) {
                        peer[0] = ws;
                        opened.countDown();
                    }
                }).build();
        server.start();
        client = WebSocketClient.builder().build();
        Recorder r = new Recorder();
        client.connect(URI.create("ws://localhost:" + server.port() + "/feed"), r).get(30, TimeUnit.SECONDS);
        assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
        PreparedMessage m = PreparedMessage.textUtf8(ByteBuffer.wrap(TEXT.getBytes(StandardCharsets.UTF_8)));
        peer[0].send(m).get(30, TimeUnit.SECONDS);
        peer[0].send(m).get(30, TimeUnit.SECONDS);
        assertThat(r.next()).isEqualTo("open");
        assertThat(r.next()).isEqualTo("text " + TEXT);
        assertThat(r.next()).isEqualTo("text " + TEXT);
    }
}
