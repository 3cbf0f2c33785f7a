package io.blockbuster.examples.echo;

import io.blockbuster.websocket.HttpReply;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketLimits;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.blockbuster.websocket.deflate.PerMessageDeflate;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Echoes every text and binary message back to its sender, on {@code /} and {@code /echo}. Limits are
 * large enough for the Autobahn fuzzing client (16 MiB messages and frames); permessage-deflate is
 * offered with its defaults.
 *
 * <pre>
 * java -cp ... io.blockbuster.examples.echo.EchoServer [--port 9001]
 * </pre>
 *
 * A plain {@code GET /health} answers {@code 200 ok}.
 */
public final class EchoServer {

    private EchoServer() {
    }

    /** The listener: echo, nothing else. Binary payloads are copied because they are valid only during the call. */
    static final WebSocketListener ECHO = new WebSocketListener() {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.sendText(text);
        }

        @Override
        public void onBinary(WebSocket ws, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            ws.sendBinary(copy);
        }
    };

    /** Builds (does not start) the echo server on {@code port}. */
    public static WebSocketServer build(int port) {
        WebSocketLimits limits = WebSocketLimits.builder()
                .maxSizes(16 << 20, 16 << 20)
                .writeBuffer(1 << 20, 4 << 20, 64 << 20)
                .ping(Duration.ZERO, Duration.ofSeconds(10))
                .build();
        return WebSocketServer.builder()
                .port(port)
                .limits(limits)
                .permessageDeflate(PerMessageDeflate.withDefaults())
                .handler("/", ECHO)
                .handler("/echo", ECHO)
                .httpHandler(request -> "/health".equals(request.path()) ? HttpReply.text(200, "ok\n") : null)
                .build();
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args {@code --port N} (default 9001)
     */
    public static void main(String[] args) throws Exception {
        int port = 9001;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: EchoServer [--port N]");
                System.exit(2);
            }
        }
        WebSocketServer server = build(port);
        server.start();
        System.out.println("echo server on ws://localhost:" + server.port() + "/");
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(Duration.ofSeconds(2));
            done.countDown();
        }));
        done.await();
    }
}
