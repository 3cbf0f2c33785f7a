package io.blockbuster.websocket.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes through the direct stage: every byte once, in order, and positions that say what went. */
class PlainTransportTest {
    private SocketChannel writer;
    private SocketChannel reader;
    private ByteBuffer stage;
    private PlainTransport transport;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel ssc = ServerSocketChannel.open()) {
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            writer = SocketChannel.open(ssc.getLocalAddress());
            reader = ssc.accept();
        }
        writer.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        reader.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
        writer.configureBlocking(false);
        stage = ByteBuffer.allocateDirect(64 * 1024);
        transport = new PlainTransport(writer, stage);
    }

    @AfterEach
    void close() throws IOException {
        writer.close();
        reader.close();
    }

    @Test
    void headerAndPayloadGoOutWholeAndInOrder() throws IOException {
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 0x82, 0x7e, 0x04, 0x00});
        ByteBuffer payload = ByteBuffer.wrap(bytes(1024, 1));
        long written = transport.write(new ByteBuffer[] {header, payload}, 0, 2);
        assertThat(written).isEqualTo(1028);
        assertThat(header.hasRemaining()).isFalse();
        assertThat(payload.hasRemaining()).isFalse();
        assertThat(transport.wantsWrite()).isFalse();
        byte[] expected = concat(new byte[] {(byte) 0x82, 0x7e, 0x04, 0x00}, bytes(1024, 1));
        assertThat(readExactly(1028)).isEqualTo(expected);
    }

    @Test
    void onlyTheGivenRangeIsWritten() throws IOException {
        ByteBuffer before = ByteBuffer.wrap(bytes(10, 2));
        ByteBuffer a = ByteBuffer.wrap(bytes(5, 3));
        ByteBuffer b = ByteBuffer.wrap(bytes(7, 4));
        ByteBuffer after = ByteBuffer.wrap(bytes(10, 5));
        assertThat(transport.write(new ByteBuffer[] {before, a, b, after}, 1, 2)).isEqualTo(12);
        assertThat(before.position()).isZero();
        assertThat(after.position()).isZero();
        assertThat(readExactly(12)).isEqualTo(concat(bytes(5, 3), bytes(7, 4)));
    }

    @Test
    void aFullSocketTakesAPrefixAndTheSourcesKeepTheRest() throws IOException {
        // Many buffers of odd sizes, heap and direct mixed, written until the socket is full.
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        long total = 0;
        for (int round = 0; round < 10_000 && !transport.wantsWrite(); round++) {
            ByteBuffer[] bufs = {ByteBuffer.wrap(bytes(3, round)), direct(bytes(1000, round + 7)),
                    ByteBuffer.wrap(bytes(4093, round + 13))};
            byte[] all = concat(concat(bytes(3, round), bytes(1000, round + 7)), bytes(4093, round + 13));
            long written = transport.write(bufs, 0, bufs.length);
            long consumed = 0;
            for (ByteBuffer b : bufs) {
                consumed += b.position();
            }
            assertThat(consumed).isEqualTo(written);
            assertThat(transport.wantsWrite()).isEqualTo(written < all.length);
            sent.write(all, 0, (int) written);
            total += written;
        }
        assertThat(transport.wantsWrite()).isTrue();
        assertThat(readExactly((int) total)).isEqualTo(sent.toByteArray());
    }

    @Test
    void moreThanTheStageHoldsGoesOutAsAGatheringWrite() throws IOException {
        writer.configureBlocking(true); // so the whole gather goes in one call
        ByteBuffer a = ByteBuffer.wrap(bytes(50_000, 6));
        ByteBuffer b = ByteBuffer.wrap(bytes(50_000, 7));
        byte[][] got = new byte[1][];
        Thread drain = new Thread(() -> {
            try {
                got[0] = readExactly(100_000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        drain.start();
        long written = 0;
        ByteBuffer[] bufs = {a, b};
        while (b.hasRemaining()) {
            written += transport.write(bufs, 0, 2);
        }
        assertThat(written).isEqualTo(100_000);
        try {
            drain.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(got[0]).isEqualTo(concat(bytes(50_000, 6), bytes(50_000, 7)));
    }

    private byte[] readExactly(int n) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(n);
        while (dst.hasRemaining()) {
            if (reader.read(dst) < 0) {
                break;
            }
        }
        return Arrays.copyOf(dst.array(), dst.position());
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 17);
        }
        return b;
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
