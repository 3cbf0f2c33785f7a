package io.blockbuster.websocket;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw loopback server that plays a hostile WebSocket server: every accepted socket is handed to a
 * {@link Script} on a thread of its own, which may answer anything, or nothing. Blocking I/O on
 * purpose: the script is the attacker, not the code under test.
 */
final class HostileServer implements AutoCloseable {
    /** What the server does with one accepted connection. */
    interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-server");
        t.setDaemon(true);
        return t;
    });
    final AtomicInteger accepted = new AtomicInteger();
    /** Completes with the first script failure, or normally when the first script returns. */
    final CompletableFuture<Void> firstScript = new CompletableFuture<>();

    /** Listens on {@code address} (a loopback address); {@code receiveBuffer} > 0 shrinks SO_RCVBUF. */
    HostileServer(InetAddress address, int receiveBuffer, Script script) throws IOException {
        listener = new ServerSocket();
        if (receiveBuffer > 0) {
            listener.setReceiveBufferSize(receiveBuffer);
        }
        listener.bind(new InetSocketAddress(address, 0));
        threads.execute(() -> {
            while (!listener.isClosed()) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                threads.execute(() -> {
                    try (s) {
                        script.run(s);
                        firstScript.complete(null);
                    } catch (Exception e) {
                        firstScript.completeExceptionally(e);
                    }
                });
            }
        });
    }

    HostileServer(Script script) throws IOException {
        this(InetAddress.getLoopbackAddress(), 0, script);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }

    /** Reads the client's request head (through the blank line) and returns it. */
    static String readRequestHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed during its request");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** The Sec-WebSocket-Accept value that answers the request head's key. */
    static String acceptFor(String requestHead) {
        String key = null;
        for (String line : requestHead.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads the request and answers a correct 101, with {@code extraHeaders} (each ending in CRLF). */
    static void upgrade(Socket s, String extraHeaders) throws IOException {
        String head = readRequestHead(s.getInputStream());
        s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptFor(head) + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads client frames until a close frame and returns its code (-1 if the socket ended first). */
    static int readCloseCode(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
            int b0;
            try {
                b0 = in.readUnsignedByte();
            } catch (IOException e) {
                return -1;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            if ((b0 & 0x0F) == 0x8) {
                return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }

    /** Waits (up to 60 s) until the peer closes its side: reads and discards until end of stream or a reset. */
    static void awaitPeerGone(Socket s) throws IOException {
        byte[] sink = new byte[8192];
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
        InputStream in = s.getInputStream();
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the client kept the connection open", e);
        } catch (IOException e) {
            // a reset ends it too
        }
    }
}
