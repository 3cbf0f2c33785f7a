package io.blockbuster.websocket.internal;

import io.blockbuster.websocket.Loopback;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a listener sends while its connection's input is being read is written by the flush that
 * ends the read, with no flush task on the loop; sends to another connection still get one.
 */
class SendDuringReadTest {
    private Loopback loopback;
    private WebSocketClient client;

    @AfterEach
    void stop() {
        if (loopback != null) {
            loopback.close();
        }
    }

    /** Records received texts; "!" marks an observation that was wrong on the server. */
    static final class Texts implements WebSocketListener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public void onText(WebSocket ws, String text) {
            received.add(text);
        }

        String next() throws InterruptedException {
            String s = received.poll(30, TimeUnit.SECONDS);
            assertThat(s).as("a message within 30 s").isNotNull();
            return s;
        }
    }

    private URI start(WebSocketListener listener) throws Exception {
        // One loop, so every connection shares it: a send to another connection happens on the same thread.
        loopback = Loopback.start(b -> b.eventLoops(1).handler("/", listener), WebSocketClient.builder().eventLoops(1));
        client = loopback.client();
        return loopback.uri("/");
    }

    @Test
    void sendsFromOnTextNeedNoFlushTaskAndArriveInOrder() throws Exception {
        URI uri = start(new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String text) {
                for (int i = 1; i <= 3; i++) {
                    ws.sendText(text + " " + i);
                }
                ConnectionHandle h = (ConnectionHandle) ws;
                // Still queued (the read's flush has not run yet), and no task was queued for it.
                ws.sendText(h.isFlushScheduled() ? "! task scheduled" : "no task");
                ws.sendText(ws.bufferedBytes() > 0 ? "queued until the read ends" : "! written at once");
            }
        });
        Texts texts = new Texts();
        WebSocket ws = client.connect(uri, texts).get(30, TimeUnit.SECONDS);
        for (String m : new String[] {"a", "b"}) {
            ws.sendText(m).get(30, TimeUnit.SECONDS);
            assertThat(texts.next()).isEqualTo(m + " 1");
            assertThat(texts.next()).isEqualTo(m + " 2");
            assertThat(texts.next()).isEqualTo(m + " 3");
            assertThat(texts.next()).isEqualTo("no task");
            assertThat(texts.next()).isEqualTo("queued until the read ends");
        }
        ws.close(1000, "").get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSendToAnotherConnectionOnTheSameLoopIsFlushedByATask() throws Exception {
        CompletableFuture<WebSocket> first = new CompletableFuture<>();
        URI uri = start(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                first.complete(ws); // the first to open keeps it; later ones are ignored
            }

            @Override
            public void onText(WebSocket ws, String text) {
                WebSocket other = first.join();
                if (other == ws) {
                    return;
                }
                other.sendText("relayed " + text);
                ws.sendText(((ConnectionHandle) other).isFlushScheduled() ? "task scheduled" : "! no task");
            }
        });
        Texts one = new Texts();
        Texts two = new Texts();
        WebSocket a = client.connect(uri, one).get(30, TimeUnit.SECONDS);
        first.get(30, TimeUnit.SECONDS);
        WebSocket b = client.connect(uri, two).get(30, TimeUnit.SECONDS);
        b.sendText("x".repeat(3)).get(30, TimeUnit.SECONDS);
        assertThat(one.next()).isEqualTo("relayed xxx");
        assertThat(two.next()).isEqualTo("task scheduled");
        a.close(1000, "").get(30, TimeUnit.SECONDS);
        b.close(1000, "").get(30, TimeUnit.SECONDS);
    }
}
