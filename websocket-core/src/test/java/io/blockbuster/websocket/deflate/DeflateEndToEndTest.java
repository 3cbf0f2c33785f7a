package io.blockbuster.websocket.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.Loopback;
import io.blockbuster.websocket.PreparedMessage;
import io.blockbuster.websocket.TestExtensions;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our client against our server over loopback, both with permessage-deflate. */
class DeflateEndToEndTest {
    private WebSocketServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Collects what a client receives. */
    static final class Inbox implements WebSocketListener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onText(WebSocket ws, String text) {
            texts.add(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binaries.add(b);
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
            closed.countDown();
        }

        String nextText() throws InterruptedException {
            String t = texts.poll(30, TimeUnit.SECONDS);
            assertThat(t).as("a text message within 30 s").isNotNull();
            return t;
        }
    }

    private URI start(CountingDeflate serverDeflate, WebSocketListener handler, CountingDeflate clientDeflate) throws Exception {
        server = TestExtensions.with(WebSocketServer.builder(), serverDeflate)
                .bindAddress(InetAddress.getLoopbackAddress()).eventLoops(1).handler("/ws", handler).build();
        server.start();
        client = TestExtensions.with(WebSocketClient.builder(), clientDeflate).build();
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }


    @ParameterizedTest(name = "noContextTakeover={0}")
    @ValueSource(booleans = {true, false})
    void echoRoundTripsCompressedBothWays(boolean noContextTakeover) throws Exception {
        PerMessageDeflate config = PerMessageDeflate.builder().serverNoContextTakeover(noContextTakeover)
                .clientNoContextTakeover(noContextTakeover).build();
        CountingDeflate serverSide = new CountingDeflate(config);
        CountingDeflate clientSide = new CountingDeflate(PerMessageDeflate.builder()
                .serverNoContextTakeover(noContextTakeover).clientNoContextTakeover(noContextTakeover).build());
        URI uri = start(serverSide, Loopback.ECHO, clientSide);
        Inbox inbox = new Inbox();
        WebSocket ws = client.connect(uri, inbox).get(30, TimeUnit.SECONDS);
        assertThat(ws.handshake().extensions()).singleElement().asString().startsWith(PerMessageDeflate.NAME);

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = new String(PerMessageDeflateExtensionTest.ticks(200 + i * 997, i), StandardCharsets.UTF_8) + " ✓";
            sent.add(text);
            ws.sendText(text);
        }
        byte[] bin = PerMessageDeflateExtensionTest.ticks(300_000, 99);
        ws.sendBinary(ByteBuffer.wrap(bin));
        ws.sendText("short"); // below the threshold: plain
        for (String s : sent) {
            assertThat(inbox.nextText()).isEqualTo(s);
        }
        byte[] echoed = inbox.binaries.poll(30, TimeUnit.SECONDS);
        assertThat(echoed).isEqualTo(bin);
        assertThat(inbox.nextText()).isEqualTo("short");

        assertThat(clientSide.compressedOut.get()).isEqualTo(21);
        assertThat(serverSide.compressedIn.get()).isEqualTo(21);
        assertThat(serverSide.compressedOut.get()).isEqualTo(21);
        assertThat(clientSide.compressedIn.get()).isEqualTo(21);

        ws.close(1000, "done").get(30, TimeUnit.SECONDS);
        assertThat(inbox.closed.await(30, TimeUnit.SECONDS)).isTrue();
        server.shutdown(Duration.ofSeconds(10));
        server = null;
        // every connection's extension was closed, on both sides
        assertThat(serverSide.closes.tryAcquire(30, TimeUnit.SECONDS)).as("server extension closed").isTrue();
        assertThat(serverSide.closed.get()).isEqualTo(serverSide.negotiated.get()).isEqualTo(1);
        assertThat(clientSide.closes.tryAcquire(30, TimeUnit.SECONDS)).as("client extension closed").isTrue();
    }

    @Test
    void broadcastIsCompressedOnceForEveryNoContextTakeoverClient() throws Exception {
        CountingDeflate serverSide = new CountingDeflate(PerMessageDeflate.withDefaults());
        CountingDeflate clientSide = new CountingDeflate(PerMessageDeflate.withDefaults());
        List<WebSocket> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch opened = new CountDownLatch(5);
        URI uri = start(serverSide, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                peers.add(ws);
                opened.countDown();
            }
        }, clientSide);
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Inbox inbox = new Inbox();
            inboxes.add(inbox);
            client.connect(uri, inbox).get(30, TimeUnit.SECONDS);
        }
        assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
        String text = new String(PerMessageDeflateExtensionTest.ticks(20_000, 5), StandardCharsets.UTF_8);
        PreparedMessage message = PreparedMessage.text(text);
        for (WebSocket peer : peers) {
            peer.send(message);
        }
        for (Inbox inbox : inboxes) {
            assertThat(inbox.nextText()).isEqualTo(text);
        }
        assertThat(serverSide.compressedOut.get()).as("compressions for 5 connections").isEqualTo(1);
        assertThat(clientSide.compressedIn.get()).isEqualTo(5);
    }
}
