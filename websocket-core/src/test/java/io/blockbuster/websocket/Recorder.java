package io.blockbuster.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener that records every event as a line ("text hello", "binary 5", "close 1000 bye peer")
 * and checks the callback contract as it goes: nothing before open, nothing after close, never two
 * callbacks at once.
 */
class Recorder implements WebSocketListener {
    static final long WAIT_SECONDS = 30;

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    final CompletableFuture<CloseEvent> closed = new CompletableFuture<>();
    private final AtomicBoolean inCallback = new AtomicBoolean();
    volatile String violation;

    record CloseEvent(WebSocket webSocket, CloseStatus status, boolean closedByPeer) {
    }

    private void enter(String what) {
        if (!inCallback.compareAndSet(false, true)) {
            violation = "overlapping callback: " + what;
        }
        if (closed.isDone()) {
            violation = what + " after close";
        }
        if (!opened.isDone() && !what.equals("open")) {
            violation = what + " before open";
        }
    }

    private void exit() {
        inCallback.set(false);
    }

    @Override
    public void onOpen(WebSocket ws) {
        enter("open");
        events.add("open");
        opened.complete(ws);
        exit();
    }

    @Override
    public void onText(WebSocket ws, String text) {
        enter("text");
        events.add("text " + text);
        exit();
    }

    @Override
    public void onBinary(WebSocket ws, ByteBuffer data) {
        enter("binary");
        byte[] b = new byte[data.remaining()];
        data.get(b);
        events.add("binary " + new String(b, StandardCharsets.ISO_8859_1));
        exit();
    }

    @Override
    public void onPing(WebSocket ws, ByteBuffer payload) {
        enter("ping");
        events.add("ping " + StandardCharsets.UTF_8.decode(payload));
        exit();
    }

    @Override
    public void onPong(WebSocket ws, ByteBuffer payload) {
        enter("pong");
        events.add("pong " + StandardCharsets.UTF_8.decode(payload));
        exit();
    }

    @Override
    public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
        enter("close");
        events.add("close " + status.code() + (closedByPeer ? " peer" : " local"));
        closed.complete(new CloseEvent(ws, status, closedByPeer));
        exit();
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        enter("error");
        events.add("error " + error.getClass().getSimpleName());
        exit();
    }

    /** The next event other than errors and pings/pongs, waiting up to 30 s. */
    String next() throws InterruptedException {
        while (true) {
            String e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + WAIT_SECONDS + " s");
            }
            if (!e.startsWith("error")) {
                return e;
            }
        }
    }

    CloseEvent awaitClose() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    WebSocket awaitOpen() throws Exception {
        return opened.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
