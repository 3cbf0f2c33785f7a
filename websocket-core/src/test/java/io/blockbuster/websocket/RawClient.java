package io.blockbuster.websocket;

import io.blockbuster.websocket.protocol.FrameEncoder;
import io.blockbuster.websocket.protocol.Opcode;
import io.blockbuster.websocket.protocol.Role;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A blocking, hand-driven WebSocket client for tests that need to misbehave: send raw bytes, stop
 * reading, drop the connection mid-frame. Frames are built with the protocol layer's encoder.
 */
final class RawClient implements AutoCloseable {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    final Socket socket;
    final OutputStream out;
    final DataInputStream in;
    private final FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> 0x37fa213d);

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** With {@code receiveBufferBytes > 0}, a small receive window set before connecting. */
    RawClient(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Over TLS with the tests' certificate, a small receive window set before connecting. */
    static RawClient overTls(int port, int receiveBufferBytes) throws Exception {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(receiveBufferBytes);
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        SSLSocket tls = (SSLSocket) Tls.client().getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.startHandshake();
        return new RawClient(tls);
    }

    private RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    static String upgradeRequest(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /** Sends the upgrade request and reads the response head; returns the head. */
    String handshake(String path) throws IOException {
        write(upgradeRequest(path).getBytes(StandardCharsets.ISO_8859_1));
        return readHead();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads up to and including the blank line. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream in response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads everything until the server closes; returns it. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A masked frame as a client sends it. */
    byte[] frame(boolean fin, Opcode opcode, byte[] payload) {
        ByteBuffer dst = ByteBuffer.allocate(encoder.frameLength(payload.length));
        encoder.encodeFrame(fin, 0, opcode, ByteBuffer.wrap(payload), dst);
        return dst.array();
    }

    void sendFrame(boolean fin, Opcode opcode, byte[] payload) throws IOException {
        write(frame(fin, opcode, payload));
    }

    /** One unmasked server frame: opcode and payload. */
    record Frame(Opcode opcode, byte[] payload) {
        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(Opcode.of(b0 & 0x0f), payload);
    }

    /** True when the server closed the connection (end of stream or reset) within the socket timeout. */
    boolean awaitEndOfStream() throws IOException {
        try {
            InputStream s = socket.getInputStream();
            byte[] sink = new byte[8192];
            while (s.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
