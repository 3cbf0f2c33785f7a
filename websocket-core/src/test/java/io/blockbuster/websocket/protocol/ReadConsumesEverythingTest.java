package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The transport's read path hands each read to the request parser until the head is complete and
 * then to the frame decoder, and keeps nothing between reads: this proves that nothing is left to
 * keep. However a client's bytes are split into reads, every read is consumed whole, by the parser
 * (a head) or by the decoder (frames, a header split anywhere included), so the transport needs no
 * carry-over buffer for the bytes of an unfinished header.
 */
class ReadConsumesEverythingTest {

    @Test
    void everyReadOfAnUpgradeAndFramesIsConsumedWhole() {
        byte[] head = ("GET /chat?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(head);
        in.writeBytes(Wire.from(Role.CLIENT, true, 0x1, "hi".getBytes(StandardCharsets.UTF_8)));
        in.writeBytes(Wire.from(Role.CLIENT, false, 0x2, Wire.pattern(200)));   // 16-bit length
        in.writeBytes(Wire.from(Role.CLIENT, true, 0x9, new byte[3]));         // ping between fragments
        in.writeBytes(Wire.from(Role.CLIENT, true, 0x0, Wire.pattern(3)));
        byte[] input = in.toByteArray();
        int[] reads = {0};

        Partitions.forEach(input, (how, pieces) -> {
            HttpRequestParser parser = new HttpRequestParser(HttpRequestParser.DEFAULT_MAX_HEADER_BYTES);
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 20);
            FrameCounter frames = new FrameCounter();
            boolean upgraded = false;
            for (ByteBuffer read : pieces) {
                if (!upgraded) {
                    upgraded = parser.parse(read) != null;
                    if (!upgraded) {
                        assertThat(read.remaining()).as("head left over, " + how).isZero();
                        continue;
                    }
                }
                decoder.decode(read, frames);
                assertThat(read.remaining()).as("frame bytes left over, " + how).isZero();
                reads[0]++;
            }
            assertThat(frames.ends).as(how).isEqualTo(4);
        });
        assertThat(reads[0]).as("reads that reached the decoder").isGreaterThan(input.length - head.length);
    }

    @Test
    void aSixtyFourBitHeaderSplitByteByByteIsConsumedAtEveryStep() {
        byte[] frame = Wire.from(Role.CLIENT, true, 0x2, Wire.pattern(70_000));
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1 << 20);
        FrameCounter frames = new FrameCounter();
        int header = 2 + 8 + 4;
        for (int i = 0; i <= header; i++) {
            ByteBuffer b = i < header ? Partitions.piece(frame, i, i + 1) : Partitions.piece(frame, i, frame.length);
            decoder.decode(b, frames);
            assertThat(b.remaining()).as("after byte " + i).isZero();
        }
        assertThat(frames.ends).isEqualTo(1);
    }

    private static final class FrameCounter implements FrameSink {
        int ends;

        @Override
        public void frameStart(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        }

        @Override
        public void payload(ByteBuffer chunk) {
            chunk.position(chunk.limit());
        }

        @Override
        public void frameEnd() {
            ends++;
        }
    }
}
