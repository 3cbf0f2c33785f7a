package io.blockbuster.stream.binding;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The loopback client of the binding tests that needs to misbehave: a hand-driven WebSocket over a
 * plain socket (upgrade, masked text frames out with a zero key, unmasked frames in), so a test can
 * shrink its receive buffer, stop reading, or read frames as they are on the wire.
 */
final class RawClient implements AutoCloseable {
    final Socket socket = new Socket();
    final OutputStream out;
    final DataInputStream in;

    /** Connects to {@code port} on loopback (receive buffer {@code receiveBuffer} bytes unless 0) and upgrades on /ws. */
    RawClient(int port, int receiveBuffer) throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int matched = 0;
        StringBuilder head = new StringBuilder();
        while (matched < 4) {
            int b = in.readUnsignedByte();
            head.append((char) b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
    }

    /** The server closed the connection with this code. */
    static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        Closed(int code) {
            super("closed: " + code);
            this.code = code;
        }
    }

    static byte[] textFrame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (p.length < 126) {
            f.write(0x80 | p.length);
        } else {
            f.write(0x80 | 126);
            f.write(p.length >>> 8);
            f.write(p.length);
        }
        f.writeBytes(new byte[4]); // a zero mask key leaves the payload as it is
        f.writeBytes(p);
        return f.toByteArray();
    }

    void sendText(String text) throws IOException {
        out.write(textFrame(text));
        out.flush();
    }

    /** The next text message (control frames skipped); fails on a close. */
    String readText() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            byte[] payload = readPayload();
            int opcode = b0 & 0x0F;
            if (opcode == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if (opcode == 8) {
                throw new Closed(closeCode(payload));
            }
        }
    }

    int readUntilClose() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            byte[] payload = readPayload();
            if ((b0 & 0x0F) == 8) {
                return closeCode(payload);
            }
        }
    }

    private byte[] readPayload() throws IOException {
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return payload;
    }

    private static int closeCode(byte[] p) {
        return p.length < 2 ? 1005 : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
